// tor/torrc: one onion service mapping ports 80 and 8448 to Caddy.

#include <catch2/catch.hpp>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using testing::artifact;
using testing::CompiledSpec;

constexpr const char* kOnion = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion";

/// The lines of `text` that are not comments.
std::vector<std::string> directives(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (!line.empty() && line[0] != '#') lines.push_back(line);
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("torrc: the kyiv example's onion service") {
  CompiledSpec kyiv(testing::example("kyiv.dcomm"));
  const ArtifactSet set = kyiv.emit(emit_torrc, "kyiv");
  REQUIRE(set.all().size() == 1);
  const Artifact& torrc = artifact(set, "tor/torrc");
  CHECK_FALSE(torrc.secret);
  CHECK(torrc.key.empty());  // Tor runs on the host, not in the stack
  CHECK(torrc.mounts.empty());
  CHECK(directives(torrc.content) == std::vector<std::string>{
                                         "HiddenServiceDir /var/lib/tor/dcomms-kyiv/",
                                         "HiddenServiceVersion 3",
                                         "HiddenServicePort 80 127.0.0.1:80",
                                         "HiddenServicePort 8448 127.0.0.1:80",
                                     });
  // The operator learns which address the key must produce, and where Tor runs.
  CHECK(torrc.content.find(std::string("#   ") + kOnion + "\n") != std::string::npos);
  CHECK(torrc.content.find("node worker") != std::string::npos);
}

TEST_CASE("torrc: the ports are Caddy's") {
  CompiledSpec c(std::string(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  onion  = ")") + kOnion + R"("
  tls    = off
  node "edge" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" { kind = synapse }
  service "caddy"   { kind = caddy  http_port = 8080/tcp  federation_port = 8449/tcp }
}
)");
  const std::string torrc = artifact(c.emit(emit_torrc, "kyiv"), "tor/torrc").content;
  CHECK(directives(torrc) == std::vector<std::string>{
                                 "HiddenServiceDir /var/lib/tor/dcomms-kyiv/",
                                 "HiddenServiceVersion 3",
                                 "HiddenServicePort 80 127.0.0.1:8080",
                                 "HiddenServicePort 8448 127.0.0.1:8080",
                             });
  CHECK(torrc.find("node edge") != std::string::npos);
}

TEST_CASE("torrc: a site without an onion address gets none") {
  CompiledSpec c(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" { kind = synapse }
}
)");
  CHECK(c.emit(emit_torrc, "kyiv").all().empty());
}

TEST_CASE("torrc: a site name cannot add a directive") {
  // Whatever the front end lets through, the emitter keeps it inert.
  CompiledSpec c(testing::example("kyiv.dcomm"));
  const std::string hostile = "kyiv # x\"\\\n/../HiddenServicePort 22";
  c.result.federation.sites.at(0).name = hostile;
  const std::vector<std::string> lines = directives(artifact(c.emit(emit_torrc, hostile), "tor/torrc").content);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "HiddenServiceDir /var/lib/tor/dcomms-kyiv___x____.._HiddenServicePort_22/");
}

TEST_CASE("torrc: the same spec gives the same bytes") {
  CompiledSpec a(testing::example("federation.dcomm"));
  CompiledSpec b(testing::example("federation.dcomm"));
  CHECK(artifact(a.emit(emit_torrc, "lviv"), "tor/torrc").content ==
        artifact(b.emit(emit_torrc, "lviv"), "tor/torrc").content);
}

}  // namespace dcomm::emit
