// Synapse's homeserver.yaml, log.config and database password file, read
// back as YAML: the seed's hardening per attribute, secrets only through
// files, and every key one Synapse's own config schema knows.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include <yaml-cpp/yaml.h>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

namespace fs = std::filesystem;

const std::string kOnion = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion";

/// Site "kyiv" of a spec, checked by the real front end, and what
/// emit_synapse made of it.
struct Emitted {
  testing::CompiledSpec spec;
  ArtifactSet out;

  explicit Emitted(std::string text)
      : spec(std::move(text)), out(spec.emit(emit_synapse, "kyiv")) {}

  const model::Site& site() const { return spec.site("kyiv"); }
  const Artifact& artifact(const std::string& path) const { return testing::artifact(out, path); }
  std::string text(const std::string& path) const { return artifact(path).content; }
  YAML::Node yaml(const std::string& path) const { return YAML::Load(text(path)); }
  YAML::Node homeserver() const { return yaml("synapse/homeserver.yaml"); }
};

Emitted kyiv_example() { return Emitted(testing::example("kyiv.dcomm")); }

/// One site with one Synapse; `synapse` goes into its service block and
/// `site` into the site block.
Emitted emit_site(const std::string& synapse, const std::string& site = "tls = internal") {
  const std::string service = "service \"synapse\" {\n    kind = synapse\n    " + synapse + "\n  }";
  return Emitted(testing::one_site(site, service));
}

/// Synapse's config schema, kept beside the project (AGPL test data that
/// nothing links; see ../shared/schemas/README.md).
const YAML::Node& synapse_schema() {
  static const YAML::Node schema = [] {
    const char* override_path = std::getenv("DCOMMC_SYNAPSE_SCHEMA");
    const fs::path path = override_path ? fs::path(override_path)
                                        : fs::path(DCOMMC_SOURCE_DIR) /
                                              "../shared/schemas/synapse-config.schema.yaml";
    INFO("the Synapse config schema: " << path.string() << " (or set DCOMMC_SYNAPSE_SCHEMA)");
    REQUIRE(fs::exists(path));
    return YAML::LoadFile(path.string());
  }();
  return schema;
}

/// The schema a local `$ref` ("#/$defs/rc") names, or `schema` itself.
YAML::Node resolved(const YAML::Node& schema) {
  if (!schema.IsMap() || !schema["$ref"]) return schema;
  const std::string ref = schema["$ref"].as<std::string>();
  const std::string prefix = "#/$defs/";
  REQUIRE(ref.rfind(prefix, 0) == 0);
  return synapse_schema()["$defs"][ref.substr(prefix.size())];
}

/// Key paths of `value` that `schema` does not declare. The schema allows
/// any key (no additionalProperties: false), so a typo would validate: this
/// walks its `properties` and `items` instead, as deep as it describes.
void unknown_keys(const YAML::Node& value, const YAML::Node& schema, const std::string& path,
                  std::vector<std::string>& out) {
  const YAML::Node described = resolved(schema);
  if (value.IsMap()) {
    const YAML::Node properties = described["properties"];
    if (!properties) return;  // an object the schema leaves open, e.g. database.args
    for (const auto& entry : value) {
      const std::string key = entry.first.as<std::string>();
      const std::string where = path.empty() ? key : path + "." + key;
      if (properties[key]) {
        unknown_keys(entry.second, properties[key], where, out);
      } else {
        out.push_back(where);
      }
    }
  } else if (value.IsSequence() && described["items"]) {
    for (const auto& item : value) unknown_keys(item, described["items"], path + "[]", out);
  }
}

std::vector<std::string> unknown_keys(const YAML::Node& document) {
  std::vector<std::string> out;
  unknown_keys(document, synapse_schema(), "", out);
  return out;
}

void all_keys(const YAML::Node& node, std::set<std::string>& out) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      out.insert(entry.first.as<std::string>());
      all_keys(entry.second, out);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) all_keys(item, out);
  }
}

/// Unquoted scalars: YAML 1.1 readers (Synapse's PyYAML) take a plain
/// `off` or `no` for a boolean, so only booleans and numbers may be plain.
void plain_scalars(const YAML::Node& node, std::vector<std::string>& out) {
  if (node.IsScalar() && node.Tag() == "?") out.push_back(node.Scalar());
  if (node.IsMap()) {
    for (const auto& entry : node) plain_scalars(entry.second, out);
  } else if (node.IsSequence()) {
    for (const auto& item : node) plain_scalars(item, out);
  }
}

