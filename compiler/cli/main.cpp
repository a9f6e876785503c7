// dcommc: compiles .dcomm specs of community communication servers.

#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "dcommc compiles .dcomm specs (sites, nodes, services) into the files a\n"
      "Docker Swarm deployment of Matrix, mail and bridges needs.",
      "dcommc"};
  app.set_version_flag("--version", "dcommc " DCOMMC_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  dcommc check examples/kyiv.dcomm     report problems, write nothing\n"
      "  dcommc fmt --check examples/*.dcomm  list files not in canonical layout\n"
      "  dcommc explain E0202                 what a diagnostic code means\n"
      "\nExit status: 0 ok, 1 problems in a spec, 2 usage or I/O error.");

  int exit_code = dcomm::cli::kExitOk;
  dcomm::cli::add_check_command(app, exit_code);
  dcomm::cli::add_fmt_command(app, exit_code);
  dcomm::cli::add_explain_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? dcomm::cli::kExitOk : dcomm::cli::kExitUsage;
  }
  return exit_code;
}
