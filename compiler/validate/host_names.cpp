#include "validate/host_names.hpp"

#include <fmt/format.h>

#include <map>
#include <unordered_map>
#include <vector>

namespace dcomm::validate {

namespace {

struct Claim {
  std::size_t site;  ///< index in the federation
  model::HostName name;
};

/// The names a later site shares with one earlier site.
struct Clash {
  Claim first;
  model::HostName second;
  std::size_t more = 0;  ///< other names the two share
};

/// What a site does with a name, for a label.
std::string use_of(const model::HostName& name, const model::Site& site) {
  if (name.service) return fmt::format("site '{}' serves '{}' here", site.name, name.service->name);
  return fmt::format("the {} of site '{}'", name.onion ? "onion address" : "domain", site.name);
}

void report(const model::Federation& federation, std::size_t later, const Clash& clash, Diagnostics& diags) {
  const model::Site& first = federation.sites[clash.first.site];
  const model::Site& second = federation.sites[later];
  std::vector<std::string> notes{
      "each site would get a Caddyfile and a DNS zone for it: certificates, DNS records, mail and Matrix "
      "federation would reach whichever site answered first"};
  if (clash.more > 0) {
    notes.push_back(fmt::format("the two sites share {} more name{}", clash.more, clash.more == 1 ? "" : "s"));
  }
  diags.report({.code = "E0415",
                .message = fmt::format("sites '{}' and '{}' both answer to {}", first.name, second.name,
                                       clash.second.fqdn),
                .primary = {clash.second.span, use_of(clash.second, second)},
                .secondary = {{clash.first.name.span, use_of(clash.first.name, first)}},
                .notes = std::move(notes),
                .help = "give every site a domain of its own, and each service a host no other site's "
                        "domain already names"});
}

}  // namespace

void check_host_names(const model::Federation& federation, Diagnostics& diags) {
  std::unordered_map<std::string, Claim> claimed;
  for (std::size_t i = 0; i < federation.sites.size(); ++i) {
    std::map<std::size_t, Clash> clashes;  // by earlier site, in order
    for (model::HostName& name : model::host_names(federation.sites[i])) {
      auto [it, fresh] = claimed.try_emplace(name.fqdn, Claim{i, name});
      if (fresh) continue;
      auto [clash, first_of_pair] = clashes.try_emplace(it->second.site, Clash{it->second, name});
      if (!first_of_pair) ++clash->second.more;
    }
    for (const auto& [earlier, clash] : clashes) report(federation, i, clash, diags);
  }
}

}  // namespace dcomm::validate