std::vector<std::string> resource_names(const YAML::Node& homeserver) {
  return homeserver["listeners"][0]["resources"][0]["names"].as<std::vector<std::string>>();
}

}  // namespace

TEST_CASE("synapse: the kyiv example, file by file") {
  const Emitted kyiv = kyiv_example();
  CHECK(kyiv.out.all().size() == 3);

  testing::check_placement(
      kyiv.artifact("synapse/homeserver.yaml"),
      {.key = "synapse_config", .mounts = {{"synapse", "/data/homeserver.yaml", "991", "991", 0444}}});
  const Artifact& log = kyiv.artifact("synapse/log.config");
  testing::check_placement(
      log, {.key = "synapse_log_config", .mounts = {{"synapse", "/data/log.config", "991", "991", 0444}}});

  const YAML::Node hs = kyiv.homeserver();
  CHECK(hs["server_name"].as<std::string>() == "matrix.kyiv.dcomm.net.ua");
  CHECK(hs["public_baseurl"].as<std::string>() == "https://matrix.kyiv.dcomm.net.ua/");
  CHECK(hs["log_config"].as<std::string>() == log.mounts[0].target);
  CHECK(hs["report_stats"].as<bool>() == false);
  CHECK(hs["media_store_path"].as<std::string>() == "/data/media_store");
  CHECK(hs["pid_file"].as<std::string>() == "/data/homeserver.pid");

  // One plain-HTTP listener behind Caddy on the node's loopback.
  REQUIRE(hs["listeners"].size() == 1);
  const YAML::Node listener = hs["listeners"][0];
  CHECK(listener["port"].as<int>() == 8008);
  CHECK(listener["tls"].as<bool>() == false);
  CHECK(listener["type"].as<std::string>() == "http");
  CHECK(listener["x_forwarded"].as<bool>() == true);
  CHECK(listener["bind_addresses"].as<std::vector<std::string>>() ==
        std::vector<std::string>{"127.0.0.1"});
  CHECK(resource_names(hs) == std::vector<std::string>{"client", "federation"});
}

TEST_CASE("synapse: the database is reached through a libpq password file") {
  const Emitted kyiv = kyiv_example();
  const YAML::Node db = kyiv.homeserver()["database"];
  CHECK(db["name"].as<std::string>() == "psycopg2");
  const YAML::Node args = db["args"];
  CHECK(args["user"].as<std::string>() == "synapse");
  CHECK(args["dbname"].as<std::string>() == "synapse");
  CHECK(args["host"].as<std::string>() == "127.0.0.1");
  CHECK(args["port"].as<int>() == 5432);
  CHECK(args["cp_min"].as<int>() == 5);
  CHECK(args["cp_max"].as<int>() == 10);
  CHECK_FALSE(args["password"]);

  const Artifact& pgpass = kyiv.artifact("secrets/synapse_pgpass");
  // Mode 0400: libpq ignores a file others may read.
  testing::check_placement(pgpass, {.key = "synapse_pgpass",
                                    .secret = true,
                                    .mounts = {{"synapse", "/run/secrets/pgpass", "991", "991", 0400}}});
  CHECK(args["passfile"].as<std::string>() == pgpass.mounts.at(0).target);
  const model::Service& postgres = *kyiv.site().service("postgres");
  CHECK(pgpass.content ==
        "127.0.0.1:5432:synapse:synapse:" + SiteContext::secret(postgres, "password") + "\n");
}

TEST_CASE("synapse: the postgres container creates what homeserver.yaml logs in to") {
  const Emitted kyiv = kyiv_example();
  const YAML::Node args = kyiv.homeserver()["database"]["args"];
  const model::Service& postgres = *kyiv.site().service("postgres");
  REQUIRE(postgres.containers.size() == 1);
  const auto& env = postgres.containers[0].environment;
  auto value = [&](const std::string& name) {
    auto it = env.find(name);
    return it == env.end() ? std::string("(unset)") : it->second;
  };
  CHECK(value("POSTGRES_USER") == args["user"].as<std::string>());
  CHECK(value("POSTGRES_DB") == args["dbname"].as<std::string>());
  CHECK(value("POSTGRES_PASSWORD_FILE") == "/run/secrets/password");
  // Synapse refuses a database whose collation or ctype is not C.
  CHECK(value("POSTGRES_INITDB_ARGS") == "--encoding=UTF8 --lc-collate=C --lc-ctype=C --auth-host=scram-sha-256 --auth-local=scram-sha-256");
}

