#include "cli/load_spec.hpp"

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace dcomm::cli {

CheckedSpec check_spec(const std::string& spec, const resolve::LoadOptions& load, ColorMode color,
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
  checked.compilation = check_file(sources, *root, diags, load);
  print_diagnostics(diags, sources, DiagnosticFormat::human, color);
  checked.errors = diags.error_count();
  checked.warnings = diags.warning_count();
  checked.status = diags.has_errors() ? kExitFailure : kExitOk;
  return checked;
}

}  // namespace dcomm::cli
