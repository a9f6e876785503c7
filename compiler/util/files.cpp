#include "util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <algorithm>

namespace dcomm::util {

std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error,
                                     std::size_t limit) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "is a directory, not a file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::string content;
  char buffer[65536];
  while (content.size() < limit && in.read(buffer, sizeof buffer).gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(std::min<std::streamsize>(
                               in.gcount(), static_cast<std::streamsize>(limit - content.size()))));
  }
  if (in.bad()) {
    error = "read failed";
    return std::nullopt;
  }
  return content;
}

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

bool write_new_file(const std::filesystem::path& path, std::string_view content, std::string& error, int mode,
                    bool durable) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  // The mode exactly, as write_file_atomically gives it, whatever the umask.
  bool ok = (mode == 0600 || ::fchmod(fd, static_cast<mode_t>(mode)) == 0) && write_all(fd, content, durable);
  const int saved_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok) return true;
  error = std::strerror(saved_errno);
  ::unlink(path.c_str());
  return false;
}

bool write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           std::string& error, int requested_mode, bool durable) {
  std::string temp = path.string() + ".dcommc-XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    error = std::string("cannot create a temporary file: ") + std::strerror(errno);
    return false;
  }
  struct stat old {};
  const mode_t mode = requested_mode >= 0                     ? static_cast<mode_t>(requested_mode)
                     : ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777)
                                                       : 0644;
  bool ok = mode == 0600 || fchmod(fd, mode) == 0;  // mkstemp creates files 0600
  ok = ok && write_all(fd, content, durable);
  const int saved_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && ::rename(temp.c_str(), path.c_str()) == 0) return true;
  error = std::strerror(ok ? errno : saved_errno);
  ::unlink(temp.c_str());
  return false;
}

}  // namespace dcomm::util
