#include "write/deploy_commands.hpp"

#include <fmt/format.h>

namespace dcomm::build {

std::string deploy_commands(const model::Site& site, const std::filesystem::path& folder, std::string_view indent) {
  // labels.sh takes each node's swarm ID in a variable (see emit/labels.cpp).
  std::string variables;
  for (const model::Node& node : site.nodes) variables += model::node_variable(node) + "=<id> ";
  return fmt::format("{}{}sh {}\n{}docker stack deploy --prune -c {} dcomms-{}\n", indent, variables,
                     (folder / "labels.sh").generic_string(), indent, (folder / "stack.yml").generic_string(),
                     site.name);
}

std::string deploy_file(const model::Federation& federation) {
  std::string text =
      "# Written by dcommc: how to deploy each site. Run the commands on a swarm\n"
      "# manager, from this folder, with each node's ID from `docker node ls`.\n";
  for (const model::Site& site : federation.sites) {
    fmt::format_to(std::back_inserter(text), "\n# site {}\n{}", site.name, deploy_commands(site, site.name, ""));
  }
  return text;
}

}  // namespace dcomm::build
