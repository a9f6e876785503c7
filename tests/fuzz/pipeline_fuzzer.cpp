// libFuzzer target for the whole pipeline, as `dcommc build` runs it up to
// the disk: load (with the built-in stdlib), resolve, validate, and, when
// the spec is clean, every emitter for every site, into memory. The seeds
// (tests/fuzz/pipeline_corpus) are valid specs, so mutations stay close
// enough to valid to reach the emitters.
//
// Besides "no crash, no sanitizer report", each clean spec's artifacts
// must keep the promises the build relies on (abort() turns a broken one
// into a finding):
//   - every path is relative, inside the site's folder, and unique;
//   - no public file holds a secret placeholder;
//   - every .json artifact is JSON and every .yml/.yaml artifact is YAML
//     (a value that escaped its quoting would break this first).
//
// Imports are answered from memory with an error, so an input cannot make
// the fuzzer read, or block on, a real file.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "write/certificates.hpp"
#include "diag/diagnostic.hpp"
#include "driver/pipeline.hpp"
#include "emit/emitter.hpp"
#include "source/source_file.hpp"

namespace {

[[noreturn]] void fail(const char* promise, const std::string& site, const dcomm::emit::Artifact& artifact,
                       const std::string& detail = {}) {
  std::fprintf(stderr,
               "pipeline_fuzzer: an artifact broke a promise: %s\n"
               "site: %s, file: %s\n%s\n--- content ---\n%s\n--- end ---\n",
               promise, site.c_str(), artifact.path.c_str(), detail.c_str(), artifact.content.c_str());
  std::abort();
}

bool stays_inside(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

void check_well_formed(const std::string& site, const dcomm::emit::Artifact& artifact) {
  const std::string_view path = artifact.path;
  if (path.ends_with(".json")) {
    if (!nlohmann::json::accept(artifact.content)) fail("JSON that does not parse", site, artifact);
  } else if (path.ends_with(".yml") || path.ends_with(".yaml")) {
    try {
      (void)YAML::Load(artifact.content);
    } catch (const YAML::Exception& error) {
      fail("YAML that does not parse", site, artifact, error.what());
    }
  }
}

void check_site(const dcomm::emit::ArtifactSet& artifacts, const std::string& site) {
  std::set<std::string_view> paths;
  for (const dcomm::emit::Artifact& artifact : artifacts.all()) {
    if (!stays_inside(artifact.path)) fail("a path outside the site's folder", site, artifact);
    if (!paths.insert(artifact.path).second) fail("two artifacts with one path", site, artifact);
    if (!artifact.secret && dcomm::emit::has_placeholder(artifact.content)) {
      fail("a secret placeholder in a public file", site, artifact);
    }
    check_well_formed(site, artifact);
  }
}

/// The built-in stdlib, parsed once: it is most of the text each input
/// would otherwise make the parser read.
struct Stdlib {
  dcomm::SourceMap sources;
  std::vector<dcomm::resolve::LoadedFile> files;

  Stdlib() {
    // The empty root only gets the stdlib loaded ("declares nothing" is
    // its own error); the stdlib's own health is unit:stdlib's job.
    dcomm::Diagnostics ignored;
    for (auto& file : dcomm::resolve::load(sources, sources.add("empty.dcomm", ""), ignored)) {
      if (file.stdlib) files.push_back(std::move(file));
    }
    if (files.empty()) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dcomm;

  static const Stdlib stdlib;
  SourceMap sources = stdlib.sources;
  Diagnostics diags;
  const FileId root = sources.add("fuzz.dcomm", std::string(reinterpret_cast<const char*>(data), size));
  resolve::LoadOptions options;
  options.parsed_stdlib = &stdlib.files;
  options.read_import = [](const std::filesystem::path&, std::string& error) -> std::optional<std::string> {
    error = "the fuzzer reads no imports";
    return std::nullopt;
  };
  const Compilation compilation = check_file(sources, root, diags, options);
  if (diags.has_errors()) return 0;

  // What the build gives the emitters of a tls = internal site: the
  // federation's root certificate (write/federation_ca.hpp), made once.
  static const std::string federation_ca =
      build::new_root_certificate(build::new_private_key(), "fuzz federation root");
  for (const model::Site& site : compilation.federation.sites) {
    const emit::SiteContext context{compilation.federation, site, [](const std::string&) { return 1; },
                                    federation_ca};
    check_site(emit::emit_site(context), site.name);
  }
  return 0;
}
