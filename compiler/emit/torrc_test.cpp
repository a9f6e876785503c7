// tor/torrc: one onion service mapping ports 80 and 8448 to Caddy.

#include <catch2/catch.hpp>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using testing::artifact;
using testing::CompiledSpec;
using testing::contains;

const std::string kOnion = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion";

/// The lines of `text` that are not comments.
std::vector<std::string> directives(const std::string& text) {
  return testing::lines_where(text, [](const std::string& line) { return !line.empty() && line[0] != '#'; });
}

/// The four directives of an onion service `dir` whose ports go to Caddy's
/// plain HTTP port `http`.
std::vector<std::string> onion_service(const std::string& dir, int http) {
  const std::string caddy = " 127.0.0.1:" + std::to_string(http);
  return {"HiddenServiceDir /var/lib/tor/" + dir + "/", "HiddenServiceVersion 3",
          "HiddenServicePort 80" + caddy, "HiddenServicePort 8448" + caddy};
}

}  // namespace

TEST_CASE("torrc: the kyiv example's onion service") {
  const Artifact torrc = testing::kyiv_example_file(emit_torrc, "tor/torrc");
  testing::check_placement(torrc, {});  // Tor runs on the host, not in the stack
  CHECK(directives(torrc.content) == onion_service("dcomms-kyiv", 80));
  // The operator learns which address the key must produce, and where Tor runs.
  CHECK(contains(torrc.content, "#   " + kOnion + "\n"));
  CHECK(contains(torrc.content, "node worker"));
}

TEST_CASE("torrc: the ports are Caddy's") {
  const CompiledSpec c(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  onion  = ")" + kOnion + R"("
  tls    = off
  node "edge" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" { kind = synapse }
  service "caddy"   { kind = caddy  http_port = 8080/tcp  federation_port = 8449/tcp }
}
)");
  const std::string torrc = artifact(c.emit(emit_torrc, "kyiv"), "tor/torrc").content;
  CHECK(directives(torrc) == onion_service("dcomms-kyiv", 8080));
  CHECK(contains(torrc, "node edge"));
}

TEST_CASE("torrc: a site without an onion address gets none") {
  const CompiledSpec c(testing::one_site("tls = internal", R"(service "synapse" { kind = synapse })"));
  CHECK(c.emit(emit_torrc, "kyiv").all().empty());
}

TEST_CASE("torrc: a site name cannot add a directive") {
  // Whatever the front end lets through, the emitter keeps it inert.
  CompiledSpec c(testing::example("kyiv.dcomm"));
  const std::string hostile = "kyiv # x\"\\\n/../HiddenServicePort 22";
  c.first_site().name = hostile;
  const std::vector<std::string> lines = directives(artifact(c.emit(emit_torrc, hostile), "tor/torrc").content);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "HiddenServiceDir /var/lib/tor/dcomms-kyiv___x____.._HiddenServicePort_22/");
}

TEST_CASE("torrc: the same spec gives the same bytes") {
  testing::check_same_bytes(emit_torrc, "federation.dcomm", "lviv");
}

}  // namespace dcomm::emit
