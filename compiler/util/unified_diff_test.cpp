#include "util/unified_diff.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

using dcomm::util::unified_diff;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::size_t next = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(at, next - at));
    at = next;
  }
  return lines;
}

/// Applies a unified diff to `before`, checking every context and removed
/// line against it: a small `patch` so the round trip needs no tool.
std::string apply_patch(const std::string& before, const std::string& diff) {
  const std::vector<std::string> old_lines = lines_of(before);
  std::vector<std::string> patch = lines_of(diff);
  std::string result;
  std::size_t copied = 0;  // lines of `before` already in `result`
  std::size_t i = 2;       // after the --- and +++ lines
  while (i < patch.size()) {
    int old_start = 0;
    REQUIRE(std::sscanf(patch[i].c_str(), "@@ -%d", &old_start) == 1);
    // "-0,0" names the line before an empty range; "-3,0" too.
    const bool empty_range = patch[i].find(",0 +") != std::string::npos;
    const std::size_t hunk_begin = static_cast<std::size_t>(old_start) - (empty_range ? 0 : 1);
    REQUIRE(hunk_begin >= copied);
    for (; copied < hunk_begin; ++copied) result += old_lines.at(copied);
    for (++i; i < patch.size() && !patch[i].starts_with("@@"); ++i) {
      std::string line = patch[i].substr(1);
      const bool no_newline = i + 1 < patch.size() && patch[i + 1].starts_with('\\');
      if (no_newline) line.pop_back();
      if (patch[i][0] != '+') REQUIRE(old_lines.at(copied++) == line);
      if (patch[i][0] != '-') result += line;
      if (no_newline) ++i;
    }
  }
  for (; copied < old_lines.size(); ++copied) result += old_lines[copied];
  return result;
}

/// The fewest lines a diff can remove plus add: n + m - 2 * LCS.
std::size_t minimal_edits(const std::string& before, const std::string& after) {
  const auto a = lines_of(before);
  const auto b = lines_of(after);
  std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      lcs[i][j] =
          a[i - 1] == b[j - 1] ? lcs[i - 1][j - 1] + 1 : std::max(lcs[i - 1][j], lcs[i][j - 1]);
    }
  }
  return a.size() + b.size() - 2 * lcs[a.size()][b.size()];
}

std::size_t edits_in(const std::string& diff) {
  std::size_t count = 0;
  for (const std::string& line : lines_of(diff)) {
    if ((line[0] == '-' || line[0] == '+') && !line.starts_with("---") &&
        !line.starts_with("+++")) {
      ++count;
    }
  }
  return count;
}

std::string numbered_lines(int from, int to) {
  std::string text;
  for (int i = from; i <= to; ++i) text += fmt::format("line {}\n", i);
  return text;
}

/// What GNU diff says, for cross-checking on inputs where the shortest
/// edit is unique (elsewhere two correct diffs may pick different lines).
std::string gnu_diff(const std::string& before, const std::string& after, int context = 3) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto a = dir / fmt::format("dcommc_diff_{}_a", ::getpid());
  const auto b = dir / fmt::format("dcommc_diff_{}_b", ::getpid());
  std::ofstream(a, std::ios::binary) << before;
  std::ofstream(b, std::ios::binary) << after;
  const std::string command =
      fmt::format("diff -U{} --label a --label b '{}' '{}'", context, a.string(), b.string());
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (const std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe))
    out.append(buffer, got);
  ::pclose(pipe);
  std::filesystem::remove(a);
  std::filesystem::remove(b);
  return out;
}

}  // namespace

TEST_CASE("unified_diff: equal texts give no diff") {
  CHECK(unified_diff("", "", "a", "b").empty());
  CHECK(unified_diff("x\ny\n", "x\ny\n", "a", "b").empty());
  CHECK(unified_diff("no newline", "no newline", "a", "b").empty());
}

TEST_CASE("unified_diff: one changed line with context") {
  CHECK(unified_diff("a\nb\nc\n", "a\nB\nc\n", "old.dcomm", "new.dcomm") ==
        "--- old.dcomm\n"
        "+++ new.dcomm\n"
        "@@ -1,3 +1,3 @@\n"
        " a\n"
        "-b\n"
        "+B\n"
        " c\n");
}

TEST_CASE("unified_diff: context is cut at three lines and at the file ends") {
  CHECK(unified_diff(numbered_lines(1, 10), numbered_lines(1, 9) + "ten\n", "a", "b") ==
        "--- a\n+++ b\n"
        "@@ -7,4 +7,4 @@\n"
        " line 7\n line 8\n line 9\n"
        "-line 10\n"
        "+ten\n");
  CHECK(unified_diff(numbered_lines(1, 10), "one\n" + numbered_lines(2, 10), "a", "b") ==
        "--- a\n+++ b\n"
        "@@ -1,4 +1,4 @@\n"
        "-line 1\n"
        "+one\n"
        " line 2\n line 3\n line 4\n");
}

