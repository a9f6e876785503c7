#include "syntax/syntax_errors.hpp"

#include "util/files.hpp"

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <utility>

#include "source/utf8.hpp"

namespace dcomm::syntax {

namespace g = dcomm::grammar;

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

/// Errors that say a value was expected: a single quote there is a string
/// in the wrong quotes.
bool expects_value(Code code) {
  return code == Code("E0208") || code == Code("E0212") || code == Code("E0216") ||
         code == Code("E0218");
}

/// Errors whose missing piece belongs at the end of the previous token.
bool expects_continuation(Code code) {
  return code == Code("E0205") || code == Code("E0209") || code == Code("E0215");
}

std::string describe(const Item& block) {
  std::string what = block.name;
  for (const auto& label : block.labels) what += fmt::format(" \"{}\"", label.text);
  return what;
}

}  // namespace

bool SyntaxReporter::check_input() {
  const std::string& t = source_.text();
  if (source_.size() > limits_.max_bytes) {
    // A stream (a pipe, a device) was cut at the reader's limit: its real
    // size is unknown, only that it is larger.
    const bool cut = source_.size() == t.size() && t.size() >= util::kReadLimit;
    report({.code = "E0103",
            .message = fmt::format("file is {}{}; the limit is {}", cut ? "more than " : "",
                                   util::mebibytes(cut ? limits_.max_bytes : source_.size()),
                                   util::mebibytes(limits_.max_bytes)),
            .primary = {span(0, 0), "file starts here"},
            .help = "split the spec into several files joined with import"});
    return false;
  }
  if (auto bad = find_invalid_utf8(t)) {
    report({.code = "E0101",
            .message = fmt::format("byte 0x{:02X} at offset {} is not valid UTF-8",
                                   static_cast<unsigned char>(t[*bad]), *bad),
            .primary = {span(static_cast<std::uint32_t>(*bad), static_cast<std::uint32_t>(*bad + 1)),
                        "invalid byte"},
            .notes = {"a file saved as Windows-1251 or Latin-1 looks like this; convert it with "
                      "iconv -f WINDOWS-1251 -t UTF-8"},
            .help = "save the file as UTF-8; is this a binary file?"});
    return false;
  }
  if (auto nul = t.find('\0'); nul != std::string::npos) {
    const auto at = static_cast<std::uint32_t>(nul);
    report({.code = "E0102",
            .message = "the file contains a NUL byte",
            .primary = {span(at, at + 1), "NUL byte"},
            .help = "a .dcomm spec is plain text; is this a binary file?"});
    return false;
  }
  return true;
}

void SyntaxReporter::report(Diagnostic diagnostic) {
  const Span where = diagnostic.primary.span;
  diags_.report(std::move(diagnostic));
  if (++errors_ >= limits_.max_errors) {
    diags_.report({.code = "E0106",
                   .message = fmt::format("stopped after {} errors", errors_),
                   .primary = {where, "last error here"},
                   .help = "fix the errors above and run again"});
    throw StopParsing{};
  }
}

void SyntaxReporter::syntax_error(const g::SyntaxError& error, std::uint32_t at) {
  g::SyntaxError chosen = error;
  if (expects_value(error.code) && at < text().size() && text()[at] == '\'') {
    chosen = g::unexpected_at_statement('\'', 0);
  }
  const std::uint32_t anchor = expects_continuation(chosen.code) ? after_previous_token(at) : at;
  report({.code = chosen.code,
          .message = std::string(chosen.message),
          .primary = {span(anchor, anchor == at ? token_end(at) : anchor), std::string(chosen.label)},
          .help = std::string(chosen.help)});
}

void SyntaxReporter::unexpected_statement(std::uint32_t at) {
  const std::string_view t = text();
  const char found = at < t.size() ? t[at] : '\0';
  const char after = at + 1 < t.size() ? t[at + 1] : '\0';
  const g::SyntaxError error = g::unexpected_at_statement(found, after);
  std::uint32_t end = token_end(at);
  if (error.code == Code("E0222")) end = at + 2;  // both characters of // or /*
  if (error.code == Code("E0233")) {              // the whole quoted name
    const std::size_t close = t.find_first_of("\"\n", at + 1);
    end = close != std::string_view::npos && t[close] == '"' ? static_cast<std::uint32_t>(close + 1) : end;
  }
  report({.code = error.code,
          .message = std::string(error.message),
          .primary = {span(at, end), std::string(error.label)},
          .help = std::string(error.help)});
}

