#pragma once
// Small UTF-8 helpers. Source files are validated once on load, so the
// rest of the compiler may assume well-formed UTF-8.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dcomm {

/// Offset of the first byte that is not part of well-formed UTF-8
/// (overlong forms and surrogates are rejected), or nullopt.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

/// Number of code points in well-formed UTF-8 text (continuation bytes
/// are not counted, so malformed input still gives a sane answer).
std::size_t count_code_points(std::string_view text);

/// Byte length of the UTF-8 sequence that starts with `lead` (1 for
/// continuation or invalid bytes, so callers always make progress).
std::size_t sequence_length(unsigned char lead);

/// Appends the UTF-8 encoding of `code_point` (must be a scalar value).
void append_utf8(std::string& out, char32_t code_point);

}  // namespace dcomm
