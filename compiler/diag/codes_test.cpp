// The catalogue of codes (catalogue.hpp), the code literals in the
// compiler's sources, the explain pages (docs/explain) and the table in
// docs/diagnostics.md must all agree. A code the catalogue lacks does not
// compile (code.hpp); these tests hold the rest.

#include "diag/codes.hpp"
#include "diag/diagnostic.hpp"

#include <algorithm>
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace dcomm;

const fs::path kSourceDir = DCOMMC_SOURCE_DIR;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Every "E1234" or "W1234" string literal in the compiler's own sources
/// (tests excluded: they compare with codes that do not exist), with a file
/// using it.
std::map<std::string, std::string> codes_in_sources() {
  const std::regex literal(R"re("([EW][0-9]{4})")re");
  std::map<std::string, std::string> found;
  for (const char* dir : {"grammar", "compiler"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kSourceDir / dir)) {
      const fs::path& path = entry.path();
      const std::string name = path.filename().string();
      if (path.extension() != ".cpp" && path.extension() != ".hpp") continue;
      if (name.ends_with("_test.cpp") || name == "catalogue.hpp") continue;
      const std::string text = read(path);
      for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it) {
        found.emplace((*it)[1], fs::relative(path, kSourceDir).string());
      }
    }
  }
  return found;
}

}  // namespace

TEST_CASE("codes: the catalogue is well-formed and without duplicates") {
  const std::regex well_formed("[EW][0-9]{4}");
  std::set<std::string_view> seen;
  for (const CodeInfo& info : all_codes()) {
    INFO(info.code);
    CHECK(std::regex_match(std::string(info.code), well_formed));
    // The letter says the severity: E for errors, W for warnings.
    CHECK(info.code.front() == (info.severity == Severity::error ? 'E' : 'W'));
    CHECK(seen.insert(info.code).second);
    CHECK_FALSE(info.title.empty());
    const std::optional<Code> code = Code::of(info.code);
    REQUIRE(code);
    CHECK(&code->info() == &info);
    CHECK(code->text() == info.code);
    CHECK(code->severity() == info.severity);
  }
  CHECK_FALSE(Code::of("E9999"));
  CHECK_FALSE(Code::of("e0304"));
  CHECK_FALSE(Code::of(""));
}

TEST_CASE("codes: every code has an explain page embedded as written in docs/explain") {
  for (const CodeInfo& info : all_codes()) {
    INFO(info.code);
    const auto page = explain_page(info.code);
    REQUIRE(page.has_value());
    CHECK(*page == read(kSourceDir / "docs/explain" / (std::string(info.code) + ".md")));
  }
  CHECK_FALSE(explain_page("E9999").has_value());
}

TEST_CASE("codes: every file in docs/explain is the page of a code") {
  int pages = 0;
  for (const auto& entry : fs::directory_iterator(kSourceDir / "docs/explain")) {
    const std::string name = entry.path().filename().string();
    INFO("docs/explain/" << name);
    CHECK(std::regex_match(name, std::regex("[EW][0-9]{4}\\.md")));
    CHECK(Code::of(name.substr(0, name.size() - 3)));
    ++pages;
  }
  CHECK(pages == static_cast<int>(all_codes().size()));
}

TEST_CASE("codes: the catalogue holds exactly the codes the compiler reports") {
  const auto used = codes_in_sources();
  REQUIRE(used.size() > 10);  // the scan works
  for (const auto& [code, file] : used) {
    INFO(code << " is written in " << file << " but missing from compiler/diag/catalogue.hpp");
    CHECK(Code::of(code));
  }
  for (const CodeInfo& info : all_codes()) {
    INFO(info.code << " is in the catalogue, but no source reports it");
    CHECK(used.contains(std::string(info.code)));
  }
}

TEST_CASE("codes: docs/diagnostics.md has a table row for every code") {
  const std::string doc = read(kSourceDir / "docs/diagnostics.md");
  for (const CodeInfo& info : all_codes()) {
    const std::string code(info.code);
    const std::string row = "| [" + code + "](explain/" + code + ".md) | " +
                            std::string(to_string(info.severity)) + " | " +
                            std::string(info.title) + " |";
    INFO("expected this row in docs/diagnostics.md:\n" << row);
    CHECK(doc.find(row) != std::string::npos);
  }
}

TEST_CASE("codes: a Code is its catalogue entry, compared, printed and formatted by its spelling") {
  const Code twice = "E0304";
  CHECK(twice == Code("E0304"));
  CHECK(twice != Code("E0305"));
  CHECK(twice == "E0304");
  CHECK(twice == std::string("E0304"));
  CHECK_FALSE(twice == "E0305");
  CHECK(twice.title() == "declared twice");
  CHECK(twice.severity() == Severity::error);
  CHECK(Code("W0501").severity() == Severity::warning);
  CHECK(fmt::format("[{}]", twice) == "[E0304]");
  std::ostringstream printed;
  printed << twice;
  CHECK(printed.str() == "E0304");
  CHECK(Code::of("E0304") == twice);
}

TEST_CASE("codes: a diagnostic has its code's severity unless it says otherwise") {
  CHECK(Diagnostic{.code = "W0501", .message = "m"}.severity == Severity::warning);
  CHECK(Diagnostic{.code = "E0304", .message = "m"}.severity == Severity::error);
  CHECK(Diagnostic{.code = "E0601", .severity = Severity::warning, .message = "m"}.severity == Severity::warning);
}
