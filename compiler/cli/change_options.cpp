#include "cli/change_options.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "write/dangers.hpp"

namespace dcomm::cli {

build::BuildOptions ChangeOptions::build_options(const std::string& out) const {
  return {.out = out,
          .rotate = {rotate.begin(), rotate.end()},
          .full = full,
          .prune = prune,
          .prune_secrets = prune_secrets};
}

void add_allow_option(CLI::App& command, std::vector<std::string>& allow) {
  const CLI::Validator danger_code(
      [](std::string& code) -> std::string {
        std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
        if (build::is_danger_code(code)) return "";
        return code + " is not a code --allow accepts: it takes the codes of irreversible changes, E0601 to E0606";
      },
      "CODE");
  command.add_option("--allow", allow,
                     "Make this irreversible change (E0601 to E0606; repeatable): see dcommc explain CODE")
      ->transform(danger_code);
}

void add_change_options(CLI::App& command, ChangeOptions& options, bool planning) {
  command.add_option("--rotate-secrets", options.rotate,
                     planning ? "Plan as if these secrets were rotated"
                              : "Generate these secrets anew, e.g. synapse_macaroon_key (repeatable)");
  command.add_flag("--full", options.full,
                   "Render every site, even those whose inputs did not change since the last build");
  command.add_flag("--prune", options.prune,
                   planning ? "Plan as if --prune were given"
                            : "Remove the files of sites that left the spec (never their secrets: see --prune-secrets)");
  command
      .add_flag("--prune-secrets", options.prune_secrets,
                "With --prune: also remove secrets no service reads any more, and the secrets of sites that left")
      ->needs("--prune");
  add_allow_option(command, options.allow);
}

std::size_t report_dangers(const CheckedSpec& checked, build::OutputSurvey& survey,
                           const std::vector<build::DepartedSite>& departed, const ChangeOptions& options,
                           const std::string& out, bool refuse, ColorMode color) {
  std::vector<Diagnostic> dangers = build::find_dangers({.federation = checked.compilation.federation,
                                                         .survey = survey,
                                                         .departed = departed,
                                                         .out = out,
                                                         .rotate = {options.rotate.begin(), options.rotate.end()},
                                                         .prune = options.prune,
                                                         .prune_secrets = options.prune_secrets});
  Diagnostics report;
  std::size_t refused = 0;
  for (Diagnostic& danger : dangers) {
    const bool allowed = std::find(options.allow.begin(), options.allow.end(), danger.code) != options.allow.end();
    if (!refuse || allowed) {
      danger.severity = Severity::warning;
      danger.notes.push_back(allowed ? fmt::format("allowed by --allow {}", danger.code)
                                     : fmt::format("a build refuses this unless --allow {} names it", danger.code));
    }
    refused += danger.severity == Severity::error;
    report.report(std::move(danger));
  }
  print_diagnostics(report, checked.sources, DiagnosticFormat::human, color);
  return refused;
}

}  // namespace dcomm::cli
