#include "verify/probe.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

namespace dcomm::verify {

namespace {

constexpr std::size_t kBodyLimit = 1 << 20;  // a page we check is small; a huge one is cut

std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* body) {
  auto& text = *static_cast<std::string*>(body);
  if (text.size() < kBodyLimit) text.append(data, std::min(size * count, kBodyLimit - text.size()));
  return size * count;
}

std::string host_of(const std::string& url) {
  std::string rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find('/'));
  return rest.substr(0, rest.rfind(':') == std::string::npos ? rest.size() : rest.rfind(':'));
}

std::string port_of(const Check& check) {
  std::string rest = check.url.substr(check.url.find("://") + 3);
  rest = rest.substr(0, rest.find('/'));
  if (const auto colon = rest.rfind(':'); colon != std::string::npos) return rest.substr(colon + 1);
  return check.url.starts_with("https") ? "443" : "80";
}

std::string hint_for(CURLcode code, const Check& check, const std::string& site) {
  const std::string host = host_of(check.url);
  const std::string stack = "dcomms-" + site;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return fmt::format("{} does not resolve: publish the records of OUT/{}/dns.zone in the domain's DNS", host, site);
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
      return fmt::format("nothing answers on port {}: is the node's firewall (OUT/{}/nftables/NODE.nft) loaded, "
                         "and does `docker service ps {}_{}` show it running?",
                         port_of(check), site, stack, check.service);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
      return fmt::format("the certificate is not valid for {}: with tls = acme, Caddy may still be getting it "
                         "(docker service logs {}_caddy); with tls = internal, give --cacert "
                         "OUT/federation-ca/root.crt",
                         host, stack);
    case CURLE_USE_SSL_FAILED:
      return fmt::format("the server offers no STARTTLS: it has no certificate; `docker service logs {}_{}` says "
                         "why",
                         stack, check.service);
    default:
      return fmt::format("`docker service ps {}_{}` and its logs say more", stack, check.service);
  }
}

/// The value at `field` ("a/b") of a JSON document, or "" if there is none.
std::string json_at(const std::string& body, const std::string& field) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  std::size_t start = 0;
  while (doc.is_object()) {
    const std::size_t end = field.find('/', start);
    const std::string key = field.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!doc.contains(key)) return "";
    nlohmann::json next = doc[key];
    doc = std::move(next);
    if (end == std::string::npos) return doc.is_string() ? doc.get<std::string>() : "";
    start = end + 1;
  }
  return "";
}

Outcome judge_http(const Check& check, long status, const std::string& body, const std::string& site) {
  const std::string stack = "dcomms-" + site;
  const std::string seen = fmt::format("HTTP {}", status);
  if (status >= 500) {
    return {Outcome::Status::failed, seen,
            fmt::format("Caddy answers, but {} behind it does not: `docker service ps {}_{}`", check.service, stack,
                        check.service)};
  }
  const std::string redeploy = "the site serves another configuration than this spec's: build it and redeploy";
  switch (check.kind) {
    case Check::Kind::contains:
      if (status == 200 && body.find(check.expect) != std::string::npos) return {Outcome::Status::ok, seen, ""};
      return {Outcome::Status::failed, fmt::format("{}, without {}", seen, check.expect), redeploy};
    case Check::Kind::json_field: {
      const std::string value = json_at(body, check.field);
      if (status == 200 && value == check.expect) return {Outcome::Status::ok, fmt::format("{}: {}", seen, value), ""};
      return {Outcome::Status::failed,
              fmt::format("{}, {} is '{}', not '{}'", seen, check.field, value, check.expect), redeploy};
    }
    default: return {Outcome::Status::ok, seen, ""};
  }
}

}  // namespace

bool reachable(const Check& check, const ProbeOptions& options) {
  if (!check.onion || !options.tor_socks.empty()) return true;
  const std::string host = host_of(check.url) + ":";
  for (const std::string& entry : options.resolve) {
    if (entry.starts_with(host)) return true;
  }
  return false;
}

Outcome probe(const Check& check, const ProbeOptions& options, const std::string& site) {
  if (!reachable(check, options)) {
    return {Outcome::Status::skipped, "not checked", "give --tor-socks 127.0.0.1:9050 to check it through Tor"};
  }
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> resolve(nullptr, curl_slist_free_all);
  for (const std::string& entry : options.resolve) resolve.reset(curl_slist_append(resolve.release(), entry.c_str()));
  char error[CURL_ERROR_SIZE] = "";
  std::string body;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, check.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https,smtp,smtps,imap,imaps");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, options.timeout_seconds);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "dcommc-verify/" DCOMMC_VERSION);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body);
  if (resolve) curl_easy_setopt(handle, CURLOPT_RESOLVE, resolve.get());
  if (!options.cacert.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options.cacert.c_str());
  const std::string proxy = "socks5h://" + options.tor_socks;
  if (check.onion && !options.tor_socks.empty()) {
    curl_easy_setopt(handle, CURLOPT_PROXY, proxy.c_str());
  } else {
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");  // as a user's client reaches it, not through a proxy
  }
  const bool with_tls = check.kind == Check::Kind::starttls || check.kind == Check::Kind::tls;
  const bool connect_only = with_tls || check.kind == Check::Kind::greeting;
  if (connect_only) {
    // Connecting is the check: greeting, EHLO or CAPABILITY, and the TLS
    // handshake with the certificate verified; no login, no mail.
    curl_easy_setopt(handle, CURLOPT_CONNECT_ONLY, 1L);
    if (with_tls) curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  const CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) {
    return {Outcome::Status::failed, error[0] ? error : curl_easy_strerror(code), hint_for(code, check, site)};
  }
  if (connect_only) return {Outcome::Status::ok, with_tls ? "TLS, certificate valid for the name" : "greets", ""};
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  return judge_http(check, status, body, site);
}

}  // namespace dcomm::verify
