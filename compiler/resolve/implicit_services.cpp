#include "resolve/implicit_services.hpp"

#include <fmt/format.h>

namespace dcomm::resolve {

namespace {

std::string a_or_an(const std::string& noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", noun);
}

/// Where an implicit service goes: beside the services that must run
/// beside it (mail next to Caddy), else beside the first that needs it,
/// so the placement does not depend on the order services are written.
const model::Service& partner_for(const model::Site& site, const model::Kind& kind, const model::Service& needing) {
  if (!kind.beside.empty()) {  // postgres goes where its synapse is
    if (const auto partners = site.services_of_kind(kind.beside); !partners.empty()) return *partners.front();
  }
  for (const model::Service& service : site.services) {
    if (service.kind->beside == kind.name && !service.node.empty()) return service;
  }
  // The proxy goes where the services it routes to are.
  if (kind.name == kProxyKind) {
    for (const model::Service& service : site.services) {
      if (!service.kind->routes.empty() && !service.node.empty()) return service;
    }
  }
  return needing;
}

model::Service implicit_service(const model::Site& site, const model::Kind& kind, const model::Service& needing) {
  // Named after its kind, unless a service of another kind has that name.
  std::string name = kind.name;
  for (int n = 2; site.service(name); ++n) name = kind.name + std::to_string(n);
  model::Service service{.name = name, .kind = &kind, .node = needing.node,
                         .implicit = true, .span = needing.span};
  for (const auto& spec : kind.attributes) {
    if (spec.default_value) service.attributes[spec.name] = *spec.default_value;
  }
  return service;
}

void missing_dependency(const model::Site& site, const model::Service& needing, const std::string& needed,
                       Diagnostics& diags) {
  diags.report({.code = "E0409",
                 .message = fmt::format("service '{}' needs a {} service, and site '{}' has none",
                                       needing.name, needed, site.name),
                 .primary = {needing.span, fmt::format("{} needs {}", a_or_an(needing.kind->name),
                                                      a_or_an(needed))},
                 .help = fmt::format("add service \"{}\" {{ kind = {} }} to the site", needed, needed)});
}

}  // namespace

void add_implicit_services(model::Site& site, const KindTable& kinds, Diagnostics& diags) {
  for (std::size_t i = 0; i < site.services.size(); ++i) {
    const model::Service needing = site.services[i];  // a copy: push_back may reallocate
    for (const std::string& needed : needing.kind->needs) {
      if (!site.services_of_kind(needed).empty()) continue;
      const model::Kind* kind = kinds.find(needed);
      if (kind && kind->implicit) {
        site.services.push_back(implicit_service(site, *kind, partner_for(site, *kind, needing)));
      } else {
        missing_dependency(site, needing, needed, diags);
      }
    }
  }
}

}  // namespace dcomm::resolve
