#pragma once
// For emitter tests: a spec compiled through the real front end (stdlib,
// resolver, validation), then one emitter run on one of its sites.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "driver/pipeline.hpp"
#include "emit/emitter.hpp"
#include "util/files.hpp"

namespace dcomm::emit::testing {

/// Stands for the federation's root certificate: emitters copy it, never
/// read it (build/certificates_test.cpp tests the real one).
inline constexpr std::string_view kTestFederationCa =
    "-----BEGIN CERTIFICATE-----\nthe federation's root\n-----END CERTIFICATE-----\n";

struct CompiledSpec {
  SourceMap sources;
  Diagnostics diags;
  Compilation result;

  /// `text` as the file `name`; a spec that does not check fails the test.
  explicit CompiledSpec(std::string text, std::string name = "spec.dcomm") {
    result = check_file(sources, sources.add(std::move(name), std::move(text)), diags);
    for (const auto& d : diags.all()) UNSCOPED_INFO(d.code << ": " << d.message);
    REQUIRE_FALSE(diags.has_errors());
  }

  const model::Site& site(const std::string& name) const {
    const auto& sites = result.federation.sites;
    auto it = std::find_if(sites.begin(), sites.end(), [&](const model::Site& s) { return s.name == name; });
    INFO("site " << name);
    REQUIRE(it != sites.end());
    return *it;
  }

  /// What the build gives the emitters of site `name`.
  SiteContext context(const std::string& name) const {
    return SiteContext{result.federation, site(name), [](const std::string&) { return 1; }, kTestFederationCa};
  }

  /// What `emit` writes for site `name`.
  ArtifactSet emit(void (*emit)(const SiteContext&, ArtifactSet&), const std::string& name) const {
    ArtifactSet out;
    emit(context(name), out);
    return out;
  }

  /// The first site, for a test to change the model before emitting.
  model::Site& first_site() { return result.federation.sites.at(0); }
};

/// A spec from examples/.
inline std::string example(const std::string& file) {
  std::string error;
  auto text = util::read_file(std::filesystem::path(DCOMMC_SOURCE_DIR) / "examples" / file, error);
  REQUIRE(text);
  return *text;
}

/// The content of the artifact at `path`; fails the test if there is none.
inline const Artifact& artifact(const ArtifactSet& set, const std::string& path) {
  const Artifact* found = set.find(path);
  INFO("artifact " << path);
  REQUIRE(found);
  return *found;
}

/// The file at `path`, the only one `emit` writes for the kyiv example.
inline Artifact kyiv_example_file(void (*emit)(const SiteContext&, ArtifactSet&), const std::string& path) {
  const ArtifactSet set = CompiledSpec(example("kyiv.dcomm")).emit(emit, "kyiv");
  REQUIRE(set.all().size() == 1);
  return artifact(set, path);
}

/// A spec of one site `name` at `name`.dcomm.net.ua whose node "worker"
/// carries the domain label: `attributes` go before the node (tls, onion,
/// network), `services` after it.
inline std::string one_site(const std::string& attributes, const std::string& services,
                            const std::string& name = "kyiv") {
  const std::string domain = name + ".dcomm.net.ua";
  return "site \"" + name + "\" {\n  domain = \"" + domain + "\"\n  " + attributes +
         "\n  node \"worker\" { labels = { dwebstackdomain = \"" + domain + "\" } }\n  " + services + "\n}\n";
}

/// Where the stack puts an artifact: its key under configs: or secrets:,
/// whether it is a secret, and the containers it is mounted into.
struct Placement {
  std::string key;
  bool secret = false;
  std::vector<Mount> mounts;
};

/// Checks every field of where `a` is placed against `expected`.
inline void check_placement(const Artifact& a, const Placement& expected) {
  INFO("artifact " << a.path);
  CHECK(a.key == expected.key);
  CHECK(a.secret == expected.secret);
  REQUIRE(a.mounts.size() == expected.mounts.size());
  for (std::size_t i = 0; i < a.mounts.size(); ++i) {
    INFO("mount " << i);
    CHECK(a.mounts[i].container == expected.mounts[i].container);
    CHECK(a.mounts[i].target == expected.mounts[i].target);
    CHECK(a.mounts[i].uid == expected.mounts[i].uid);
    CHECK(a.mounts[i].gid == expected.mounts[i].gid);
    CHECK(a.mounts[i].mode == expected.mounts[i].mode);
  }
}

/// Compiles the example `file` twice and checks that `emit` writes the
/// same files, byte for byte and placed alike, for its site `site`.
inline void check_same_bytes(void (*emit)(const SiteContext&, ArtifactSet&), const std::string& file,
                             const std::string& site) {
  const ArtifactSet first = CompiledSpec(example(file)).emit(emit, site);
  const ArtifactSet second = CompiledSpec(example(file)).emit(emit, site);
  REQUIRE_FALSE(first.all().empty());
  REQUIRE(first.all().size() == second.all().size());
  for (std::size_t i = 0; i < first.all().size(); ++i) {
    const Artifact& a = first.all()[i];
    const Artifact& b = second.all()[i];
    INFO(a.path);
    CHECK(a.path == b.path);
    CHECK(a.content == b.content);
    CHECK(a.key == b.key);
    CHECK(a.secret == b.secret);
  }
}

/// The lines of `text`, without their line breaks, for which `keep` holds.
template <typename Keep>
std::vector<std::string> lines_where(const std::string& text, Keep keep) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    std::string line = text.substr(at, end - at);
    if (keep(line)) lines.push_back(std::move(line));
    at = end + 1;
  }
  return lines;
}

/// Whether `part` occurs in `text`.
inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace dcomm::emit::testing
