// stack.yml, parsed back: configs and secrets mounted where they belong,
// and named by content and rotation so a redeploy updates in place.

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "emit/stack_test_support.hpp"
#include "util/sha256.hpp"

namespace dcomm::emit {

using namespace stack_testing;

TEST_CASE("stack: artifacts and raw secrets are mounted where they belong") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  const YAML::Node services = stack["services"];

  const YAML::Node caddyfile = mount_of(services["caddy"]["configs"], "caddyfile");
  CHECK(caddyfile["target"].as<std::string>() == "/etc/caddy/Caddyfile");
  CHECK(caddyfile["mode"].as<int>() == 0444);
  CHECK(stack["configs"]["caddyfile"]["file"].as<std::string>() == "./caddy/Caddyfile");
  CHECK_FALSE(stack["configs"]["dns.zone"]);  // no key: not mounted

  const YAML::Node database = mount_of(services["synapse"]["secrets"], "synapse_database");
  CHECK(database["target"].as<std::string>() == "/data/database.yaml");
  CHECK(database["uid"].as<std::string>() == "991");
  CHECK(database["mode"].as<int>() == 0440);
  CHECK(stack["secrets"]["synapse_database"]["file"].as<std::string>() == "./secrets/synapse/database.yaml");

  const YAML::Node password = mount_of(services["postgres"]["secrets"], "postgres_password");
  CHECK(password["target"].as<std::string>() == "/run/secrets/password");
  CHECK(password["mode"].as<int>() == 0400);
  CHECK(password["uid"].as<std::string>() == "0");
  CHECK(stack["secrets"]["postgres_password"]["file"].as<std::string>() == "./secrets/postgres_password");
  CHECK(stack["secrets"]["postgres_password"]["name"].as<std::string>() ==
        "dcomms-kyiv_postgres_password_v1");
  // Raw secrets are owned by the user the container's other files belong to.
  const YAML::Node macaroon = mount_of(services["synapse"]["secrets"], "synapse_macaroon_key");
  CHECK(macaroon["target"].as<std::string>() == "/run/secrets/macaroon_key");
  CHECK(macaroon["uid"].as<std::string>() == "991");
  // A container that lists its secrets gets those only: the sign-up token
  // reaches mailadm, not postfix or dovecot.
  CHECK(mount_of(services["mail-mailadm"]["secrets"], "mail_mailadm_token")["target"].as<std::string>() ==
        "/run/secrets/mailadm_token");
  CHECK_FALSE(services["mail-postfix"]["secrets"]);
  CHECK_FALSE(services["mail-dovecot"]["secrets"]);
}

TEST_CASE("stack: a secret a mounted file holds is not mounted beside it") {
  // maubot's config.yaml embeds both of its secrets; Synapse reads each of
  // its own from a file (homeserver.yaml names the paths).
  Spec spec(site_spec() + "  service \"bots\" {\n    kind = maubot\n    on   = node.worker\n  }\n}\n");
  // A stand-in for the federation's root: only mounts matter here.
  const ArtifactSet all = emit_site(spec.context("kyiv"));
  REQUIRE(all.find("stack.yml"));
  const YAML::Node stack = YAML::Load(all.find("stack.yml")->content);
  std::vector<std::string> bots;
  for (const auto& mount : stack["services"]["bots"]["secrets"]) bots.push_back(mount["target"].as<std::string>());
  CHECK(bots == std::vector<std::string>{"/data/config.yaml"});
  CHECK_FALSE(stack["secrets"]["bots_admin_password"]);  // no swarm object nothing mounts
  CHECK(stack["services"]["synapse"]["secrets"].size() == 5);
}

TEST_CASE("stack: a container without a secrets list mounts every secret of its service no file holds") {
  Spec spec(R"(
kind "pair" {
  secrets = { shared = token, own = password }
  container "a" { image = "example/a:1" }
  container "b" {
    image   = "example/b:1"
    secrets = [own]
  }
  container "c" {
    image   = "example/c:1"
    secrets = []
  }
}
)" + testing::one_site("tls = internal", R"(service "p" { kind = pair })"));
  const YAML::Node services = YAML::Load(emit(spec, {}))["services"];
  CHECK(services["p-a"]["secrets"].size() == 2);
  REQUIRE(services["p-b"]["secrets"].size() == 1);
  CHECK(services["p-b"]["secrets"][0]["source"].as<std::string>() == "p_own");
  CHECK_FALSE(services["p-c"]["secrets"]);
}

TEST_CASE("stack: config names follow the content") {
  Spec spec(kSite);
  auto names = [&](const std::string& caddyfile, const std::string& database) {
    const YAML::Node stack = YAML::Load(emit(spec, fake_artifacts(caddyfile, database)));
    return std::pair{stack["configs"]["caddyfile"]["name"].as<std::string>(),
                     stack["secrets"]["synapse_database"]["name"].as<std::string>()};
  };
  const auto [caddy, database] = names("a {\n}\n", "password: ");
  CHECK(caddy == "dcomms-kyiv_caddyfile_" + util::sha256_hex("a {\n}\n").substr(0, 12));
  CHECK(std::regex_match(database, std::regex("dcomms-kyiv_synapse_database_[0-9a-f]{12}")));
  CHECK(names("a {\n}\n", "password: ") == std::pair{caddy, database});

  const auto [changed_caddy, same_database] = names("b {\n}\n", "password: ");
  CHECK(changed_caddy != caddy);
  CHECK(same_database == database);
  const auto [same_caddy, changed_database] = names("a {\n}\n", "pass: ");
  CHECK(same_caddy == caddy);
  CHECK(changed_database != database);
}

