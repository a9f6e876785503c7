// The build driver: secrets generated once and never leaked, output that
// is deterministic, and writes that touch only what changed.

#include "write/build.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "write/build_test_support.hpp"
#include "write/fingerprint.hpp"
#include "write/random_secrets.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace {

namespace fs = std::filesystem;
using testing::Compiled;
using testing::OutDir;
using testing::read;

fs::path example() { return fs::path(DCOMMC_SOURCE_DIR) / "examples/kyiv.dcomm"; }

fs::path federation_spec() { return fs::path(DCOMMC_SOURCE_DIR) / "examples/federation.dcomm"; }

/// The federation example with lviv's domain changed: one site's input.
void edit_lviv(std::string& text) {
  const std::string from = "\"lviv.dcomm.net.ua\"";
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), "\"lviv.example.org\"");
}

/// Past the coarse clock tick of the last build's manifest, so that an
/// edit gets a later change time (see up_to_date.hpp).
void next_tick() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

using Names = std::vector<std::string>;


/// The public files under `root`, by path. A manifest's secret_sha256
/// digests the secrets' values, which differ between builds with fresh
/// secrets: it is left out, the rest compared.
std::map<std::string, std::string> public_files(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string relative = fs::relative(entry.path(), root).generic_string();
    if (!entry.is_regular_file() || relative.find("/secrets/") != std::string::npos) continue;
    files[relative] = read(entry.path());
    if (entry.path().filename() == "manifest.json") {
      auto manifest = nlohmann::json::parse(files[relative]);
      manifest.erase("secret_sha256");
      files[relative] = manifest.dump(2);
    }
  }
  return files;
}

}  // namespace

TEST_CASE("build: secrets come from the CSPRNG in the formats Synapse and others expect") {
  const std::string key1 = generate_secret(model::Secret::Format::signing_key);
  const std::string key2 = generate_secret(model::Secret::Format::signing_key);
  CHECK(key1 != key2);
  const std::regex signing_key("ed25519 a_[A-Za-z]{4} [A-Za-z0-9+/]{43}\n");
  CHECK(std::regex_match(key1, signing_key));
  CHECK(std::regex_match(generate_secret(model::Secret::Format::token), std::regex("[A-Za-z0-9_-]{43}")));
  CHECK(std::regex_match(generate_secret(model::Secret::Format::password), std::regex("[A-Za-z0-9]{32}")));
  CHECK(generate_secret(model::Secret::Format::token) != generate_secret(model::Secret::Format::token));
}

