// DeltaChat mail: for each deltachat service, postfix's main.cf and
// master.cf, dovecot's configuration and mailadm's start script, mounted
// into the service's three containers. They replace the seed's chain of
// `postconf` commands and its literal sign-up token.

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "emit/emitter.hpp"
#include "emit/federation_ca.hpp"
#include "emit/mail.hpp"
#include "validate/names.hpp"

namespace dcomm::emit {

namespace {

using mail::MailSetup;

/// The secret holding the sign-up token, by its short name: the stack
/// mounts a service's secrets at /run/secrets/<short name>.
constexpr std::string_view kTokenSecret = "mailadm_token";
constexpr std::string_view kStartScript = "/usr/local/bin/mailadm-start";
constexpr std::string_view kDovecotStartScript = "/usr/local/bin/dovecot-start";

/// Caddy keeps each certificate at certificates/<issuer>/<name>/<name>.crt
/// and .key in its data folder (an internal issuer's key is its CA's name:
/// certificates/federation/<name>/, verified with Caddy 2.11), and the
/// stack mounts Caddy's data volume at /caddy in containers beside it.
std::optional<mail::Certificate> certificate(const model::Site& site) {
  std::string issuer;
  switch (site.tls) {
    case model::TlsMode::acme: issuer = "acme-v02.api.letsencrypt.org-directory"; break;
    case model::TlsMode::internal: issuer = federation_ca::kCaddyName; break;
    case model::TlsMode::off: return std::nullopt;
  }
  const std::string stem =
      fmt::format("/caddy/caddy/certificates/{}/{}/{}", issuer, site.domain, site.domain);
  return mail::Certificate{stem + ".crt", stem + ".key"};
}

/// The checks ran at check time; checking again here keeps a value that
/// slipped through from adding a line to main.cf, dovecot.conf or the
/// start script.
const std::string& checked_domain(const std::string& domain) {
  if (validate::check_domain(domain)) {
    throw std::invalid_argument("mail: '" + domain + "' is not a valid domain name");
  }
  return domain;
}

/// A container's name as a host name on an overlay network: one label, of
/// the characters service names may hold (validate::check_name). '_' is
/// no letter of public DNS names, but Docker's DNS resolves it and
/// postfix's host name check lets it pass.
std::string container_host(const model::Service& service, std::string_view suffix) {
  const std::string name = service.name + "-" + std::string(suffix);
  const bool label = name.size() <= 63 && name.front() != '-' &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                     });
  if (!label) throw std::invalid_argument("mail: '" + name + "' cannot be a host name");
  return name;
}

MailSetup setup_for(const SiteContext& context, const model::Service& service) {
  const bool host_network = context.site.network != "overlay";
  return {.domain = checked_domain(context.site.domain),
          .tls = certificate(context.site),
          .dovecot_host = host_network ? "127.0.0.1" : container_host(service, "dovecot"),
          .internal_address = host_network ? "127.0.0.1" : "*"};
}

/// An integer attribute; the kind's default fills it when the spec is silent.
std::int64_t number(const model::Service& service, const std::string& name) {
  const model::Value* value = service.attribute(name);
  if (!value) throw std::logic_error("service '" + service.name + "' lacks '" + name + "'");
  return value->number;
}

/// mailadm's expiry codes count whole days ("999d") or hours ("12h");
/// anything else is rounded up to the next hour.
std::string expiry_code(std::int64_t milliseconds) {
  constexpr std::int64_t hour = 3'600'000;
  constexpr std::int64_t day = 24 * hour;
  if (milliseconds > 0 && milliseconds % day == 0) return fmt::format("{}d", milliseconds / day);
  return fmt::format("{}h", std::max<std::int64_t>(1, (milliseconds + hour - 1) / hour));
}

/// Where DeltaChat clients post sign-ups: the apex through Caddy, whose
/// /new_email route leads to mailadm.
std::string web_endpoint(const SiteContext& context) {
  const bool https = context.site.tls != model::TlsMode::off;
  const int port = https ? context.site.https_port : context.site.http_port;
  const std::string authority = port == (https ? 443 : 80)
                                    ? context.site.domain
                                    : fmt::format("{}:{}", context.site.domain, port);
  return fmt::format("{}://{}/new_email", https ? "https" : "http", authority);
}

/// mailadm's web API port, as its container declares it.
int mailadm_port(const model::Service& service) {
  for (const model::Container& container : service.containers) {
    if (container.name == service.name + "-mailadm" && !container.ports.empty()) {
      return container.ports.front().number;
    }
  }
  throw std::logic_error("service '" + service.name + "' has no mailadm port");
}

