#include "validate/rules.hpp"

#include <fmt/format.h>

#include <map>

#include "validate/host_names.hpp"
#include "validate/image.hpp"
#include "validate/room_directory.hpp"

namespace dcomm::validate {

namespace {

using model::Service;
using model::Site;

/// Under host networking every container's port is a port of its node.
void check_ports(const Site& site, Diagnostics& diags) {
  if (site.network != "host") return;
  std::map<std::pair<std::string, std::string>, const Service*> taken;  // (node, port) -> owner
  for (const Service& service : site.services) {
    for (const auto& container : service.containers) {
      for (const auto& port : container.ports) {
        const auto key = std::make_pair(service.node, model::to_string(port));
        auto [it, fresh] = taken.emplace(key, &service);
        if (fresh || it->second == &service) continue;
        diags.report({.code = "E0405",
                      .message = fmt::format("services '{}' and '{}' both listen on port {} of node '{}'",
                                             it->second->name, service.name, key.second, service.node),
                      .primary = {service.span, fmt::format("'{}' wants {}", service.name, key.second)},
                      .secondary = {{it->second->span, fmt::format("'{}' has it already", it->second->name)}},
                      .notes = {"the site uses host networking, as the seed deployment does: a port "
                                "belongs to the node, not the container"},
                      .help = "place one of them on another node, or change its port"});
      }
    }
  }
}

/// Some kinds must share a node with another (mail reads Caddy's
/// certificates from its volume).
void check_beside(const Site& site, Diagnostics& diags) {
  for (const Service& service : site.services) {
    if (service.kind->beside.empty()) continue;
    for (const Service* partner : site.services_of_kind(service.kind->beside)) {
      if (partner->node == service.node || service.node.empty() || partner->node.empty()) continue;
      diags.report({.code = "E0407",
                    .message = fmt::format("service '{}' must run on the node of its {} ('{}'), not on '{}'",
                                           service.name, partner->kind->name, partner->node, service.node),
                    .primary = {service.span, fmt::format("placed on node '{}'", service.node)},
                    .secondary = {{partner->span,
                                   partner->implicit
                                       ? fmt::format("{} runs on node '{}', added for this service",
                                                     partner->name, partner->node)
                                       : fmt::format("{} runs on node '{}'", partner->name, partner->node)}},
                    .notes = {fmt::format("a {} service shares files with {} on its node", service.kind->name,
                                          service.kind->beside)},
                    .help = fmt::format("write on = node.{}", partner->node)});
    }
  }
}

/// Under host networking Caddy reaches every routed service on localhost,
/// so those services must run on Caddy's node.
void check_routed_beside_caddy(const Site& site, Diagnostics& diags) {
  if (site.network != "host") return;
  const auto proxies = site.services_of_kind("caddy");
  if (proxies.empty()) return;
  const Service& caddy = *proxies.front();
  for (const Service& service : site.services) {
    if (service.routes.empty() || service.node == caddy.node || service.node.empty()) continue;
    diags.report({.code = "E0407",
                  .message = fmt::format("service '{}' has a public route but runs on node '{}', not on "
                                         "Caddy's node '{}'",
                                         service.name, service.node, caddy.node),
                  .primary = {service.span, fmt::format("placed on node '{}'", service.node)},
                  .secondary = {{caddy.span, caddy.implicit
                                                 ? fmt::format("caddy runs on node '{}', added for this service",
                                                               caddy.node)
                                                 : fmt::format("caddy runs on node '{}'", caddy.node)}},
                  .notes = {"with host networking Caddy proxies to localhost, so it only reaches "
                            "services on its own node"},
                  .help = fmt::format("write on = node.{}, or set network = overlay on the site",
                                      caddy.node)});
  }
}

/// One homeserver per site: a second would share its database and its
/// port, and Element's server name would be ambiguous.
void check_one_homeserver(const Site& site, Diagnostics& diags) {
  const auto homeservers = site.services_of_kind("synapse");
  for (std::size_t i = 1; i < homeservers.size(); ++i) {
    diags.report({.code = "E0411",
                  .message = fmt::format("site '{}' has more than one synapse", site.name),
                  .primary = {homeservers[i]->span, "a second homeserver"},
                  .secondary = {{homeservers[0]->span, "the first"}},
                  .help = "keep one synapse per site; a second community gets a site of its own"});
  }
}

/// Two routes for the same host and path would make Caddy pick one.
void check_routes(const Site& site, Diagnostics& diags) {
  std::map<std::string, const Service*> owners;  // "host path" -> service
  for (const Service& service : site.services) {
    for (const auto& route : service.routes) {
      const std::vector<std::string> paths = route.paths.empty() ? std::vector<std::string>{"*"} : route.paths;
      for (const auto& path : paths) {
        const std::string host = route.host.empty() ? site.domain : route.host + "." + site.domain;
        auto [it, fresh] = owners.emplace(host + " " + path, &service);
        if (fresh || it->second == &service) continue;
        diags.report({.code = "E0408",
                      .message = fmt::format("services '{}' and '{}' both serve {}{}", it->second->name,
                                             service.name, host, path == "*" ? "" : path),
                      .primary = {service.span, fmt::format("'{}' routes {} here", service.name, host)},
                      .secondary = {{it->second->span, fmt::format("'{}' routes it already", it->second->name)}},
                      .help = "give one of them another host, e.g. host = \"chat2\""});
      }
    }
  }
}

void check_images(const Site& site, Diagnostics& diags) {
  for (const Service& service : site.services) {
    for (const auto& container : service.containers) {
      const Span where = container.span.end != 0 ? container.span : service.span;
      if (container.image.empty()) {
        diags.report({.code = "E0404",
                      .message = fmt::format("container '{}' has no image", container.name),
                      .primary = {where, "no image"},
                      .help = "give its kind an image = \"registry/name:tag\""});
        continue;
      }
      if (auto problem = check_image_reference(container.image)) {
        diags.report({.code = "E0404",
                      .message = problem->message,
                      .primary = {where, "in this image reference"},
                      .help = problem->help});
        continue;
      }
      const TagState state = tag_state(container.image);
      if (state == TagState::pinned) continue;
      const bool latest = state == TagState::latest;
      diags.report({.code = latest ? Code("W0501") : Code("W0502"),
                    .message = fmt::format("image '{}' is {}", container.image,
                                           latest ? "tagged latest" : "not tagged"),
                    .primary = {where, latest ? "latest changes under you" : "no tag means latest"},
                    .notes = {"a redeploy could pull a different version than the one you tested"},
                    .help = "pin a version: name:1.2.3, or a digest name@sha256:..."});
    }
  }
}

void check_registration(const Site& site, Diagnostics& diags) {
  for (const Service* synapse : site.services_of_kind("synapse")) {
    const model::Value* registration = synapse->attribute("registration");
    const model::Value* federation = synapse->attribute("federation");
    if (!registration || !federation || registration->text != "open" || federation->number == 0) continue;
    diags.report({.code = "W0503",
                  .message = fmt::format("'{}' lets anyone register and federates", synapse->name),
                  .primary = {registration->span.end != 0 ? registration->span : synapse->span,
                              "open registration"},
                  .notes = {"open homeservers on the federation attract spam bots, and other "
                            "servers may block them"},
                  .help = "keep registration = token and hand out tokens, or set federation = false"});
  }
}

/// labels.sh takes each node's ID in a variable named after the node:
/// two nodes whose names spell one variable would get each other's labels.
void check_node_variables(const Site& site, Diagnostics& diags) {
  std::map<std::string, const model::Node*> taken;
  for (const model::Node& node : site.nodes) {
    const std::string variable = model::node_variable(node);
    auto [first, fresh] = taken.emplace(variable, &node);
    if (fresh) continue;
    diags.report({.code = "E0416",
                  .message = fmt::format("nodes '{}' and '{}' of site '{}' would share the variable {}",
                                         first->second->name, node.name, site.name, variable),
                  .primary = {node.span, fmt::format("spelt {} in labels.sh", variable)},
                  .secondary = {{first->second->span, "so is this node"}},
                  .notes = {"labels.sh takes each node's swarm ID in a shell variable named after the node, "
                            "in capitals with '_' for any other character: one ID would get both nodes' labels"},
                  .help = fmt::format("rename one of them, e.g. '{}-2'", node.name)});
  }
}

void check_reachability(const Site& site, Diagnostics& diags) {
  if (site.tls != model::TlsMode::off || site.onion) return;
  diags.report({.code = "W0504",
                .message = fmt::format("site '{}' has neither TLS nor an onion address", site.name),
                .primary = {site.span, "plain HTTP only"},
                .notes = {"passwords and messages would cross the network unencrypted"},
                .help = "set tls = acme(\"EMAIL\") or tls = internal, or add onion = \"....onion\""});
}

/// Every node's firewall opens Docker Swarm's ports to the addresses the
/// spec lists (emit/nftables.cpp): a node that lists none, among nodes that
/// do, would be shut out of the swarm, unless it is one of their machines.
void check_swarm_addresses(const model::Federation& federation, Diagnostics& diags) {
  const model::Node* addressed = nullptr;
  for (const Site& site : federation.sites)
    for (const model::Node& node : site.nodes)
      if (!addressed && !node.addresses.empty()) addressed = &node;
  if (!addressed) return;
  for (const Site& site : federation.sites) {
    for (const model::Node& node : site.nodes) {
      if (!node.addresses.empty()) continue;
      diags.report({.code = "W0507",
                    .message = fmt::format("node '{}' of site '{}' gives no addresses, but other nodes do",
                                           node.name, site.name),
                    .primary = {node.span, "no addresses"},
                    .secondary = {{addressed->span, "this node gives its addresses"}},
                    .notes = {"every node's firewall (nftables/NODE.nft) opens Docker Swarm's ports 2377, 7946 "
                              "and 4789 only to the addresses the spec lists: this node could not reach the "
                              "swarm, unless it is the machine of a node that lists them"},
                    .help = fmt::format("add addresses = [\"...\"] to node '{}': where the other nodes reach it",
                                        node.name)});
    }
  }
}

}  // namespace

void check_federation(const model::Federation& federation, Diagnostics& diags) {
  for (const Site& site : federation.sites) {
    check_ports(site, diags);
    check_beside(site, diags);
    check_routed_beside_caddy(site, diags);
    check_one_homeserver(site, diags);
    check_routes(site, diags);
    check_images(site, diags);
    check_registration(site, diags);
    check_reachability(site, diags);
    check_node_variables(site, diags);
  }
  check_swarm_addresses(federation, diags);
  check_room_directories(federation, diags);
  check_host_names(federation, diags);
}

}  // namespace dcomm::validate
