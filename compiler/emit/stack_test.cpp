// stack.yml, parsed back: placement, limits, networking, volumes, and
// configs and secrets named by content so a redeploy updates in place.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "driver/pipeline.hpp"
#include "emit/emitter.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"

namespace dcomm::emit {

namespace {

/// A spec run through the real front end.
struct Spec {
  SourceMap sources;
  Diagnostics diags;
  Compilation result;

  explicit Spec(std::string text) {
    result = check_file(sources, sources.add("stack_test.dcomm", std::move(text)), diags);
    for (const auto& d : diags.all()) UNSCOPED_INFO(d.code << ": " << d.message);
    REQUIRE(diags.all().empty());
  }
  model::Site& site() { return result.federation.sites.at(0); }
  model::Service& service(const std::string& name) {
    auto& services = site().services;
    auto found =
        std::find_if(services.begin(), services.end(), [&](const auto& s) { return s.name == name; });
    REQUIRE(found != services.end());
    return *found;
  }
};

std::string site_spec(const std::string& extra_site_lines = "", const std::string& before = "") {
  return before + R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
)" + extra_site_lines +
         R"(
  node "worker" {
    labels = { dwebstackdomain = "kyiv.dcomm.net.ua", dwebstackarea = "east" }
  }
  node "bridge" {
    labels = { dwebstackrole = "bridge" }
  }
  service "synapse" {
    kind = synapse
    on   = node.worker
  }
  service "element" {
    kind = element
    on   = node.worker
  }
  service "mail" {
    kind = deltachat
    on   = node.worker
  }
  service "bridge" {
    kind = ceno
    on   = node.bridge
  }
  service "web" {
    kind = website
    on   = node.worker
    root = "/var/www/dcomms"
  }
)";
}

const std::string kSite = site_spec() + "}\n";

/// What the other emitters would have written: a Caddyfile mounted as a
/// config, and a file embedding the database password as a secret.
ArtifactSet fake_artifacts(const std::string& caddyfile = "kyiv.dcomm.net.ua {\n}\n",
                           const std::string& database = "password: ") {
  ArtifactSet out;
  out.add("caddy/Caddyfile", caddyfile, "caddyfile").mounts.push_back({"caddy", "/etc/caddy/Caddyfile"});
  out.add("dns.zone", "; not mounted\n");
  out.add_secret("synapse/database.yaml", database + secret_placeholder("postgres_password") + "\n",
                 "synapse_database")
      .mounts.push_back({"synapse", "/data/database.yaml", "991", "991", 0440});
  return out;
}

std::string emit(
    const model::Federation& federation, const model::Site& site, ArtifactSet artifacts,
    std::function<int(const std::string&)> generation = [](const std::string&) { return 1; }) {
  const SiteContext context{federation, site, std::move(generation)};
  emit_stack(context, artifacts);
  const Artifact* stack = artifacts.find("stack.yml");
  REQUIRE(stack);
  CHECK(stack->key.empty());
  return stack->content;
}

std::string emit(Spec& spec, ArtifactSet artifacts = fake_artifacts()) {
  return emit(spec.result.federation, spec.site(), std::move(artifacts));
}

std::vector<std::string> strings(const YAML::Node& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.as<std::string>());
  return out;
}

std::set<std::string> keys(const YAML::Node& map) {
  std::set<std::string> out;
  for (const auto& entry : map) out.insert(entry.first.as<std::string>());
  return out;
}

/// "80/tcp" for each published port of a service.
std::vector<std::string> published(const YAML::Node& service) {
  std::vector<std::string> out;
  for (const auto& port : service["ports"]) {
    CHECK(port["target"].as<int>() == port["published"].as<int>());
    CHECK(port["mode"].as<std::string>() == "host");
    out.push_back(port["published"].as<std::string>() + "/" + port["protocol"].as<std::string>());
  }
  return out;
}

/// The mount of `source` in a service's configs or secrets.
YAML::Node mount_of(const YAML::Node& list, const std::string& source) {
  for (const auto& mount : list) {
    if (mount["source"].as<std::string>() == source) return mount;
  }
  FAIL("no mount of " << source);
  return {};
}