/// Replaces the seed's entrypoint. The token is read from the swarm secret
/// and never printed: mailadm shows it in the output of its token
/// commands, which is discarded.
std::string mailadm_start(const SiteContext& context, const model::Service& service) {
  const std::string& domain = checked_domain(context.site.domain);
  const bool host_network = context.site.network != "overlay";
  return fmt::format(
      R"(#!/bin/sh
# mailadm for {domain}: generated by dcommc, edit the spec instead.
set -eu

export MAILADM_DB={dir}/mailadm.db
token=$(cat {token_file})

mailadm init --web-endpoint={endpoint} --mail-domain={domain} --vmail-user=vmail

# One sign-up token, "signup". mailadm cannot change a token's value, so a
# rotated secret replaces the token; otherwise only its limits are updated,
# keeping its use count. --token=: a token may start with "-".
if mailadm list-tokens | grep -qxF "  token  = $token"; then
  mailadm mod-token signup --maxuse {uses} --expiry {expiry} >/dev/null
else
  mailadm del-token signup >/dev/null 2>&1 || true
  mailadm add-token signup --maxuse {uses} --expiry {expiry} --token="$token" >/dev/null
fi

# postfix reads this map before the first sign-up writes it.
touch {dir}/virtual_mailboxes

# Expired accounts go, as mailadm's own prune timer does it.
(while sleep 3600; do mailadm prune; done) &

# Caddy proxies {endpoint} here.
exec gunicorn -b {bind}:{port} -w 1 mailadm.app:app
)",
      fmt::arg("domain", domain), fmt::arg("dir", mail::kMailadmDir),
      fmt::arg("token_file", SiteContext::secret_file(service, kTokenSecret)),
      fmt::arg("endpoint", web_endpoint(context)),
      fmt::arg("uses", number(service, "token_uses")),
      fmt::arg("expiry", expiry_code(number(service, "token_expiry"))),
      fmt::arg("bind", host_network ? "127.0.0.1" : "0.0.0.0"),
      fmt::arg("port", mailadm_port(service)));
}

/// Adds one file, mounted in one of the service's containers. A site has
/// at most one deltachat service (two would both route /new_email, which
/// check rejects), so the names need no qualifier.
void add_config(ArtifactSet& out, const model::Service& service, std::string path,
                std::string content, std::string key, std::string_view container,
                std::string target, int mode = 0444) {
  Artifact& artifact = out.add(std::move(path), std::move(content), std::move(key));
  artifact.mounts.push_back({.container = service.name + "-" + std::string(container),
                             .target = std::move(target),
                             .mode = mode});
}

void emit_service(const SiteContext& context, const model::Service& service, ArtifactSet& out) {
  const MailSetup setup = setup_for(context, service);
  add_config(out, service, "postfix/main.cf", mail::postfix_main_cf(setup), "postfix_main",
             "postfix", "/etc/postfix/main.cf");
  add_config(out, service, "postfix/master.cf", mail::postfix_master_cf(setup), "postfix_master",
             "postfix", "/etc/postfix/master.cf");
  add_config(out, service, "dovecot/dovecot.conf", mail::dovecot_conf(setup), "dovecot_conf",
             "dovecot", "/etc/dovecot/dovecot.conf");
  add_config(out, service, "dovecot/dovecot-sql.conf.ext", mail::dovecot_sql_conf(setup),
             "dovecot_sql", "dovecot", mail::kDovecotSqlPath);
  add_config(out, service, "dovecot/start.sh", mail::dovecot_start(setup), "dovecot_start",
             "dovecot", std::string(kDovecotStartScript), 0555);
  add_config(out, service, "mailadm/start.sh", mailadm_start(context, service), "mailadm_start",
             "mailadm", std::string(kStartScript), 0555);
  // SMTP (25) and IMAP with STARTTLS (143) always; submission (587) and
  // IMAPS (993) only with a certificate.
  constexpr auto tcp = model::Protocol::tcp;
  out.serve(service.name + "-postfix", setup.tls ? std::vector<model::Port>{{25, tcp}, {587, tcp}}
                                                 : std::vector<model::Port>{{25, tcp}});
  out.serve(service.name + "-dovecot", setup.tls ? std::vector<model::Port>{{143, tcp}, {993, tcp}}
                                                 : std::vector<model::Port>{{143, tcp}});
}

}  // namespace

void emit_mail(const SiteContext& context, ArtifactSet& out) {
  for (const model::Service* service : context.site.services_of_kind("deltachat")) {
    emit_service(context, *service, out);
  }
}

namespace {

// What emit_mail reads, by kind (emitter.hpp; emit/contract_test.cpp checks
// it against the stdlib and against what the emitter really reads).
constexpr std::string_view kDeltachatAttributes[] = {"token_uses", "token_expiry"};
constexpr std::string_view kDeltachatSecrets[] = {kTokenSecret};
constexpr KindReads kReads[] = {
    {"deltachat", kDeltachatAttributes, kDeltachatSecrets},
};

}  // namespace

constinit const std::span<const KindReads> mail_reads = kReads;

}  // namespace dcomm::emit
