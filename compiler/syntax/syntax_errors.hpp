#pragma once
// How the parser words and places its errors: which text to underline,
// which other place to label, and the guesses that make a message useful
// (an unclosed block found by its indentation, a bracket expected at the
// end of the previous line). The messages themselves are grammar/errors.hpp.

#include <cstdint>
#include <string>

#include "diag/diagnostic.hpp"
#include "grammar/errors.hpp"
#include "source/source_file.hpp"
#include "syntax/ast.hpp"
#include "syntax/literals.hpp"
#include "syntax/parser.hpp"

namespace dcomm::syntax {

/// Thrown past every recovery point: the parse stops here.
struct StopParsing {};

class SyntaxReporter {
 public:
  SyntaxReporter(const SourceFile& source, FileId file, Diagnostics& diags,
                 const ParseLimits& limits)
      : source_(source), file_(file), diags_(diags), limits_(limits) {}

  /// E0101-E0103 for text that must not be parsed at all; true if fine.
  bool check_input();

  /// Reports, and stops the parse (StopParsing) after too many errors.
  void report(Diagnostic diagnostic);

  void syntax_error(const grammar::SyntaxError& error, std::uint32_t at);
  /// Where a statement should start: the character found picks the error.
  void unexpected_statement(std::uint32_t at);
  /// A slip the parser reads past as if the fix had been applied.
  void recovered(const grammar::SyntaxError& error, std::uint32_t begin, std::uint32_t end,
                 std::string replacement);
  void bad_escape(const grammar::SyntaxError& error, std::uint32_t at);
  void unterminated_string(const grammar::SyntaxError& error, std::uint32_t begin,
                           std::uint32_t at);
  void unclosed_block(const grammar::SyntaxError& error, const Item& block);
  void unclosed_value(const grammar::SyntaxError& error, std::uint32_t at, const Value& open);
  void literal_error(std::uint32_t token_begin, const LiteralError& error);
  [[noreturn]] void too_deep(std::uint32_t at);

 private:
  Span span(std::uint32_t begin, std::uint32_t end) const { return {file_, begin, end}; }
  std::string_view text() const { return source_.text(); }
  std::uint32_t token_end(std::uint32_t at) const;
  /// `at`, or the end of the previous token when a line break lies
  /// between: a missing ']' or '=' belongs to the line before.
  std::uint32_t after_previous_token(std::uint32_t at) const;

  const SourceFile& source_;
  FileId file_;
  Diagnostics& diags_;
  const ParseLimits& limits_;
  std::size_t errors_ = 0;
};

}  // namespace dcomm::syntax
