#pragma once
// The front end as one call, shared by `dcommc check`, the build, the
// explain page tests and the fuzzers, so they all see the same stages:
//   load (stdlib, imports, parse) -> resolve (typed model) -> validate

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"
#include "resolve/loader.hpp"
#include "source/source_file.hpp"

namespace dcomm {

struct Compilation {
  std::vector<resolve::LoadedFile> files;
  model::Federation federation;  ///< trustworthy only if no error was reported
};

/// The most sites one spec may declare (E0414): room for any federation
/// people run, and a bound on the memory and output of one build.
inline constexpr std::size_t kMaxSites = 10'000;

/// Reads the spec file `path` (a file, or a pipe such as <(...)) into
/// `sources`; nullopt, with `error`, if it cannot be read.
std::optional<FileId> add_spec_file(SourceMap& sources, const std::string& path, std::string& error);

/// Runs every front-end stage on the spec `root`, already in `sources`.
Compilation check_file(SourceMap& sources, FileId root, Diagnostics& diags,
                       const resolve::LoadOptions& options = {});

/// The standard library alone, loaded and resolved: the kinds, for what
/// needs them before or without a spec (the editor's completion, the
/// emitter-contract test). Reports only the library's own problems.
Compilation check_standard_library(SourceMap& sources, Diagnostics& diags,
                                   const resolve::LoadOptions& options = {});

}  // namespace dcomm
