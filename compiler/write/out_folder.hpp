#pragma once
// The output folder as a trust boundary. A build reads secrets from it and
// writes secrets into it, so nothing under it is followed through a
// symbolic link: a link there could lead a secret out of the folder (past
// git's `*/secrets/` rule, which does not match a link) or make a build
// overwrite a file elsewhere. The folder itself may be a link: that is
// the operator's own choice of where the output lives.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dcomm::build {

/// What a site's folder holds that a build must know before it writes.
struct SiteFolderScan {
  bool exists = false;
  /// Temporary files a killed build left behind (NAME.dcommc-XXXXXX).
  std::vector<std::filesystem::path> leftovers;
};

/// Walks `site_dir` without following links. Nullopt, with `error` naming
/// the link and what to do, if anything in it (or it) is a symbolic link.
std::optional<SiteFolderScan> scan_site_folder(const std::filesystem::path& site_dir, std::string& error);

/// The temporary files a killed build left directly in `folder` (the top
/// of the output folder, where .gitignore is written), and the temporary
/// folders of new sites; none if it is missing.
std::vector<std::filesystem::path> leftovers_in(const std::filesystem::path& folder);

/// False, with `error`, if `path` itself is a symbolic link.
bool refuse_link(const std::filesystem::path& path, std::string& error);

/// Creates `out` and `folder` below it, each missing folder with its mode
/// exactly, whatever the umask: 0755, or 0700 at or below a "secrets"
/// folder (an existing secrets folder is closed to 0700 again). Refuses a
/// link on the way. Returns whether `folder` already existed.
std::optional<bool> make_folder(const std::filesystem::path& out, const std::filesystem::path& folder,
                                std::string& error);

/// A file under the output folder, not following a link: nullopt with an
/// empty `error` if there is no such file.
std::optional<std::string> read_output_file(const std::filesystem::path& path, std::string& error);

}  // namespace dcomm::build
