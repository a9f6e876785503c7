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

/// How every command that reads a spec reads and reports it: the same
/// flags everywhere (--stdlib, --allow-import-outside, --max-image-age,
/// --color), and --format for the diagnostics where the command's own
/// output leaves standard output free (check, build).
struct SpecReading {
  resolve::LoadOptions load;
  ColorMode color = ColorMode::automatic;
  DiagnosticFormat format = DiagnosticFormat::human;
};

/// Adds those flags to `command`; --format only if `diagnostics_format`.
void add_spec_reading_options(CLI::App& command, SpecReading& reading, bool diagnostics_format);

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
CheckedSpec check_spec(const std::string& spec, const SpecReading& reading,
                       const std::function<void()>& while_checking = {});

}  // namespace dcomm::cli
