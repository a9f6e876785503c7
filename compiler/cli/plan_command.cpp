// dcommc plan SPEC -o OUT: what a build would change in OUT, without
// writing. Exit 0 no change, 1 errors, 2 changes (as terraform plan
// -detailed-exitcode), so CI can post the plan on a pull request.

#include <fmt/format.h>

#include <iostream>
#include <optional>
#include <ostream>

#include "write/build.hpp"
#include "write/deploy_commands.hpp"
#include "cli/change_options.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "diag/render.hpp"
#include "cli/load_spec.hpp"
#include "util/files.hpp"
#include "util/unified_diff.hpp"

namespace dcomm::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kExitChanges = 2;  // like terraform plan -detailed-exitcode

struct PlanOptions {
  std::string spec;
  std::string out;
  ChangeOptions changes;
  bool quiet = false;
  SpecReading reading;
};

struct Totals {
  int added = 0, changed = 0, removed = 0, secrets = 0, departed = 0;
};

char sign(build::FileChange::Kind kind) {
  switch (kind) {
    case build::FileChange::Kind::added: return '+';
    case build::FileChange::Kind::changed: return '~';
    case build::FileChange::Kind::removed: return '-';
  }
  return '?';
}

char sign(build::SwarmObjectChange::Kind kind) {
  switch (kind) {
    case build::SwarmObjectChange::Kind::added: return '+';
    case build::SwarmObjectChange::Kind::updated: return '~';
    case build::SwarmObjectChange::Kind::removed: return '-';
  }
  return '?';
}

/// What the swarm gets, and every command that takes it there.
void print_swarm(std::ostream& out, const build::SiteChanges& site, const model::Site& declared,
                 const fs::path& folder) {
  const build::StackDiff& swarm = site.swarm;
  if (swarm.changes.empty()) return;
  out << fmt::format("  in the swarm ({} unchanged):\n", swarm.unchanged);
  for (const auto& change : swarm.changes) {
    out << fmt::format("    {} {} {}\n", sign(change.kind), change.section, change.name);
  }
  out << "  to apply, on a swarm manager:\n" << build::deploy_commands(declared, folder / declared.name, "    ");
  if (const std::string cleanup = build::cleanup_commands(swarm, "    "); !cleanup.empty()) {
    out << "  then, once `docker stack ps dcomms-" << declared.name
              << "` shows the update done, what nothing uses any more:\n"
              << cleanup;
  }
  for (const std::string& volume : swarm.removed_volumes()) {
    out << fmt::format("  the volume dcomms-{}_{} stays on its node with its data (see E0605)\n", declared.name,
                             volume);
  }
}

void print_site(std::ostream& out, const build::SiteChanges& site, const model::Federation& federation,
                const fs::path& folder, Totals& totals) {
  if (site.files.empty() && site.new_secrets.empty()) return;
  out << (site.site.empty() ? std::string("output folder") : "site " + site.site) << ":\n";
  for (const auto& file : site.files) {
    const std::string path = file.path.lexically_relative(folder).generic_string();
    out << fmt::format("  {} {}{}\n", sign(file.kind), path,
                             file.secret ? "  (secret: content not shown)" : "");
    totals.added += file.kind == build::FileChange::Kind::added;
    totals.changed += file.kind == build::FileChange::Kind::changed;
    totals.removed += file.kind == build::FileChange::Kind::removed;
  }
  for (const auto& secret : site.new_secrets) {
    out << fmt::format("  + secret {} (generated at build time)\n", secret);
    ++totals.secrets;
  }
  for (const auto& path : site.unused_secrets) {
    out << fmt::format("  = {}  (no service reads it any more: kept; --prune --prune-secrets removes it)\n",
                             path.lexically_relative(folder).generic_string());
  }
  if (const auto services = site.swarm.services(); !services.empty()) {
    out << fmt::format("  a redeploy updates: {}\n", fmt::join(services, ", "));
  }
  for (const model::Site& declared : federation.sites) {
    if (declared.name == site.site) print_swarm(out, site, declared, folder);
  }
  out << '\n';
}

