// caddy/Caddyfile site blocks: every route of a site on its names and
// its onion twins, upstreams per network, and user kinds' routes, on specs
// compiled by the real front end.

#include <catch2/catch.hpp>
#include <string>
#include <utility>

#include "emit/caddyfile_test_support.hpp"

namespace dcomm::emit {

using namespace caddy_testing;

TEST_CASE("caddyfile: every route of kyiv") {
  const Emitted kyiv(testing::example("kyiv.dcomm"), "kyiv");
  const Blocks blocks = kyiv.blocks();
  const std::string apex = "kyiv.dcomm.net.ua";

  SECTION("the seed's routes") {
    CHECK(contains(blocks.at("{"), "email \"ops@dcomm.net.ua\"\n"));
    CHECK(contains(blocks.at(apex), "handle_path \"/new_email*\" {\n\t\treverse_proxy 127.0.0.1:3691\n"));
    CHECK(contains(blocks.at(apex), "root * \"/srv/web\"\n\t\tfile_server\n"));
    CHECK(contains(blocks.at("chat." + apex), "reverse_proxy 127.0.0.1:8001\n"));
    const std::string& matrix = blocks.at("matrix." + apex);
    CHECK(contains(matrix, "handle \"/_matrix/*\" {\n\t\treverse_proxy 127.0.0.1:8008\n"));
    CHECK(contains(matrix, "handle \"/_synapse/client/*\" {\n\t\treverse_proxy 127.0.0.1:8008\n"));
    CHECK(contains(matrix, R"(respond `{"m.server":"matrix.kyiv.dcomm.net.ua:8448"}`)"));
    CHECK(contains(matrix, R"(respond `{"m.homeserver":{"base_url":"https://matrix.kyiv.dcomm.net.ua"}}`)"));
    CHECK(blocks.at("matrix." + apex + ":8448") == "\treverse_proxy /_matrix/* 127.0.0.1:8008\n");
  }

  SECTION("each route of the model, on its host and over Tor") {
    const model::Site& site = kyiv.spec.site("kyiv");
    for (const model::Service& service : site.services) {
      for (const model::Route& route : service.routes) {
        const std::string host = route.host.empty() ? apex : route.host + "." + apex;
        const std::string twin = "http://" + (route.host.empty() ? kOnion : route.host + "." + kOnion);
        for (const std::string& address : {host, twin}) {
          INFO(service.name << " at " << address);
          REQUIRE(blocks.count(address) == 1);
          CHECK(contains(blocks.at(address), "reverse_proxy 127.0.0.1:" + std::to_string(route.port) + "\n"));
          for (const std::string& path : route.paths) CHECK(contains(blocks.at(address), "\"" + path + "\" {"));
        }
      }
    }
  }
}

TEST_CASE("caddyfile: onion twins if and only if the site has an onion") {
  SECTION("with an onion, each host has its twin, advertised by Onion-Location") {
    const Blocks blocks = Emitted(Variant{}).blocks();
    for (const std::string host : {"", "matrix.", "chat.", "pad."}) {
      INFO(host);
      const std::string twin = "http://" + host + kOnion;
      REQUIRE(blocks.count(host + "example.org") == 1);
      REQUIRE(blocks.count(twin) == 1);
      CHECK(contains(blocks.at(host + "example.org"), "header Onion-Location " + twin + "{uri}\n"));
      CHECK_FALSE(contains(blocks.at(twin), "Onion-Location"));
    }
    // Matrix discovery is fetched over HTTPS from the server name only.
    CHECK_FALSE(contains(blocks.at("http://matrix." + kOnion), "well-known"));
    // Over Tor, federation arrives on the plain HTTP port, not on Caddy's TLS federation port.
    CHECK(blocks.count("http://matrix." + kOnion + ":8448") == 0);
  }

  SECTION("without an onion, nothing of Tor") {
    const std::string text = Emitted(Variant{.onion = false}).text();
    CHECK_FALSE(contains(text, ".onion"));
    CHECK_FALSE(contains(text, "Onion-Location"));
    CHECK_FALSE(contains(text, "Tor"));
    CHECK(blocks_of(text).count("chat.example.org") == 1);
  }
}

TEST_CASE("caddyfile: a Synapse that does not federate gets no federation route") {
  const Emitted test(Variant{.federation = false});
  const Blocks blocks = test.blocks();
  CHECK_FALSE(contains(test.text(), ":8448"));
  CHECK_FALSE(contains(test.text(), "m.server"));
  CHECK_FALSE(contains(test.text(), "federation"));
  CHECK(contains(blocks.at("matrix.example.org"), "/.well-known/matrix/client"));
  CHECK(contains(blocks.at("matrix.example.org"), "reverse_proxy 127.0.0.1:8008"));
}

TEST_CASE("caddyfile: upstreams on an overlay network are swarm services") {
  const std::string text = Emitted(Variant{.network = "overlay"}).text();
  CHECK_FALSE(contains(text, "localhost"));
  CHECK(contains(text, "reverse_proxy mail-mailadm:3691\n"));  // the container serving the port
  CHECK(contains(text, "reverse_proxy synapse:8008\n"));
  CHECK(contains(text, "reverse_proxy /_matrix/* synapse:8008\n"));
  CHECK(contains(text, "reverse_proxy element:8001\n"));
  CHECK(contains(text, "reverse_proxy notes:9001\n"));
}

TEST_CASE("caddyfile: overlay upstreams keep the '_' that service names may hold") {
  // Found by the pipeline fuzzer: such names passed validation, then made
  // the emitter throw (tests/fuzz/pipeline_corpus/regression_*).
  std::string text = spec(Variant{.network = "overlay"});
  for (const auto& [from, to] : {std::pair{"service \"element\"", "service \"chat_web\""},
                                 std::pair{"service \"mail\"", "service \"mail_box\""}}) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string(from).size(), to);
  }
  const std::string caddyfile = Emitted(text).text();
  CHECK(contains(caddyfile, "reverse_proxy chat_web:8001\n"));
  CHECK(contains(caddyfile, "reverse_proxy mail_box-mailadm:3691\n"));
}

TEST_CASE("caddyfile: a user kind's routes") {
  SECTION("paths on a host of its own") {
    const Blocks blocks = Emitted(Variant{}).blocks();
    CHECK(blocks.at("pad.example.org") == with_onion(tabs(R"(  header Onion-Location http://pad.ONION{uri}
  handle "/p/*" {
    reverse_proxy 127.0.0.1:9001
  }
  handle "/static/*" {
    reverse_proxy 127.0.0.1:9001
  }
)")));
  }

  SECTION("every path, and a prefix stripped beside the website") {
    const Emitted test(R"(
kind "wiki" {
  image = "example/wiki:1.0"
  ports = [9100/tcp]
  needs = [caddy]
  route "web" {
    host = "wiki"
    port = 9100/tcp
  }
}
kind "api" {
  image = "example/api:1.0"
  ports = [9200/tcp]
  needs = [caddy]
  route "api" {
    paths        = ["/api/*"]
    port         = 9200/tcp
    strip_prefix = true
  }
}
)" + internal_site(R"("worker" { labels = { dwebstackdomain = "example.org" } })",
                   R"(  service "docs" { kind = wiki }
  service "web" { kind = website }
  service "backend" { kind = api }
)"));
    const Blocks blocks = test.blocks();
    CHECK(blocks.at("wiki.example.org") == "\thandle {\n\t\treverse_proxy 127.0.0.1:9100\n\t}\n");
    const std::string& apex = blocks.at("example.org");
    CHECK(contains(apex, "\t# backend\n\thandle_path \"/api/*\" {\n\t\treverse_proxy 127.0.0.1:9200\n"));
    CHECK(contains(apex, "\t# web\n\thandle {\n"));
    CHECK(contains(test.text(), "# web (website), backend (api)\nexample.org {\n"));
  }
}

TEST_CASE("caddyfile: a site without web services runs no Caddy") {
  const Emitted bridge(internal_site(R"("bridge" { labels = { dwebstackrole = "bridge" } })",
                                     "  service \"bridge\" { kind = ceno }\n"));
  CHECK(bridge.out.all().empty());
}

}  // namespace dcomm::emit
