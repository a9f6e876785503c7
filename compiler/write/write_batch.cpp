#include "write/write_batch.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/files.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

void remove_temporary(const fs::path& path, bool folder) {
  if (!folder) {
    ::unlink(path.c_str());
    return;
  }
  std::error_code ec;
  fs::remove_all(path, ec);
}

}  // namespace

WriteBatch::WriteBatch(fs::path out) : out_(std::move(out)) { util::read_umask(); }

WriteBatch::~WriteBatch() {
  if (committed_) return;
  for (const Rename& rename : renames_) remove_temporary(rename.temporary, rename.folder);
  for (const fs::path& file : in_place_) ::unlink(file.c_str());
}

std::optional<fs::path> WriteBatch::new_folder(const fs::path& target, std::string& error) {
  std::string temporary = target.string() + std::string(util::kTempSuffix) + "XXXXXX";
  if (::mkdtemp(temporary.data()) == nullptr || ::chmod(temporary.c_str(), 0755) != 0) {
    error = fmt::format("cannot create a folder beside {}: {}", target.string(), std::strerror(errno));
    return std::nullopt;
  }
  renames_.push_back({temporary, target, true});
  return temporary;
}

bool WriteBatch::write_in_place(const fs::path& path, std::string_view content, int mode, std::string& error,
                                const fs::path& reported) {
  const fs::path& name = reported.empty() ? path : reported;
  if (!util::write_new_file(path, content, error, mode)) {
    error = fmt::format("cannot write {}: {}", name.string(), error);
    return false;
  }
  // A file inside a new folder goes with its folder if the batch is
  // dropped; only one written into an existing folder is removed alone.
  if (reported.empty()) in_place_.push_back(path);
  reported_in_place_.push_back(name);
  return true;
}

bool WriteBatch::stage(const fs::path& path, std::string_view content, int mode, std::string& error) {
  auto temporary = util::write_temporary(path, content, mode, error);
  if (!temporary) {
    error = fmt::format("cannot write {}: {}", path.string(), error);
    return false;
  }
  renames_.push_back({std::move(*temporary), path});
  return true;
}

bool WriteBatch::commit(std::string& error) {
  if (empty()) {
    committed_ = true;
    return true;
  }
  if (!util::sync(out_, util::SyncScope::filesystem, error)) return false;
  committed_ = true;  // from here on every byte is on disk: nothing to undo
  written_ = std::move(reported_in_place_);
  for (const Rename& rename : renames_) {
    if (std::rename(rename.temporary.c_str(), rename.target.c_str()) != 0) {
      error = fmt::format("cannot write {}: {}", rename.target.string(), std::strerror(errno));
      for (const Rename& left : renames_) remove_temporary(left.temporary, left.folder);
      return false;
    }
    if (!rename.folder) written_.push_back(rename.target);
  }
  for (const fs::path& file : removals_) {
    std::error_code ec;  // a killed build's new site is a temporary folder
    if (::unlink(file.c_str()) == 0 || (errno == EISDIR && fs::remove_all(file, ec) > 0)) removed_.push_back(file);
  }
  return util::sync(out_, util::SyncScope::filesystem, error);
}

}  // namespace dcomm::build