void SyntaxReporter::recovered(const g::SyntaxError& error, std::uint32_t begin, std::uint32_t end,
                               std::string replacement) {
  report({.code = error.code,
          .message = std::string(error.message),
          .primary = {span(begin, end), std::string(error.label)},
          .help = std::string(error.help),
          .fixes = {{span(begin, end), std::move(replacement)}}});
}

void SyntaxReporter::bad_escape(const g::SyntaxError& error, std::uint32_t at) {
  const bool has_char = at < text().size() && text()[at] != '\n';
  const std::uint32_t end =
      has_char ? at + static_cast<std::uint32_t>(sequence_length(static_cast<unsigned char>(text()[at])))
               : at;
  report({.code = error.code,
          .message = std::string(error.message),
          .primary = {span(at - 1, end), std::string(error.label)},
          .help = std::string(error.help)});
}

void SyntaxReporter::unterminated_string(const g::SyntaxError& error, std::uint32_t begin,
                                         std::uint32_t at) {
  report({.code = error.code,
          .message = std::string(error.message),
          .primary = {span(begin, at), std::string(error.label)},
          .help = std::string(error.help)});
}

namespace {

/// The block whose '}' is most likely missing: one that has a statement
/// indented no deeper than its own first line, which is how a statement
/// meant to follow it reads.
std::optional<std::pair<const Item*, const Item*>> misindented(const Item& block,
                                                              const SourceFile& source) {
  const std::uint32_t own = source.locate(block.span.begin).column;
  for (const Item& child : block.body) {
    if (source.locate(child.span.begin).column <= own) return std::make_pair(&block, &child);
    if (child.kind == Item::Kind::block) {
      if (auto found = misindented(child, source)) return found;
    }
  }
  return std::nullopt;
}

}  // namespace

void SyntaxReporter::unclosed_block(const g::SyntaxError& error, const Item& block) {
  auto culprit = misindented(block, source_);
  if (!culprit) {
    report({.code = error.code,
            .message = fmt::format("block '{}' is never closed", describe(block)),
            .primary = {span(block.body_open, block.body_open + 1), "this '{' has no matching '}'"},
            .help = std::string(error.help)});
    return;
  }
  const auto [open, next] = *culprit;
  const std::uint32_t line = source_.locate(next->span.begin).line;
  report({.code = error.code,
          .message = fmt::format("block '{}' is never closed", describe(*open)),
          .primary = {span(open->body_open, open->body_open + 1), "this '{' has no matching '}'"},
          .secondary = {{next->name_span, fmt::format("indented like '{}', so its '}}' is probably "
                                                      "missing above this line",
                                                      describe(*open))}},
          .help = fmt::format("add the missing '}}' before line {}", line)});
}

void SyntaxReporter::unclosed_value(const g::SyntaxError& error, std::uint32_t at, const Value& open) {
  const std::uint32_t anchor = after_previous_token(at);
  report({.code = error.code,
          .message = std::string(error.message),
          .primary = {span(anchor, anchor == at ? token_end(at) : anchor), std::string(error.label)},
          .secondary = {{span(open.span.begin, open.span.begin + 1),
                         open.kind == Value::Kind::call ? "in this call" : "opened here"}},
          .help = std::string(error.help)});
}

void SyntaxReporter::literal_error(std::uint32_t token_begin, const LiteralError& error) {
  report({.code = error.code,
          .message = error.message,
          .primary = {span(token_begin + error.begin, token_begin + error.end), error.label},
          .help = error.help});
}

void SyntaxReporter::too_deep(std::uint32_t at) {
  diags_.report({.code = "E0104",
                 .message = fmt::format("nesting is deeper than {} levels", limits_.max_depth),
                 .primary = {span(at, at + 1), "too deep"},
                 .help = "flatten the structure; real specs nest a few levels at most"});
  throw StopParsing{};
}

std::uint32_t SyntaxReporter::token_end(std::uint32_t at) const {
  const std::string_view t = text();
  if (at >= t.size() || t[at] == '\n' || t[at] == '\r') return at;
  if (!is_word(t[at])) {
    return at + static_cast<std::uint32_t>(sequence_length(static_cast<unsigned char>(t[at])));
  }
  std::uint32_t end = at;
  while (end < t.size() && (is_word(t[end]) || t[end] == '/')) ++end;  // 8448/tcp whole
  return end;
}

std::uint32_t SyntaxReporter::after_previous_token(std::uint32_t at) const {
  std::uint32_t anchor = at;
  while (anchor > 0 && std::isspace(static_cast<unsigned char>(text()[anchor - 1]))) --anchor;
  const bool crossed_line = text().substr(anchor, at - anchor).find('\n') != std::string_view::npos;
  return crossed_line ? anchor : at;
}

}  // namespace dcomm::syntax