TEST_CASE("synapse: on an overlay network the database is the postgres container") {
  const Emitted overlay = emit_site("", "tls = internal\n  network = overlay");
  const YAML::Node hs = overlay.homeserver();
  CHECK(hs["database"]["args"]["host"].as<std::string>() == "postgres");
  CHECK(hs["listeners"][0]["bind_addresses"].as<std::vector<std::string>>() ==
        std::vector<std::string>{"0.0.0.0"});
  CHECK(overlay.text("secrets/synapse_pgpass").starts_with("postgres:5432:synapse:synapse:"));
}

TEST_CASE("synapse: registration by token, open or closed") {
  SECTION("token, the default") {
    const YAML::Node hs = emit_site("").homeserver();
    CHECK(hs["enable_registration"].as<bool>() == true);
    CHECK(hs["registration_requires_token"].as<bool>() == true);
    CHECK_FALSE(hs["enable_registration_without_verification"]);
  }
  SECTION("open: Synapse must be told no verification is intended") {
    const YAML::Node hs = emit_site("registration = open").homeserver();
    CHECK(hs["enable_registration"].as<bool>() == true);
    CHECK(hs["enable_registration_without_verification"].as<bool>() == true);
    CHECK_FALSE(hs["registration_requires_token"]);
  }
  SECTION("closed") {
    const YAML::Node hs = emit_site("registration = closed").homeserver();
    CHECK(hs["enable_registration"].as<bool>() == false);
    CHECK_FALSE(hs["registration_requires_token"]);
    CHECK_FALSE(hs["enable_registration_without_verification"]);
  }
  SECTION("every mode keeps the seed's rate limit") {
    for (const char* mode : {"token", "open", "closed"}) {
      INFO(mode);
      const YAML::Node rc =
          emit_site(std::string("registration = ") + mode).homeserver()["rc_registration"];
      CHECK(rc["per_second"].as<double>() == 0.1);
      CHECK(rc["burst_count"].as<int>() == 2);
    }
  }
}

TEST_CASE("synapse: federation on and off") {
  SECTION("on, with public certificates: the federation API and matrix.org as key notary") {
    const Emitted emitted = emit_site("federation = true", "tls = acme(\"ops@dcomm.net.ua\")");
    const YAML::Node hs = emitted.homeserver();
    CHECK(resource_names(hs) == std::vector<std::string>{"client", "federation"});
    CHECK_FALSE(hs["federation_domain_whitelist"]);
    REQUIRE(hs["trusted_key_servers"].size() == 1);
    CHECK(hs["trusted_key_servers"][0]["server_name"].as<std::string>() == "matrix.org");
    CHECK(hs["suppress_key_server_warning"].as<bool>() == true);
    CHECK(hs["allow_public_rooms_over_federation"].as<bool>() == true);
    REQUIRE(hs["room_list_publication_rules"].size() == 1);
    CHECK(hs["room_list_publication_rules"][0]["action"].as<std::string>() == "allow");
    CHECK_FALSE(hs["federation_custom_ca_list"]);
    CHECK_FALSE(emitted.out.find("synapse/federation-ca.crt"));
  }
  SECTION("on, offline (tls = internal): the federation's root, no key server") {
    const Emitted emitted = emit_site("federation = true");
    const YAML::Node hs = emitted.homeserver();
    CHECK(resource_names(hs) == std::vector<std::string>{"client", "federation"});
    REQUIRE(hs["trusted_key_servers"].IsSequence());
    CHECK(hs["trusted_key_servers"].size() == 0);
    CHECK_FALSE(hs["suppress_key_server_warning"]);
    CHECK(hs["allow_public_rooms_over_federation"].as<bool>() == true);
    REQUIRE(hs["federation_custom_ca_list"].size() == 1);
    CHECK(hs["federation_custom_ca_list"][0].as<std::string>() == "/data/federation-ca.crt");
    const Artifact& root = emitted.artifact("synapse/federation-ca.crt");
    CHECK(root.content == testing::kTestFederationCa);
    CHECK_FALSE(root.secret);
    REQUIRE(root.mounts.size() == 1);
    CHECK(root.mounts[0].target == "/data/federation-ca.crt");
    CHECK(root.mounts[0].uid == "991");
    CHECK_FALSE(hs["ip_range_whitelist"]);  // no other site
  }
  SECTION("on, with open registration: only Synapse's default publishes in the shared directory") {
    const YAML::Node hs = emit_site("federation = true\n    registration = open").homeserver();
    CHECK(hs["allow_public_rooms_over_federation"].as<bool>() == true);
    CHECK_FALSE(hs["room_list_publication_rules"]);
  }
  SECTION("off: no federation API, no remote server, no outside key server") {
    const YAML::Node hs = emit_site("federation = false").homeserver();
    CHECK(resource_names(hs) == std::vector<std::string>{"client"});
    CHECK_FALSE(hs["allow_public_rooms_over_federation"]);
    CHECK_FALSE(hs["room_list_publication_rules"]);
    REQUIRE(hs["federation_domain_whitelist"].IsSequence());
    CHECK(hs["federation_domain_whitelist"].size() == 0);
    REQUIRE(hs["trusted_key_servers"].IsSequence());
    CHECK(hs["trusted_key_servers"].size() == 0);
  }
}

