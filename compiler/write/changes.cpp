#include "write/changes.hpp"

#include <algorithm>

#include "write/out_folder.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

SiteChanges compare_with_disk(const SitePlan& plan) {
  SiteChanges changes{plan.site, {}, plan.new_secrets, {}};
  for (const PlannedFile& file : plan.files) {
    std::string error;  // the build has refused links: a file is there or not
    auto existing = read_output_file(file.path, error);
    if (existing && *existing == file.content) continue;
    // A new raw secret is reported as a secret to generate, not as a file.
    const bool raw_secret = file.secret && file.path.parent_path().filename() == "secrets" &&
                            std::find(plan.new_secrets.begin(), plan.new_secrets.end(),
                                      file.path.filename().string()) != plan.new_secrets.end();
    if (raw_secret) continue;
    FileChange change{existing ? FileChange::Kind::changed : FileChange::Kind::added, file.path, file.secret,
                      {}, {}};
    if (!file.secret) {
      change.before = existing.value_or("");
      change.after = file.content;
    }
    if (file.path.filename() == "stack.yml") {
      changes.swarm = diff_stacks(existing.value_or(""), file.content);
    }
    changes.files.push_back(std::move(change));
  }
  for (const fs::path& stale : plan.stale) {
    std::string error;
    changes.files.push_back(
        {FileChange::Kind::removed, stale, false, read_output_file(stale, error).value_or(""), {}});
  }
  for (const fs::path& stale : plan.stale_secrets) changes.files.push_back({FileChange::Kind::removed, stale, true, {}, {}});
  changes.unused_secrets = plan.unused_secrets;
  return changes;
}

}  // namespace dcomm::build
