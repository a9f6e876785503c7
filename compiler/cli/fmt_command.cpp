// dcommc fmt [--check] [--diff] FILE... : rewrite specs in the one
// canonical layout. `-` reads standard input and writes standard output.

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "format/formatter.hpp"
#include "syntax/parser.hpp"
#include "util/files.hpp"
#include "util/unified_diff.hpp"

namespace dcomm::cli {

namespace {

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;
  bool diff = false;
  ColorMode color = ColorMode::automatic;
};

enum class Outcome { unchanged, changed, spec_error, io_error };

class Formatter {
 public:
  explicit Formatter(const FmtOptions& options) : options_(options) {}

  Outcome run(const std::string& path) {
    const bool from_stdin = path == "-";
    std::string error;
    std::optional<std::string> text =
        from_stdin ? util::read_file("/dev/stdin", error) : util::read_file(path, error);
    if (!text) {
      print_run_error(fmt::format("cannot read '{}': {}", path, error));
      return Outcome::io_error;
    }
    const std::string name = from_stdin ? "<stdin>" : path;
    SourceMap sources;
    Diagnostics diags;
    const FileId id = sources.add(name, std::move(*text));
    const syntax::File file = syntax::parse(sources, id, diags);
    if (diags.has_errors()) {
      print_diagnostics(diags, sources, DiagnosticFormat::human, options_.color);
      print_run_error(fmt::format("not formatting '{}': fix its syntax errors first", name));
      return Outcome::spec_error;
    }

    const std::string& before = sources.file(id).text();
    const std::string after = format::format_file(file, sources.file(id));
    if (from_stdin && !options_.check && !options_.diff) {
      std::cout << after;
      return before == after ? Outcome::unchanged : Outcome::changed;
    }
    if (before == after) return Outcome::unchanged;
    if (options_.check) std::cout << name << '\n';
    if (options_.diff) std::cout << util::unified_diff(before, after, name, name);
    if (!options_.check && !options_.diff) {
      if (!util::write_file_atomically(path, after, error)) {
        print_run_error(fmt::format("cannot write '{}': {}", path, error));
        return Outcome::io_error;
      }
      std::cerr << fmt::format("formatted {}\n", path);
    }
    return Outcome::changed;
  }

 private:
  const FmtOptions& options_;
};

int run_fmt(const FmtOptions& options) {
  Formatter formatter(options);
  bool spec_error = false, io_error = false, unformatted = false;
  for (const auto& path : options.files) {
    switch (formatter.run(path)) {
      case Outcome::unchanged: break;
      case Outcome::changed: unformatted = true; break;
      case Outcome::spec_error: spec_error = true; break;
      case Outcome::io_error: io_error = true; break;
    }
  }
  if (io_error) return kExitFailure;
  if (spec_error) return kExitFailure;
  const bool reporting_only = options.check || options.diff;
  return reporting_only && unformatted ? kExitFailure : kExitOk;
}

}  // namespace

void add_fmt_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FmtOptions>();
  CLI::App* command = app.add_subcommand(
      "fmt", "Rewrite specs in the canonical layout (comments are kept)");
  command->add_option("files", options->files, "The .dcomm files; - for standard input")
      ->required();
  command->add_flag("--check", options->check,
                    "Write nothing; list files that are not formatted and exit 1 if any");
  command->add_flag("--diff", options->diff,
                    "Write nothing; print what would change as a unified diff, exit 1 if any");
  add_color_option(*command, options->color);
  command->footer(
      "Examples:\n"
      "  dcommc fmt site.dcomm                rewrite in place\n"
      "  dcommc fmt --check specs/*.dcomm     for CI: fail if any file needs formatting\n"
      "  dcommc fmt - < site.dcomm            format standard input to standard output");
  command->callback([options, &exit_code] { exit_code = run_fmt(*options); });
}

}  // namespace dcomm::cli
