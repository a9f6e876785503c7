#pragma once
// Reading specs and writing results. Writes are atomic: the new content
// goes to a temporary file beside the target, then replaces it with one
// rename, so a crash or a full disk never leaves a half-written file.

#include <filesystem>
#include <optional>
#include <string>

namespace dcomm::util {

/// Larger than any spec may be (8 MiB, the parser's limit), so a file cut
/// here is still reported as too large; and reading /dev/zero ends.
inline constexpr std::size_t kReadLimit = (8u << 20) + 1;

/// The file, or nullopt with `error` set to a sentence for people ("No
/// such file or directory", "is a directory"). Reads at most `limit` bytes.
std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error,
                                     std::size_t limit = kReadLimit);

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

}  // namespace dcomm::util
