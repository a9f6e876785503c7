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

/// A control character found in text: its code point and byte offset.
struct ControlCharacter {
  char32_t code_point;
  std::size_t offset;
};

/// The first control character in UTF-8 text: C0 (U+0000-U+001F), DEL
/// (U+007F) or C1 (U+0080-U+009F, two bytes: 0xC2 0x80-0x9F), or nullopt.
/// C1 controls are invisible, and some terminals and parsers take U+0085
/// for a line break or U+009B for the start of an escape sequence.
std::optional<ControlCharacter> find_control_character(std::string_view text);

/// Appends the UTF-8 encoding of `code_point` (must be a scalar value).
void append_utf8(std::string& out, char32_t code_point);

}  // namespace dcomm
