// Element's config.json and nginx server block, read back as JSON and text.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using nlohmann::json;
using testing::artifact;
using testing::CompiledSpec;
using testing::contains;
using testing::one_site;

/// A site with Synapse and Element, and `more_services`; `site`,
/// `element_extra` and `synapse_extra` are written into the site's and the
/// services' blocks.
std::string spec(const std::string& site = "tls = internal", const std::string& element_extra = "",
                 const std::string& synapse_extra = "", const std::string& more_services = "") {
  return one_site(site, "service \"synapse\" { kind = synapse  " + synapse_extra + " }\n"
                        "  service \"element\" { kind = element  " +
                            element_extra + " }\n  " + more_services);
}

/// Element's config.json in `set`, or another of its JSON files.
json config_of(const ArtifactSet& set, const std::string& path = "element/config.json") {
  return json::parse(artifact(set, path).content);
}

/// The homeserver Element's config.json points at, for site kyiv of `text`.
json homeserver_of(const std::string& text) {
  return config_of(CompiledSpec(text).emit(emit_element, "kyiv"))["default_server_config"]["m.homeserver"];
}

}  // namespace

TEST_CASE("element: the kyiv example's config.json") {
  CompiledSpec kyiv(testing::example("kyiv.dcomm"));
  const ArtifactSet set = kyiv.emit(emit_element, "kyiv");
  const Artifact& file = artifact(set, "element/config.json");
  testing::check_placement(file, {.key = "element_config", .mounts = {{"element", "/app/config.json"}}});

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
  CompiledSpec c(spec("tls = internal", R"(room_directory = ["matrix.org", "matrix.example.net"])"));
  CHECK(config_of(c.emit(emit_element, "kyiv"))["room_directory"]["servers"] ==
        json({"matrix.org", "matrix.example.net"}));
}

TEST_CASE("element: a homeserver that does not federate lists no other servers") {
  const std::string lviv = one_site("tls = internal", R"(service "synapse" { kind = synapse })", "lviv");
  const std::string text = spec("tls = internal", "", "federation = false") + lviv;
  CompiledSpec c(text);
  const json config = config_of(c.emit(emit_element, "kyiv"));
  CHECK(config["default_federate"] == false);
  CHECK(config["room_directory"]["servers"] == json::array());
  // ...and the other site does not list it either.
  const std::string odesa = one_site("tls = internal", R"(service "synapse" { kind = synapse }
  service "element" { kind = element })", "odesa");
  CHECK(config_of(CompiledSpec(text + odesa).emit(emit_element, "odesa"))["room_directory"]["servers"] ==
        json({"matrix.lviv.dcomm.net.ua"}));
}

TEST_CASE("element: the homeserver URL follows the site's TLS and Caddy's port") {
  SECTION("onion only: plain HTTP over the onion address") {
    const std::string onion = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion";
    const json server = homeserver_of(spec("onion = \"" + onion + "\"  tls = off"));
    CHECK(server["base_url"] == "http://matrix." + onion);
    CHECK(server["server_name"] == "matrix.kyiv.dcomm.net.ua");
  }
  SECTION("HTTPS on another port") {
    const std::string caddy = R"(service "caddy" { kind = caddy  https_port = 8443/tcp })";
    CHECK(homeserver_of(spec("tls = internal", "", R"(host = "hs")", caddy))["base_url"] ==
          "https://hs.kyiv.dcomm.net.ua:8443");
  }
}

TEST_CASE("element: brand and country are data, whatever they hold") {
  // Control characters are rejected at check time; the rest must stay a string.
  CompiledSpec c(
      spec("tls = internal  country = \"DE\"", R"(brand = "Chat \"}, \"disable_guests\": false, {# ${x} \\")"));
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
  testing::check_placement(
      nginx, {.key = "element_nginx", .mounts = {{"element", "/etc/nginx/templates/default.conf.template"}}});
  CHECK(contains(nginx.content, "    listen       127.0.0.1:8001;\n    listen       [::1]:8001;\n"));
  CHECK_FALSE(contains(nginx.content, "listen       80"));
  CHECK(contains(nginx.content, "root   /usr/share/nginx/html;"));
  // The image runs its templates through envsubst.
  CHECK_FALSE(contains(nginx.content, "$"));
}

TEST_CASE("element: on an overlay network nginx listens in its container") {
  CompiledSpec c(spec("tls = internal  network = overlay"));
  const std::string nginx = artifact(c.emit(emit_element, "kyiv"), "element/nginx.conf").content;
  CHECK(contains(nginx, "    listen       8001;\n    listen       [::]:8001;\n"));
  CHECK_FALSE(contains(nginx, "127.0.0.1"));
}

TEST_CASE("element: two Element services get a folder and keys each") {
  // On the overlay network each listens in its own container.
  CompiledSpec two(one_site("tls = internal  network = overlay", R"(service "synapse" { kind = synapse }
  service "chat"    { kind = element  host = "chat" }
  service "beta"    { kind = element  host = "beta"  brand = "Beta" })"));
  const ArtifactSet set = two.emit(emit_element, "kyiv");
  CHECK(set.all().size() == 4);
  CHECK(artifact(set, "element/chat/config.json").key == "element_chat_config");
  CHECK(artifact(set, "element/beta/nginx.conf").key == "element_beta_nginx");
  CHECK(artifact(set, "element/beta/nginx.conf").mounts.at(0).container == "beta");
  CHECK(config_of(set, "element/beta/config.json")["brand"] == "Beta");
}

TEST_CASE("element: the same spec gives the same bytes") {
  testing::check_same_bytes(emit_element, "federation.dcomm", "kharkiv");
}

}  // namespace dcomm::emit
