#pragma once
// Reading specs and writing results. Writes are atomic: the new content
// goes to a temporary file beside the target, then replaces it with one
// rename, so a crash or a full disk never leaves a half-written file.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace dcomm::util {

/// Larger than any spec may be (8 MiB, the parser's limit), so a file cut
/// here is still reported as too large; and reading /dev/zero ends.
inline constexpr std::size_t kReadLimit = (8u << 20) + 1;

/// What read() accepts besides an ordinary file.
struct ReadRules {
  std::size_t limit = kReadLimit;  ///< read at most this many bytes
  /// Refuse devices, pipes and sockets, without blocking on them: for
  /// files a spec names (imports), which must never read /dev/stdin or a FIFO.
  bool regular_only = false;
  /// Refuse a symbolic link as the last component: for files under a
  /// build's output folder, where a link would lead a secret elsewhere.
  bool no_follow = false;
  /// A missing file is no error: nullopt with `error` left empty.
  bool missing_ok = false;
};

struct FileText {
  std::string text;   ///< at most ReadRules::limit bytes
  std::uint64_t size;  ///< the whole file's size where known (a regular file), else text.size()
  unsigned mode = 0;   ///< permission bits (st_mode & 07777)
};

/// The file, or nullopt with `error` set to a sentence for people ("No
/// such file or directory", "is a directory, not a file", "is a symbolic
/// link").
std::optional<FileText> read(const std::filesystem::path& path, std::string& error, const ReadRules& rules = {});

/// read() with the default rules, for callers that only need the text.
std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error,
                                     std::size_t limit = kReadLimit);

/// "8.0 MiB", for messages about sizes.
std::string mebibytes(std::uint64_t bytes);

/// Replaces `path` with `content` atomically. The file gets `mode`, or
/// keeps its old mode when `mode` is -1 (0644 for a new file). `durable`
/// also waits for the data to reach the disk before the rename: for files
/// that cannot be made again (generated secrets), not for build output,
/// where one fsync per file would dominate a large build. Returns false
/// with `error` set on failure; the old file is untouched.
bool write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           std::string& error, int mode = -1, bool durable = false);

/// Creates `path`, which must not exist, with `content` and `mode`: for a
/// folder this process has just created, where there is no old file to
/// replace atomically (saving the temporary file and the rename). False,
/// with `error` set, if it exists or cannot be written; a partly written
/// file is removed.
bool write_new_file(const std::filesystem::path& path, std::string_view content, std::string& error, int mode,
                    bool durable = false);

/// Whether creating a file or folder with `mode` gives exactly `mode`
/// under the umask read by the last read_umask() (none read: never), so
/// no chmod needs to follow.
bool umask_keeps(unsigned mode);
/// Reads the process's umask for umask_keeps: once per build, as reading
/// it means setting it twice.
void read_umask();

/// Writes `content` to a new temporary file beside `path`, named
/// PATH.dcommc-XXXXXX, with `mode`; the caller renames it over `path`
/// (after syncing, for a durable write) or removes it. Not synced.
std::optional<std::filesystem::path> write_temporary(const std::filesystem::path& path, std::string_view content,
                                                     int mode, std::string& error);


/// The suffix of write_file_atomically's temporary files, before the six
/// random characters: a file named like this was left by a killed process.
inline constexpr std::string_view kTempSuffix = ".dcommc-";

enum class SyncScope {
  folder,      ///< the folder's entries (new names, renames): fsync of the folder
  filesystem,  ///< everything written to the disk holding it (syncfs): one call, not one per file
};

/// Waits until what `scope` says is on disk.
bool sync(const std::filesystem::path& folder, SyncScope scope, std::string& error);

}  // namespace dcomm::util