TEST_CASE("stack: secret names follow rotations, never values") {
  Spec spec(kSite);
  auto stack_with = [&](const std::string& rotated) {
    return YAML::Load(
        emit(spec.result.federation, spec.site(), fake_artifacts(),
             [rotated](const std::string& name) { return name == rotated ? 2 : 1; }))["secrets"];
  };
  const YAML::Node before = stack_with("");
  const YAML::Node password = stack_with("postgres_password");
  const YAML::Node macaroon = stack_with("synapse_macaroon_key");
  auto name = [](const YAML::Node& secrets, const char* key) {
    return secrets[key]["name"].as<std::string>();
  };

  CHECK(name(password, "postgres_password") == "dcomms-kyiv_postgres_password_v2");
  // The file embedding the password is renamed with it; others are not.
  CHECK(name(password, "synapse_database") != name(before, "synapse_database"));
  CHECK(name(password, "synapse_macaroon_key") == name(before, "synapse_macaroon_key"));
  CHECK(name(macaroon, "synapse_macaroon_key") == "dcomms-kyiv_synapse_macaroon_key_v2");
  CHECK(name(macaroon, "synapse_database") == name(before, "synapse_database"));
}

TEST_CASE("stack: long names still fit swarm's 64 characters") {
  // Names are at most 24 characters (E0412), but site, service and
  // container label together still exceed swarm's limit.
  std::string text = kSite;
  text.replace(text.find("\"kyiv\""), 6, "\"a-community-server-long1\"");
  text.replace(text.find("service \"mail\""), 14, "service \"deltachat-mail-service-x\"");
  Spec spec(text);
  const std::string long_password = emit(spec.result.federation, spec.site(), fake_artifacts());
  const YAML::Node secrets = YAML::Load(long_password)["secrets"];
  const std::regex swarm_name("[a-zA-Z0-9]+([a-zA-Z0-9-_.]*[a-zA-Z0-9])?");
  std::set<std::string> names;
  for (const auto& secret : secrets) {
    const std::string name = secret.second["name"].as<std::string>();
    INFO(name);
    CHECK(name.size() <= 64);
    CHECK(std::regex_match(name, swarm_name));
    names.insert(name);
  }
  CHECK(names.size() == secrets.size());
  const YAML::Node rotated = YAML::Load(emit(spec.result.federation, spec.site(), fake_artifacts(),
                                             [](const std::string&) { return 2; }))["secrets"];
  CHECK(rotated["postgres_password"]["name"].as<std::string>() !=
        secrets["postgres_password"]["name"].as<std::string>());
}

TEST_CASE("stack: each raw secret is mounted at the file its configuration is told to read") {
  Spec spec(kSite);
  const YAML::Node services = YAML::Load(emit(spec))["services"];
  int checked = 0;
  for (const model::Service& service : spec.site().services) {
    for (const model::Secret& secret : service.secrets) {
      const std::string path = SiteContext::secret_file(service, secret.name);
      CHECK(path == "/run/secrets/" + secret.name);
      for (const model::Container& container : service.containers) {
        const YAML::Node mounts = services[container.name]["secrets"];
        if (!mounts) continue;
        for (const YAML::Node& mount : mounts) {
          if (mount["source"].as<std::string>() != SiteContext::secret_name(service, secret.name)) continue;
          INFO(container.name << " mounts " << secret.name);
          CHECK(mount["target"].as<std::string>() == path);
          ++checked;
        }
      }
    }
  }
  CHECK(checked >= 5);  // postgres, synapse's four, mailadm's token, caddy's CA
  // Reading a secret the kind does not declare is an emitter's bug.
  CHECK_THROWS_AS(SiteContext::secret_file(spec.service("synapse"), "password"), std::logic_error);
}

TEST_CASE("stack: a file mounted into a container the site lacks is a bug") {
  Spec spec(kSite);
  ArtifactSet artifacts;
  artifacts.add("tor/torrc", "SocksPort 0\n", "torrc").mounts.push_back({"tor", "/etc/tor/torrc"});
  CHECK_THROWS_AS(emit(spec, std::move(artifacts)), std::logic_error);
}

TEST_CASE("stack: the example mounts every file the other emitters key") {
  Spec spec(testing::example("kyiv.dcomm"));
  const ArtifactSet artifacts = emit_site(SiteContext{spec.result.federation, spec.site()});
  const Artifact* stack_file = artifacts.find("stack.yml");
  REQUIRE(stack_file);
  CHECK(stack_file->content.find("${") == std::string::npos);
  CHECK(stack_file->content.find(":latest") == std::string::npos);
  const YAML::Node stack = YAML::Load(stack_file->content);
  for (const Artifact& artifact : artifacts.all()) {
    if (artifact.key.empty()) continue;
    INFO(artifact.path);
    const YAML::Node object = stack[artifact.secret ? "secrets" : "configs"][artifact.key];
    REQUIRE(object);
    CHECK(object["file"].as<std::string>() == "./" + artifact.path);
    for (const Mount& mount : artifact.mounts) {
      const YAML::Node service = stack["services"][mount.container];
      CHECK(mount_of(service[artifact.secret ? "secrets" : "configs"], artifact.key)["target"]
                .as<std::string>() == mount.target);
    }
  }
}

}  // namespace dcomm::emit
