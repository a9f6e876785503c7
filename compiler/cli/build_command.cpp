// dcommc SPEC -o OUT (or dcommc build SPEC -o OUT): check the spec, then
// write every artifact of every site under OUT/<site>/.

#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "write/build.hpp"
#include "write/deploy_commands.hpp"
#include "cli/build_command.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "diag/render.hpp"
#include "cli/load_spec.hpp"

namespace dcomm::cli {

namespace {

namespace fs = std::filesystem;

/// Up to this many sites, a build prints each site's deploy commands; a
/// fleet's are in OUT/deploy.txt (and printed with -v).
constexpr std::size_t kFewSites = 3;

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

/// What the build did, for people: every file with -v, else one summary;
/// files kept always (their owner must decide).
std::string report(const Compilation& compilation, const build::WriteResult& result,
                   const BuildCommandOptions& options) {
  std::string text;
  auto line = std::back_inserter(text);
  if (options.verbose) {
    for (const auto& path : result.written) fmt::format_to(line, "wrote {}\n", path.string());
    for (const auto& path : result.removed) fmt::format_to(line, "removed {}\n", path.string());
  }
  for (const auto& path : result.kept) {
    fmt::format_to(line, "kept {}: no longer built, but edited since dcommc wrote it; delete it if it is not needed\n",
         path.string());
  }
  for (const auto& path : result.unused_secrets) {
    fmt::format_to(line, "kept {}: no service reads this secret any more (--prune --prune-secrets removes it)\n",
                   path.string());
  }
  for (const auto& site : result.departed) {
    fmt::format_to(line,
                   "site {} is no longer in the spec: {} was left as it was. Once its stack is removed "
                   "(docker stack rm dcomms-{}), --prune removes its files\n",
                   site, (fs::path(options.out) / site).string(), site);
  }
  for (const auto& site : result.pruned) {
    fmt::format_to(line, "pruned site {}: the files dcommc wrote for it are removed\n", site);
  }
  const auto& sites = compilation.federation.sites;
  fmt::format_to(line, "built {} into {} ({} rendered, {} unchanged since the last build): {} written, {} unchanged, {} removed\n",
       plural(sites.size(), "site", "sites"), options.out, result.rendered.size(), result.skipped.size(),
       plural(result.written.size(), "file", "files"), result.unchanged, result.removed.size());
  const fs::path out = options.out;
  if (sites.size() <= kFewSites || options.verbose) {
    for (const model::Site& site : sites) {
      fmt::format_to(line, "\nsite {}: to deploy, on a swarm manager (node IDs from `docker node ls`) run\n{}", site.name,
           build::deploy_commands(site, out / site.name, "  "));
    }
  } else {
    fmt::format_to(line, "to deploy a site, run its commands from {} on a swarm manager\n", (out / "deploy.txt").string());
  }
  return text;
}

}  // namespace

int run_build(const BuildCommandOptions& options) {
  // The output folder is read while the spec compiles.
  std::optional<build::OutputSurvey> survey;
  const CheckedSpec checked =
      check_spec(options.spec, options.reading, [&] { survey.emplace(options.out); });
  if (checked.status == kExitFailure) {
    std::cerr << fmt::format("{}; nothing was written\n", summary_line(checked.errors, checked.warnings));
  }
  if (checked.status != kExitOk) return checked.status;
  const Compilation& compilation = checked.compilation;
  std::string error;

  const auto departed = build::find_departed_sites(compilation.federation, *survey, options.out);
  if (const std::size_t refused =
          report_dangers(checked, *survey, departed, options.changes, options.out, true, options.reading.color)) {
    std::cerr << fmt::format("{} irreversible change{} refused; nothing was written\n", refused,
                             refused == 1 ? "" : "s");
    return kExitFailure;
  }
  const build::BuildOptions build_options = options.changes.build_options(options.out);
  auto result = build::build(compilation, build_options, *survey, error);
  if (!result) {
    print_run_error(error);
    return kExitFailure;
  }
  // One write for the whole report: stderr is unbuffered.
  if (!options.quiet) std::cerr << report(compilation, *result, options) << std::flush;
  return kExitOk;
}

void add_build_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<BuildCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "build", "Compile a spec into every artifact its sites need (the default command)");
  command->add_option("spec", options->spec, "The .dcomm spec")->required();
  add_out_option(*command, options->out, "Output folder; each site gets OUT/<site>/");
  add_change_options(*command, options->changes, false);
  command->add_flag("-v,--verbose", options->verbose, "List every file written or removed, and every site's deploy commands");
  add_quiet_option(*command, options->quiet);
  add_spec_reading_options(*command, options->reading, /*diagnostics_format=*/true);
  command->footer(
      "Examples:\n"
      "  dcommc examples/kyiv.dcomm -o out/\n"
      "  dcommc build fleet.dcomm -o out/ --rotate-secrets synapse_macaroon_key\n"
      "\nSecrets are generated once into OUT/<site>/secrets/ (mode 0600, git-ignored) and\n"
      "never overwritten unless --rotate-secrets names them. Everything else in OUT is\n"
      "deterministic and safe to commit. A spec with errors writes nothing.\n"
      "\nA site whose inputs did not change since the last build (its fingerprint in\n"
      "OUT/<site>/manifest.json) and whose files nobody touched is not rendered again.\n"
      "Every file written is on disk when the build returns.\n"
      "\nA change that cannot be undone once deployed (a new domain, a rotated signing key,\n"
      "a site or volume gone: codes E0601 to E0606) is refused unless --allow CODE names it.\n"
      "Files of services that left the spec are removed; a site that left keeps its folder\n"
      "until --prune, and secrets stay unless --prune-secrets is given too.");
  command->callback([options, &exit_code] { exit_code = run_build(*options); });
}

}  // namespace dcomm::cli
