#pragma once
// How a command that takes one spec reads it: with its imports and the
// standard library, checked, its diagnostics printed for people. build,
// plan, graph and images share it, so they answer a missing file or a
// spec with errors the same way.

#include <functional>
#include <string>

#include "cli/output.hpp"
#include "driver/pipeline.hpp"

namespace dcomm::cli {

struct CheckedSpec {
  int status = 0;  ///< kExitOk when `compilation` is usable, else the exit status
  Compilation compilation;
  SourceMap sources;  ///< the spec and its imports, for diagnostics reported later
  std::size_t errors = 0;
  std::size_t warnings = 0;
};

/// Reads and checks `spec`. The status is kExitFailure when the file cannot
/// be read, kExitFailure when it has errors. `while_checking` runs once
/// the file is read, before the check: build and plan start reading the
/// output folder then, in parallel with it.
CheckedSpec check_spec(const std::string& spec, const resolve::LoadOptions& load, ColorMode color,
                       const std::function<void()>& while_checking = {});

}  // namespace dcomm::cli
