// dcommc check FILE... : run the front end, report, write nothing.

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/load_spec.hpp"
#include "cli/output.hpp"
#include "diag/render.hpp"
#include "driver/pipeline.hpp"

namespace dcomm::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> files;
  SpecReading reading;
  bool werror = false;
  bool quiet = false;
};

int run_check(const CheckOptions& options) {
  SourceMap sources;
  Diagnostics diags;
  bool io_failed = false;
  for (const auto& path : options.files) {
    std::string error;
    auto root = add_spec_file(sources, path, error);
    if (!root) {
      print_run_error(fmt::format("cannot read '{}': {}", path, error));
      io_failed = true;
      continue;
    }
    check_file(sources, *root, diags, options.reading.load);
  }
  if (options.werror) diags.promote_warnings();

  print_diagnostics(diags, sources, options.reading.format, options.reading.color);
  if (options.reading.format == DiagnosticFormat::human && sources.size() > 0 && !options.quiet) {
    std::cerr << fmt::format("checked {} file{}: {}\n", options.files.size(),
                             options.files.size() == 1 ? "" : "s",
                             summary_line(diags.error_count(), diags.warning_count()));
  }
  if (io_failed) return kExitFailure;
  return diags.has_errors() ? kExitFailure : kExitOk;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command = app.add_subcommand("check", "Check specs and report problems; write nothing");
  command->add_option("files", options->files, "The .dcomm files to check")->required();
  command->add_flag("--werror", options->werror, "Treat warnings as errors");
  add_quiet_option(*command, options->quiet);
  add_spec_reading_options(*command, options->reading, /*diagnostics_format=*/true);
  command->footer(
      "Examples:\n"
      "  dcommc check examples/kyiv.dcomm\n"
      "  dcommc check --format github specs/*.dcomm   annotations in GitHub Actions\n"
      "  dcommc check --format sarif site.dcomm > dcommc.sarif");
  command->callback([options, &exit_code] { exit_code = run_check(*options); });
}

}  // namespace dcomm::cli
