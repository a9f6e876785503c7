// nftables/<node>.nft: the firewall of each node of a site. It opens what
// the node's services serve of their kinds' `publish` ports, SSH for the
// operator (the node's `ssh_port`), and Docker Swarm's ports to the
// federation's nodes; everything else that reaches the node from outside
// is refused, so an internal port that binds too widely by mistake is
// still not reachable.
//
// Sites may share a node, and every base chain on a hook must accept a
// packet for it to pass: so a site's own table only marks what it opens,
// and one guard table, the same in every file, accepts what some site
// marked and refuses the rest. SSH ports go into a set every file adds to
// and none replaces: no site's file can close the port another site's
// operator logs in by. Each file is one nft transaction.
//
// Docker forwards the ports it publishes on an overlay network (DNAT, the
// forward hook), so these input chains neither open nor close them.

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "emit/emitter.hpp"

namespace dcomm::emit {

namespace {

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

/// The packet mark bit a site's table sets on what it opens: one bit, far
/// from the low bits Docker's ingress marks use.
constexpr const char* kOpenMark = "0x00200000";
constexpr const char* kGuardTable = "dcomms_guard";
constexpr const char* kSshTable = "dcomms_ssh";

std::string open_rule(const std::string& match) {
  return fmt::format("\t\t{} meta mark set meta mark | {}\n", match, kOpenMark);
}

std::size_t node_count(const model::Federation& federation) {
  std::size_t count = 0;
  for (const model::Site& site : federation.sites) count += site.nodes.size();
  return count;
}

void swarm_rules(std::string& out, const model::Federation& federation) {
  if (node_count(federation) == 1) {
    out +=
        "\t\t# Docker Swarm: nothing. The federation has one node, and no other machine\n"
        "\t\t# needs its swarm ports; build again after adding a node, before it joins.\n";
    return;
  }
  const auto [v4, v6] = swarm_addresses(federation);
  const std::string tcp = joined(std::set<int>{kSwarmManagement, kSwarmGossip});
  const std::string udp = joined(std::set<int>{kSwarmGossip, kSwarmOverlay});
  if (v4.empty() && v6.empty()) {
    out +=
        "\t\t# Docker Swarm, from anywhere: the spec gives no node addresses. Give every\n"
        "\t\t# node `addresses = [...]` to open these to the swarm's nodes only.\n";
    out += open_rule(fmt::format("tcp dport {{ {} }}", tcp));
    out += open_rule(fmt::format("udp dport {{ {} }}", udp));
    return;
  }
  out += "\t\t# Docker Swarm, from the federation's nodes only.\n";
  for (const auto& [family, addresses] : {std::pair{"ip", v4}, std::pair{"ip6", v6}}) {
    if (addresses.empty()) continue;
    out += open_rule(fmt::format("{} saddr {{ {} }} tcp dport {{ {} }}", family, joined(addresses), tcp));
    out += open_rule(fmt::format("{} saddr {{ {} }} udp dport {{ {} }}", family, joined(addresses), udp));
  }
}

std::string table_name(const model::Site& site, const model::Node& node) {
  std::string name = "dcomms_" + site.name + "_" + node.name;
  for (char& c : name) {
    if (c == '-') c = '_';  // nft names are identifiers
  }
  return name;
}

/// nft -f replaces a table only if it exists: declare it, delete it, then
/// write it whole, in the file's one transaction.
std::string replace_table(const std::string& table) {
  return fmt::format("table inet {0}\ndelete table inet {0}\n", table);
}

std::string guard_table() {
  return replace_table(kGuardTable) + fmt::format(
      "table inet {table} {{\n"
      "\tchain input {{\n"
      "\t\ttype filter hook input priority filter; policy drop;\n"
      "\n"
      "\t\tct state established,related accept\n"
      "\t\tct state invalid drop\n"
      "\t\tiif \"lo\" accept\n"
      "\t\t# Path MTU discovery and IPv6 neighbour discovery need ICMP.\n"
      "\t\tmeta l4proto {{ icmp, ipv6-icmp }} accept\n"
      "\t\t# What a site's table or the SSH table opened.\n"
      "\t\tmeta mark & {mark} == {mark} accept\n"
      "\t\t# The rest is refused at once, not dropped: mail clients try ports\n"
      "\t\t# the site does not serve (465) and would wait a minute for each.\n"
      "\t\tmeta l4proto tcp reject with tcp reset\n"
      "\t\treject with icmpx port-unreachable\n"
      "\t}}\n"
      "}}\n",
      fmt::arg("table", kGuardTable), fmt::arg("mark", kOpenMark));
}

/// SSH for the operator. Declaring a table that exists adds to it, so the
/// set gathers the port of every file loaded on the machine; the chain's
/// one rule is flushed and written again.
std::string ssh_table(const model::Node& node) {
  return fmt::format(
      "table inet {table} {{\n"
      "\t# SSH, for the operator: each site's file adds its node's ssh_port and none\n"
      "\t# removes one. To close a port SSH no longer uses:\n"
      "\t#   nft delete element inet {table} ports {{ PORT }}\n"
      "\tset ports {{\n"
      "\t\ttype inet_service\n"
      "\t\telements = {{ {port} }}\n"
      "\t}}\n"
      "\tchain input {{\n"
      "\t\ttype filter hook input priority filter - 20; policy accept;\n"
      "\t}}\n"
      "}}\n"
      "flush chain inet {table} input\n"
      "add rule inet {table} input tcp dport @ports meta mark set meta mark | {mark}\n",
      fmt::arg("table", kSshTable), fmt::arg("port", node.ssh_port), fmt::arg("mark", kOpenMark));
}

std::string site_table(const SiteContext& context, const model::Node& node, const ArtifactSet& artifacts) {
  const Openings open = published_on(context.site, node.name, artifacts);
  const std::string table = table_name(context.site, node);
  std::string out = replace_table(table) + fmt::format(
      "table inet {} {{\n"
      "\tchain input {{\n"
      "\t\t# Before the guard: marks what site {} opens on this node.\n"
      "\t\ttype filter hook input priority filter - 10; policy accept;\n",
      table, context.site.name);
  if (!open.tcp.empty() || !open.udp.empty()) out += "\n\t\t# What the services on this node serve.\n";
  if (!open.tcp.empty()) out += open_rule(fmt::format("tcp dport {{ {} }}", joined(open.tcp)));
  if (!open.udp.empty()) out += open_rule(fmt::format("udp dport {{ {} }}", joined(open.udp)));
  out += "\n";
  swarm_rules(out, context.federation);
  out += "\t}\n}\n";
  return out;
}

std::string render(const SiteContext& context, const model::Node& node, const ArtifactSet& artifacts) {
  return fmt::format(
             "#!/usr/sbin/nft -f\n"
             "# The firewall of node {node} of site {site}, written by dcommc: do not edit.\n"
             "# Load it on that node as root, again after every build:\n"
             "#   nft -f {node}.nft\n"
             "# It keeps SSH open on port {ssh} only (the node's ssh_port): if your SSH\n"
             "# server listens elsewhere, set ssh_port in the spec first, or loading\n"
             "# this file locks you out.\n"
             "# Sites sharing a node each load their own file: each site's table marks\n"
             "# what it opens, and the guard table, the same in every file, refuses what\n"
             "# no site marked. Take the site off the node with:\n"
             "#   nft delete table inet {table}\n"
             "\n",
             fmt::arg("node", node.name), fmt::arg("site", context.site.name), fmt::arg("ssh", node.ssh_port),
             fmt::arg("table", table_name(context.site, node))) +
         guard_table() + "\n" + ssh_table(node) + "\n" + site_table(context, node, artifacts);
}

}  // namespace

void emit_nftables(const SiteContext& context, ArtifactSet& out) {
  for (const model::Node& node : context.site.nodes) {
    out.add("nftables/" + node.name + ".nft", render(context, node, out));
  }
}

// Reads no attribute or secret of any kind (emitter.hpp).
constinit const std::span<const KindReads> nftables_reads = {};

}  // namespace dcomm::emit
