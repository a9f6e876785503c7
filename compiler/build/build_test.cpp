// The build driver: secrets generated once and never leaked, output that
// is deterministic, and writes that touch only what changed.

#include "build/build.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "build/random_secrets.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace {

namespace fs = std::filesystem;

fs::path example() { return fs::path(DCOMMC_SOURCE_DIR) / "examples/kyiv.dcomm"; }

/// A scratch output folder, removed afterwards.
struct OutDir {
  fs::path path = fs::temp_directory_path() /
                  ("dcommc-build-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  ~OutDir() { fs::remove_all(path); }
  static inline int counter = 0;
};

struct Compiled {
  SourceMap sources;
  Diagnostics diags;
  Compilation compilation;

  explicit Compiled(const fs::path& spec) {
    std::string error;
    auto text = util::read_file(spec, error);
    REQUIRE(text);
    compilation = check_file(sources, sources.add(spec.string(), std::move(*text)), diags);
    REQUIRE_FALSE(diags.has_errors());
  }

  BuildPlan plan(const BuildOptions& options) const {
    std::string error;
    auto plan = plan_build(compilation, sources, options, error);
    INFO(error);
    REQUIRE(plan);
    return *plan;
  }

  /// As `dcommc build` does it: a site at a time.
  WriteResult build(const BuildOptions& options) const {
    std::string error;
    auto result = dcomm::build::build(compilation, sources, options, error);
    INFO(error);
    REQUIRE(result);
    return *result;
  }
};

std::string read(const fs::path& path) {
  std::string error;
  return util::read_file(path, error).value_or("");
}

std::map<std::string, std::string> public_files(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string relative = fs::relative(entry.path(), root).generic_string();
    if (entry.is_regular_file() && relative.find("/secrets/") == std::string::npos) {
      files[relative] = read(entry.path());
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
  CHECK(kyiv.plan({.out = out.path}).sites.at(0).new_secrets.empty());
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
  CHECK_FALSE(plan_build(kyiv.compilation, kyiv.sources, {.out = out.path, .rotate = {"nope"}}, error));
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
  CHECK(manifest.at("spec").at("sha256") == util::sha256_hex(read(example())));
  CHECK(manifest.at("spec").at("imports").empty());
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

TEST_CASE("build: a site at a time writes the same public files as the whole plan at once") {
  Compiled federation(fs::path(DCOMMC_SOURCE_DIR) / "examples/federation.dcomm");
  OutDir streamed, planned;
  federation.build({.out = streamed.path});
  std::string error;
  REQUIRE(write_plan(federation.plan({.out = planned.path}), error));
  const auto files = public_files(streamed.path);
  CHECK(files.size() > 40);
  CHECK(files == public_files(planned.path));
}

TEST_CASE("build: a secret it cannot read stops the build before any site is written") {
  Compiled federation(fs::path(DCOMMC_SOURCE_DIR) / "examples/federation.dcomm");
  REQUIRE(federation.compilation.federation.sites.size() >= 2);
  OutDir out;
  const std::string last = federation.compilation.federation.sites.back().name;
  fs::create_directories(out.path / last / "secrets/synapse_macaroon_key");  // a folder: unreadable as a file

  std::string error;
  CHECK_FALSE(dcomm::build::build(federation.compilation, federation.sources, {.out = out.path}, error));
  CHECK(error.find("nothing was written") != std::string::npos);
  for (const auto& site : federation.compilation.federation.sites) {
    INFO(site.name);
    CHECK_FALSE(fs::exists(out.path / site.name / "stack.yml"));
  }
  CHECK_FALSE(fs::exists(out.path / ".gitignore"));
}

}  // namespace dcomm::build
