// The output folder as a boundary: links found and named, leftovers of a
// killed build found, folder modes exact.

#include "write/out_folder.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using namespace dcomm::build;

struct Scratch {
  fs::path path = fs::temp_directory_path() / ("dcommc-out-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(path); }
  ~Scratch() { fs::remove_all(path); }
};

fs::perms mode_of(const fs::path& path) { return fs::symlink_status(path).permissions() & fs::perms::all; }

}  // namespace

TEST_CASE("out folder: a missing site folder is a first build") {
  Scratch scratch;
  std::string error;
  auto scan = scan_site_folder(scratch.path / "kyiv", error);
  REQUIRE(scan);
  CHECK_FALSE(scan->exists);
}

TEST_CASE("out folder: a link anywhere in a site's folder is refused, by name, with what to do") {
  Scratch scratch;
  const fs::path site = scratch.path / "kyiv";
  fs::create_directories(site / "caddy");
  fs::create_directories(scratch.path / "elsewhere");
  fs::create_symlink(scratch.path / "elsewhere", site / "secrets");
  std::string error;
  CHECK_FALSE(scan_site_folder(site, error));
  CHECK(error.starts_with((site / "secrets").string() + " is a symbolic link (to " +
                          (scratch.path / "elsewhere").string() + ")"));
  CHECK(error.find("help: put the real thing in its place") != std::string::npos);

  fs::remove(site / "secrets");
  fs::create_symlink("/etc/passwd", site / "caddy/Caddyfile");
  CHECK_FALSE(scan_site_folder(site, error));
  CHECK(error.starts_with((site / "caddy/Caddyfile").string() + " is a symbolic link"));

  fs::remove(site / "caddy/Caddyfile");
  fs::create_symlink(scratch.path / "elsewhere", scratch.path / "lviv");
  CHECK_FALSE(scan_site_folder(scratch.path / "lviv", error));
}

TEST_CASE("out folder: the temporary files of a killed build are found, and only those") {
  Scratch scratch;
  const fs::path site = scratch.path / "kyiv";
  fs::create_directories(site / "secrets");
  for (const char* name : {"stack.yml.dcommc-AbC123", "secrets/postgres_password.dcommc-Xyz789", "stack.yml",
                           "notes.dcommc-", "x.dcommc-toolong1"}) {
    std::ofstream(site / name) << "x";
  }
  std::string error;
  auto scan = scan_site_folder(site, error);
  REQUIRE(scan);
  CHECK(scan->exists);
  std::vector<fs::path> found = scan->leftovers;
  std::sort(found.begin(), found.end());
  CHECK(found == std::vector<fs::path>{site / "secrets/postgres_password.dcommc-Xyz789",
                                       site / "stack.yml.dcommc-AbC123"});
}

TEST_CASE("out folder: folders get exact modes whatever the umask, secrets closed again") {
  Scratch scratch;
  const fs::path out = scratch.path / "out";
  const mode_t old_umask = ::umask(0);
  std::string error;
  auto existed = make_folder(out, out / "kyiv/secrets/maubot", error);
  ::umask(old_umask);
  REQUIRE(existed);
  CHECK_FALSE(*existed);
  CHECK(mode_of(out) == fs::perms(0755));
  CHECK(mode_of(out / "kyiv") == fs::perms(0755));
  CHECK(mode_of(out / "kyiv/secrets") == fs::perms(0700));
  CHECK(mode_of(out / "kyiv/secrets/maubot") == fs::perms(0700));

  fs::permissions(out / "kyiv/secrets/maubot", fs::perms(0755));
  existed = make_folder(out, out / "kyiv/secrets/maubot", error);
  REQUIRE(existed);
  CHECK(*existed);
  CHECK(mode_of(out / "kyiv/secrets/maubot") == fs::perms(0700));
}

TEST_CASE("out folder: make_folder refuses a link on the way") {
  Scratch scratch;
  const fs::path out = scratch.path / "out";
  fs::create_directories(out);
  fs::create_directories(scratch.path / "elsewhere");
  fs::create_symlink(scratch.path / "elsewhere", out / "kyiv");
  std::string error;
  CHECK_FALSE(make_folder(out, out / "kyiv/secrets", error));
  CHECK(error.find("is a symbolic link") != std::string::npos);
  CHECK_FALSE(fs::exists(scratch.path / "elsewhere/secrets"));
}

TEST_CASE("out folder: read_output_file tells a missing file from a link") {
  Scratch scratch;
  std::string error;
  CHECK_FALSE(read_output_file(scratch.path / "absent", error));
  CHECK(error.empty());
  fs::create_symlink("/etc/hostname", scratch.path / "link");
  CHECK_FALSE(read_output_file(scratch.path / "link", error));
  CHECK_FALSE(error.empty());
}
