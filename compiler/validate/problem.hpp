#pragma once
// What a validator found wrong with one value, before it becomes a
// Diagnostic: the checker adds the code and maps the byte range into the
// source file.

#include <cstddef>
#include <string>
#include <string_view>

namespace dcomm::validate {

struct Problem {
  std::string message;    ///< headline, e.g. "label 'kyiv_' contains '_'"
  std::string help;       ///< what to write instead
  std::size_t begin = 0;  ///< byte range inside the checked text to underline
  std::size_t end = 0;
};

/// Byte length of the character starting at `at` (a whole UTF-8 sequence,
/// clipped to the text), so a span never cuts a character in half.
std::size_t char_length(std::string_view text, std::size_t at);

/// The character at `at` as a message shows it: "'_'", "a space",
/// "control character U+000A", "non-ASCII character 'ж'". Never copies a
/// control character or a stray byte into a message.
std::string describe_char(std::string_view text, std::size_t at);

/// `text` with A-Z lowered, for "write it in lower case: '...'" help.
std::string to_lower_ascii(std::string_view text);

}  // namespace dcomm::validate
