#include "graph/dot.hpp"

#include <fmt/format.h>

#include <set>

namespace dcomm::graph {

namespace {

/// A DOT string literal: quotes and backslashes escaped, line breaks as
/// centred "\n" escapes.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string id(std::string_view site, std::string_view kind, std::string_view name) {
  return quoted(fmt::format("{}/{}/{}", site, kind, name));
}

std::string ports_of(const model::Service& service) {
  std::vector<std::string> ports;
  for (const auto& container : service.containers) {
    for (const auto& port : container.ports) ports.push_back(model::to_string(port));
  }
  return fmt::format("{}", fmt::join(ports, " "));
}

std::string service_label(const model::Service& service, const model::Site& site) {
  std::string label = fmt::format("{}\n({}{})", service.name, service.kind->name,
                                  service.implicit ? ", added" : "");
  if (const std::string ports = ports_of(service); !ports.empty()) label += "\n" + ports;
  for (const auto& route : service.routes) {
    const std::string host = route.host.empty() ? site.domain : route.host + "." + site.domain;
    label += "\nhttps://" + host + (route.paths.empty() ? "" : route.paths.front());
  }
  return label;
}

class DotWriter {
 public:
  std::string write(const model::Federation& federation) {
    line("digraph dcomms {");
    line("  graph [rankdir=LR, fontname=\"sans-serif\", compound=true];");
    line("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"sans-serif\"];");
    line("  edge [fontname=\"sans-serif\", fontsize=10];");
    for (const auto& site : federation.sites) write_site(site);
    write_federation(federation);
    line("}");
    return out_;
  }

 private:
  void write_site(const model::Site& site) {
    std::string label = fmt::format("site {}\n{}", site.name, site.domain);
    if (site.onion) label += "\n" + *site.onion;
    line(fmt::format("  subgraph {} {{", quoted("cluster_" + site.name)));
    line(fmt::format("    label={}; style=\"rounded\"; color=\"#4a6fa5\";", quoted(label)));
    for (const auto& node : site.nodes) write_node(site, node);
    line("  }");
    write_dependencies(site);
  }

  void write_node(const model::Site& site, const model::Node& node) {
    std::string label = "node " + node.name;
    for (const auto& [key, value] : node.labels) label += fmt::format("\n{}={}", key, value);
    line(fmt::format("    subgraph {} {{", quoted("cluster_" + site.name + "/" + node.name)));
    line(fmt::format("      label={}; style=\"dashed\"; color=\"#888888\";", quoted(label)));
    for (const auto& service : site.services) {
      if (service.node != node.name) continue;
      line(fmt::format("      {} [label={}{}];", id(site.name, "service", service.name),
                       quoted(service_label(service, site)),
                       service.implicit ? ", fillcolor=\"#eeeeee\"" : ""));
    }
    line("    }");
  }

  /// Edges from a service to what it needs: its kind's needs, and the
  /// services its attributes name (element -> synapse).
  void write_dependencies(const model::Site& site) {
    for (const auto& service : site.services) {
      std::set<std::string> targets;
      for (const auto& [name, value] : service.attributes) {
        if (value.type == model::Value::Type::service) targets.insert(value.text);
      }
      for (const auto& needed : service.kind->needs) {
        for (const model::Service* other : site.services_of_kind(needed)) targets.insert(other->name);
      }
      for (const auto& target : targets) {
        line(fmt::format("  {} -> {} [label=\"needs\", color=\"#4a6fa5\"];",
                         id(site.name, "service", service.name), id(site.name, "service", target)));
      }
    }
  }

  /// Matrix federation between the homeservers of different sites.
  void write_federation(const model::Federation& federation) {
    std::vector<std::pair<const model::Site*, const model::Service*>> homeservers;
    for (const auto& site : federation.sites) {
      for (const model::Service* synapse : site.services_of_kind("synapse")) {
        const model::Value* federates = synapse->attribute("federation");
        if (federates && federates->number != 0) homeservers.emplace_back(&site, synapse);
      }
    }
    for (std::size_t i = 0; i + 1 < homeservers.size(); ++i) {
      const auto& [site, synapse] = homeservers[i];
      const auto& [next_site, next_synapse] = homeservers[i + 1];
      line(fmt::format("  {} -> {} [dir=both, style=dashed, label=\"federation\", constraint=false];",
                       id(site->name, "service", synapse->name),
                       id(next_site->name, "service", next_synapse->name)));
    }
  }

  void line(std::string_view text) {
    out_ += text;
    out_ += '\n';
  }

  std::string out_;
};

}  // namespace

std::string to_dot(const model::Federation& federation) { return DotWriter().write(federation); }

}  // namespace dcomm::graph
