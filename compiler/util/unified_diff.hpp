#pragma once
// A unified diff of two texts, as `diff -u` prints it. Used by
// `dcommc fmt --diff` and to show how generated artifacts changed, so it
// must cope with files of a few hundred KB: Myers' O(ND) algorithm in
// linear space.

#include <string>
#include <string_view>

namespace dcomm::util {

/// The lines that differ between `before` and `after`, with `context`
/// unchanged lines around each change: `--- before_name`, `+++ after_name`,
/// then `@@ -l,n +l,n @@` hunks; a line without a final newline is followed
/// by `\ No newline at end of file`. Empty when the texts are equal.
std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_name, std::string_view after_name,
                         int context = 3);

}  // namespace dcomm::util
