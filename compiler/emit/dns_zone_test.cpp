// dns.zone: the records an operator creates, as BIND master-file lines.

#include <catch2/catch.hpp>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using testing::artifact;
using testing::CompiledSpec;
using testing::contains;
using testing::one_site;

/// The lines of `text` that are neither comments nor empty.
std::vector<std::string> records(const std::string& text) {
  return testing::lines_where(text, [](const std::string& line) { return !line.empty() && line[0] != ';'; });
}

/// The zone written for site kyiv of `spec`.
std::string zone_of(const std::string& spec) {
  return artifact(CompiledSpec(spec).emit(emit_dns_zone, "kyiv"), "dns.zone").content;
}

}  // namespace

TEST_CASE("dns zone: the kyiv example's records") {
  const Artifact zone = testing::kyiv_example_file(emit_dns_zone, "dns.zone");
  testing::check_placement(zone, {});  // the operator's to enter, not the stack's
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
  CHECK(contains(zone.content, ";@       IN  A      <IPv4 address of node worker>\n"));
  CHECK(contains(zone.content, ";@       IN  AAAA   <IPv6 address of node worker>\n"));
}

TEST_CASE("dns zone: the addresses of Caddy's node are the apex's A and AAAA records") {
  const std::string zone = zone_of(R"(
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
  CHECK(records(zone) == std::vector<std::string>{
                             "$ORIGIN kyiv.dcomm.net.ua.",
                             "$TTL 3600",
                             "@        IN  A      203.0.113.7",
                             "@        IN  AAAA   2001:db8::7",
                             "hs       IN  CNAME  kyiv.dcomm.net.ua.",
                         });
  // Nothing is left for the operator to fill in, and the bridge's address
  // is not the apex's.
  CHECK_FALSE(contains(zone, "<IPv4 address"));
  CHECK_FALSE(contains(zone, "uncomment"));
  CHECK_FALSE(contains(zone, "198.51.100.9"));
}

TEST_CASE("dns zone: no mail service, no MX") {
  CHECK(records(zone_of(one_site("tls = internal", R"(service "synapse" { kind = synapse  host = "hs" })"))) ==
        std::vector<std::string>{"$ORIGIN kyiv.dcomm.net.ua.", "$TTL 3600", "hs       IN  CNAME  kyiv.dcomm.net.ua."});
}

TEST_CASE("dns zone: without TLS, mail has its MX but no login records") {
  // No submission port and no IMAPS then: RFC 6186 would point clients at
  // services that are not there.
  const std::string zone =
      zone_of(one_site("tls = off", R"(service "caddy" { kind = caddy }
  service "mail" { kind = deltachat })"));
  CHECK(contains(zone, "@        IN  MX     10 kyiv.dcomm.net.ua.\n"));
  CHECK_FALSE(contains(zone, "SRV"));
}

TEST_CASE("dns zone: an onion-only site needs no records") {
  const std::string onion = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion";
  const CompiledSpec c(one_site("onion = \"" + onion + "\"  tls = off", R"(service "synapse" { kind = synapse })"));
  CHECK(c.emit(emit_dns_zone, "kyiv").all().empty());
}

TEST_CASE("dns zone: a host or node name cannot add a record") {
  // Whatever the front end lets through, the emitter keeps it inert.
  CompiledSpec c(testing::example("kyiv.dcomm"));
  for (auto& service : c.first_site().services) {
    for (auto& route : service.routes) {
      if (route.host == "chat") route.host = "chat IN A 1.2.3.4\n@ ;";
    }
    if (service.node == "worker") service.node = "worker\n@ IN A 6.6.6.6";
  }
  const std::string zone = artifact(c.emit(emit_dns_zone, "kyiv"), "dns.zone").content;
  CHECK(records(zone).at(2) == "chat\\032IN\\032A\\0321.2.3.4\\010\\064\\032\\059 IN  CNAME  kyiv.dcomm.net.ua.");
  CHECK(contains(zone, "6.6.6.6"));
  CHECK_FALSE(contains(zone, "\n@ IN A 6.6.6.6"));
  CHECK(records(zone).size() == 11);
}

TEST_CASE("dns zone: the same spec gives the same bytes") {
  testing::check_same_bytes(emit_dns_zone, "federation.dcomm", "kharkiv");
}

}  // namespace dcomm::emit
