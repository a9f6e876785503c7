#pragma once
// What every emitter is given: the whole federation (Element lists the
// other sites), the site being emitted, and the names that tie artifacts
// together.

#include <functional>
#include <string>
#include <string_view>

#include "model/model.hpp"

namespace dcomm::emit {

struct SiteContext {
  const model::Federation& federation;
  const model::Site& site;
  /// How often each secret was rotated (1 = never): part of its swarm name.
  std::function<int(const std::string& secret)> generation = [](const std::string&) { return 1; };
  /// The federation's root certificate, PEM, for a site with `tls =
  /// internal` (write/federation_ca.hpp): its Caddy issues from it and its
  /// Synapse trusts it. Public.
  std::string_view federation_ca = {};

  /// The swarm stack: `docker stack deploy --prune -c stack.yml <stack>`.
  std::string stack() const { return "dcomms-" + site.name; }

  /// `host.domain`, or the apex domain for an empty host.
  std::string fqdn(std::string_view host) const;
  /// `host.onion`, or the bare onion; empty when the site has none.
  std::string onion_fqdn(std::string_view host) const;

  /// The site-wide name of a service's secret: "synapse_macaroon_key".
  static std::string secret_name(const model::Service& service, std::string_view secret);
  /// Placeholder for that secret's value (see artifacts.hpp).
  static std::string secret(const model::Service& service, std::string_view secret);
  /// Where the stack mounts that secret in the service's containers, for a
  /// program that reads it from a file: "/run/secrets/macaroon_key"
  /// (model::Secret::file). A secret the service's kind does not declare
  /// is an emitter's bug: std::logic_error.
  static std::string secret_file(const model::Service& service, std::string_view secret);

  /// The first service of a kind, or nullptr.
  const model::Service* first_of_kind(std::string_view kind) const;
  /// The first port its first container listens on (0 if none).
  static int port_of(const model::Service& service);
};

}  // namespace dcomm::emit
