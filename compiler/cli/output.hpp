#pragma once
// How the CLI prints: diagnostics in the chosen format, colour decisions,
// and one-line messages about the run itself (I/O errors, summaries).

#include <string>
#include <string_view>

#include "diag/diagnostic.hpp"
#include "resolve/loader.hpp"
#include "source/source_file.hpp"

namespace dcomm::cli {

enum class DiagnosticFormat { human, json, sarif, github };
enum class ColorMode { automatic, always, never };

/// Prints `diags`: human text on stderr, machine formats on stdout.
void print_diagnostics(const Diagnostics& diags, const SourceMap& sources,
                       DiagnosticFormat format, ColorMode color);

/// "dcommc: error: cannot read 'x': No such file or directory" on stderr.
void print_run_error(std::string_view message);

/// True when stderr is a terminal that should get colour: not when
/// NO_COLOR is set (https://no-color.org) or TERM is "dumb".
bool stderr_wants_color(ColorMode mode);

}  // namespace dcomm::cli

namespace CLI {
class App;
}

namespace dcomm::cli {

/// --format human|json|sarif|github
void add_format_option(CLI::App& command, DiagnosticFormat& format);
/// --color auto|always|never
void add_color_option(CLI::App& command, ColorMode& color);

/// -o,--out OUT: the output folder of build and plan, which must be a
/// folder if it exists (each site gets OUT/<site>/).
void add_out_option(CLI::App& command, std::string& out, const std::string& help);

/// -q,--quiet: say nothing but problems (for scripts and cron).
void add_quiet_option(CLI::App& command, bool& quiet);

/// --stdlib DIR and --allow-import-outside: how a command loads a spec.
void add_load_options(CLI::App& command, resolve::LoadOptions& load);

/// The option values by name (any case); unknown names were refused by
/// the options' checks.
DiagnosticFormat format_named(std::string name);
ColorMode color_named(std::string name);

}  // namespace dcomm::cli