TEST_CASE("synapse: the other federating sites' Caddy nodes, and only theirs, are allowed although private") {
  const Emitted emitted(R"(
template "city" {
  tls = internal
  node "web" {
    labels    = { dwebstackdomain = site.domain }
    addresses = ["10.1.0.1"]
  }
  service "synapse" {
    kind = synapse
  }
}
site "kyiv" {
  extends = template.city
  domain  = "kyiv.dcomm.net.ua"
}
site "lviv" {
  extends = template.city
  domain  = "lviv.dcomm.net.ua"
  node "web" {
    labels    = { dwebstackdomain = site.domain }
    addresses = ["10.2.0.1", "fd00::2"]
  }
  node "bridge" {
    labels    = { dwebstackrole = "bridge" }
    addresses = ["10.2.0.9"]
  }
  service "synapse" {
    on = node.web
  }
  service "bridge" {
    kind = ceno
    on   = node.bridge
  }
}
site "odesa" {
  extends = template.city
  domain  = "odesa.dcomm.net.ua"
  node "web" {
    labels    = { dwebstackdomain = site.domain }
    addresses = ["10.3.0.1"]
  }
  service "synapse" {
    federation = false
  }
}
)");
  const YAML::Node hs = emitted.homeserver();
  // lviv's web node (not its bridge node); odesa does not federate; kyiv is this site.
  CHECK(hs["ip_range_whitelist"].as<std::vector<std::string>>() ==
        std::vector<std::string>{"10.2.0.1/32", "fd00::2/128"});
}

TEST_CASE("synapse: encryption, presence and the upload limit follow the attributes") {
  const YAML::Node defaults = emit_site("").homeserver();
  CHECK(defaults["url_preview_enabled"].as<bool>() == false);
  CHECK(defaults["encryption_enabled_by_default_for_room_type"].as<std::string>() == "all");
  CHECK(defaults["presence"]["enabled"].as<bool>() == false);
  CHECK(defaults["max_upload_size"].as<std::int64_t>() == 50ll << 20);

  const YAML::Node changed =
      emit_site("encryption = false\n    presence = true\n    max_upload = 6G").homeserver();
  CHECK(changed["encryption_enabled_by_default_for_room_type"].as<std::string>() == "off");
  CHECK(changed["presence"]["enabled"].as<bool>() == true);
  // An integer: Synapse's size parser has no G suffix.
  CHECK(changed["max_upload_size"].as<std::int64_t>() == 6ll << 30);
}

TEST_CASE("synapse: the public URL follows the site's TLS mode") {
  CHECK(emit_site("", "tls = internal").homeserver()["public_baseurl"].as<std::string>() ==
        "https://matrix.kyiv.dcomm.net.ua/");
  // Onion only: Tor forwards the onion's port 80 to Caddy's plain HTTP.
  const YAML::Node onion = emit_site("", "tls = off\n  onion = \"" + kOnion + "\"").homeserver();
  CHECK(onion["public_baseurl"].as<std::string>() == "http://matrix." + kOnion + "/");
  // The Matrix IDs stay on the domain, as the seed ran it.
  CHECK(onion["server_name"].as<std::string>() == "matrix.kyiv.dcomm.net.ua");
  CHECK(emit_site("host = \"hs\"").homeserver()["server_name"].as<std::string>() ==
        "hs.kyiv.dcomm.net.ua");
}

