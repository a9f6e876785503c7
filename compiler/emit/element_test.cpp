// Element's config.json and nginx server block, read back as JSON and text.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using nlohmann::json;
using testing::artifact;
using testing::CompiledSpec;

/// A site with Synapse and Element; `site_extra` and `element_extra` are
/// written into the site and the element block.
std::string spec(const std::string& site_extra = "", const std::string& element_extra = "",
                 const std::string& synapse_extra = "") {
  return R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
)" + site_extra + R"(
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" {
    kind = synapse
)" + synapse_extra + R"(
  }
  service "element" {
    kind = element
)" + element_extra + R"(
  }
}
)";
}

json config_of(const ArtifactSet& set, const std::string& path = "element/config.json") {
  return json::parse(artifact(set, path).content);
}

}  // namespace

TEST_CASE("element: the kyiv example's config.json") {
  CompiledSpec kyiv(testing::example("kyiv.dcomm"));
  const ArtifactSet set = kyiv.emit(emit_element, "kyiv");
  const Artifact& file = artifact(set, "element/config.json");
  CHECK_FALSE(file.secret);
  CHECK(file.key == "element_config");
  REQUIRE(file.mounts.size() == 1);
  CHECK(file.mounts[0].container == "element");
  CHECK(file.mounts[0].target == "/app/config.json");

  const json config = json::parse(file.content);
  CHECK(config["default_server_config"]["m.homeserver"] ==
        json({{"base_url", "https://matrix.kyiv.dcomm.net.ua"}, {"server_name", "matrix.kyiv.dcomm.net.ua"}}));
  CHECK(config["brand"] == "Element");
  CHECK(config["default_country_code"] == "UA");
  CHECK(config["default_federate"] == true);
  CHECK(config["disable_guests"] == true);
  CHECK(config["disable_3pid_login"] == true);
  CHECK(config["show_labs_settings"] == false);
  CHECK(config["setting_defaults"] == json({{"breadcrumbs", true}}));
  CHECK(config["enable_presence_by_hs_url"] == json({{"https://matrix.org", false},
                                                     {"https://matrix-client.matrix.org", false},
                                                     {"https://matrix.kyiv.dcomm.net.ua", false}}));
  // A lone site: no other servers, and explicitly none (not matrix.org).
  CHECK(config["room_directory"] == json({{"servers", json::array()}}));
  // The seed's camelCase keys are deprecated in Element.
  CHECK_FALSE(config.contains("roomDirectory"));
  CHECK_FALSE(config.contains("defaultCountryCode"));
}

TEST_CASE("element: the room directory lists the other sites of the federation in order") {
  CompiledSpec federation(testing::example("federation.dcomm"));
  const auto servers = [&](const std::string& site) {
    return config_of(federation.emit(emit_element, site))["room_directory"]["servers"];
  };
  CHECK(servers("kyiv") == json({"matrix.lviv.dcomm.net.ua", "matrix.kharkiv.dcomm.net.ua"}));
  CHECK(servers("lviv") == json({"matrix.kyiv.dcomm.net.ua", "matrix.kharkiv.dcomm.net.ua"}));
  CHECK(servers("kharkiv") == json({"matrix.kyiv.dcomm.net.ua", "matrix.lviv.dcomm.net.ua"}));
}

TEST_CASE("element: a written room directory replaces the federation's") {
  CompiledSpec c(spec("", R"(room_directory = ["matrix.org", "matrix.example.net"])"));
  CHECK(config_of(c.emit(emit_element, "kyiv"))["room_directory"]["servers"] ==
        json({"matrix.org", "matrix.example.net"}));
}

TEST_CASE("element: a homeserver that does not federate lists no other servers") {
  const std::string text = spec("", "", "federation = false") + R"(
site "lviv" {
  domain = "lviv.dcomm.net.ua"
  tls    = internal
  node "worker" { labels = { dwebstackdomain = "lviv.dcomm.net.ua" } }
  service "synapse" { kind = synapse }
}
)";
  CompiledSpec c(text);
  const json config = config_of(c.emit(emit_element, "kyiv"));
  CHECK(config["default_federate"] == false);
  CHECK(config["room_directory"]["servers"] == json::array());
  // ...and the other site does not list it either.
  CHECK(config_of(CompiledSpec(text + R"(
site "odesa" {
  domain = "odesa.dcomm.net.ua"
  tls    = internal
  node "worker" { labels = { dwebstackdomain = "odesa.dcomm.net.ua" } }
  service "synapse" { kind = synapse }
  service "element" { kind = element }
}
)").emit(emit_element, "odesa"))["room_directory"]["servers"] == json({"matrix.lviv.dcomm.net.ua"}));
}

TEST_CASE("element: the homeserver URL follows the site's TLS and Caddy's port") {
  SECTION("onion only: plain HTTP over the onion address") {
    CompiledSpec c(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  onion  = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion"
  tls    = off
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" { kind = synapse }
  service "element" { kind = element }
}
)");
    const json server = config_of(c.emit(emit_element, "kyiv"))["default_server_config"]["m.homeserver"];
    CHECK(server["base_url"] == "http://matrix.xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion");
    CHECK(server["server_name"] == "matrix.kyiv.dcomm.net.ua");
  }
  SECTION("HTTPS on another port") {
    CompiledSpec moved(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" { kind = synapse  host = "hs" }
  service "element" { kind = element }
  service "caddy"   { kind = caddy  https_port = 8443/tcp }
}
)");
    CHECK(config_of(moved.emit(emit_element, "kyiv"))["default_server_config"]["m.homeserver"]["base_url"] ==
          "https://hs.kyiv.dcomm.net.ua:8443");
  }
}

