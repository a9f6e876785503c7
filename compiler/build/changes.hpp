#pragma once
// What a build would change in an existing output folder: the base of
// `dcommc plan` (like `terraform plan`), computed without writing.

#include <filesystem>
#include <string>
#include <vector>

#include "build/site_plan.hpp"

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
  /// Swarm services a redeploy would update (restart): their definition
  /// in stack.yml differs, or they are new or gone.
  std::vector<std::string> restarted;
};

/// Compares one site's plan with what is on disk now.
SiteChanges compare_with_disk(const SitePlan& plan);

/// The swarm services whose definitions differ between two stack files.
std::vector<std::string> changed_services(const std::string& old_stack, const std::string& new_stack);

}  // namespace dcomm::build
