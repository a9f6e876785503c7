#pragma once
// Decoding of literal tokens the grammar has already delimited. Kept apart
// from the parser so each rule can be tested on its own.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diag/code.hpp"
#include "syntax/ast.hpp"

namespace dcomm::syntax {

/// Why a token could not be decoded: a diagnostic code (diag/code.hpp),
/// a headline, a label, a help line, and the byte range (relative to the
/// token) to underline.
struct LiteralError {
  Code code;
  std::string message;
  std::string label;
  std::string help;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// Decodes a quoted string literal (quotes included in `token`). The
/// grammar guarantees the escapes are well-formed; this checks that each
/// \u{...} names a Unicode scalar value.
std::optional<LiteralError> decode_string(std::string_view token, std::string& out);

/// Classifies a number token (see grammar::number) and fills the kind,
/// number, amount and unit of `out`.
std::optional<LiteralError> decode_number(std::string_view token, Value& out);

}  // namespace dcomm::syntax
