// maubot's config.yaml: a secret artifact holding placeholders, read back
// as YAML.

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using testing::artifact;
using testing::CompiledSpec;

/// Site kyiv with Synapse on node worker and maubot, placed by `bots_on`,
/// beside it or on node spare; `site` goes into the site block.
std::string spec(const std::string& site, const std::string& bots_on) {
  return testing::one_site(site, R"(node "spare" { labels = { dwebstackrole = "spare" } }
  service "synapse" { kind = synapse  on = node.worker }
  service "bots"    { kind = maubot  on = )" + bots_on + " }");
}

/// maubot's config.yaml for site kyiv of `spec`.
YAML::Node config_of(const std::string& spec) {
  const ArtifactSet out = CompiledSpec(spec).emit(emit_maubot, "kyiv");
  return YAML::Load(artifact(out, "secrets/maubot/config.yaml").content);
}

}  // namespace

TEST_CASE("maubot: the kyiv example's config.yaml is a secret holding placeholders only") {
  const Artifact file = testing::kyiv_example_file(emit_maubot, "secrets/maubot/config.yaml");
  testing::check_placement(file, {.key = "maubot_config",
                                  .secret = true,
                                  .mounts = {{"bots", "/data/config.yaml", "1337", "1337", 0400}}});

  const YAML::Node config = YAML::Load(file.content);
  CHECK(config["database"].as<std::string>() == "sqlite:/data/maubot.db");
  CHECK(config["plugin_directories"]["upload"].as<std::string>() == "/data/plugins");
  CHECK(config["plugin_directories"]["load"][0].as<std::string>() == "/data/plugins");
  CHECK(config["plugin_directories"]["trash"].as<std::string>() == "/data/trash");
  CHECK(config["plugin_databases"]["sqlite"].as<std::string>() == "/data/dbs");

  const YAML::Node server = config["server"];
  CHECK(server["hostname"].as<std::string>() == "127.0.0.1");
  CHECK(server["port"].as<int>() == 29316);
  CHECK(server["public_url"].as<std::string>() == "http://localhost:29316");
  CHECK(server["override_resource_path"].as<std::string>() == "/opt/maubot/frontend");
  CHECK(server["unshared_secret"].as<std::string>() == secret_placeholder("bots_unshared_secret"));

  const YAML::Node homeserver = config["homeservers"]["matrix.kyiv.dcomm.net.ua"];
  REQUIRE(homeserver.IsMap());
  CHECK(homeserver["url"].as<std::string>() == "http://127.0.0.1:8008");
  CHECK(homeserver["secret"].as<std::string>() == secret_placeholder("synapse_registration_secret"));
  CHECK(config["homeservers"].size() == 1);

  CHECK(config["admins"].size() == 1);
  CHECK(config["admins"]["admin"].as<std::string>() == secret_placeholder("bots_admin_password"));

  const YAML::Node logging = config["logging"];
  CHECK(logging["version"].as<int>() == 1);
  CHECK(logging["handlers"]["console"]["stream"].as<std::string>() == "ext://sys.stdout");
  CHECK(logging["root"]["handlers"].size() == 1);
  CHECK(logging["handlers"].size() == 1);  // no log file inside the container
}

TEST_CASE("maubot: filled in, the placeholders become the secrets' values and nothing else") {
  const std::string text = testing::kyiv_example_file(emit_maubot, "secrets/maubot/config.yaml").content;
  std::vector<std::string> names;
  // Values as the build generates them: base64url tokens may start with '-'.
  const std::string filled = replace_placeholders(text, [&](std::string_view name) {
    names.emplace_back(name);
    return "-_" + std::string(name) + "-value";
  });
  CHECK(names == std::vector<std::string>{"bots_unshared_secret", "synapse_registration_secret",
                                          "bots_admin_password"});
  CHECK_FALSE(has_placeholder(filled));
  const YAML::Node config = YAML::Load(filled);
  CHECK(config["admins"]["admin"].as<std::string>() == "-_bots_admin_password-value");
  CHECK(config["server"]["unshared_secret"].as<std::string>() == "-_bots_unshared_secret-value");
}

TEST_CASE("maubot: on an overlay network it listens in its container and finds Synapse by name") {
  const YAML::Node config = config_of(spec("tls = internal  network = overlay", "node.spare"));
  CHECK(config["server"]["hostname"].as<std::string>() == "0.0.0.0");
  CHECK(config["homeservers"]["matrix.kyiv.dcomm.net.ua"]["url"].as<std::string>() == "http://synapse:8008");
}

TEST_CASE("maubot: on another node than Synapse it goes through Caddy") {
  CHECK(config_of(spec("tls = internal", "node.spare"))["homeservers"]["matrix.kyiv.dcomm.net.ua"]["url"]
            .as<std::string>() == "https://matrix.kyiv.dcomm.net.ua");
}

TEST_CASE("maubot: the same spec gives the same bytes") {
  testing::check_same_bytes(emit_maubot, "kyiv.dcomm", "kyiv");
}

}  // namespace dcomm::emit
