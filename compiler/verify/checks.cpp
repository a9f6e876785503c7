#include "verify/checks.hpp"

#include <fmt/format.h>

#include "emit/emitter.hpp"
#include "emit/matrix.hpp"

namespace dcomm::verify {

namespace {

using Kind = Check::Kind;

bool has_kind(const model::Service& service, std::string_view kind) { return service.kind && service.kind->name == kind; }

/// The mail ports a site's containers serve, and how each speaks TLS.
void mail_checks(const emit::SiteContext& context, const emit::ArtifactSet& artifacts, std::vector<Check>& out) {
  const std::string& domain = context.site.domain;
  for (const model::Service& service : context.site.services) {
    for (const model::Container& container : service.containers) {
      for (const model::Port& port : artifacts.published(container)) {
        auto add = [&](Kind kind, const char* what, const char* scheme) {
          out.push_back({.kind = kind,
                         .what = fmt::format("{} ({})", what, port.number),
                         .url = fmt::format("{}://{}:{}", scheme, domain, port.number),
                         .service = container.name});
        };
        // A site without TLS has no certificate for its mail either: it only greets.
        const bool tls = context.site.tls != model::TlsMode::off;
        switch (port.number) {
          case 25:
            tls ? add(Kind::starttls, "mail from other servers, STARTTLS", "smtp")
                : add(Kind::greeting, "mail from other servers", "smtp");
            break;
          case 587: add(Kind::starttls, "mail submission, STARTTLS", "smtp"); break;
          case 465: add(Kind::tls, "mail submission, TLS", "smtps"); break;
          case 143: tls ? add(Kind::starttls, "IMAP, STARTTLS", "imap") : add(Kind::greeting, "IMAP", "imap"); break;
          case 993: add(Kind::tls, "IMAP, TLS", "imaps"); break;
          default: break;
        }
      }
    }
  }
}

void matrix_checks(const emit::SiteContext& context, const model::Service& synapse, bool federates,
                   std::vector<Check>& out) {
  const std::string client = emit::matrix::client_url(context, synapse);
  const std::string server = emit::matrix::server_name(context.site, synapse);
  out.push_back({.kind = Kind::contains,
                 .what = "Matrix client API",
                 .url = client + "/_matrix/client/versions",
                 .expect = "\"versions\"",
                 .service = synapse.name});
  if (context.site.tls == model::TlsMode::off) return;
  const std::string https = fmt::format("https://{}{}", server,
                                        emit::matrix::port_suffix(context.site.https_port, 443));
  out.push_back({.kind = Kind::json_field,
                 .what = "Matrix client delegation",
                 .url = https + "/.well-known/matrix/client",
                 .field = "m.homeserver/base_url",
                 .expect = client,
                 .service = synapse.name});
  if (!federates) return;
  const std::string federation =
      fmt::format("{}:{}", server, emit::matrix::caddy_port(context, "federation_port"));
  out.push_back({.kind = Kind::json_field,
                 .what = "Matrix federation delegation",
                 .url = https + "/.well-known/matrix/server",
                 .field = "m.server",
                 .expect = federation,
                 .service = synapse.name});
  out.push_back({.kind = Kind::contains,
                 .what = "Matrix federation API",
                 .url = fmt::format("https://{}/_matrix/federation/v1/version", federation),
                 .expect = "\"server\"",
                 .service = synapse.name});
}

}  // namespace

std::vector<Check> plan_checks(const model::Federation& federation, const model::Site& site) {
  // Emitted only for the ports each container serves: the federation's
  // root is not read (a placeholder where internal TLS needs one).
  const emit::SiteContext context{federation, site, [](const std::string&) { return 1; }, "(federation root)"};
  const emit::ArtifactSet artifacts = emit::emit_site(context);
  const model::Service* caddy = context.first_of_kind("caddy");
  std::vector<Check> out;
  if (!caddy) {
    mail_checks(context, artifacts, out);
    return out;
  }
  const int https_port = context.site.https_port;
  std::vector<Check> onion;  // last: reached another way
  for (const model::HostName& name : model::host_names(site)) {
    if (name.onion) {
      onion.push_back({.kind = Kind::page,
                       .what = "onion address",
                       .url = fmt::format("http://{}/", name.fqdn),
                       .service = name.service ? name.service->name : caddy->name,
                       .onion = true});
    } else if (site.tls != model::TlsMode::off) {
      out.push_back({.kind = Kind::page,
                     .what = "HTTPS",
                     .url = fmt::format("https://{}{}/", name.fqdn, emit::matrix::port_suffix(https_port, 443)),
                     .service = name.service ? name.service->name : caddy->name});
    }
  }
  for (const model::Service& service : site.services) {
    if (has_kind(service, "synapse")) matrix_checks(context, service, service.is_federating_homeserver(), out);
    if (has_kind(service, "element") && site.tls != model::TlsMode::off) {
      const std::string host = emit::matrix::host_of(service);
      out.push_back({.kind = Kind::json_field,
                     .what = "Element's config.json",
                     .url = fmt::format("https://{}{}/config.json", context.fqdn(host),
                                        emit::matrix::port_suffix(https_port, 443)),
                     .field = "default_server_config/m.homeserver/base_url",
                     .expect = emit::matrix::client_url(context, emit::matrix::homeserver_of(site, service)),
                     .service = service.name});
    }
  }
  mail_checks(context, artifacts, out);
  out.insert(out.end(), onion.begin(), onion.end());
  // An onion-only site's Synapse answers at its onion name: through Tor too.
  for (Check& check : out) {
    const std::string host = check.url.substr(0, check.url.find('/', check.url.find("://") + 3));
    check.onion = check.onion || host.ends_with(".onion");
  }
  return out;
}

}  // namespace dcomm::verify
