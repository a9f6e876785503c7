// nftables/<node>.nft: the firewall of each node of a site. It opens what
// the node's services publish (the kinds' `publish` ports), SSH for the
// operator, and Docker Swarm's ports to the federation's nodes; everything
// else that reaches the node from outside is dropped, so an internal port
// that binds too widely by mistake is still not reachable.
//
// Docker forwards the ports it publishes on an overlay network (DNAT, the
// forward hook), so this input chain neither opens nor closes them.

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "emit/emitter.hpp"

namespace dcomm::emit {

namespace {

constexpr int kSshPort = 22;
// Docker Swarm: cluster management (tcp), node gossip (tcp and udp), and
// overlay traffic (VXLAN, udp).
constexpr int kSwarmManagement = 2377;
constexpr int kSwarmGossip = 7946;
constexpr int kSwarmOverlay = 4789;

struct Openings {
  std::set<int> tcp;
  std::set<int> udp;
};

Openings published_on(const model::Site& site, const std::string& node, const ArtifactSet& artifacts) {
  Openings open;
  for (const model::Service& service : site.services) {
    if (service.node != node) continue;
    for (const model::Container& container : service.containers) {
      for (const model::Port& port : artifacts.published(container)) {
        (port.protocol == model::Protocol::udp ? open.udp : open.tcp).insert(port.number);
      }
    }
  }
  return open;
}

/// Every address of every node of the federation, by family: the swarm's
/// members, as far as the spec knows them.
std::pair<std::set<std::string>, std::set<std::string>> swarm_addresses(const model::Federation& federation) {
  std::set<std::string> v4, v6;
  for (const model::Site& site : federation.sites) {
    for (const model::Node& node : site.nodes) {
      for (const std::string& address : node.addresses) {
        (address.find(':') == std::string::npos ? v4 : v6).insert(address);
      }
    }
  }
  return {v4, v6};
}

std::string joined(const std::set<int>& ports) { return fmt::format("{}", fmt::join(ports, ", ")); }
std::string joined(const std::set<std::string>& addresses) { return fmt::format("{}", fmt::join(addresses, ", ")); }

void swarm_rules(std::string& out, const model::Federation& federation) {
  const auto [v4, v6] = swarm_addresses(federation);
  const std::string tcp = joined(std::set<int>{kSwarmManagement, kSwarmGossip});
  const std::string udp = joined(std::set<int>{kSwarmGossip, kSwarmOverlay});
  if (v4.empty() && v6.empty()) {
    out +=
        "\t\t# Docker Swarm, from anywhere: the spec gives no node addresses. Give every\n"
        "\t\t# node `addresses = [...]` to open these to the swarm's nodes only.\n";
    out += fmt::format("\t\ttcp dport {{ {} }} accept\n", tcp);
    out += fmt::format("\t\tudp dport {{ {} }} accept\n", udp);
    return;
  }
  out += "\t\t# Docker Swarm, from the federation's nodes only.\n";
  for (const auto& [family, addresses] : {std::pair{"ip", v4}, std::pair{"ip6", v6}}) {
    if (addresses.empty()) continue;
    out += fmt::format("\t\t{} saddr {{ {} }} tcp dport {{ {} }} accept\n", family, joined(addresses), tcp);
    out += fmt::format("\t\t{} saddr {{ {} }} udp dport {{ {} }} accept\n", family, joined(addresses), udp);
  }
}

std::string table_name(const model::Site& site, const model::Node& node) {
  std::string name = "dcomms_" + site.name + "_" + node.name;
  for (char& c : name) {
    if (c == '-') c = '_';  // nft names are identifiers
  }
  return name;
}

std::string render(const SiteContext& context, const model::Node& node, const ArtifactSet& artifacts) {
  const Openings open = published_on(context.site, node.name, artifacts);
  const std::string table = table_name(context.site, node);
  std::string out = fmt::format(
      "#!/usr/sbin/nft -f\n"
      "# The firewall of node {node} of site {site}, written by dcommc: do not edit.\n"
      "# Load it on that node (again after every build), as root:\n"
      "#   nft -f {node}.nft\n"
      "# It replaces only its own table. Every base chain on the input hook must\n"
      "# accept a packet, so a second firewall on the node (another site's file,\n"
      "# ufw) must open these ports too.\n"
      "\n"
      "table inet {table}\n"
      "delete table inet {table}\n"
      "\n"
      "table inet {table} {{\n"
      "\tchain input {{\n"
      "\t\ttype filter hook input priority filter; policy drop;\n"
      "\n"
      "\t\tct state established,related accept\n"
      "\t\tct state invalid drop\n"
      "\t\tiif \"lo\" accept\n"
      "\t\t# Path MTU discovery and IPv6 neighbour discovery need ICMP.\n"
      "\t\tmeta l4proto {{ icmp, ipv6-icmp }} accept\n"
      "\n"
      "\t\t# SSH, for the operator.\n"
      "\t\ttcp dport {ssh} accept\n",
      fmt::arg("node", node.name), fmt::arg("site", context.site.name), fmt::arg("table", table),
      fmt::arg("ssh", kSshPort));
  if (!open.tcp.empty() || !open.udp.empty()) out += "\n\t\t# What the services on this node publish.\n";
  if (!open.tcp.empty()) out += fmt::format("\t\ttcp dport {{ {} }} accept\n", joined(open.tcp));
  if (!open.udp.empty()) out += fmt::format("\t\tudp dport {{ {} }} accept\n", joined(open.udp));
  out += "\n";
  swarm_rules(out, context.federation);
  out += "\t}\n}\n";
  return out;
}

}  // namespace

void emit_nftables(const SiteContext& context, ArtifactSet& out) {
  for (const model::Node& node : context.site.nodes) {
    out.add("nftables/" + node.name + ".nft", render(context, node, out));
  }
}

}  // namespace dcomm::emit