/// A site that left the spec: what removes it from the swarm, and what a
/// build does with its folder.
void print_departed(std::ostream& out, const build::DepartedSite& site, const PlanOptions& options, Totals& totals) {
  ++totals.departed;
  out << fmt::format("site {}: no longer in the spec\n", site.name);
  out << fmt::format("  to remove it, on a swarm manager:\n    docker stack rm dcomms-{}\n", site.name);
  if (!site.volumes.empty()) {
    std::vector<std::string> volumes;
    for (const std::string& volume : site.volumes) volumes.push_back(fmt::format("dcomms-{}_{}", site.name, volume));
    out << fmt::format("  its data stays on its nodes until docker volume rm, in {}\n", fmt::join(volumes, ", "));
  }
  if (!options.changes.prune) {
    out << fmt::format("  a build leaves {} as it is; with --prune it removes the files dcommc wrote there\n\n",
                             site.dir.string());
    return;
  }
  for (const auto& file : site.artifacts) {
    out << fmt::format("  - {}\n", file.lexically_relative(options.out).generic_string());
    ++totals.removed;
  }
  for (const auto& file : site.secrets) {
    out << fmt::format("  {} {}  (secret{})\n", options.changes.prune_secrets ? '-' : '=',
                             file.lexically_relative(options.out).generic_string(),
                             options.changes.prune_secrets ? "" : ": kept without --prune-secrets");
    totals.removed += options.changes.prune_secrets;
  }
  for (const auto& file : site.edited) {
    out << fmt::format("  = {}  (edited since dcommc wrote it: kept)\n",
                             file.lexically_relative(options.out).generic_string());
  }
  out << '\n';
}

void print_diffs(std::ostream& out, const build::SiteChanges& site, const fs::path& folder) {
  for (const auto& file : site.files) {
    if (file.secret || file.kind == build::FileChange::Kind::removed) continue;
    const std::string path = file.path.lexically_relative(folder).generic_string();
    const std::string before = file.kind == build::FileChange::Kind::added ? "/dev/null" : "a/" + path;
    out << util::unified_diff(file.before, file.after, before, "b/" + path);
  }
}

int run_plan(const PlanOptions& options) {
  // The output folder is read while the spec compiles.
  std::optional<build::OutputSurvey> survey;
  const CheckedSpec checked =
      check_spec(options.spec, options.reading, [&] { survey.emplace(options.out); });
  if (checked.status != kExitOk) return checked.status;
  const Compilation& compilation = checked.compilation;
  std::string error;

  const fs::path out = options.out;
  const auto departed = build::find_departed_sites(compilation.federation, *survey, out);
  report_dangers(checked, *survey, departed, options.changes, options.out, false, options.reading.color);
  auto changes = build::plan_changes(compilation, options.changes.build_options(options.out), *survey, error);
  if (!changes) {
    print_run_error(error);
    return kExitFailure;
  }
  Totals totals;
  // -q: the exit status alone says whether anything would change.
  std::ostream nowhere(nullptr);
  std::ostream& shown = options.quiet ? nowhere : std::cout;
  for (const auto& site : *changes) print_site(shown, site, compilation.federation, out, totals);
  for (const auto& site : departed) print_departed(shown, site, options, totals);
  for (const auto& site : *changes) print_diffs(shown, site, out);
  const bool nothing = totals.added + totals.changed + totals.removed + totals.secrets + totals.departed == 0;
  if (options.quiet) return nothing ? kExitOk : kExitChanges;
  if (nothing) {
    std::cout << fmt::format("No changes: {} is up to date with {}.\n", out.string(), options.spec);
    return kExitOk;
  }
  std::cout << fmt::format("\nPlan: {} to add, {} to change, {} to remove, {} secret{} to generate{}.\n",
                           totals.added, totals.changed, totals.removed, totals.secrets,
                           totals.secrets == 1 ? "" : "s",
                           totals.departed ? fmt::format(", {} site{} left the spec", totals.departed,
                                                         totals.departed == 1 ? "" : "s")
                                           : "");
  return kExitChanges;
}

}  // namespace

void add_plan_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* command =
      app.add_subcommand("plan", "Show what a build would change in OUT, without writing anything");
  command->add_option("spec", options->spec, "The .dcomm spec")->required();
  add_out_option(*command, options->out, "The output folder a build would write");
  add_change_options(*command, options->changes, true);
  add_quiet_option(*command, options->quiet);
  add_spec_reading_options(*command, options->reading, /*diagnostics_format=*/false);
  command->footer(
      "Exit status: 0 no changes, 1 errors, 2 changes (as terraform plan -detailed-exitcode).\n"
      "Secret files are listed but their content is never shown. For each site the plan\n"
      "lists what a redeploy adds (+), updates (~) or removes (-) in the swarm, and the\n"
      "commands that do it. Irreversible changes (E0601 to E0606) are shown as warnings;\n"
      "build refuses them unless --allow names them.\n\n"
      "Example:\n  dcommc plan site.dcomm -o out/ > plan.txt; test $? -ne 1");
  command->callback([options, &exit_code] { exit_code = run_plan(*options); });
}

}  // namespace dcomm::cli
