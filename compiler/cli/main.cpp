// dcommc: compiles .dcomm specs of community communication servers.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "util/spellcheck.hpp"

namespace {

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

/// The command `first` is a typo of ("chek": "check"), if it is no file
/// and no spec's name, so that it is not taken for a spec to build.
std::optional<std::string> mistyped_command(std::string_view first, const CLI::App& app) {
  const std::vector<std::string> names = command_names(app);
  if (std::find(names.begin(), names.end(), first) != names.end()) return std::nullopt;
  std::error_code ec;
  if (first.find('/') != std::string_view::npos || first.find('.') != std::string_view::npos ||
      std::filesystem::exists(std::string(first), ec)) {
    return std::nullopt;
  }
  return dcomm::util::did_you_mean(first, names);
}

/// For an option the command does not have ("--ful"), the message naming
/// the one it resembles ("--full"), if any.
std::optional<std::string> mistyped_option(const CLI::App& app) {
  for (const CLI::App* command : app.get_subcommands()) {
    std::vector<std::string> names;
    for (const CLI::Option* option : command->get_options()) {
      for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    }
    for (const std::string& arg : command->remaining()) {
      if (!arg.starts_with("--")) continue;
      const std::string option = arg.substr(0, arg.find('='));
      if (auto near = dcomm::util::did_you_mean(option, names)) {
        return fmt::format("unknown option '{}' of 'dcommc {}'; did you mean '{}'?", option,
                           command->get_name(), *near);
      }
    }
  }
  return std::nullopt;
}

/// `dcommc SPEC -o OUT` means `dcommc build SPEC -o OUT`: the build is the
/// main job, so it needs no verb.
std::vector<char*> with_default_command(int argc, char** argv, const CLI::App& app) {
  std::vector<char*> args(argv, argv + argc);
  if (argc < 2) return args;
  const std::string_view first = argv[1];
  const std::vector<std::string> names = command_names(app);
  const bool is_command = std::find(names.begin(), names.end(), first) != names.end();
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
      "\nExit status: 0 ok, 1 anything failed; plan exits 2 when a build would change something.");

  int exit_code = dcomm::cli::kExitOk;
  dcomm::cli::add_build_command(app, exit_code);
  dcomm::cli::add_check_command(app, exit_code);
  dcomm::cli::add_fmt_command(app, exit_code);
  dcomm::cli::add_plan_command(app, exit_code);
  dcomm::cli::add_graph_command(app, exit_code);
  dcomm::cli::add_images_command(app, exit_code);
  dcomm::cli::add_secrets_command(app, exit_code);
  dcomm::cli::add_verify_command(app, exit_code);
  dcomm::cli::add_init_command(app, exit_code);
  dcomm::cli::add_explain_command(app, exit_code);
  dcomm::cli::add_lsp_command(app, exit_code);

  if (argc >= 2) {
    if (auto command = mistyped_command(argv[1], app)) {
      dcomm::cli::print_run_error(fmt::format("unknown command '{}'; did you mean 'dcommc {}'? "
                                              "(a spec to build is a file: dcommc SPEC.dcomm -o OUT)",
                                              argv[1], *command));
      return dcomm::cli::kExitFailure;
    }
  }
  std::vector<char*> args = with_default_command(argc, argv, app);
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ExtrasError& e) {
    if (auto hint = mistyped_option(app)) {
      dcomm::cli::print_run_error(*hint);
      return dcomm::cli::kExitFailure;
    }
    app.exit(e);
    return dcomm::cli::kExitFailure;
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? dcomm::cli::kExitOk : dcomm::cli::kExitFailure;
  }
  return exit_code;
}
