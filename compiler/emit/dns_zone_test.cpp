// dns.zone: the records an operator creates, as BIND master-file lines.

#include <catch2/catch.hpp>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using testing::artifact;
using testing::CompiledSpec;

/// The lines of `text` that are neither comments nor empty.
std::vector<std::string> records(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (!line.empty() && line[0] != ';') lines.push_back(line);
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("dns zone: the kyiv example's records") {
  CompiledSpec kyiv(testing::example("kyiv.dcomm"));
  const ArtifactSet set = kyiv.emit(emit_dns_zone, "kyiv");
  REQUIRE(set.all().size() == 1);
  const Artifact& zone = artifact(set, "dns.zone");
  CHECK_FALSE(zone.secret);
  CHECK(zone.key.empty());
  CHECK(records(zone.content) == std::vector<std::string>{
                                     "$ORIGIN kyiv.dcomm.net.ua.",
                                     "$TTL 3600",
                                     "chat     IN  CNAME  kyiv.dcomm.net.ua.",
                                     "matrix   IN  CNAME  kyiv.dcomm.net.ua.",
                                     "@        IN  MX     10 kyiv.dcomm.net.ua.",
                                     "@        IN  TXT    \"v=spf1 mx -all\"",
                                     "_submission._tcp  IN  SRV  0 1 587 kyiv.dcomm.net.ua.",
                                     "_imaps._tcp       IN  SRV  0 1 993 kyiv.dcomm.net.ua.",
                                     "_imap._tcp        IN  SRV  0 1 143 kyiv.dcomm.net.ua.",
                                     "_pop3s._tcp       IN  SRV  0 0 0   .",
                                     "_pop3._tcp        IN  SRV  0 0 0   .",
                                 });
  // The addresses are the operator's to fill in, named after Caddy's node.
  CHECK(zone.content.find(";@       IN  A      <IPv4 address of node worker>\n") != std::string::npos);
  CHECK(zone.content.find(";@       IN  AAAA   <IPv6 address of node worker>\n") != std::string::npos);
}

TEST_CASE("dns zone: the addresses of Caddy's node are the apex's A and AAAA records") {
  CompiledSpec c(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" {
    labels    = { dwebstackdomain = "kyiv.dcomm.net.ua" }
    addresses = ["203.0.113.7", "2001:DB8:0::7"]
  }
  node "bridge" {
    labels    = { dwebstackrole = "bridge" }
    addresses = ["198.51.100.9"]
  }
  service "synapse" { kind = synapse  host = "hs"  on = node.worker }
}
)");
  const ArtifactSet set = c.emit(emit_dns_zone, "kyiv");
  const Artifact& zone = artifact(set, "dns.zone");
  CHECK(records(zone.content) == std::vector<std::string>{
                                     "$ORIGIN kyiv.dcomm.net.ua.",
                                     "$TTL 3600",
                                     "@        IN  A      203.0.113.7",
                                     "@        IN  AAAA   2001:db8::7",
                                     "hs       IN  CNAME  kyiv.dcomm.net.ua.",
                                 });
  // Nothing is left for the operator to fill in, and the bridge's address
  // is not the apex's.
  CHECK(zone.content.find("<IPv4 address") == std::string::npos);
  CHECK(zone.content.find("uncomment") == std::string::npos);
  CHECK(zone.content.find("198.51.100.9") == std::string::npos);
}

TEST_CASE("dns zone: no mail service, no MX") {
  CompiledSpec c(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" { kind = synapse  host = "hs" }
}
)");
  CHECK(records(artifact(c.emit(emit_dns_zone, "kyiv"), "dns.zone").content) ==
        std::vector<std::string>{"$ORIGIN kyiv.dcomm.net.ua.", "$TTL 3600", "hs       IN  CNAME  kyiv.dcomm.net.ua."});
}

TEST_CASE("dns zone: without TLS, mail has its MX but no login records") {
  // No submission port and no IMAPS then: RFC 6186 would point clients at
  // services that are not there.
  CompiledSpec c(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = off
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "caddy" { kind = caddy }
  service "mail" { kind = deltachat }
}
)");
  const std::string zone = artifact(c.emit(emit_dns_zone, "kyiv"), "dns.zone").content;
  CHECK(zone.find("@        IN  MX     10 kyiv.dcomm.net.ua.\n") != std::string::npos);
  CHECK(zone.find("SRV") == std::string::npos);
}

TEST_CASE("dns zone: an onion-only site needs no records") {
  CompiledSpec c(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  onion  = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion"
  tls    = off
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" { kind = synapse }
}
)");
  CHECK(c.emit(emit_dns_zone, "kyiv").all().empty());
}

TEST_CASE("dns zone: a host or node name cannot add a record") {
  // Whatever the front end lets through, the emitter keeps it inert.
  CompiledSpec c(testing::example("kyiv.dcomm"));
  model::Site& site = c.result.federation.sites.at(0);
  for (auto& service : site.services) {
    for (auto& route : service.routes) {
      if (route.host == "chat") route.host = "chat IN A 1.2.3.4\n@ ;";
    }
    if (service.node == "worker") service.node = "worker\n@ IN A 6.6.6.6";
  }
  const std::string zone = artifact(c.emit(emit_dns_zone, "kyiv"), "dns.zone").content;
  CHECK(records(zone).at(2) == "chat\\032IN\\032A\\0321.2.3.4\\010\\064\\032\\059 IN  CNAME  kyiv.dcomm.net.ua.");
  CHECK(zone.find("6.6.6.6") != std::string::npos);
  CHECK(zone.find("\n@ IN A 6.6.6.6") == std::string::npos);
  CHECK(records(zone).size() == 11);
}

TEST_CASE("dns zone: the same spec gives the same bytes") {
  CompiledSpec a(testing::example("federation.dcomm"));
  CompiledSpec b(testing::example("federation.dcomm"));
  CHECK(artifact(a.emit(emit_dns_zone, "kharkiv"), "dns.zone").content ==
        artifact(b.emit(emit_dns_zone, "kharkiv"), "dns.zone").content);
}

}  // namespace dcomm::emit
