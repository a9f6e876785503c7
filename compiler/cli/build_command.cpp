// dcommc SPEC -o OUT (or dcommc build SPEC -o OUT): check the spec, then
// write every artifact of every site under OUT/<site>/.

#include <fmt/format.h>

#include <iostream>

#include "build/build.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "diag/render.hpp"
#include "driver/pipeline.hpp"

namespace dcomm::cli {

namespace {

namespace fs = std::filesystem;

struct BuildCommandOptions {
  std::string spec;
  std::string out;
  std::vector<std::string> rotate;
  ColorMode color = ColorMode::automatic;
  resolve::LoadOptions load;
};

/// labels.sh takes each node's ID in a variable (see emit/labels.cpp).
std::string node_variables(const model::Site& site) {
  std::string vars;
  for (const model::Node& node : site.nodes) vars += model::node_variable(node) + "=<id> ";
  return vars;
}

void add_next_steps(const Compilation& compilation, const fs::path& out, std::string& report) {
  for (const model::Site& site : compilation.federation.sites) {
    const fs::path dir = out / site.name;
    fmt::format_to(std::back_inserter(report),
                   "\nsite {}: to deploy, on a swarm manager (node IDs from `docker node ls`) run\n"
                   "  {}sh {}\n"
                   "  docker stack deploy -c {} dcomms-{}\n",
                   site.name, node_variables(site), (dir / "labels.sh").string(), (dir / "stack.yml").string(),
                   site.name);
  }
}

int run_build(const BuildCommandOptions& options) {
  std::string error;
  SourceMap sources;
  auto root = add_spec_file(sources, options.spec, error);
  if (!root) {
    print_run_error(fmt::format("cannot read '{}': {}", options.spec, error));
    return kExitUsage;
  }
  Diagnostics diags;
  const Compilation compilation = check_file(sources, *root, diags, options.load);
  print_diagnostics(diags, sources, DiagnosticFormat::human, options.color);
  if (diags.has_errors()) {
    std::cerr << fmt::format("{}; nothing was written\n",
                             summary_line(diags.error_count(), diags.warning_count()));
    return kExitSpecErrors;
  }

  const build::BuildOptions build_options{
      .out = options.out, .rotate = {options.rotate.begin(), options.rotate.end()}};
  auto result = build::build(compilation, sources, build_options, error);
  if (!result) {
    print_run_error(error);
    return kExitUsage;
  }
  // One write for the whole report: stderr is unbuffered, and a fleet's
  // build lists tens of thousands of files.
  std::string report;
  for (const auto& path : result->written) fmt::format_to(std::back_inserter(report), "wrote {}\n", path.string());
  for (const auto& path : result->removed) fmt::format_to(std::back_inserter(report), "removed {}\n", path.string());
  for (const auto& path : result->kept) {
    fmt::format_to(std::back_inserter(report),
                   "kept {}: no longer built, but edited since dcommc wrote it; delete it if it is not needed\n",
                   path.string());
  }
  fmt::format_to(std::back_inserter(report), "{} files written, {} unchanged\n", result->written.size(),
                 result->unchanged.size());
  add_next_steps(compilation, options.out, report);
  std::cerr << report << std::flush;
  return kExitOk;
}

}  // namespace

void add_build_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<BuildCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "build", "Compile a spec into every artifact its sites need (the default command)");
  command->add_option("spec", options->spec, "The .dcomm spec")->required();
  command->add_option("-o,--out", options->out, "Output folder; each site gets OUT/<site>/")
      ->required();
  command->add_option("--rotate-secrets", options->rotate,
                      "Generate these secrets anew, e.g. synapse_macaroon_key (repeatable)");
  add_load_options(*command, options->load);
  add_color_option(*command, options->color);
  command->footer(
      "Examples:\n"
      "  dcommc examples/kyiv.dcomm -o out/\n"
      "  dcommc build fleet.dcomm -o out/ --rotate-secrets synapse_macaroon_key\n"
      "\nSecrets are generated once into OUT/<site>/secrets/ (mode 0600, git-ignored) and\n"
      "never overwritten unless --rotate-secrets names them. Everything else in OUT is\n"
      "deterministic and safe to commit. A spec with errors writes nothing.");
  command->callback([options, &exit_code] { exit_code = run_build(*options); });
}

}  // namespace dcomm::cli