bool has_volume(const YAML::Node& service, const std::string& type, const std::string& source,
                const std::string& target, bool read_only) {
  for (const auto& volume : service["volumes"]) {
    if (volume["type"].as<std::string>() == type && volume["source"].as<std::string>() == source &&
        volume["target"].as<std::string>() == target && volume["read_only"].as<bool>(false) == read_only) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("stack: one swarm service per container, placed by its node's labels") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  CHECK(stack["version"].as<std::string>() == "3.8");
  const YAML::Node services = stack["services"];
  // web is served by Caddy: no container. caddy and postgres are implicit.
  CHECK(keys(services) == std::set<std::string>{"synapse", "element", "mail-postfix", "mail-dovecot",
                                                "mail-mailadm", "bridge", "postgres", "caddy"});
  CHECK(services["synapse"]["image"].as<std::string>() == "matrixdotorg/synapse:v1.163.0");
  CHECK(services["mail-dovecot"]["image"].as<std::string>() == "keith/deltachat-mailadm-dovecot:v0.0.1");

  const YAML::Node deploy = services["synapse"]["deploy"];
  CHECK(deploy["mode"].as<std::string>() == "replicated");
  CHECK(deploy["replicas"].as<int>() == 1);
  CHECK(deploy["placement"]["max_replicas_per_node"].as<int>() == 1);
  CHECK(deploy["restart_policy"]["condition"].as<std::string>() == "on-failure");
  CHECK(strings(deploy["placement"]["constraints"]) ==
        std::vector<std::string>{"node.labels.dwebstackarea == east",
                                 "node.labels.dwebstackdomain == kyiv.dcomm.net.ua"});
  CHECK(strings(services["bridge"]["deploy"]["placement"]["constraints"]) ==
        std::vector<std::string>{"node.labels.dwebstackrole == bridge"});
  // Implicit services run where the service needing them runs.
  CHECK(strings(services["postgres"]["deploy"]["placement"]["constraints"]).size() == 2);
}

TEST_CASE("stack: memory limits in the units Docker reads") {
  Spec spec(site_spec("", R"(
kind "pad" {
  image  = "etherpad/etherpad:2.2.6"
  memory = 1536M
  ports  = [9001/tcp]
}
kind "tiny" {
  image  = "busybox:1.36.1"
  memory = 1K
}
)") + R"(
  service "notes" {
    kind = pad
    on   = node.worker
  }
  service "probe" {
    kind = tiny
    on   = node.worker
  }
}
)");
  spec.service("probe").containers.at(0).memory = 1000;  // the model allows any byte count
  const YAML::Node services = YAML::Load(emit(spec))["services"];
  auto memory = [&](const char* name) {
    return services[name]["deploy"]["resources"]["limits"]["memory"].as<std::string>();
  };
  CHECK(memory("synapse") == "1G");
  CHECK(memory("element") == "256M");
  CHECK(memory("mail-postfix") == "128M");
  CHECK(memory("notes") == "1536M");
  CHECK(memory("probe") == "1000");
}

TEST_CASE("stack: host networking, as the seed runs") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  CHECK(stack["networks"]["host"]["external"].as<bool>());
  CHECK(stack["networks"]["host"]["name"].as<std::string>() == "host");
  CHECK(keys(stack["networks"]) == std::set<std::string>{"host"});
  for (const auto& service : stack["services"]) {
    INFO(service.first.as<std::string>());
    CHECK(strings(service.second["networks"]) == std::vector<std::string>{"host"});
    CHECK_FALSE(service.second["ports"]);  // the node's ports already
  }
}

TEST_CASE("stack: an overlay network publishes only Caddy, mail and CENO") {
  Spec spec(site_spec("  network = overlay\n", R"(
kind "pad" {
  image  = "etherpad/etherpad:2.2.6"
  memory = 256M
  ports   = [9001/tcp, 9002/udp]
  publish = [9002/udp]
  needs   = [caddy]
  route "web" {
    host = "pad"
    port = 9001/tcp
  }
}
)") + R"(
  service "notes" {
    kind = pad
    on   = node.worker
  }
}
)");
  const YAML::Node stack = YAML::Load(emit(spec));
  CHECK(keys(stack["networks"]) == std::set<std::string>{"site"});
  CHECK(stack["networks"]["site"]["driver"].as<std::string>() == "overlay");
  const YAML::Node services = stack["services"];
  for (const auto& service : services) {
    CHECK(strings(service.second["networks"]) == std::vector<std::string>{"site"});
  }
  CHECK(published(services["caddy"]) == std::vector<std::string>{"80/tcp", "443/tcp", "8448/tcp"});
  CHECK(published(services["mail-postfix"]) == std::vector<std::string>{"25/tcp", "587/tcp"});
  CHECK(published(services["mail-dovecot"]) == std::vector<std::string>{"143/tcp", "993/tcp"});
  CHECK(published(services["bridge"]) == std::vector<std::string>{"28729/udp"});
  // Reached through Caddy, or by the services needing them, inside the network.
  for (const char* inside : {"synapse", "element", "mail-mailadm", "postgres"}) {
    INFO(inside);
    CHECK_FALSE(services[inside]["ports"]);
  }
  // A user's kind: the port it publishes; its routed port stays inside.
  CHECK(published(services["notes"]) == std::vector<std::string>{"9002/udp"});
}

