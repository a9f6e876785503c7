#include "cli/output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <iostream>

#include "diag/render.hpp"

namespace dcomm::cli {

bool stderr_wants_color(ColorMode mode) {
  if (mode != ColorMode::automatic) return mode == ColorMode::always;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(STDERR_FILENO) == 1;
}

void print_diagnostics(const Diagnostics& diags, const SourceMap& sources,
                       DiagnosticFormat format, ColorMode color) {
  // In source order, whatever stage found them: a reader goes top to bottom.
  std::vector<Diagnostic> sorted = diags.all();
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.primary.span.file, a.primary.span.begin) <
           std::tie(b.primary.span.file, b.primary.span.begin);
  });
  switch (format) {
    case DiagnosticFormat::human:
      render_human(sorted, sources, std::cerr, {.color = stderr_wants_color(color)});
      break;
    case DiagnosticFormat::json:
      std::cout << render_json(sorted, sources).dump(2) << '\n';
      break;
    case DiagnosticFormat::sarif:
      std::cout << render_sarif(sorted, sources).dump(2) << '\n';
      break;
    case DiagnosticFormat::github:
      render_github(sorted, sources, std::cout);
      break;
  }
}

void print_run_error(std::string_view message) {
  std::cerr << fmt::format("dcommc: error: {}\n", message);
}

}  // namespace dcomm::cli

#include <CLI/CLI.hpp>

namespace dcomm::cli {

void add_format_option(CLI::App& command, DiagnosticFormat& format) {
  const std::map<std::string, DiagnosticFormat> names = {{"human", DiagnosticFormat::human},
                                                         {"json", DiagnosticFormat::json},
                                                         {"sarif", DiagnosticFormat::sarif},
                                                         {"github", DiagnosticFormat::github}};
  command.add_option("--format", format, "How to print diagnostics: human, json, sarif, github")
      ->check(CLI::IsMember({"human", "json", "sarif", "github"}, CLI::ignore_case))
      ->transform(CLI::Transformer(names, CLI::ignore_case))
      ->default_str("human");
}

void add_color_option(CLI::App& command, ColorMode& color) {
  const std::map<std::string, ColorMode> names = {
      {"auto", ColorMode::automatic}, {"always", ColorMode::always}, {"never", ColorMode::never}};
  command.add_option("--color", color, "Colour human output: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}, CLI::ignore_case))
      ->transform(CLI::Transformer(names, CLI::ignore_case))
      ->default_str("auto");
}

}  // namespace dcomm::cli
