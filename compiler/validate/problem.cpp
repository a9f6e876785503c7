#include "validate/problem.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "source/utf8.hpp"

namespace dcomm::validate {

std::size_t char_length(std::string_view text, std::size_t at) {
  const std::size_t length = sequence_length(static_cast<unsigned char>(text[at]));
  return std::min(length, text.size() - at);
}

std::string describe_char(std::string_view text, std::size_t at) {
  const auto c = static_cast<unsigned char>(text[at]);
  if (c == ' ') return "a space";
  if (c == '\t') return "a tab";
  if (auto control = find_control_character(text.substr(at, char_length(text, at)));
      control && control->offset == 0) {
    return fmt::format("control character U+{:04X}", static_cast<unsigned>(control->code_point));
  }
  if (c < 0x80) return fmt::format("'{}'", static_cast<char>(c));
  const std::string_view sequence = text.substr(at, char_length(text, at));
  if (find_invalid_utf8(sequence)) return fmt::format("byte 0x{:02X}", c);
  return fmt::format("non-ASCII character '{}'", sequence);
}

std::string to_lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace dcomm::validate
