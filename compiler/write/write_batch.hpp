#pragma once
// The writes of one build, staged and then committed, so that
// - a kill at any instant leaves every file either as it was or complete,
// - once commit() returns, a power cut loses nothing,
// - and the disk is synced twice per build, not once per file: on a real
//   disk one fsync per file made a fleet's first build 17x slower than
//   copying the same bytes.
//
// stage() puts a file's new content in a temporary file beside it
// (NAME.dcommc-XXXXXX); a file new to a folder this build created may be
// written in place instead, as there is nothing there to keep. A whole
// new folder (a new site) is written in place inside a temporary folder
// (SITE.dcommc-XXXXXX) that appears under its name in one rename. commit()
// syncs the filesystem (every staged byte is on disk), renames the
// temporary files and folders over their targets in the order they were
// staged, removes what was asked, and syncs again (every new name is on
// disk).
// Renames are ordered by the filesystem's journal (ext4, xfs), so a power
// cut during them keeps a prefix: callers stage what others depend on
// first, and a site's manifest last.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcomm::build {

class WriteBatch {
 public:
  /// Reads the umask (see util::umask_keeps): files get their modes exactly.
  explicit WriteBatch(std::filesystem::path out);
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;
  /// Removes what an uncommitted batch wrote: its temporary files and the
  /// files it wrote in place.
  ~WriteBatch();

  /// `path` gets `content` with exactly `mode` at commit.
  bool stage(const std::filesystem::path& path, std::string_view content, int mode, std::string& error);
  /// Writes `path`, which does not exist, in a folder this build made,
  /// now: there is nothing to keep. Listed as `reported` (its name once a
  /// new folder is renamed into place).
  bool write_in_place(const std::filesystem::path& path, std::string_view content, int mode, std::string& error,
                      const std::filesystem::path& reported = {});
  /// A temporary folder beside `target`, which must not exist, to write
  /// in place (write_new_file, make_folder) and rename to `target` at commit.
  std::optional<std::filesystem::path> new_folder(const std::filesystem::path& target, std::string& error);

  /// `path` is removed at commit, after the renames.
  void remove(std::filesystem::path path) { removals_.push_back(std::move(path)); }

  bool empty() const { return renames_.empty() && in_place_.empty() && removals_.empty(); }

  /// Sync, rename, remove, sync. False with `error` if a step fails; the
  /// files renamed before it stay renamed, each complete.
  bool commit(std::string& error);

  /// After commit: every file written (those written in place, then those
  /// renamed, in the order staged), and every file removed (a removal of a
  /// file already gone is not listed).
  std::vector<std::filesystem::path> take_written() { return std::move(written_); }
  const std::vector<std::filesystem::path>& removed() const { return removed_; }

 private:
  struct Rename {
    std::filesystem::path temporary;
    std::filesystem::path target;
    bool folder = false;
  };

  std::filesystem::path out_;
  std::vector<Rename> renames_;
  std::vector<std::filesystem::path> in_place_;  ///< to remove if not committed (new folders go whole)
  std::vector<std::filesystem::path> reported_in_place_;
  std::vector<std::filesystem::path> removals_;
  std::vector<std::filesystem::path> written_;
  std::vector<std::filesystem::path> removed_;
  bool committed_ = false;
};

}  // namespace dcomm::build
