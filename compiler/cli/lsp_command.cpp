// dcommc lsp : the Language Server, over standard input and output.

#include <iostream>

#include "cli/commands.hpp"
#include "lsp/server.hpp"

namespace dcomm::cli {

void add_lsp_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<lsp::ServerOptions>();
  CLI::App* command = app.add_subcommand(
      "lsp", "Run the Language Server over stdin/stdout (diagnostics, hover, completion, fmt)");
  command->add_option("--stdlib", options->load.stdlib_dir,
                      "Read the standard library from this folder instead of the built-in one")
      ->check(CLI::ExistingDirectory);
  // Editors' clients often pass --stdio; it is the only transport anyway.
  auto stdio = std::make_shared<bool>(true);
  command->add_flag("--stdio", *stdio, "Talk over standard input and output (the default)");
  command->footer(
      "Started by an editor, not by hand; see docs/editors.md.\n"
      "Examples:\n"
      "  Neovim:  vim.lsp.start{ name = \"dcommc\", cmd = { \"dcommc\", \"lsp\" } }\n"
      "  Helix:   [language-server.dcommc] command = \"dcommc\", args = [\"lsp\"]");
  command->callback([options, stdio, &exit_code] {
    std::ios::sync_with_stdio(false);
    exit_code = lsp::serve(std::cin, std::cout, *options);
  });
}

}  // namespace dcomm::cli
