// maubot's config.yaml: a secret artifact holding placeholders, read back
// as YAML.

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

using testing::artifact;
using testing::CompiledSpec;

std::string spec(const std::string& site_extra = "", const std::string& bots_extra = "") {
  return R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
)" + site_extra + R"(
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  node "spare"  { labels = { dwebstackrole = "spare" } }
  service "synapse" { kind = synapse  on = node.worker }
  service "bots"    { kind = maubot )" + bots_extra + R"( }
}
)";
}

YAML::Node config_of(const ArtifactSet& set) {
  return YAML::Load(artifact(set, "secrets/maubot/config.yaml").content);
}

}  // namespace

TEST_CASE("maubot: the kyiv example's config.yaml is a secret holding placeholders only") {
  CompiledSpec kyiv(testing::example("kyiv.dcomm"));
  const ArtifactSet set = kyiv.emit(emit_maubot, "kyiv");
  REQUIRE(set.all().size() == 1);
  const Artifact& file = artifact(set, "secrets/maubot/config.yaml");
  CHECK(file.secret);
  CHECK(file.key == "maubot_config");
  REQUIRE(file.mounts.size() == 1);
  CHECK(file.mounts[0].container == "bots");
  CHECK(file.mounts[0].target == "/data/config.yaml");
  CHECK(file.mounts[0].uid == "1337");
  CHECK(file.mounts[0].gid == "1337");
  CHECK(file.mounts[0].mode == 0400);

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
  CompiledSpec kyiv(testing::example("kyiv.dcomm"));
  const std::string text = artifact(kyiv.emit(emit_maubot, "kyiv"), "secrets/maubot/config.yaml").content;
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
  CompiledSpec c(spec("  network = overlay\n", "on = node.spare"));
  const YAML::Node config = config_of(c.emit(emit_maubot, "kyiv"));
  CHECK(config["server"]["hostname"].as<std::string>() == "0.0.0.0");
  CHECK(config["homeservers"]["matrix.kyiv.dcomm.net.ua"]["url"].as<std::string>() == "http://synapse:8008");
}

TEST_CASE("maubot: on another node than Synapse it goes through Caddy") {
  CompiledSpec c(spec("", "on = node.spare"));
  CHECK(config_of(c.emit(emit_maubot, "kyiv"))["homeservers"]["matrix.kyiv.dcomm.net.ua"]["url"]
            .as<std::string>() == "https://matrix.kyiv.dcomm.net.ua");
}

TEST_CASE("maubot: the same spec gives the same bytes") {
  CompiledSpec a(testing::example("kyiv.dcomm"));
  CompiledSpec b(testing::example("kyiv.dcomm"));
  CHECK(artifact(a.emit(emit_maubot, "kyiv"), "secrets/maubot/config.yaml").content ==
        artifact(b.emit(emit_maubot, "kyiv"), "secrets/maubot/config.yaml").content);
}

}  // namespace dcomm::emit
