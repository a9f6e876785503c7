// caddy/Caddyfile: every public route of a site, generated from its
// services' routes (the seed's hand-written Caddyfile.tmpl, from the model).
//
// What is served where:
// - one site block per host name: the apex (websites and apex routes) and
//   each route host (chat. -> Element, matrix. -> Synapse, user kinds),
//   with Matrix discovery (/.well-known/matrix/*) on the Synapse's host;
// - Matrix federation over HTTPS on <synapse host>:<federation_port>;
// - the onion twins: each host block again at http://<host>.<onion>, plain
//   HTTP (the onion address authenticates the server and Tor encrypts);
//   tor/torrc maps the onion's ports 80 and 8448 to Caddy's HTTP port;
// - tls = acme or internal: the host names over HTTPS, advertising their
//   twins with Onion-Location. tls = off: onion twins only; a site with
//   neither TLS nor onion (warned by W0504) serves its names over plain HTTP.
//
// Spec values land here as site addresses (validated DNS names), the ACME
// email, matcher paths and website roots (quoted tokens). Caddy expands
// {$ENV} anywhere in the file, comments included, and {placeholders} at run
// time, with no escape that works everywhere, so a value holding a brace,
// quote or backslash must never get this far: it is a compiler bug, not a
// spec error, and the emitter refuses it rather than write it.

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emit/emitter.hpp"
#include "emit/federation_ca.hpp"
#include "emit/matrix.hpp"

namespace dcomm::emit {

namespace {

using model::Route;
using model::Service;
using model::TlsMode;

/// Where Caddy reads the federation's root certificate.
constexpr std::string_view kRootTarget = "/etc/caddy/federation-ca.crt";
/// Caddy's admin API, a socket in its container's own /run.
constexpr std::string_view kAdminSocket = "/run/caddy-admin.sock";

// ------------------------------------------------------------ tokens

/// A spec value as one double-quoted Caddyfile token.
std::string quoted_token(std::string_view value) {
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7F || c == '{' || c == '}' || c == '"' || c == '\\') {
      throw std::logic_error(fmt::format("unsafe value reached the Caddyfile: {}", value));
    }
  }
  return fmt::format("\"{}\"", value);
}

/// A host name as a site address: lower-case letters, digits, dots and
/// hyphens only, so it can neither end the address nor open a block.
const std::string& dns_name(const std::string& name) {
  const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  });
  if (!ok) throw std::logic_error("unsafe host name reached the Caddyfile: " + name);
  return name;
}

/// A swarm service's name as an upstream host on the overlay network. Spec
/// names may hold '_' (validate::check_name), which public DNS names may
/// not, but Docker's DNS resolves and Go dials; nothing else here is safe.
const std::string& upstream_host(const std::string& name) {
  const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  if (!ok) throw std::logic_error("unsafe upstream host reached the Caddyfile: " + name);
  return name;
}

// ------------------------------------------------------------ writer

/// Caddyfile text, indented with tabs as `caddy fmt` writes it.
class Writer {
 public:
  void line(std::string_view text) { text_.append(depth_, '\t').append(text).append("\n"); }
  /// Caddy 2.6 expands {$ENV} even inside comments, so names quoted in one
  /// lose their braces.
  void comment(std::string_view text) {
    std::string inert(text);
    std::replace(inert.begin(), inert.end(), '{', '(');
    std::replace(inert.begin(), inert.end(), '}', ')');
    line("# " + inert);
  }
  void open(std::string_view head) {
    line(head.empty() ? std::string("{") : std::string(head) + " {");
    ++depth_;
  }
  void close() {
    --depth_;
    line("}");
  }
  /// A blank line before the next block, none at the top of the file.
  void separate() {
    if (!text_.empty()) text_ += '\n';
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  std::size_t depth_ = 0;
};

// ------------------------------------------------------------ the model, by host

/// What one host name serves.
struct Host {
  std::string label;  ///< subdomain; empty for the apex
  std::vector<const Service*> services;  ///< each once, in declaration order
  std::vector<std::pair<const Service*, const Route*>> routes;
  std::vector<const Service*> websites;  ///< the apex's static files
  const Service* homeserver = nullptr;   ///< the Synapse whose server name this is