TEST_CASE("build: secrets are generated once, mode 0600, and kept") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  const fs::path key = out.path / "kyiv/secrets/synapse_macaroon_key";
  REQUIRE(fs::exists(key));
  const std::string first = read(key);
  struct stat info {};
  REQUIRE(::stat(key.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  REQUIRE(::stat(key.parent_path().c_str(), &info) == 0);
  CHECK((info.st_mode & 0077) == 0);
  // Public files are 0644 whatever the umask, written new or replaced.
  const mode_t old_umask = ::umask(077);
  OutDir strict;
  kyiv.build({.out = strict.path});
  ::umask(old_umask);
  REQUIRE(::stat((strict.path / "kyiv/stack.yml").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0644);
  REQUIRE(::stat((strict.path / "kyiv/secrets/synapse_macaroon_key").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  const WriteResult again = kyiv.build({.out = out.path});
  CHECK(read(key) == first);
  CHECK(again.written.empty());  // nothing changed, nothing rewritten
  CHECK(kyiv.changes({.out = out.path}).empty());
}

TEST_CASE("build: --rotate-secrets draws a new value with a new generation") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  const fs::path key = out.path / "kyiv/secrets/synapse_form_secret";
  const std::string before = read(key);
  kyiv.build({.out = out.path, .rotate = {"synapse_form_secret"}});
  CHECK(read(key) != before);
  const auto generations = nlohmann::json::parse(read(out.path / "kyiv/secrets/generations.json"));
  CHECK(generations.at("synapse_form_secret") == 2);
  CHECK(generations.at("synapse_macaroon_key") == 1);

  std::string error;
  CHECK_FALSE(plan_changes(kyiv.compilation, {.out = out.path, .rotate = {"nope"}}, error));
  CHECK(error.find("no secret named 'nope'") != std::string::npos);
}

TEST_CASE("build: no secret value reaches a public file") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  std::vector<std::string> values;
  const auto manifest = nlohmann::json::parse(read(out.path / "kyiv/manifest.json"));
  for (const auto& name : manifest.at("secrets")) {
    values.push_back(read(out.path / "kyiv/secrets" / name.get<std::string>()));
    REQUIRE(values.back().size() >= 32);
  }
  REQUIRE(values.size() >= 8);
  for (const auto& [path, content] : public_files(out.path)) {
    for (const auto& value : values) {
      INFO(path);
      // The signing key line holds the key after its version: search for that.
      const std::string needle = value.starts_with("ed25519") ? value.substr(value.rfind(' ') + 1, 43) : value;
      CHECK(content.find(needle) == std::string::npos);
    }
  }
}

TEST_CASE("build: output is deterministic, apart from secrets") {
  Compiled kyiv(example());
  OutDir first, second;
  kyiv.build({.out = first.path});
  kyiv.build({.out = second.path});
  CHECK(public_files(first.path) == public_files(second.path));
}

TEST_CASE("build: the manifest lists every public artifact with its sha256") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  const auto manifest = nlohmann::json::parse(read(out.path / "kyiv/manifest.json"));
  CHECK(manifest.at("site") == "kyiv");
  CHECK(manifest.at("compiler") == "dcommc " DCOMMC_VERSION);
  CHECK(manifest.at("fingerprint") ==
        site_fingerprint(kyiv.compilation.federation, kyiv.compilation.federation.sites.at(0)));
  CHECK(manifest.at("secret_files") ==
        nlohmann::json::array({"secrets/synapse_pgpass", "secrets/maubot/config.yaml"}));
  for (const auto& artifact : manifest.at("artifacts")) {
    const fs::path file = out.path / "kyiv" / artifact.at("path").get<std::string>();
    INFO(file);
    CHECK(util::sha256_hex(read(file)) == artifact.at("sha256"));
    CHECK(file.string().find("/secrets/") == std::string::npos);
  }
  CHECK(read(out.path / ".gitignore").find("*/secrets/") != std::string::npos);
}

TEST_CASE("build: files an earlier build wrote and this one does not are removed") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  const fs::path manifest = out.path / "kyiv/manifest.json";
  auto doc = nlohmann::json::parse(read(manifest));
  const fs::path key = out.path / "kyiv/secrets/synapse_signing_key";
  const std::string key_digest = util::sha256_hex(read(key));
  doc["fingerprint"] = "of an older spec";
  doc["artifacts"].push_back({{"path", "old/artifact.conf"}, {"sha256", util::sha256_hex("stale")}});
  doc["artifacts"].push_back({{"path", "old/edited.conf"}, {"sha256", util::sha256_hex("as written")}});
  // Never followed out of the folder, never into secrets/, whatever the digest.
  doc["artifacts"].push_back({{"path", "../outside.conf"}, {"sha256", util::sha256_hex("not ours")}});
  doc["artifacts"].push_back({{"path", "secrets/synapse_signing_key"}, {"sha256", key_digest}});
  doc["artifacts"].push_back({{"path", "caddy/../secrets/synapse_signing_key"}, {"sha256", key_digest}});
  std::ofstream(manifest) << doc.dump();
  fs::create_directories(out.path / "kyiv/old");
  std::ofstream(out.path / "kyiv/old/artifact.conf") << "stale";
  std::ofstream(out.path / "kyiv/old/edited.conf") << "edited by hand";
  std::ofstream(out.path / "outside.conf") << "not ours";

  const WriteResult result = kyiv.build({.out = out.path});
  CHECK_FALSE(fs::exists(out.path / "kyiv/old/artifact.conf"));
  CHECK(fs::exists(out.path / "kyiv/old/edited.conf"));
  CHECK(fs::exists(out.path / "outside.conf"));
  CHECK(fs::exists(key));
  CHECK(result.removed == std::vector<fs::path>{out.path / "kyiv/old/artifact.conf"});
  CHECK(result.kept == std::vector<fs::path>{out.path / "kyiv/old/edited.conf"});
}

TEST_CASE("build: a file that did not change keeps its inode and time") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  const fs::path manifest = out.path / "kyiv/manifest.json";
  struct stat before {}, after {};
  REQUIRE(::stat(manifest.c_str(), &before) == 0);
  kyiv.build({.out = out.path});
  REQUIRE(::stat(manifest.c_str(), &after) == 0);
  CHECK(before.st_ino == after.st_ino);
  CHECK(before.st_mtim.tv_sec == after.st_mtim.tv_sec);
  CHECK(before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
}

TEST_CASE("build: a rebuild renders only the sites whose inputs changed") {
  Compiled federation(federation_spec());
  OutDir out;
  const WriteResult first = federation.build({.out = out.path});
  CHECK(first.rendered == Names{"kyiv", "lviv", "kharkiv"});
  CHECK(first.skipped.empty());

  const WriteResult again = federation.build({.out = out.path});
  CHECK(again.rendered.empty());
  CHECK(again.skipped == Names{"kyiv", "lviv", "kharkiv"});
  CHECK(again.written.empty());
  CHECK(federation.changes({.out = out.path}).empty());

  Compiled edited(federation_spec(), edit_lviv);
  const auto planned = edited.changes({.out = out.path});
  CHECK(planned.size() == 3);  // lviv; kyiv and kharkiv, whose Element lists lviv's homeserver
  const WriteResult after_edit = edited.build({.out = out.path});
  // Element's config.json of every site lists the other sites' homeservers.
  CHECK(after_edit.rendered == Names{"kyiv", "lviv", "kharkiv"});
  for (const auto& path : after_edit.written) {
    INFO(path);
    const std::string site = path.lexically_relative(out.path).begin()->string();
    // config.json, and stack.yml, which names its swarm config by its content.
    if (site != "lviv") CHECK(std::set<fs::path>{"config.json", "stack.yml", "manifest.json"}.contains(path.filename()));
  }

  // The same output as a full build from the same secrets.
  OutDir full;
  fs::copy(out.path, full.path, fs::copy_options::recursive);
  const auto copied = public_files(full.path);
  const WriteResult forced = edited.build({.out = full.path, .full = true});
  CHECK(forced.rendered.size() == 3);
  CHECK(public_files(full.path) == copied);
  // (The copies are newer than their manifests: those are written again.)
  for (const auto& path : forced.written) CHECK(path.filename() == "manifest.json");
}

