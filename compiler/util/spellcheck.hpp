#pragma once
// "did you mean" suggestions for misspelt names: attributes, kinds, nodes,
// services.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcomm::util {

/// Edit distance between `a` and `b` ignoring ASCII case, where an edit
/// inserts, deletes or replaces one byte or swaps two adjacent ones
/// (Damerau-Levenshtein, optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `typo`, if it is within max(1, length / 3)
/// edits of it (length in bytes of `typo`); the earliest candidate wins a
/// tie, so suggestions are deterministic.
std::optional<std::string> did_you_mean(std::string_view typo,
                                        const std::vector<std::string>& candidates);

}  // namespace dcomm::util
