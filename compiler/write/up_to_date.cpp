#include "write/up_to_date.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits>

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

bool newer(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
}

/// The site's folder, open for looking up names relative to it: a fleet's
/// rebuild stats tens of thousands of files, and a lookup from the folder
/// walks one or two names instead of the whole path.
class Folder {
 public:
  explicit Folder(const fs::path& path) : fd_(::open(path.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) {}
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  ~Folder() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool is_open() const { return fd_ >= 0; }

  /// The status of `name` (relative, '/'-separated), not following a link
  /// at its end, if it is a regular file changed no later than `since`.
  bool unchanged_file(const std::string& name, const struct timespec& since, struct stat& info) const {
    // A manifest entry is data: it must name a file inside the folder.
    if (name.empty() || name.front() == '/' || name.starts_with("../") || name.find("/../") != std::string::npos) {
      return false;
    }
    return ::fstatat(fd_, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(info.st_mode) &&
           !newer(info.st_ctim, since);
  }

 private:
  int fd_;
};

}  // namespace

bool files_unchanged(const fs::path& site_dir, const Manifest& manifest) {
  const Folder folder(site_dir);
  struct stat info {};
  const struct timespec latest {std::numeric_limits<time_t>::max(), 0};
  if (!folder.is_open() || !folder.unchanged_file("manifest.json", latest, info)) return false;
  const struct timespec written = info.st_ctim;
  for (const ManifestArtifact& artifact : manifest.artifacts) {
    if (!folder.unchanged_file(artifact.path, written, info)) return false;
  }
  for (const std::string& file : manifest.secret_files) {
    if (!folder.unchanged_file(file, written, info)) return false;
  }
  if (manifest.secrets.empty()) return true;
  if (!folder.unchanged_file("secrets/generations.json", written, info)) return false;
  for (const std::string& name : manifest.secrets) {
    if (name.find('/') != std::string::npos) return false;
    if (!folder.unchanged_file("secrets/" + name, written, info)) return false;
    if (info.st_size == 0 || (info.st_mode & 077) != 0) return false;
  }
  return true;
}

OutputSurvey::OutputSurvey(fs::path out) : thread_([this, out = std::move(out)] { survey(out); }) {}

void OutputSurvey::survey(const fs::path& out) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(out, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    // A link is refused by the build itself (scan_site_folder), not read here.
    if (it->is_symlink(ec) || !it->is_directory(ec)) continue;
    auto manifest = read_manifest(it->path());
    if (!manifest) continue;
    const bool unchanged = files_unchanged(it->path(), *manifest);
    sites_.emplace(it->path().filename().string(), SiteState{std::move(*manifest), unchanged});
  }
}

const OutputSurvey::SiteState* OutputSurvey::site(const std::string& name) {
  auto it = sites().find(name);
  return it == sites_.end() ? nullptr : &it->second;
}

const std::map<std::string, OutputSurvey::SiteState>& OutputSurvey::sites() {
  if (thread_.joinable()) thread_.join();
  return sites_;
}

}  // namespace dcomm::build
