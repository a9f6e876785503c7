// dcommc plan SPEC -o OUT: what a build would change in OUT, without
// writing. Exit 0 no change, 1 errors, 2 changes (as terraform plan
// -detailed-exitcode), so CI can post the plan on a pull request.

#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "build/build.hpp"
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
  std::vector<std::string> rotate;
  bool full = false;
  ColorMode color = ColorMode::automatic;
  resolve::LoadOptions load;
};

struct Totals {
  int added = 0, changed = 0, removed = 0, secrets = 0;
};

char sign(build::FileChange::Kind kind) {
  switch (kind) {
    case build::FileChange::Kind::added: return '+';
    case build::FileChange::Kind::changed: return '~';
    case build::FileChange::Kind::removed: return '-';
  }
  return '?';
}

void print_site(const build::SiteChanges& site, const fs::path& out, Totals& totals) {
  if (site.files.empty() && site.new_secrets.empty()) return;
  std::cout << (site.site.empty() ? std::string("output folder") : "site " + site.site) << ":\n";
  for (const auto& file : site.files) {
    const std::string path = file.path.lexically_relative(out).generic_string();
    std::cout << fmt::format("  {} {}{}\n", sign(file.kind), path,
                             file.secret ? "  (secret: content not shown)" : "");
    totals.added += file.kind == build::FileChange::Kind::added;
    totals.changed += file.kind == build::FileChange::Kind::changed;
    totals.removed += file.kind == build::FileChange::Kind::removed;
  }
  for (const auto& secret : site.new_secrets) {
    std::cout << fmt::format("  + secret {} (generated at build time)\n", secret);
    ++totals.secrets;
  }
  if (!site.restarted.empty()) {
    std::cout << fmt::format("  a redeploy updates: {}\n", fmt::join(site.restarted, ", "));
  }
  std::cout << '\n';
}

void print_diffs(const build::SiteChanges& site, const fs::path& out) {
  for (const auto& file : site.files) {
    if (file.secret || file.kind == build::FileChange::Kind::removed) continue;
    const std::string path = file.path.lexically_relative(out).generic_string();
    const std::string before = file.kind == build::FileChange::Kind::added ? "/dev/null" : "a/" + path;
    std::cout << util::unified_diff(file.before, file.after, before, "b/" + path);
  }
}

int run_plan(const PlanOptions& options) {
  // The output folder is read while the spec compiles.
  std::optional<build::OutputSurvey> survey;
  const CheckedSpec checked =
      check_spec(options.spec, options.load, options.color, [&] { survey.emplace(options.out); });
  if (checked.status != kExitOk) return checked.status;
  const Compilation& compilation = checked.compilation;
  std::string error;

  const fs::path out = options.out;
  auto changes = build::plan_changes(
      compilation, {.out = out, .rotate = {options.rotate.begin(), options.rotate.end()}, .full = options.full},
      *survey, error);
  if (!changes) {
    print_run_error(error);
    return kExitFailure;
  }
  Totals totals;
  for (const auto& site : *changes) print_site(site, out, totals);
  for (const auto& site : *changes) print_diffs(site, out);
  if (totals.added + totals.changed + totals.removed + totals.secrets == 0) {
    std::cout << fmt::format("No changes: {} is up to date with {}.\n", out.string(), options.spec);
    return kExitOk;
  }
  std::cout << fmt::format("\nPlan: {} to add, {} to change, {} to remove, {} secret{} to generate.\n",
                           totals.added, totals.changed, totals.removed, totals.secrets,
                           totals.secrets == 1 ? "" : "s");
  return kExitChanges;
}

}  // namespace

void add_plan_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* command =
      app.add_subcommand("plan", "Show what a build would change in OUT, without writing anything");
  command->add_option("spec", options->spec, "The .dcomm spec")->required();
  add_out_option(*command, options->out, "The output folder a build would write");
  command->add_option("--rotate-secrets", options->rotate, "Plan as if these secrets were rotated");
  command->add_flag("--full", options->full,
                    "Compare every site, even those whose inputs did not change since the last build");
  add_load_options(*command, options->load);
  add_color_option(*command, options->color);
  command->footer(
      "Exit status: 0 no changes, 1 errors, 2 changes (as terraform plan -detailed-exitcode).\n"
      "Secret files are listed but their content is never shown.\n\n"
      "Example:\n  dcommc plan site.dcomm -o out/ > plan.txt; test $? -ne 1");
  command->callback([options, &exit_code] { exit_code = run_plan(*options); });
}

}  // namespace dcomm::cli
