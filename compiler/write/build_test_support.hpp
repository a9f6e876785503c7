#pragma once
// For the build's tests: a scratch output folder, and a spec compiled
// through the real front end and built or planned into it.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "write/build.hpp"
#include "util/files.hpp"

namespace dcomm::build::testing {

namespace fs = std::filesystem;

/// A scratch output folder, removed afterwards.
struct OutDir {
  fs::path path = fs::temp_directory_path() /
                  ("dcommc-build-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  ~OutDir() { fs::remove_all(path); }
  static inline int counter = 0;
};

struct Compiled {
  SourceMap sources;
  Diagnostics diags;
  Compilation compilation;

  /// `spec`, with its text changed by `edit` if given.
  explicit Compiled(const fs::path& spec, const std::function<void(std::string&)>& edit = {}) {
    std::string error;
    auto text = util::read_file(spec, error);
    REQUIRE(text);
    if (edit) edit(*text);
    compilation = check_file(sources, sources.add(spec.string(), std::move(*text)), diags);
    REQUIRE_FALSE(diags.has_errors());
  }

  std::vector<SiteChanges> changes(const BuildOptions& options) const {
    std::string error;
    auto changes = plan_changes(compilation, options, error);
    INFO(error);
    REQUIRE(changes);
    return *changes;
  }

  /// The error of a build that must fail.
  std::string build_error(const BuildOptions& options) const {
    std::string error;
    CHECK_FALSE(dcomm::build::build(compilation, options, error));
    return error;
  }

  WriteResult build(const BuildOptions& options) const {
    std::string error;
    auto result = dcomm::build::build(compilation, options, error);
    INFO(error);
    REQUIRE(result);
    return *result;
  }
};

inline std::string read(const fs::path& path) {
  std::string error;
  return util::read_file(path, error).value_or("");
}

}  // namespace dcomm::build::testing