  void add(const Service& service) {
    if (std::find(services.begin(), services.end(), &service) == services.end()) {
      services.push_back(&service);
    }
  }
};

bool is_kind(const Service& service, std::string_view kind) { return service.kind->name == kind; }

std::string text_of(const Service& service, const std::string& attribute) {
  const model::Value* value = service.attribute(attribute);
  return value ? value->text : std::string();
}

bool federates(const Service& synapse) {
  const model::Value* federation = synapse.attribute("federation");
  return federation && federation->number != 0;
}

/// The site's names (model::host_names, which E0415 keeps apart from
/// other sites'), without their onion twins: the apex first, then the
/// route hosts in the order their services are declared.
std::vector<Host> named_hosts(const model::Site& site) {
  std::vector<Host> hosts;
  for (const model::HostName& name : model::host_names(site)) {
    if (!name.onion) hosts.push_back(Host{.label = name.host});
  }
  return hosts;
}

/// Every host with something to serve. A route's host that is not among
/// the site's names is a compiler bug: it would be served unchecked.
std::vector<Host> hosts_of(const model::Site& site) {
  std::vector<Host> hosts = named_hosts(site);
  auto host = [&hosts](const std::string& label) -> Host& {
    auto it = std::find_if(hosts.begin(), hosts.end(), [&](const Host& h) { return h.label == label; });
    if (it == hosts.end()) throw std::logic_error("host not among the site's names: " + label);
    return *it;
  };
  for (const Service& service : site.services) {
    if (is_kind(service, "website")) {
      host("").websites.push_back(&service);
      host("").add(service);
    }
    for (const Route& route : service.routes) {
      host(route.host).routes.emplace_back(&service, &route);
      host(route.host).add(service);
    }
    if (is_kind(service, "synapse")) {
      host(matrix::host_of(service)).homeserver = &service;
      host(matrix::host_of(service)).add(service);
    }
  }
  std::erase_if(hosts, [](const Host& h) { return h.services.empty(); });
  return hosts;
}

/// "mail (deltachat), web (website), element": who a block is for.
std::string describe(const Host& host) {
  std::vector<std::string> names;
  for (const Service* service : host.services) {
    names.push_back(service->name == service->kind->name
                        ? service->name
                        : fmt::format("{} ({})", service->name, service->kind->name));
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

// ------------------------------------------------------------ the file

class Caddyfile {
 public:
  explicit Caddyfile(const SiteContext& context)
      : context_(context),
        site_(context.site),
        http_port_(context.site.http_port),
        https_port_(context.site.https_port),
        federation_port_(matrix::caddy_port(context, "federation_port")) {}

  std::string text() {
    out_.comment(fmt::format("Caddy for site {} ({}), generated by dcommc: edit the spec, not this file.",
                             site_.name, site_.domain));
    global_options();
    for (const Host& host : hosts_of(site_)) {
      host_blocks(host);
      if (host.homeserver && federates(*host.homeserver) && https()) federation_block(*host.homeserver);
    }
    return out_.take();
  }

  /// The ports the text serves: plain HTTP always (the onion twins, or
  /// redirects and ACME challenges beside HTTPS), HTTPS with TLS, and the
  /// federation port when a block listens on it.
  std::vector<model::Port> served_ports() const {
    std::vector<model::Port> ports{{http_port_, model::Protocol::tcp}};
    if (https()) ports.push_back({https_port_, model::Protocol::tcp});
    if (serves_federation_) ports.push_back({federation_port_, model::Protocol::tcp});
    return ports;
  }

 private:
  bool https() const { return site_.tls != TlsMode::off; }
  /// The host names are served unless the site is onion-only.
  bool clearnet() const { return https() || !site_.onion; }

  void global_options() {
    out_.open("");
    out_.comment("The admin API on a socket inside Caddy's container: on its TCP port,");
    out_.comment("every process of the node (host networking) could reconfigure Caddy.");
    out_.line(fmt::format("admin unix/{}", kAdminSocket));
    if (site_.tls == TlsMode::acme) {
      out_.comment("The ACME account. Let's Encrypt only (Caddy would fall back to ZeroSSL),");
      out_.comment("so the mail containers find the certificates at a fixed path in /data.");
      out_.line("email " + quoted_token(site_.acme_email));
      out_.line("acme_ca https://acme-v02.api.letsencrypt.org/directory");
    } else if (site_.tls == TlsMode::internal) {
      federation_ca();
    } else {
      out_.comment(site_.onion ? "No TLS: the site is reached over its onion address only."
                               : "No TLS and no onion address: plain HTTP only.");
      out_.line("auto_https off");
    }
    if (http_port_ != 80) out_.line(fmt::format("http_port {}", http_port_));
    if (https_port_ != 443 && https()) out_.line(fmt::format("https_port {}", https_port_));
    out_.close();
  }

  /// tls = internal: certificates from this site's intermediate under the
  /// federation's root (out/federation-ca/root.crt), which every site of
  /// the federation and its clients trust. The intermediate may sign names
  /// under this site's domain only, and Caddy never renews it (dcommc does).
  /// Where Caddy reads a secret of its intermediate certificate authority,
  /// which the resolver gives its service under `tls = internal`.
  std::string ca_file(std::string_view name) const {
    const Service* caddy = context_.first_of_kind("caddy");
    const model::Secret* secret = caddy ? caddy->secret(name) : nullptr;
    if (!secret) throw std::logic_error(fmt::format("caddy has no secret '{}' under tls = internal", name));
    return secret->file();
  }

  void federation_ca() {
    out_.comment("Certificates from the federation's own certificate authority, for");
    out_.comment("networks without the Internet: clients trust its root, which dcommc");
    out_.comment("keeps in out/federation-ca/root.crt.");
    out_.line("skip_install_trust");
    out_.open("pki");
    out_.open(fmt::format("ca {}", federation_ca::kCaddyName));
    out_.line("name \"dcomm federation\"");
    out_.open("root");
    out_.line(fmt::format("cert {}", kRootTarget));
    out_.close();
    out_.open("intermediate");
    out_.line(fmt::format("cert {}", ca_file(model::kCaCertificateSecret)));
    out_.line(fmt::format("key {}", ca_file(model::kCaKeySecret)));
    out_.close();
    out_.close();
    out_.close();
    out_.open("cert_issuer internal");
    out_.line(fmt::format("ca {}", federation_ca::kCaddyName));
    out_.close();
  }

  // ---------------------------------------------------------- host blocks

  void host_blocks(const Host& host) {
    if (clearnet()) {
      const std::string name = dns_name(context_.fqdn(host.label));
      out_.separate();
      out_.comment(describe(host));
      out_.open(https() ? name : "http://" + name);
      if (https()) onion_location(host.label);
      if (https() && host.homeserver) well_known(*host.homeserver);
      handlers(host);
      out_.close();
    }
    if (site_.onion) {
      const std::string name = dns_name(context_.onion_fqdn(host.label));
      out_.separate();
      out_.comment(fmt::format("{}, over Tor", describe(host)));
      out_.open("http://" + name);
      if (host.homeserver && federates(*host.homeserver)) {
        out_.comment("Tor maps the onion's federation port 8448 here too.");
      }
      handlers(host);
      out_.close();
    }
  }

  /// Tor Browser offers the onion twin (it honours the header over HTTPS only).
  void onion_location(const std::string& label) {
    if (!site_.onion) return;
    out_.line(fmt::format("header Onion-Location http://{}{{uri}}", dns_name(context_.onion_fqdn(label))));
  }

  /// Matrix discovery for the server name <host>.<domain>. Homeservers
  /// (server discovery) and clients (client discovery) fetch these from
  /// https://<server name>/.well-known/matrix/ only, so the HTTPS block of
  /// the server name serves them, not its onion twin. m.server sends
  /// federation to the federation port; a Synapse that does not federate
  /// publishes none, and other servers give up at once.
  void well_known(const Service& synapse) {
    const std::string server = dns_name(matrix::server_name(site_, synapse));
    if (federates(synapse)) {
      const nlohmann::json document = {{"m.server", fmt::format("{}:{}", server, federation_port_)}};
      out_.open("handle /.well-known/matrix/server");
      out_.line("header Content-Type application/json");
      out_.line(fmt::format("respond `{}`", document.dump()));
      out_.close();
    }
    // Web clients read this one from other origins, hence CORS.
    const nlohmann::json document = {{"m.homeserver", {{"base_url", matrix::client_url(context_, synapse)}}}};
    out_.open("handle /.well-known/matrix/client");
    out_.line("header Content-Type application/json");
    out_.line("header Access-Control-Allow-Origin *");
    out_.line(fmt::format("respond `{}`", document.dump()));
    out_.close();
  }

  /// The routes, then the static files. Caddy tries `handle` blocks from
  /// the most specific path to the catch-all, whatever their order here.
  /// Where a host serves several services, a comment names each one's.
  void handlers(const Host& host) {
    const bool several = host.services.size() > 1;
    for (const auto& [service, route] : host.routes) {
      if (several) out_.comment(service->name);
      proxy(*service, *route);
    }
    for (const Service* website : host.websites) {
      if (several) out_.comment(website->name);
      out_.open("handle");
      out_.comment(fmt::format("The stack mounts {} of node {} here, read-only.", text_of(*website, "root"),
                               website->node));
      out_.line("root * " + quoted_token("/srv/" + website->name));
      out_.line("file_server");
      out_.close();
    }
  }

  void proxy(const Service& service, const Route& route) {
    const std::string target = "reverse_proxy " + upstream(service, route);
    if (route.paths.empty()) {
      out_.open("handle");
      out_.line(target);
      out_.close();
    }
    // handle_path strips the matched prefix: mailadm answers /new_email at /.
    for (const std::string& path : route.paths) {
      out_.open((route.strip_prefix ? "handle_path " : "handle ") + quoted_token(path));
      out_.line(target);
      out_.close();
    }
  }

  /// Host networking: the container listens on the node, beside Caddy, on
  /// the IPv4 loopback (Synapse binds 127.0.0.1 only): named, not
  /// `localhost`, which a node may resolve to ::1 first. Overlay: the swarm
  /// service named after the container serving the port.
  std::string upstream(const Service& service, const Route& route) const {
    if (site_.network != "overlay") return fmt::format("127.0.0.1:{}", route.port);
    return fmt::format("{}:{}", upstream_host(container_serving(service, route.port).name), route.port);
  }

  /// The container listening on `port` (mailadm of the three of mail), or
  /// the service's first.
  static const model::Container& container_serving(const Service& service, int port) {
    if (service.containers.empty()) throw std::logic_error("route of " + service.name + " has no container");
    for (const model::Container& container : service.containers) {
      for (const model::Port& listening : container.ports) {
        if (listening.number == port) return container;
      }
    }
    return service.containers.front();
  }

  // ---------------------------------------------------------- federation

  /// Other homeservers reach Synapse's federation API (/_matrix/federation,
  /// /_matrix/key) on a port of its own, over HTTPS: Matrix servers talk to
  /// each other only over TLS, so a site without it serves no such block.
  /// Over Tor, federation reaches the onion twin of the Synapse host on the
  /// plain HTTP port (the seed's http://matrix.<onion>:8448 shared a port
  /// with this TLS block, and Caddy answered it with a TLS error).
  void federation_block(const Service& synapse) {
    const std::string name = dns_name(matrix::server_name(site_, synapse));
    const Route api{.port = SiteContext::port_of(synapse)};
    out_.separate();
    out_.comment(fmt::format("Matrix federation of {}", synapse.name));
    out_.open(fmt::format("{}:{}", name, federation_port_));
    serves_federation_ = true;
    out_.line("reverse_proxy /_matrix/* " + upstream(synapse, api));
    out_.close();
  }

  const SiteContext& context_;
  const model::Site& site_;
  int http_port_;
  int https_port_;
  int federation_port_;
  bool serves_federation_ = false;
  Writer out_;
};

}  // namespace

void emit_caddyfile(const SiteContext& context, ArtifactSet& out) {
  // A site without web services (a bridge only) runs no Caddy.
  const Service* caddy = context.first_of_kind("caddy");
  if (!caddy || caddy->containers.empty()) return;
  Caddyfile caddyfile(context);
  out.add("caddy/Caddyfile", caddyfile.text(), "caddyfile")
      .mounts.push_back({.container = caddy->containers.front().name, .target = "/etc/caddy/Caddyfile"});
  out.serve(caddy->containers.front().name, caddyfile.served_ports());
  if (federation_ca::used_by(context)) {
    federation_ca::add_root(context, out, "caddy/federation-ca.crt", "caddy_federation_ca")
        .mounts.push_back({.container = caddy->containers.front().name, .target = std::string(kRootTarget)});
  }
}

namespace {

// What emit_caddyfile reads, by kind (emitter.hpp; emit/contract_test.cpp checks
// it against the stdlib and against what the emitter really reads).
constexpr std::string_view kCaddyAttributes[] = {"federation_port"};
constexpr std::string_view kSynapseAttributes[] = {"host", "federation"};
constexpr std::string_view kWebsiteAttributes[] = {"root"};
constexpr KindReads kReads[] = {
    {"caddy", kCaddyAttributes},
    {"synapse", kSynapseAttributes},
    {"website", kWebsiteAttributes},
};

}  // namespace

constinit const std::span<const KindReads> caddyfile_reads = kReads;

}  // namespace dcomm::emit
