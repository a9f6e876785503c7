#include "write/out_folder.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/files.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

std::string link_error(const fs::path& link) {
  std::error_code ec;
  const fs::path target = fs::read_symlink(link, ec);
  const std::string to = ec ? "its target" : target.string();
  return fmt::format(
      "{} is a symbolic link{}, and dcommc never follows links in its output folder: one could carry secrets "
      "out of it, or past git's ignore rule\n"
      "  help: put the real thing in its place (rm {} && mv {} {}), then build again",
      link.string(), ec ? "" : " (to " + to + ")", link.string(), to, link.string());
}

/// A killed write_file_atomically leaves NAME.dcommc-XXXXXX.
bool is_leftover(const fs::path& file) {
  const std::string name = file.filename().string();
  const std::size_t at = name.rfind(util::kTempSuffix);
  return at != std::string::npos && at > 0 && name.size() == at + util::kTempSuffix.size() + 6;
}

/// Folders at or below a "secrets" folder hold secrets: 0700.
mode_t mode_of(const fs::path& relative) {
  for (const auto& part : relative) {
    if (part == "secrets") return 0700;
  }
  return 0755;
}

}  // namespace

std::vector<fs::path> leftovers_in(const fs::path& folder) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const bool file_or_folder = !it->is_symlink(ec) && (it->is_regular_file(ec) || it->is_directory(ec));
    if (file_or_folder && is_leftover(it->path())) found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

bool refuse_link(const fs::path& path, std::string& error) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(path, ec))) return true;
  error = link_error(path);
  return false;
}

std::optional<SiteFolderScan> scan_site_folder(const fs::path& site_dir, std::string& error) {
  SiteFolderScan scan;
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(site_dir, ec);
  if (!fs::exists(status)) return scan;
  if (!refuse_link(site_dir, error)) return std::nullopt;
  if (!fs::is_directory(status)) {
    error = fmt::format("{} is not a folder; move it away so dcommc can write the site there", site_dir.string());
    return std::nullopt;
  }
  scan.exists = true;
  // recursive_directory_iterator does not follow links by default; each
  // entry's type comes from the folder listing, without a stat per file.
  for (auto it = fs::recursive_directory_iterator(site_dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_symlink(ec)) {
      error = link_error(it->path());
      return std::nullopt;
    }
    if (it->is_regular_file(ec) && is_leftover(it->path())) scan.leftovers.push_back(it->path());
  }
  if (ec) {
    error = fmt::format("cannot read {}: {}", site_dir.string(), ec.message());
    return std::nullopt;
  }
  return scan;
}

namespace {

/// Closes a secrets folder someone opened up again: 0700.
bool close_secrets_folder(const fs::path& path, mode_t mode, const struct stat& info, std::string& error) {
  if (mode != 0700 || (info.st_mode & 077) == 0 || ::chmod(path.c_str(), mode) == 0) return true;
  error = fmt::format("cannot set the mode of {}: {}", path.string(), std::strerror(errno));
  return false;
}

/// Creates `path` with exactly `mode`, or checks the folder already there:
/// true if it existed, nullopt with `error` if it is a link or a file.
std::optional<bool> make_one_folder(const fs::path& path, mode_t mode, std::string& error) {
  if (::mkdir(path.c_str(), mode) == 0) {
    // mkdir applies the umask; the mode is set again, exactly, if it bit.
    if (util::umask_keeps(mode) || ::chmod(path.c_str(), mode) == 0) return false;
    error = fmt::format("cannot set the mode of {}: {}", path.string(), std::strerror(errno));
    return std::nullopt;
  }
  if (errno != EEXIST) {
    error = fmt::format("cannot create {}: {}", path.string(), std::strerror(errno));
    return std::nullopt;
  }
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || S_ISLNK(info.st_mode)) {
    error = link_error(path);
    return std::nullopt;
  }
  if (!S_ISDIR(info.st_mode)) {
    error = fmt::format("{} is not a folder; move it away so dcommc can write there", path.string());
    return std::nullopt;
  }
  if (!close_secrets_folder(path, mode, info, error)) return std::nullopt;
  return true;
}

}  // namespace

std::optional<bool> make_folder(const fs::path& out, const fs::path& folder, std::string& error) {
  const fs::path relative = folder.lexically_relative(out);
  // The common case, a rebuild: the folder is there (a link above it is
  // what scan_site_folder refuses).
  struct stat info {};
  if (::lstat(folder.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    if (!close_secrets_folder(folder, mode_of(relative), info, error)) return std::nullopt;
    return true;
  }
  if (relative.empty() || *relative.begin() == "..") {
    error = fmt::format("{} is not inside the output folder {}", folder.string(), out.string());
    return std::nullopt;
  }
  if (relative == ".") {
    std::error_code ec;
    fs::create_directories(out, ec);
    if (!ec) fs::permissions(out, fs::perms(0755), ec);
    if (ec) {
      error = fmt::format("cannot create {}: {}", out.string(), ec.message());
      return std::nullopt;
    }
    return false;
  }
  // A missing folder: its parent first (creating it in turn if missing),
  // so a new site's folders cost one mkdir each.
  if (!make_folder(out, folder.parent_path(), error)) return std::nullopt;
  return make_one_folder(folder, mode_of(relative), error);
}

std::optional<std::string> read_output_file(const fs::path& path, std::string& error) {
  auto file = util::read(path, error,
                         {.limit = std::string::npos, .regular_only = true, .no_follow = true, .missing_ok = true});
  if (!file) return std::nullopt;
  return std::move(file->text);
}

}  // namespace dcomm::build