TEST_CASE("element: brand and country are data, whatever they hold") {
  // Control characters are rejected at check time; the rest must stay a string.
  CompiledSpec c(spec("  country = \"DE\"\n", R"(brand = "Chat \"}, \"disable_guests\": false, {# ${x} \\")"));
  const json config = config_of(c.emit(emit_element, "kyiv"));
  CHECK(config["brand"] == "Chat \"}, \"disable_guests\": false, {# ${x} \\");
  CHECK(config["disable_guests"] == true);
  CHECK(config["default_country_code"] == "DE");
}

TEST_CASE("element: no country, no default_country_code") {
  CompiledSpec c(spec());
  CHECK_FALSE(config_of(c.emit(emit_element, "kyiv")).contains("default_country_code"));
}

TEST_CASE("element: nginx serves Element on its port, on the loopback under host networking") {
  CompiledSpec c(spec());
  const ArtifactSet set = c.emit(emit_element, "kyiv");
  const Artifact& nginx = artifact(set, "element/nginx.conf");
  CHECK(nginx.key == "element_nginx");
  REQUIRE(nginx.mounts.size() == 1);
  CHECK(nginx.mounts[0].container == "element");
  CHECK(nginx.mounts[0].target == "/etc/nginx/templates/default.conf.template");
  CHECK(nginx.content.find("    listen       127.0.0.1:8001;\n    listen       [::1]:8001;\n") !=
        std::string::npos);
  CHECK(nginx.content.find("listen       80") == std::string::npos);
  CHECK(nginx.content.find("root   /usr/share/nginx/html;") != std::string::npos);
  // The image runs its templates through envsubst.
  CHECK(nginx.content.find('$') == std::string::npos);
}

TEST_CASE("element: on an overlay network nginx listens in its container") {
  CompiledSpec c(spec("  network = overlay\n"));
  const std::string nginx = artifact(c.emit(emit_element, "kyiv"), "element/nginx.conf").content;
  CHECK(nginx.find("    listen       8001;\n    listen       [::]:8001;\n") != std::string::npos);
  CHECK(nginx.find("127.0.0.1") == std::string::npos);
}

TEST_CASE("element: two Element services get a folder and keys each") {
  // On the overlay network each listens in its own container.
  CompiledSpec two(R"(
site "kyiv" {
  domain  = "kyiv.dcomm.net.ua"
  tls     = internal
  network = overlay
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "synapse" { kind = synapse }
  service "chat"    { kind = element  host = "chat" }
  service "beta"    { kind = element  host = "beta"  brand = "Beta" }
}
)");
  const ArtifactSet set = two.emit(emit_element, "kyiv");
  CHECK(set.all().size() == 4);
  CHECK(artifact(set, "element/chat/config.json").key == "element_chat_config");
  CHECK(artifact(set, "element/beta/nginx.conf").key == "element_beta_nginx");
  CHECK(artifact(set, "element/beta/nginx.conf").mounts.at(0).container == "beta");
  CHECK(config_of(set, "element/beta/config.json")["brand"] == "Beta");
}

TEST_CASE("element: the same spec gives the same bytes") {
  CompiledSpec a(testing::example("federation.dcomm"));
  CompiledSpec b(testing::example("federation.dcomm"));
  const ArtifactSet first = a.emit(emit_element, "kharkiv");
  const ArtifactSet second = b.emit(emit_element, "kharkiv");
  REQUIRE(first.all().size() == second.all().size());
  for (std::size_t i = 0; i < first.all().size(); ++i) {
    CHECK(first.all()[i].path == second.all()[i].path);
    CHECK(first.all()[i].content == second.all()[i].content);
  }
}

}  // namespace dcomm::emit
