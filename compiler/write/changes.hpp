#pragma once
// What a build would change in an existing output folder: the base of
// `dcommc plan` (like `terraform plan`), computed without writing.

#include <filesystem>
#include <string>
#include <vector>

#include "write/site_plan.hpp"
#include "write/stack_diff.hpp"

namespace dcomm::build {

struct FileChange {
  enum class Kind { added, changed, removed };
  Kind kind;
  std::filesystem::path path;
  bool secret = false;
  std::string before;  ///< empty for secrets: their content is never shown
  std::string after;
};

struct SiteChanges {
  std::string site;
  std::vector<FileChange> files;
  std::vector<std::string> new_secrets;
  /// What a redeploy would change in the swarm (stack.yml before and after).
  StackDiff swarm;
  /// Secrets no service reads any more, which the build keeps (see SitePlan).
  std::vector<std::filesystem::path> unused_secrets;
};

/// Compares one site's plan with what is on disk now.
SiteChanges compare_with_disk(const SitePlan& plan);

}  // namespace dcomm::build