TEST_CASE("synapse: secrets reach Synapse only as files") {
  const Emitted kyiv = kyiv_example();
  const YAML::Node hs = kyiv.homeserver();

  // Each of the service's secrets, at the path the stack mounts it.
  std::set<std::string> mounted;
  for (const char* option : {"signing_key_path", "macaroon_secret_key_path", "form_secret_path",
                             "registration_shared_secret_path"}) {
    INFO(option);
    REQUIRE(hs[option]);
    mounted.insert(hs[option].as<std::string>());
  }
  std::set<std::string> expected;
  for (const model::Secret& secret : kyiv.site().service("synapse")->secrets) {
    expected.insert("/run/secrets/" + secret.name);
  }
  CHECK(mounted == expected);

  std::set<std::string> keys;
  all_keys(hs, keys);
  for (const char* inline_secret :
       {"macaroon_secret_key", "form_secret", "registration_shared_secret", "password",
        "turn_shared_secret", "worker_replication_secret"}) {
    INFO(inline_secret);
    CHECK(keys.count(inline_secret) == 0);
  }
  for (const char* file : {"synapse/homeserver.yaml", "synapse/log.config"}) {
    INFO(file);
    CHECK_FALSE(has_placeholder(kyiv.text(file)));
  }
  CHECK(has_placeholder(kyiv.text("secrets/synapse_pgpass")));
}

TEST_CASE("synapse: the key check finds keys the schema does not know") {
  const YAML::Node typo = YAML::Load(R"(
enable_registraton: true
listeners: [{port: 8008, bind_adresses: ["127.0.0.1"]}]
rc_registration: {per_sec: 1}
database: {name: psycopg2, args: {anything: 1}}
)");
  CHECK(unknown_keys(typo) == std::vector<std::string>{"enable_registraton",
                                                       "listeners[].bind_adresses",
                                                       "rc_registration.per_sec"});
}

TEST_CASE("synapse: every key emitted is one Synapse's config schema knows") {
  for (const std::string synapse :
       {"", "registration = open\n    federation = false",
        "registration = closed\n    encryption = false\n    presence = true"}) {
    INFO(synapse);
    CHECK(unknown_keys(emit_site(synapse).homeserver()).empty());
  }
  CHECK(unknown_keys(kyiv_example().homeserver()).empty());
}

TEST_CASE("synapse: every string is quoted, so YAML 1.1 reads no boolean into it") {
  const std::regex boolean_or_number("true|false|-?[0-9]+(\\.[0-9]+)?");
  for (const std::string synapse : {"", "encryption = false\n    federation = false"}) {
    const Emitted emitted = emit_site(synapse);
    for (const char* file : {"synapse/homeserver.yaml", "synapse/log.config"}) {
      std::vector<std::string> plain;
      plain_scalars(emitted.yaml(file), plain);
      for (const std::string& scalar : plain) {
        INFO(file << ": " << scalar);
        CHECK(std::regex_match(scalar, boolean_or_number));
      }
    }
  }
}

TEST_CASE("synapse: log.config logs to the container's stdout") {
  const YAML::Node log = emit_site("").yaml("synapse/log.config");
  CHECK(log["version"].as<int>() == 1);
  CHECK(log["handlers"]["console"]["class"].as<std::string>() == "logging.StreamHandler");
  CHECK(log["handlers"]["console"]["stream"].as<std::string>() == "ext://sys.stdout");
  CHECK(log["formatters"][log["handlers"]["console"]["formatter"].as<std::string>()]);
  CHECK(log["root"]["level"].as<std::string>() == "INFO");
  CHECK(log["root"]["handlers"].as<std::vector<std::string>>() ==
        std::vector<std::string>{"console"});
  // DEBUG on this logger prints access tokens.
  CHECK(log["loggers"]["synapse.storage.SQL"]["level"].as<std::string>() == "WARNING");
  CHECK(log["disable_existing_loggers"].as<bool>() == false);
}

TEST_CASE("synapse: the same spec gives the same bytes") {
  testing::check_same_bytes(emit_synapse, "kyiv.dcomm", "kyiv");
}

}  // namespace dcomm::emit