TEST_CASE("unified_diff: a range of one line has no count, an empty one names the line before") {
  CHECK(unified_diff("", "x\n", "a", "b") == "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
  CHECK(unified_diff("x\ny\n", "", "a", "b") == "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n");
  CHECK(unified_diff("a\nb\nc\n", "a\nc\n", "a", "b", 0) == "--- a\n+++ b\n@@ -2 +1,0 @@\n-b\n");
  CHECK(unified_diff("a\nc\n", "a\nb\nc\n", "a", "b", 0) == "--- a\n+++ b\n@@ -1,0 +2 @@\n+b\n");
}

TEST_CASE("unified_diff: a missing final newline is marked") {
  CHECK(unified_diff("a\nb", "a\nb\n", "a", "b") ==
        "--- a\n+++ b\n"
        "@@ -1,2 +1,2 @@\n"
        " a\n"
        "-b\n"
        "\\ No newline at end of file\n"
        "+b\n");
  CHECK(unified_diff("a\nb\n", "a\nc", "a", "b") ==
        "--- a\n+++ b\n"
        "@@ -1,2 +1,2 @@\n"
        " a\n"
        "-b\n"
        "+c\n"
        "\\ No newline at end of file\n");
  // An unchanged last line without a newline is context, marked once.
  CHECK(unified_diff("a\nb\nend", "a\nB\nend", "a", "b") ==
        "--- a\n+++ b\n"
        "@@ -1,3 +1,3 @@\n"
        " a\n"
        "-b\n"
        "+B\n"
        " end\n"
        "\\ No newline at end of file\n");
}

TEST_CASE("unified_diff: changes up to six lines apart share a hunk") {
  const std::string before = numbered_lines(1, 30);
  auto change = [&](std::initializer_list<int> numbers) {
    std::string after = before;
    for (int n : numbers) {
      const std::string line = fmt::format("line {}\n", n);
      after.replace(after.find(line), line.size(), fmt::format("LINE {}\n", n));
    }
    return unified_diff(before, after, "a", "b");
  };
  const std::string six_apart = change({10, 17});
  CHECK(six_apart.find("@@ -7,14 +7,14 @@\n") != std::string::npos);
  CHECK(std::count(six_apart.begin(), six_apart.end(), '@') == 4);

  const std::string seven_apart = change({10, 18});
  CHECK(seven_apart.find("@@ -7,7 +7,7 @@\n") != std::string::npos);
  CHECK(seven_apart.find("@@ -15,7 +15,7 @@\n") != std::string::npos);
  CHECK(std::count(seven_apart.begin(), seven_apart.end(), '@') == 8);
}

TEST_CASE("unified_diff: removals are printed before additions within a change") {
  CHECK(unified_diff("keep\nx\ny\nkeep2\n", "keep\nX\nY\nZ\nkeep2\n", "a", "b") ==
        "--- a\n+++ b\n"
        "@@ -1,4 +1,5 @@\n"
        " keep\n"
        "-x\n"
        "-y\n"
        "+X\n"
        "+Y\n"
        "+Z\n"
        " keep2\n");
}

TEST_CASE("unified_diff: agrees with GNU diff -u") {
  struct Case {
    std::string before, after;
    int context;
  };
  const std::string long_text = numbered_lines(1, 60);
  std::string edited = long_text;
  edited.replace(edited.find("line 5\n"), 7, "five\n");
  edited.replace(edited.find("line 30\n"), 8, "");
  edited.replace(edited.find("line 31\n"), 8, "line 31\ninserted\n");
  edited += "tail";
  const std::vector<Case> cases = {
      {"a\nb\nc\n", "a\nB\nc\n", 3},
      {"", "one\ntwo\n", 3},
      {"one\ntwo\n", "", 3},
      {"a\nb", "a\nb\n", 3},
      {"a\nb\n", "a\nb", 3},
      {"x", "y", 3},
      {long_text, edited, 3},
      {long_text, edited, 0},
      {long_text, edited, 1},
      {long_text, edited, 10},
      {numbered_lines(1, 20), numbered_lines(5, 25), 3},
      {"site \"a\" {\n  x = 1\n}\n", "site \"a\" {\n  x      = 1\n  longer = 2\n}\n", 3},
  };
  for (const Case& c : cases) {
    INFO("before:\n" << c.before << "\nafter:\n" << c.after << "\ncontext " << c.context);
    CHECK(unified_diff(c.before, c.after, "a", "b", c.context) ==
          gnu_diff(c.before, c.after, c.context));
  }
}

TEST_CASE("unified_diff: random edits round-trip and are minimal") {
  std::mt19937 random(20240501);
  auto random_text = [&](int max_lines) {
    std::string text;
    const int count = std::uniform_int_distribution(0, max_lines)(random);
    for (int i = 0; i < count; ++i) {
      text += static_cast<char>('a' + std::uniform_int_distribution(0, 3)(random));
      text += '\n';
    }
    if (!text.empty() && std::uniform_int_distribution(0, 4)(random) == 0) text.pop_back();
    return text;
  };
  for (int round = 0; round < 500; ++round) {
    const std::string before = random_text(25);
    const std::string after = random_text(25);
    INFO("before:\n" << before << "\nafter:\n" << after);
    const std::string diff = unified_diff(before, after, "a", "b", round % 4);
    CHECK(apply_patch(before, diff) == after);
    CHECK(edits_in(diff) == minimal_edits(before, after));
  }
}

TEST_CASE("unified_diff: large inputs stay fast and agree with GNU diff") {
  const std::string before = numbered_lines(1, 20000);  // about 220 KB
  std::string after = before;
  for (int n : {3, 777, 9000, 15001, 19999}) {
    const std::string line = fmt::format("line {}\n", n);
    after.replace(after.find(line), line.size(), fmt::format("changed {}\nadded\n", n));
  }
  CHECK(unified_diff(before, after, "a", "b") == gnu_diff(before, after));

  // Nothing in common: the worst case for an O(ND) algorithm, in linear space.
  const std::string other = numbered_lines(20001, 24000);
  const std::string diff = unified_diff(numbered_lines(1, 4000), other, "a", "b");
  CHECK(edits_in(diff) == 8000);
  CHECK(apply_patch(numbered_lines(1, 4000), diff) == other);
}
