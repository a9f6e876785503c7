#pragma once
// For emitter tests: a spec compiled through the real front end (stdlib,
// resolver, validation), then one emitter run on one of its sites.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

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

}  // namespace dcomm::emit::testing
