// The examples on the explain pages (docs/explain/CODE.md, embedded in the
// binary) run as tests, as rustc's error-code pages do: a block fenced
// ```dcomm fails=CODE must report CODE and nothing else, and a block
// fenced ```dcomm must check without a single diagnostic. The examples in
// the language reference (docs/language.md) must check clean too.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "diag/codes.hpp"
#include "diag/render.hpp"
#include "driver/pipeline.hpp"

namespace {

using namespace dcomm;

/// Codes whose failing input cannot be shown inline in Markdown: invalid
/// UTF-8, a NUL byte, over 8 MiB, over 100 levels deep, over 100 errors,
/// over 4,096 room directory servers, over 32 MiB of imports, over 10,000
/// sites. Their pages illustrate the output in a ```text block instead.
const std::set<std::string_view> kNoInlineExample = {"E0101", "E0102", "E0103", "E0104", "E0302",
                                                     "E0106", "E0413", "E0107", "E0414",
                                                     // Found against the last build, not by check (the
                                                     // scenarios run in tests/cli/changes.sh).
                                                     "E0601", "E0602", "E0603", "E0604", "E0605", "E0606"};

struct Fence {
  std::string info;  ///< what follows the opening ```
  std::string body;
  bool closed = false;
};

/// The fenced code blocks of a Markdown page, in order.
std::vector<Fence> fences(std::string_view page) {
  std::vector<Fence> out;
  bool inside = false;
  std::size_t at = 0;
  while (at < page.size()) {
    std::size_t end = page.find('\n', at);
    if (end == std::string_view::npos) end = page.size();
    const std::string_view line = page.substr(at, end - at);
    at = end + 1;
    if (!inside && line.starts_with("```")) {
      out.push_back({std::string(line.substr(3)), "", false});
      inside = true;
    } else if (inside && line == "```") {
      out.back().closed = true;
      inside = false;
    } else if (inside) {
      out.back().body += std::string(line) + '\n';
    }
  }
  return out;
}

struct Example {
  enum class Kind { passing, failing, other } kind;
  std::string code;  ///< for failing examples
  std::string text;
  std::string name;  ///< e.g. "E0202.md example 1"
};

/// The ```dcomm examples of the page for `code`. An info string starting
/// with "dcomm" that is neither "dcomm" nor "dcomm fails=CODE" fails the
/// test, so a typo cannot quietly turn an example into prose.
std::vector<Example> examples(std::string_view code, std::string_view page) {
  std::vector<Example> out;
  int number = 0;
  for (const Fence& fence : fences(page)) {
    INFO(code << ".md: a block fenced ```" << fence.info);
    CHECK(fence.closed);
    if (!fence.info.starts_with("dcomm")) {
      out.push_back({Example::Kind::other, "", fence.body, ""});
      continue;
    }
    const std::string name = std::string(code) + ".md example " + std::to_string(++number);
    if (fence.info == "dcomm") {
      out.push_back({Example::Kind::passing, "", fence.body, name});
    } else if (fence.info.starts_with("dcomm fails=")) {
      out.push_back({Example::Kind::failing, fence.info.substr(12), fence.body, name});
    } else {
      FAIL_CHECK("info string must be `dcomm` or `dcomm fails=CODE`");
    }
  }
  return out;
}

/// Examples that show imports name "common.dcomm", a file of shared
/// declarations. Examples are checked as files of a folder holding it.
class ImportFolder {
 public:
  ImportFolder()
      : path_(std::filesystem::temp_directory_path() /
              ("dcommc-explain-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
    std::ofstream(path_ / "common.dcomm") << "template \"ua-site\" {\n"
                                             "  tls = acme(\"ops@dcomm.net.ua\")\n"
                                             "}\n";
  }
  ~ImportFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// What checking an example reported.
struct Checked {
  std::vector<std::string> codes;
  std::string rendered;  ///< the human rendering, shown when a check fails
};

/// Runs the front end on one example, as `dcommc check` would.
Checked check(const Example& example) {
  static const ImportFolder folder;
  SourceMap sources;
  Diagnostics diags;
  check_file(sources, sources.add((folder.path() / example.name).string(), example.text), diags);
  Checked out;
  for (const auto& d : diags.all()) out.codes.emplace_back(d.code.text());
  std::ostringstream rendered;
  render_human(diags.all(), sources, rendered, {});
  out.rendered = rendered.str();
  return out;
}

std::string page_for(const CodeInfo& info) {
  auto page = explain_page(info.code);
  return page ? std::string(*page) : std::string();
}

/// The examples of `kind` on every explain page.
std::vector<Example> all_examples(Example::Kind kind) {
  std::vector<Example> out;
  for (const CodeInfo& info : all_codes()) {
    for (Example& example : examples(info.code, page_for(info))) {
      if (example.kind == kind) out.push_back(std::move(example));
    }
  }
  return out;
}

/// What a failed check shows: the example, what it should have done, and
/// what dcommc reported instead.
std::string report(const Example& example, const std::string& expected, const Checked& result) {
  return example.name + " should " + expected + ":\n" + example.text + "dcommc reported:\n" + result.rendered;
}

}  // namespace

TEST_CASE("explain: each page starts with '# CODE: title' as in the catalogue") {
  for (const CodeInfo& info : all_codes()) {
    const std::string page = page_for(info);
    const std::string heading = "# " + std::string(info.code) + ": " + std::string(info.title);
    INFO(info.code << ".md");
    CHECK(page.substr(0, page.find('\n')) == heading);
  }
}

TEST_CASE("explain: failing examples report their code and nothing else") {
  for (const Example& example : all_examples(Example::Kind::failing)) {
    const Checked result = check(example);
    INFO(report(example, "report " + example.code, result));
    CHECK_FALSE(result.codes.empty());
    for (const std::string& code : result.codes) CHECK(code == example.code);
  }
}

TEST_CASE("explain: passing examples check without any diagnostic") {
  for (const Example& example : all_examples(Example::Kind::passing)) {
    const Checked result = check(example);
    INFO(report(example, "check clean", result));
    CHECK(result.codes.empty());
  }
}

TEST_CASE("explain: each page shows a failing example and its fix or else illustrates the output") {
  for (const CodeInfo& info : all_codes()) {
    int failing = 0, passing = 0, text = 0;
    for (const Example& example : examples(info.code, page_for(info))) {
      failing += example.kind == Example::Kind::failing && example.code == info.code;
      passing += example.kind == Example::Kind::passing;
      text += example.kind == Example::Kind::other;
    }
    INFO(info.code << ".md: " << failing << " failing, " << passing << " passing, " << text
                   << " other examples");
    if (kNoInlineExample.contains(info.code)) {
      // Keeps the list exact: a page that gains a real example leaves it.
      CHECK(failing == 0);
      CHECK(text > 0);
    } else {
      CHECK(failing > 0);
      CHECK(passing > 0);
    }
  }
}

TEST_CASE("explain: fenced blocks are found with their info strings") {
  const auto found = fences(
      "# E0000: t\n\n```dcomm fails=E0000\na = [\n```\n\ntext\n\n```dcomm\na = 1\n```\n```text\n");
  REQUIRE(found.size() == 3);
  CHECK(found[0].info == "dcomm fails=E0000");
  CHECK(found[0].body == "a = [\n");
  CHECK(found[0].closed);
  CHECK(found[1].info == "dcomm");
  CHECK(found[1].body == "a = 1\n");
  CHECK_FALSE(found[2].closed);
}

TEST_CASE("explain: the examples in docs/language.md check without any diagnostic") {
  std::ifstream in(DCOMMC_SOURCE_DIR "/docs/language.md");
  const std::string page{std::istreambuf_iterator<char>(in), {}};
  int checked = 0;
  for (const Example& example : examples("language", page)) {
    if (example.kind == Example::Kind::other) continue;
    CHECK(example.kind == Example::Kind::passing);
    const Checked result = check(example);
    INFO(report(example, "check clean", result));
    CHECK(result.codes.empty());
    ++checked;
  }
  CHECK(checked >= 5);
}
