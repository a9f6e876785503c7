#include "cli/load_spec.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace dcomm::cli {

void add_spec_reading_options(CLI::App& command, SpecReading& reading, bool diagnostics_format) {
  if (diagnostics_format) add_format_option(command, reading.format);
  add_load_options(command, reading.load);
  add_color_option(command, reading.color);
}

CheckedSpec check_spec(const std::string& spec, const SpecReading& reading,
                       const std::function<void()>& while_checking) {
  CheckedSpec checked;
  std::string error;
  SourceMap& sources = checked.sources;
  const auto root = add_spec_file(sources, spec, error);
  if (!root) {
    print_run_error(fmt::format("cannot read '{}': {}", spec, error));
    checked.status = kExitFailure;
    return checked;
  }
  if (while_checking) while_checking();
  Diagnostics diags;
  checked.compilation = check_file(sources, *root, diags, reading.load);
  print_diagnostics(diags, sources, reading.format, reading.color);
  checked.errors = diags.error_count();
  checked.warnings = diags.warning_count();
  checked.status = diags.has_errors() ? kExitFailure : kExitOk;
  return checked;
}

}  // namespace dcomm::cli
