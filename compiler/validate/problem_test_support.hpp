#pragma once
// For the tests of the value checkers (names, image references, onion
// addresses): what a checker reports for one input, and tables of inputs
// with the problem each must be reported with.

#include <catch2/catch.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "validate/problem.hpp"

namespace dcomm::validate::testing {

/// The problem `check` finds in `text`; fails the test if there is none.
template <typename Check>
Problem problem_in(Check check, std::string_view text) {
  const auto problem = check(text);
  INFO("input: " << text);
  REQUIRE(problem.has_value());
  return *problem;
}

/// The part of `text` that `problem` underlines.
inline std::string_view underlined(std::string_view text, const Problem& problem) {
  REQUIRE(problem.begin <= problem.end);
  REQUIRE(problem.end <= text.size());
  return text.substr(problem.begin, problem.end - problem.begin);
}

/// An input and the message a checker must report for it. The input is
/// written with the bytes the problem underlines between ⟦ and ⟧, which
/// are not part of it: "kyiv.org⟦.⟧" is "kyiv.org." underlined at its dot.
struct Reported {
  std::string marked;
  std::string message;
};

/// Checks every row of `table` against what `check` reports.
template <typename Check>
void check_reports(Check check, const std::vector<Reported>& table) {
  constexpr std::string_view open = "⟦", close = "⟧";
  for (const Reported& row : table) {
    INFO("input: " << row.marked);
    const std::size_t begin = row.marked.find(open);
    const std::size_t close_at = row.marked.find(close);
    REQUIRE(begin != std::string::npos);
    REQUIRE(close_at != std::string::npos);
    const std::size_t end = close_at - open.size();
    const std::string input = row.marked.substr(0, begin) +
                              row.marked.substr(begin + open.size(), end - begin) +
                              row.marked.substr(close_at + close.size());
    const Problem problem = problem_in(check, input);
    CHECK(problem.message == row.message);
    CHECK(problem.begin == begin);
    CHECK(problem.end == end);
  }
}

/// Checks that `check` finds nothing wrong with any of `inputs`.
template <typename Check>
void check_valid(Check check, const std::vector<std::string>& inputs) {
  for (const std::string& input : inputs) {
    INFO("input: " << input);
    CHECK_FALSE(check(input).has_value());
  }
}

}  // namespace dcomm::validate::testing
