#pragma once
// Reading the catalogue of diagnostic codes (catalogue.hpp) at run time:
// the whole list, and the explain page of each.

#include <optional>
#include <span>
#include <string_view>

#include "diag/code.hpp"

namespace dcomm {

std::span<const CodeInfo> all_codes();

/// The explain page for a code (Markdown), if it has one.
std::optional<std::string_view> explain_page(std::string_view code);

}  // namespace dcomm
