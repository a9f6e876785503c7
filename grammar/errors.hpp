#pragma once
// What a person reads when the grammar cannot go on: one entry for every
// must<> point and error production in grammar/dcomm.hpp. The parser's
// control refuses to compile if a must<> point has no entry here, so no
// PEGTL type name can ever reach a user.
//
// Codes are typed (compiler/diag/code.hpp): each is checked against the
// catalogue while this header compiles, and explained at length in
// docs/explain/CODE.md.

#include <optional>
#include <string_view>

#include "diag/code.hpp"
#include "grammar/dcomm.hpp"

namespace dcomm::grammar {

struct SyntaxError {
  Code code;
  std::string_view message;  ///< the headline
  std::string_view label;    ///< shown under the offending text
  std::string_view help;     ///< what to write instead
};

/// No value: the rule has no entry, a compile error at its must<> point.
template <typename Rule>
inline constexpr std::optional<SyntaxError> error_for{};

// clang-format off
template <> inline constexpr std::optional<SyntaxError> error_for<unicode_open> = SyntaxError{
    "E0204", "expected '{' after \\u", "expected '{' here",
    "write a Unicode escape as \\u{HEX}, for example \\u{E9} for é"};
template <> inline constexpr std::optional<SyntaxError> error_for<unicode_digits> = SyntaxError{
    "E0204", "expected 1 to 6 hexadecimal digits in \\u{...}", "expected hex digits here",
    "write a Unicode escape as \\u{HEX}, for example \\u{1F600}"};
template <> inline constexpr std::optional<SyntaxError> error_for<unicode_close> = SyntaxError{
    "E0204", "expected '}' to end the \\u{...} escape", "expected '}' here",
    "a Unicode escape has at most 6 hex digits: \\u{10FFFF}"};
template <> inline constexpr std::optional<SyntaxError> error_for<escape_code> = SyntaxError{
    "E0203", "unknown escape sequence in string", "not a valid escape",
    "valid escapes are \\\" \\\\ \\n \\t \\r and \\u{HEX}; write \\\\ for a backslash"};
template <> inline constexpr std::optional<SyntaxError> error_for<string_close> = SyntaxError{
    "E0202", "unterminated string", "this string is never closed",
    "close the string with '\"' on the same line; strings cannot span lines (use \\n)"};
template <> inline constexpr std::optional<SyntaxError> error_for<list_first> = SyntaxError{
    "E0212", "expected a list item or ']'", "expected a value here",
    "a list looks like [\"a\", \"b\"] or [] when empty"};
template <> inline constexpr std::optional<SyntaxError> error_for<list_item> = SyntaxError{
    "E0212", "expected a list item after ','", "expected a value here",
    "remove the extra ',' or write a value after it"};
template <> inline constexpr std::optional<SyntaxError> error_for<list_close> = SyntaxError{
    "E0213", "expected ',' or ']' after a list item", "expected ',' or ']' here",
    "separate list items with commas: [\"a\", \"b\"]"};
template <> inline constexpr std::optional<SyntaxError> error_for<map_equals> = SyntaxError{
    "E0215", "expected '=' after a map key", "expected '=' here",
    "write map entries as key = value, for example { role = \"bridge\" }"};
template <> inline constexpr std::optional<SyntaxError> error_for<map_value> = SyntaxError{
    "E0216", "expected a value for this map key", "expected a value here",
    "write map entries as key = value, for example { role = \"bridge\" }"};
template <> inline constexpr std::optional<SyntaxError> error_for<map_close> = SyntaxError{
    "E0214", "expected a key or '}' in a map", "expected a key or '}' here",
    "a map looks like { key = \"value\", other = 2 }; keys are names or quoted strings"};
template <> inline constexpr std::optional<SyntaxError> error_for<call_arg> = SyntaxError{
    "E0218", "expected an argument", "expected a value here",
    "arguments are values separated by commas, for example acme(\"ops@example.org\")"};
template <> inline constexpr std::optional<SyntaxError> error_for<call_close> = SyntaxError{
    "E0217", "expected ',' or ')' after an argument", "expected ',' or ')' here",
    "close the argument list with ')', for example acme(\"ops@example.org\")"};
template <> inline constexpr std::optional<SyntaxError> error_for<reference_segment> = SyntaxError{
    "E0219", "expected a name after '.'", "expected a name here",
    "a reference names a declaration, for example node.worker or service.synapse"};
template <> inline constexpr std::optional<SyntaxError> error_for<attribute_value> = SyntaxError{
    "E0208", "expected a value after '='", "expected a value here",
    "write the value on the same line as '=': a \"string\", a number (42, 512M, 999d, "
    "28729/udp), true or false, a [list], a { map } or a reference such as node.worker"};
template <> inline constexpr std::optional<SyntaxError> error_for<block_open> = SyntaxError{
    "E0209", "expected '{' to open the block", "expected '{' here",
    "a block is written name \"label\" { ... }; to set an attribute, write name = value"};
template <> inline constexpr std::optional<SyntaxError> error_for<block_close> = SyntaxError{
    "E0210", "this block is never closed", "expected '}' before the end of the file",
    "add the missing '}'; each block's body ends with a '}' of its own"};
template <> inline constexpr std::optional<SyntaxError> error_for<import_path> = SyntaxError{
    "E0220", "expected a quoted path after 'import'", "expected a path here",
    "write import \"common.dcomm\"; paths are relative to the importing file"};
template <> inline constexpr std::optional<SyntaxError> error_for<colon_instead_of_equals> = SyntaxError{
    "E0206", "use '=' to set an attribute, not ':'", "':' is not valid here",
    "write name = value"};
template <> inline constexpr std::optional<SyntaxError> error_for<unquoted_label> = SyntaxError{
    "E0207", "block labels must be quoted", "add quotes around this label",
    "write the label as a string, for example site \"kyiv\" { ... }"};
template <> inline constexpr std::optional<SyntaxError> error_for<expected_equals_or_block> = SyntaxError{
    "E0205", "expected '=' or a block after this name", "expected '=' or '{' here",
    "set an attribute with name = value, or open a block with name \"label\" { ... }"};
template <> inline constexpr std::optional<SyntaxError> error_for<import_in_block> = SyntaxError{
    "E0221", "imports must be at the top of a file, outside every block",
    "import inside a block", "move this import to the top level of the file"};
// clang-format on

/// The error for a statement that cannot start where it should: the
/// character found decides which mistake it most likely is.
inline constexpr SyntaxError unexpected_at_statement(char found, char after) {
  switch (found) {
    case '}':
      return {"E0211", "'}' with no block to close", "unmatched '}'",
              "remove this '}', or add the block it was meant to close"};
    case ',':
      return {"E0201", "unexpected ','", "statements are not separated by commas",
              "remove the ','; put each attribute on its own line, or separate them with spaces"};
    case ';':
      return {"E0223", "unexpected ';'", "statements do not end with ';'",
              "remove the ';'; a statement ends where its value ends"};
    case '\'':
      return {"E0224", "strings use double quotes", "single quote here",
              "write \"text\" instead of 'text'"};
    case '"':
      return {"E0233", "a declaration name cannot be quoted", "expected a name here",
              "write name = value or name \"label\" { ... }; only labels, map keys and "
              "values are quoted"};
    case '/':
      if (after == '/' || after == '*') {
        return {"E0222", "comments start with '#'", "not a comment",
                "write # before the comment text"};
      }
      break;
    default:
      break;
  }
  return {"E0201", "expected a declaration", "expected a name here",
          "a declaration is name = value or name \"label\" { ... }; comments start with #"};
}

template <>
inline constexpr std::optional<SyntaxError> error_for<expected_statement> =
    SyntaxError{"E0201", "", "", ""};  // see above

}  // namespace dcomm::grammar