TEST_CASE("stack: named volumes, Caddy's certificates for mail, the website folder for Caddy") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  CHECK(keys(stack["volumes"]) == std::set<std::string>{"bridge_storage", "caddy_config", "caddy_data",
                                                        "mail_mailadm", "mail_vmail", "postgres_data", "synapse_data"});
  const YAML::Node services = stack["services"];
  CHECK(has_volume(services["synapse"], "volume", "synapse_data", "/data", false));
  CHECK(has_volume(services["caddy"], "volume", "caddy_data", "/data", false));
  CHECK(has_volume(services["caddy"], "bind", "/var/www/dcomms", "/srv/web", true));
  for (const char* mail : {"mail-postfix", "mail-dovecot", "mail-mailadm"}) {
    INFO(mail);
    CHECK(has_volume(services[mail], "volume", "mail_mailadm", "/var/lib/mailadm", false));
    CHECK(has_volume(services[mail], "volume", "caddy_data", "/caddy", true));
  }
  CHECK_FALSE(has_volume(services["synapse"], "volume", "caddy_data", "/caddy", true));
}

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

TEST_CASE("stack: every container drops raw sockets, device nodes and capability changes") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  for (const auto& service : stack["services"]) {
    INFO(service.first.as<std::string>());
    CHECK(strings(service.second["cap_drop"]) == std::vector<std::string>{"MKNOD", "NET_RAW", "SETFCAP", "SETPCAP"});
    CHECK_FALSE(service.second["cap_add"]);
  }
}

TEST_CASE("stack: a secret a mounted file holds is not mounted beside it") {
  // maubot's config.yaml embeds both of its secrets; Synapse reads each of
  // its own from a file (homeserver.yaml names the paths).
  Spec spec(site_spec() + "  service \"bots\" {\n    kind = maubot\n    on   = node.worker\n  }\n}\n");
  // Any PEM stands in for the federation's root here: only mounts matter.
  const ArtifactSet all = emit_site(
      SiteContext{spec.result.federation, spec.site(), [](const std::string&) { return 1; }, "PEM"});
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
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  service "p" { kind = pair }
}
)");
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

TEST_CASE("stack: the same spec gives the same bytes") {
  Spec spec(kSite);
  const std::string first = emit(spec);
  CHECK(emit(spec) == first);
  Spec again(kSite);
  CHECK(emit(again) == first);
}

TEST_CASE("stack: no variable is left to interpolate, and values stay inert") {
  Spec spec(site_spec("", R"(
kind "pad" {
  image  = "etherpad/etherpad:2.2.6"
  memory = 256M
  env    = { TITLE = "Notes" }
}
)") + R"(
  service "notes" {
    kind = pad
    on   = node.worker
  }
}
)");
  const std::string plain = emit(spec);
  CHECK(plain.find('$') == std::string::npos);

  auto& environment = spec.service("notes").containers.at(0).environment;
  const std::vector<std::string> hostile = {"${HOME}",  "$USER", "a\nb: c", "x # y", "&anchor",
                                            "*alias",   "yes",   "0444",    "'\"",   "- item",
                                            "{ a: b }", "",      "null"};
  for (std::size_t i = 0; i < hostile.size(); ++i) environment["V" + std::to_string(i)] = hostile[i];
  const std::string text = emit(spec);

  std::string unescaped = text;
  for (std::size_t at; (at = unescaped.find("$$")) != std::string::npos;) unescaped.erase(at, 2);
  CHECK(unescaped.find('$') == std::string::npos);  // every dollar is a literal `$$`

  const YAML::Node env = YAML::Load(text)["services"]["notes"]["environment"];
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    INFO(hostile[i]);
    const YAML::Node value = env["V" + std::to_string(i)];
    CHECK(value.Tag() == "!");  // quoted: a string to every YAML reader
    std::string expected = hostile[i];
    for (std::size_t at = 0; (at = expected.find('$', at)) != std::string::npos; at += 2)
      expected.insert(at, "$");
    CHECK(value.as<std::string>() == expected);
  }
  CHECK(env.size() == hostile.size() + 1);  // no key was injected
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

TEST_CASE("stack: a file mounted into a container the site lacks is a bug") {
  Spec spec(kSite);
  ArtifactSet artifacts;
  artifacts.add("tor/torrc", "SocksPort 0\n", "torrc").mounts.push_back({"tor", "/etc/tor/torrc"});
  CHECK_THROWS_AS(emit(spec, std::move(artifacts)), std::logic_error);
}

TEST_CASE("stack: the example mounts every file the other emitters key") {
  std::string error;
  auto text = util::read_file(DCOMMC_SOURCE_DIR "/examples/kyiv.dcomm", error);
  REQUIRE(text);
  Spec spec(*text);
  const SiteContext context{spec.result.federation, spec.site()};
  const ArtifactSet artifacts = emit_site(context);
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
