// nftables/<node>.nft: what each node opens, and how two sites' files on
// one node compose.

#include <catch2/catch.hpp>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using testing::artifact;
using testing::CompiledSpec;
using testing::contains;

/// The lines of `text` that open something (a site's marks or the guard's
/// accepts of a port), without their leading tabs.
std::vector<std::string> opening_lines(const std::string& text) {
  std::vector<std::string> lines =
      testing::lines_where(text, [](const std::string& line) { return contains(line, "dport"); });
  for (std::string& line : lines) line.erase(0, line.find_first_not_of('\t'));
  return lines;
}

/// The guard table's text: everything from its declaration to the first
/// line after it that closes a table.
std::string guard_of(const std::string& text) {
  const std::size_t begin = text.find("table inet dcomms_guard {");
  REQUIRE(begin != std::string::npos);
  return text.substr(begin, text.find("\n}\n", begin) - begin);
}

constexpr const char* kMark = " meta mark set meta mark | 0x00200000";

}  // namespace

TEST_CASE("nftables: a site without TLS opens only what its programs serve") {
  CompiledSpec c(R"(
site "plain" {
  domain = "plain.example.org"
  tls    = off
  node "box"   { labels = { role = "box" } }
  node "spare" { labels = { role = "spare" } }
  service "mail" {
    kind = deltachat
    on   = node.box
  }
  service "web" {
    kind = website
    on   = node.box
  }
}
)");
  const ArtifactSet set = emit_site(c.context("plain"));
  const Artifact& rules = artifact(set, "nftables/box.nft");
  testing::check_placement(rules, {});  // loaded on the node by the operator, not mounted
  // No 443 or 8448 without TLS, no 587 or 993 without a certificate.
  CHECK(opening_lines(rules.content) == std::vector<std::string>{
                                            std::string("add rule inet dcomms_ssh input tcp dport @ports") + kMark,
                                            std::string("tcp dport { 25, 80, 143 }") + kMark,
                                            std::string("tcp dport { 2377, 7946 }") + kMark,
                                            std::string("udp dport { 4789, 7946 }") + kMark,
                                        });
  CHECK(contains(rules.content, "from anywhere: the spec gives no node addresses"));
}

TEST_CASE("nftables: swarm ports from the federation's nodes; one guard for every site") {
  CompiledSpec c(R"(
kind "relay" {
  image   = "example/relay:1.0"
  ports   = [5000/udp, 5001/tcp]
  publish = [5000/udp]
}
site "north" {
  domain = "north.example.org"
  tls    = acme("ops@example.org")
  node "edge" {
    labels    = { role = "north" }
    addresses = ["192.0.2.10", "2001:db8::10"]
  }
  service "relay" { kind = relay }
}
site "south" {
  domain = "south.example.org"
  tls    = acme("ops@example.org")
  node "edge" {
    labels    = { role = "south" }
    addresses = ["192.0.2.20"]
  }
  service "web" { kind = website }
}
)");
  const std::string north = artifact(emit_site(c.context("north")), "nftables/edge.nft").content;
  const std::string south = artifact(emit_site(c.context("south")), "nftables/edge.nft").content;
  // The relay's published port only; its other port stays closed; no Caddy
  // on a site without web services.
  CHECK(opening_lines(north) ==
        std::vector<std::string>{
            std::string("add rule inet dcomms_ssh input tcp dport @ports") + kMark,
            std::string("udp dport { 5000 }") + kMark,
            std::string("ip saddr { 192.0.2.10, 192.0.2.20 } tcp dport { 2377, 7946 }") + kMark,
            std::string("ip saddr { 192.0.2.10, 192.0.2.20 } udp dport { 4789, 7946 }") + kMark,
            std::string("ip6 saddr { 2001:db8::10 } tcp dport { 2377, 7946 }") + kMark,
            std::string("ip6 saddr { 2001:db8::10 } udp dport { 4789, 7946 }") + kMark,
        });
  // Each site replaces its own table, and both files declare the same guard.
  CHECK(contains(north, "delete table inet dcomms_north_edge\n"));
  CHECK(contains(south, "delete table inet dcomms_south_edge\n"));
  CHECK(guard_of(north) == guard_of(south));
}

TEST_CASE("nftables: SSH stays open on the node's ssh_port, 22 unless the spec says") {
  CompiledSpec c(R"(
site "plain" {
  domain = "plain.example.org"
  tls    = off
  node "box" { labels = { role = "box" } }
  node "gate" {
    labels   = { role = "gate" }
    ssh_port = 2222/tcp
  }
  service "web" {
    kind = website
    on   = node.box
  }
}
)");
  const ArtifactSet set = emit_site(c.context("plain"));
  const std::string box = artifact(set, "nftables/box.nft").content;
  const std::string gate = artifact(set, "nftables/gate.nft").content;
  CHECK(contains(box, "\t\telements = { 22 }\n"));
  CHECK(contains(box, "# It keeps SSH open on port 22 only"));
  CHECK(contains(gate, "\t\telements = { 2222 }\n"));
  CHECK(contains(gate, "# It keeps SSH open on port 2222 only"));
  CHECK_FALSE(contains(gate, "{ 22 }"));
  // The guard opens no port itself, so it stays the same whatever a node's SSH port.
  CHECK(guard_of(box) == guard_of(gate));
  CHECK_FALSE(contains(guard_of(box), "dport"));
}

TEST_CASE("nftables: a federation of one node opens no swarm port") {
  CompiledSpec c(R"(
site "solo" {
  domain = "solo.example.org"
  tls    = acme("ops@example.org")
  node "box" { labels = { role = "box" } }
  service "web" { kind = website }
}
)");
  const std::string rules = artifact(emit_site(c.context("solo")), "nftables/box.nft").content;
  CHECK(opening_lines(rules) == std::vector<std::string>{
                                    std::string("add rule inet dcomms_ssh input tcp dport @ports") + kMark,
                                    std::string("tcp dport { 80, 443 }") + kMark,
                                });
  CHECK(contains(rules, "The federation has one node"));
}

}  // namespace dcomm::emit
