#pragma once
// Whether a rebuild may leave a site alone, without rendering it: the
// cheap question that makes a rebuild of a fleet cost about a `check`.
// A site is current when its manifest has the fingerprint the build
// computes (fingerprint.hpp), no secret of it is to be rotated, and its
// files are as the build that wrote the manifest left them (below).
// Anything else means render and compare, which is always correct, only
// slower.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "write/manifest.hpp"

namespace dcomm::build {

/// True if every file `manifest` lists (read from `site_dir`) is still as
/// that build left it: a regular file, not a link, whose status has not
/// changed (ctime) since the manifest was written; raw secrets also
/// non-empty and mode 0600. ctime, not mtime: no tool can set it back, so
/// a file restored from a backup or edited by hand counts as changed.
bool files_unchanged(const std::filesystem::path& site_dir, const Manifest& manifest);

/// The last build's manifest of each site folder in an output folder, and
/// whether its files are unchanged: read on a thread of its own, started
/// before the spec is compiled, so that on a fleet's rebuild this I/O
/// overlaps the compiler's work.
class OutputSurvey {
 public:
  struct SiteState {
    Manifest manifest;
    bool files_unchanged = false;
  };

  explicit OutputSurvey(std::filesystem::path out);
  OutputSurvey(const OutputSurvey&) = delete;
  OutputSurvey& operator=(const OutputSurvey&) = delete;

  /// Waits for the survey, then the site folder `name`'s state, or
  /// nullptr if it has no readable manifest.
  const SiteState* site(const std::string& name);
  /// Waits for the survey, then every site folder with a readable manifest, by name.
  const std::map<std::string, SiteState>& sites();

 private:
  void survey(const std::filesystem::path& out);

  std::map<std::string, SiteState> sites_;
  std::jthread thread_;  // last: it writes sites_, which must exist first
};

}  // namespace dcomm::build
