#pragma once
// The front end as one call, shared by `dcommc check`, the build, the
// explain page tests and the fuzzers, so they all see the same stages:
//   load (stdlib, imports, parse) -> resolve (typed model) -> validate

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

/// Runs every front-end stage on the spec `root`, already in `sources`.
Compilation check_file(SourceMap& sources, FileId root, Diagnostics& diags,
                       const resolve::LoadOptions& options = {});

}  // namespace dcomm
