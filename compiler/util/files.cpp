#include "util/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dcomm::util {

namespace {

/// Closes a descriptor when it goes out of scope.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string open_error(int error_number, const ReadRules& rules) {
  if (error_number == ELOOP && rules.no_follow) return "is a symbolic link, which dcommc does not follow here";
  return std::strerror(error_number);
}

/// Why `info` is not something read() may take, or "" if it is.
std::string refusal(const struct stat& info, const ReadRules& rules) {
  if (S_ISDIR(info.st_mode)) return "is a directory, not a file";
  if (rules.regular_only && !S_ISREG(info.st_mode)) return "is not a regular file (a device, pipe or socket)";
  return "";
}

/// Up to `limit` bytes of `fd`.
std::optional<std::string> read_up_to(int fd, std::size_t limit, std::string& error) {
  std::string content;
  char buffer[65536];
  while (content.size() < limit) {
    const std::size_t want = std::min(sizeof buffer, limit - content.size());
    const ssize_t n = ::read(fd, buffer, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("read failed: ") + std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  return content;
}

}  // namespace

std::optional<FileText> read(const std::filesystem::path& path, std::string& error, const ReadRules& rules) {
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
  // Opening a FIFO for reading waits for a writer; O_NONBLOCK returns at
  // once, and fstat below refuses it.
  if (rules.regular_only) flags |= O_NONBLOCK;
  if (rules.no_follow) flags |= O_NOFOLLOW;
  const Descriptor fd(::open(path.c_str(), flags));
  if (fd.get() < 0) {
    if (errno != ENOENT || !rules.missing_ok) error = open_error(errno, rules);
    return std::nullopt;
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  if (std::string why = refusal(info, rules); !why.empty()) {
    error = std::move(why);
    return std::nullopt;
  }
  auto text = read_up_to(fd.get(), rules.limit, error);
  if (!text) return std::nullopt;
  const std::uint64_t size = S_ISREG(info.st_mode) ? std::max<std::uint64_t>(info.st_size, text->size()) : text->size();
  return FileText{std::move(*text), size, static_cast<unsigned>(info.st_mode & 07777)};
}

std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error, std::size_t limit) {
  auto file = read(path, error, {.limit = limit});
  if (!file) return std::nullopt;
  return std::move(file->text);
}

std::string mebibytes(std::uint64_t bytes) { return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / 1048576.0); }

namespace {

/// Writes all of `content` to `fd`, then fsyncs it if `durable`.
bool write_all(int fd, std::string_view content, bool durable) {
  for (std::size_t written = 0; written < content.size();) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return !durable || ::fsync(fd) == 0;
}

}  // namespace

namespace {

/// All bits until read_umask(): every mode is then set explicitly.
mode_t known_umask = 07777;

}  // namespace

void read_umask() {
  known_umask = ::umask(022);
  ::umask(known_umask);
}

bool umask_keeps(unsigned mode) { return (mode & known_umask) == 0; }

bool write_new_file(const std::filesystem::path& path, std::string_view content, std::string& error, int mode,
                    bool durable) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  // The mode exactly, as write_file_atomically gives it, whatever the umask.
  bool ok = (umask_keeps(mode) || ::fchmod(fd, static_cast<mode_t>(mode)) == 0) && write_all(fd, content, durable);
  const int saved_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok) return true;
  error = std::strerror(saved_errno);
  ::unlink(path.c_str());
  return false;
}

std::optional<std::filesystem::path> write_temporary(const std::filesystem::path& path, std::string_view content,
                                                     int mode, std::string& error) {
  std::string temp = path.string() + std::string(kTempSuffix) + "XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // O_EXCL, mode 0600
  if (fd < 0) {
    error = std::string("cannot create a temporary file: ") + std::strerror(errno);
    return std::nullopt;
  }
  bool ok = mode == 0600 || ::fchmod(fd, static_cast<mode_t>(mode)) == 0;
  ok = ok && write_all(fd, content, /*durable=*/false);
  const int saved_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok) return temp;
  error = std::strerror(saved_errno);
  ::unlink(temp.c_str());
  return std::nullopt;
}

bool write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           std::string& error, int requested_mode, bool durable) {
  struct stat old {};
  const int mode = requested_mode >= 0                     ? requested_mode
                   : ::lstat(path.c_str(), &old) == 0 ? static_cast<int>(old.st_mode & 07777)
                                                      : 0644;
  auto temp = write_temporary(path, content, mode, error);
  if (!temp) return false;
  bool ok = true;
  if (durable) {
    const int fd = ::open(temp->c_str(), O_RDONLY | O_CLOEXEC);
    ok = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
  }
  if (ok && ::rename(temp->c_str(), path.c_str()) == 0) return true;
  error = std::strerror(errno);
  ::unlink(temp->c_str());
  return false;
}

bool sync(const std::filesystem::path& folder, SyncScope scope, std::string& error) {
  const Descriptor fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  const bool whole = scope == SyncScope::filesystem;
  if (fd.get() < 0 || (whole ? ::syncfs(fd.get()) : ::fsync(fd.get())) != 0) {
    error = fmt::format("cannot sync {}{}: {}", whole ? "the disk holding " : "", folder.string(),
                        std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace dcomm::util
