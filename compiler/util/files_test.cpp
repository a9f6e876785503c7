// Reading with rules (regular files only, no links, missing files) and
// the temporary files of atomic writes.

#include "util/files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using namespace dcomm::util;

/// A scratch folder, removed afterwards.
struct Scratch {
  fs::path path = fs::temp_directory_path() / ("dcommc-files-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(path); }
  ~Scratch() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("files: read refuses a link only when told to, naming it") {
  Scratch scratch;
  std::ofstream(scratch.path / "target") << "secret";
  fs::create_symlink(scratch.path / "target", scratch.path / "link");
  std::string error;
  CHECK(read(scratch.path / "link", error).has_value());
  CHECK_FALSE(read(scratch.path / "link", error, {.no_follow = true}).has_value());
  CHECK(error == "is a symbolic link, which dcommc does not follow here");
}

TEST_CASE("files: read refuses a pipe or a device without blocking, only when told to") {
  Scratch scratch;
  REQUIRE(::mkfifo((scratch.path / "pipe").c_str(), 0600) == 0);
  std::string error;
  // Without O_NONBLOCK this open would wait for a writer for ever.
  CHECK_FALSE(read(scratch.path / "pipe", error, {.regular_only = true}).has_value());
  CHECK(error == "is not a regular file (a device, pipe or socket)");
  CHECK_FALSE(read("/dev/zero", error, {.regular_only = true}).has_value());
  auto zeros = read("/dev/zero", error, {.limit = 10});
  REQUIRE(zeros);
  CHECK(zeros->text.size() == 10);
  CHECK(zeros->size == 10);  // a device's size is what was read
}

TEST_CASE("files: read stops at the limit but reports a file's real size and mode") {
  Scratch scratch;
  const fs::path big = scratch.path / "big";
  std::ofstream(big) << std::string(1000, 'x');
  fs::permissions(big, fs::perms(0640));
  std::string error;
  auto file = read(big, error, {.limit = 100});
  REQUIRE(file);
  CHECK(file->text.size() == 100);
  CHECK(file->size == 1000);
  CHECK(file->mode == 0640);
}

TEST_CASE("files: a missing file is an error unless it may be missing") {
  Scratch scratch;
  std::string error;
  CHECK_FALSE(read(scratch.path / "absent", error).has_value());
  CHECK(error == "No such file or directory");
  error.clear();
  CHECK_FALSE(read(scratch.path / "absent", error, {.missing_ok = true}).has_value());
  CHECK(error.empty());
  CHECK_FALSE(read(scratch.path, error, {.missing_ok = true}).has_value());
  CHECK(error == "is a directory, not a file");
}

TEST_CASE("files: a temporary file sits beside its target, with its mode, under the recognisable name") {
  Scratch scratch;
  const mode_t old_umask = ::umask(0);
  std::string error;
  auto temp = write_temporary(scratch.path / "stack.yml", "content", 0644, error);
  ::umask(old_umask);
  REQUIRE(temp);
  CHECK(temp->parent_path() == scratch.path);
  const std::string name = temp->filename().string();
  CHECK(name.starts_with(std::string("stack.yml") + std::string(kTempSuffix)));
  CHECK(name.size() == std::string("stack.yml").size() + kTempSuffix.size() + 6);
  CHECK((fs::status(*temp).permissions() & fs::perms::all) == fs::perms(0644));
  CHECK(read_file(*temp, error) == "content");
}

TEST_CASE("files: write_new_file gives the exact mode whatever the umask, and never follows a link") {
  Scratch scratch;
  const mode_t old_umask = ::umask(0);
  std::string error;
  CHECK(write_new_file(scratch.path / "secret", "x", error, 0600));
  CHECK((fs::status(scratch.path / "secret").permissions() & fs::perms::all) == fs::perms(0600));
  fs::create_symlink(scratch.path / "elsewhere", scratch.path / "link");
  CHECK_FALSE(write_new_file(scratch.path / "link", "x", error, 0644));
  ::umask(old_umask);
  CHECK_FALSE(fs::exists(scratch.path / "elsewhere"));
}
