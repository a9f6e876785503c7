#pragma once
// The catalogue of diagnostic codes. Codes are stable: once released, a
// code keeps its meaning forever. Each has a page in docs/explain/CODE.md
// that `dcommc explain CODE` prints; tests check both lists agree.

#include <optional>
#include <span>
#include <string_view>

#include "diag/diagnostic.hpp"

namespace dcomm {

struct CodeInfo {
  std::string_view code;
  Severity severity;
  std::string_view title;  ///< a one-line summary, used by SARIF and docs
};

std::span<const CodeInfo> all_codes();
const CodeInfo* find_code(std::string_view code);

/// The explain page for a code (Markdown), if it has one.
std::optional<std::string_view> explain_page(std::string_view code);

}  // namespace dcomm
