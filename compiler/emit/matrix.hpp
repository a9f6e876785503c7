#pragma once
// What the Matrix clients of a site (Element, maubot) need to know about
// their Synapse: its server name and the URL it answers at. Written once so
// that every client agrees with synapse/homeserver.yaml, and with the ports
// Caddy really listens on.

#include <stdexcept>
#include <string>

#include "emit/context.hpp"

namespace dcomm::emit::matrix {

/// The Synapse a client service names in its `homeserver` attribute (the
/// resolver fills it in, or reports the spec, before anything is emitted).
inline const model::Service& homeserver_of(const model::Site& site, const model::Service& client) {
  const model::Value* homeserver = client.attribute("homeserver");
  const model::Service* synapse = homeserver ? site.service(homeserver->text) : nullptr;
  if (!synapse) throw std::logic_error("service " + client.name + " reached an emitter without a homeserver");
  return *synapse;
}

/// The subdomain a Synapse serves its client API at ("matrix").
inline std::string host_of(const model::Service& synapse) {
  const model::Value* host = synapse.attribute("host");
  return host ? host->text : std::string();
}

/// `host.domain`, as homeserver.yaml's server_name (the seed's matrix.<domain>).
inline std::string server_name(const model::Site& site, const model::Service& synapse) {
  return model::server_name(site, synapse);
}

/// The port Caddy listens on for one of its port attributes: the Caddyfile
/// and torrc read it. (The site's HTTP and HTTPS ports, which every URL
/// carries, are the model's: model::Site::http_port and https_port.)
inline int caddy_port(const SiteContext& context, const std::string& attribute) {
  const model::Service* caddy = context.first_of_kind("caddy");
  const model::Value* port = caddy ? caddy->attribute(attribute) : nullptr;
  if (!port) throw std::logic_error("site " + context.site.name + " has no caddy " + attribute);
  return static_cast<int>(port->number);
}

/// ":8443" when a port is not its scheme's default, else "".
inline std::string port_suffix(int port, int default_port) {
  return port == default_port ? std::string() : ":" + std::to_string(port);
}

/// The URL clients reach a Synapse at through Caddy, without a trailing
/// slash. An onion-only site (tls off) answers on its onion address, which
/// Tor maps to Caddy's plain HTTP port, so that URL carries no port.
inline std::string client_url(const SiteContext& context, const model::Service& synapse) {
  const std::string host = host_of(synapse);
  if (context.site.tls == model::TlsMode::off) {
    if (context.site.onion) return "http://" + context.onion_fqdn(host);
    return "http://" + context.fqdn(host) + port_suffix(context.site.http_port, 80);
  }
  return "https://" + context.fqdn(host) + port_suffix(context.site.https_port, 443);
}

/// Where the files of one service of a kind go and what the stack calls
/// them: a site normally runs one and gets the plain names ("element",
/// keys "element_..."); several get a folder and a key stem each, so no
/// two paths or keys collide (as synapse/homeserver.yaml does).
struct Names {
  std::string folder;  ///< "element" or "element/<service>"
  std::string stem;    ///< "element" or "element_<service>"
};

inline Names names_for(const SiteContext& context, const model::Service& service) {
  const std::string& kind = service.kind->name;
  if (context.site.services_of_kind(kind).size() == 1) return {kind, kind};
  return {kind + "/" + service.name, kind + "_" + service.name};
}

}  // namespace dcomm::emit::matrix
