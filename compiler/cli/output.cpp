#include "cli/output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <tuple>

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


namespace dcomm::cli {

void add_format_option(CLI::App& command, DiagnosticFormat& format) {
  command
      .add_option_function<std::string>(
          "--format", [&format](const std::string& name) { format = format_named(name); },
          "How to print diagnostics: human, json, sarif, github")
      ->check(CLI::IsMember({"human", "json", "sarif", "github"}, CLI::ignore_case))
      ->default_str("human");
}

void add_color_option(CLI::App& command, ColorMode& color) {
  command
      .add_option_function<std::string>(
          "--color", [&color](const std::string& name) { color = color_named(name); },
          "Colour human output: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}, CLI::ignore_case))
      ->default_str("auto");
}

void add_out_option(CLI::App& command, std::string& out, const std::string& help) {
  const CLI::Validator a_folder(
      [](std::string& path) -> std::string {
        std::error_code error;
        const auto status = std::filesystem::status(path, error);
        if (error || !std::filesystem::exists(status) || std::filesystem::is_directory(status)) return "";
        return path + " is a file, not a folder. -o names the output folder (made if missing); each site "
               "is written to OUT/<site>/";
      },
      "FOLDER");
  command.add_option("-o,--out", out, help)->required()->check(a_folder);
}

void add_quiet_option(CLI::App& command, bool& quiet) {
  command.add_flag("-q,--quiet", quiet, "Print nothing but problems (diagnostics, errors, failed checks)");
}

void add_load_options(CLI::App& command, resolve::LoadOptions& load) {
  command.add_option("--stdlib", load.stdlib_dir,
                     "Read the standard library from this folder instead of the built-in one")
      ->check(CLI::ExistingDirectory);
  command.add_flag("--allow-import-outside", load.allow_import_outside,
                   "Let imports leave the spec's folder (only for specs you trust: an import can name "
                   "any .dcomm file on this machine)");
  command.add_option("--max-image-age", load.max_image_age_days,
                     "Warn (W0506) about images pinned longer ago than this many days; 0: never")
      ->check(CLI::NonNegativeNumber)
      ->default_val(load.max_image_age_days);
}

DiagnosticFormat format_named(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name == "json") return DiagnosticFormat::json;
  if (name == "sarif") return DiagnosticFormat::sarif;
  if (name == "github") return DiagnosticFormat::github;
  return DiagnosticFormat::human;
}

ColorMode color_named(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name == "always") return ColorMode::always;
  if (name == "never") return ColorMode::never;
  return ColorMode::automatic;
}

}  // namespace dcomm::cli