TEST_CASE("build: a rebuild of a federation member leaves the others alone") {
  Compiled federation(federation_spec());
  OutDir out;
  federation.build({.out = out.path});
  Compiled edited(federation_spec(), [](std::string& text) {
    const std::string from = "site \"kharkiv\" {";
    text.replace(text.find(from), from.size(), from + "\n  country = \"PL\"");
  });
  const WriteResult result = edited.build({.out = out.path});
  CHECK(result.rendered == Names{"kharkiv"});
  CHECK(result.skipped == Names{"kyiv", "lviv"});
  REQUIRE_FALSE(result.written.empty());
  for (const auto& path : result.written) CHECK(path.lexically_relative(out.path).begin()->string() == "kharkiv");
}

TEST_CASE("build: a file touched since the last build makes its site render again") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  const fs::path caddyfile = out.path / "kyiv/caddy/Caddyfile";
  const std::string built = read(caddyfile);
  next_tick();
  std::ofstream(caddyfile) << "edited by hand\n";
  WriteResult result = kyiv.build({.out = out.path});
  CHECK(result.rendered == Names{"kyiv"});
  CHECK(read(caddyfile) == built);

  // Deleted, restored; a secret replaced, the files made from it follow.
  fs::remove(out.path / "kyiv/stack.yml");
  CHECK(kyiv.build({.out = out.path}).written == std::vector<fs::path>{out.path / "kyiv/stack.yml",
                                                                        out.path / "kyiv/manifest.json"});
  const fs::path secret = out.path / "kyiv/secrets/bots_admin_password";
  const fs::path config = out.path / "kyiv/secrets/maubot/config.yaml";
  next_tick();
  std::string error;
  REQUIRE(util::write_file_atomically(secret, "replaced-by-the-operator-0123456789", error, 0600));
  result = kyiv.build({.out = out.path});
  CHECK(result.rendered == Names{"kyiv"});
  CHECK(read(config).find("replaced-by-the-operator-0123456789") != std::string::npos);

  // Only touched: rendered once more, nothing but the manifest rewritten,
  // then current again.
  next_tick();
  REQUIRE(::chmod(caddyfile.c_str(), 0644) == 0);
  CHECK(kyiv.build({.out = out.path}).written == std::vector<fs::path>{out.path / "kyiv/manifest.json"});
  CHECK(kyiv.build({.out = out.path}).skipped == Names{"kyiv"});
}

TEST_CASE("build: a site a killed build was writing is rendered again, and its leftovers removed") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  const fs::path leftover = out.path / "kyiv/stack.yml.dcommc-AbC123";
  std::ofstream(leftover) << "half";
  std::ofstream(out.path / ".dcommc-pending") << "kyiv\n";
  const WriteResult result = kyiv.build({.out = out.path});
  CHECK(result.rendered == Names{"kyiv"});
  CHECK(result.removed == std::vector<fs::path>{leftover});
  CHECK_FALSE(fs::exists(out.path / ".dcommc-pending"));
  CHECK(kyiv.build({.out = out.path}).skipped == Names{"kyiv"});
}

TEST_CASE("build: --rotate-secrets and --full render a site whose inputs did not change") {
  Compiled kyiv(example());
  OutDir out;
  kyiv.build({.out = out.path});
  CHECK(kyiv.build({.out = out.path, .full = true}).rendered == Names{"kyiv"});
  CHECK(kyiv.build({.out = out.path, .rotate = {"synapse_form_secret"}}).rendered == Names{"kyiv"});
}

TEST_CASE("build: a secret it cannot read stops the build before any site is written") {
  Compiled federation(federation_spec());
  REQUIRE(federation.compilation.federation.sites.size() >= 2);
  OutDir out;
  const std::string last = federation.compilation.federation.sites.back().name;
  fs::create_directories(out.path / last / "secrets/synapse_macaroon_key");  // a folder: unreadable as a file

  std::string error;
  CHECK_FALSE(dcomm::build::build(federation.compilation, {.out = out.path}, error));
  CHECK(error.find("nothing was written") != std::string::npos);
  for (const auto& site : federation.compilation.federation.sites) {
    INFO(site.name);
    CHECK_FALSE(fs::exists(out.path / site.name / "stack.yml"));
  }
  CHECK_FALSE(fs::exists(out.path / ".gitignore"));
}

}  // namespace dcomm::build
