#pragma once
// For the resolver tests (resolve_*_test.cpp): spec files in a folder of
// their own, checked by the real front end.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "driver/pipeline.hpp"
#include "util/files.hpp"

namespace dcomm::resolve_testing {

namespace fs = std::filesystem;

/// A folder of spec files for one test, removed afterwards.
class SpecDir {
 public:
  SpecDir() : path_(fs::temp_directory_path() / ("dcommc-resolve-" + std::to_string(::getpid()) +
                                                 "-" + std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~SpecDir() { fs::remove_all(path_); }

  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

/// A spec file checked by the front end, and what it reported.
struct Checked {
  SourceMap sources;
  Diagnostics diags;
  Compilation result;

  explicit Checked(const fs::path& root, const resolve::LoadOptions& options = {}) {
    std::string error;
    auto text = util::read_file(root, error);
    REQUIRE(text);
    result = check_file(sources, sources.add(root.string(), std::move(*text)), diags, options);
  }

  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) out.emplace_back(d.code.text());
    return out;
  }
  const model::Site& site(std::size_t i = 0) const { return result.federation.sites.at(i); }
  std::string file_of(std::size_t diagnostic) const {
    return fs::path(sources.file(diags.all().at(diagnostic).primary.span.file).name()).filename();
  }
};

inline Checked check_text(const std::string& text) {
  static SpecDir dir;
  return Checked(dir.write("spec.dcomm", text));
}

/// Site kyiv with its node, the site block left open for services.
inline const std::string kMinimalSite = R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" {
    labels = { dwebstackdomain = "kyiv.dcomm.net.ua" }
  }
)";

/// Diagnostic codes, in the order reported.
using Codes = std::vector<std::string>;

}  // namespace dcomm::resolve_testing
