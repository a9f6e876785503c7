// dcommc: compiles .dcomm specs of community communication servers.

#include <string_view>
#include <vector>

#include "cli/commands.hpp"

namespace {

/// `dcommc SPEC -o OUT` means `dcommc build SPEC -o OUT`: the build is the
/// main job, so it needs no verb.
std::vector<char*> with_default_command(int argc, char** argv, const CLI::App& app) {
  std::vector<char*> args(argv, argv + argc);
  if (argc < 2) return args;
  const std::string_view first = argv[1];
  const bool is_command = !app.get_subcommands([&](const CLI::App* sub) {
                                return sub->get_name() == first;
                              }).empty();
  if (!is_command && !first.starts_with("-")) {
    static char build[] = "build";
    args.insert(args.begin() + 1, build);
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "dcommc compiles .dcomm specs (sites, nodes, services) into the files a\n"
      "Docker Swarm deployment of Matrix, mail and bridges needs.",
      "dcommc"};
  app.set_version_flag("--version", "dcommc " DCOMMC_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  dcommc examples/kyiv.dcomm -o out/   build every artifact of every site\n"
      "  dcommc check examples/kyiv.dcomm     report problems, write nothing\n"
      "  dcommc plan site.dcomm -o out/       what a build would change in out/\n"
      "  dcommc fmt --check examples/*.dcomm  list files not in canonical layout\n"
      "  dcommc explain E0202                 what a diagnostic code means\n"
      "\nExit status: 0 ok, 1 problems in a spec, 2 usage or I/O error.");

  int exit_code = dcomm::cli::kExitOk;
  dcomm::cli::add_build_command(app, exit_code);
  dcomm::cli::add_check_command(app, exit_code);
  dcomm::cli::add_fmt_command(app, exit_code);
  dcomm::cli::add_plan_command(app, exit_code);
  dcomm::cli::add_graph_command(app, exit_code);
  dcomm::cli::add_init_command(app, exit_code);
  dcomm::cli::add_explain_command(app, exit_code);
  dcomm::cli::add_lsp_command(app, exit_code);

  std::vector<char*> args = with_default_command(argc, argv, app);
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? dcomm::cli::kExitOk : dcomm::cli::kExitUsage;
  }
  return exit_code;
}
