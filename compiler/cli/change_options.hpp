#pragma once
// What build and plan share about changing a deployed site: the options
// --rotate-secrets, --full, --prune, --prune-secrets and --allow, and the
// report of irreversible changes (write/dangers.hpp) that build refuses
// and plan shows.

#include <string>
#include <vector>

#include "cli/load_spec.hpp"
#include "cli/output.hpp"
#include "write/build.hpp"
#include "write/departed.hpp"

namespace dcomm::cli {

struct ChangeOptions {
  std::vector<std::string> rotate;
  bool full = false;
  bool prune = false;
  bool prune_secrets = false;
  std::vector<std::string> allow;  ///< danger codes the operator accepts: E0601, ...

  build::BuildOptions build_options(const std::string& out) const;
};

/// --allow CODE (repeatable), checked against the danger codes, any case.
void add_allow_option(CLI::App& command, std::vector<std::string>& allow);

/// Registers the options; `planning` words their help for plan.
void add_change_options(CLI::App& command, ChangeOptions& options, bool planning);

/// Prints the irreversible changes building `checked` into `out` would
/// make. Under `refuse` (build), those --allow does not name are errors
/// and the ones it names warnings; else (plan) all are warnings. Returns
/// how many are refused.
std::size_t report_dangers(const CheckedSpec& checked, build::OutputSurvey& survey,
                           const std::vector<build::DepartedSite>& departed, const ChangeOptions& options,
                           const std::string& out, bool refuse, ColorMode color);

}  // namespace dcomm::cli
