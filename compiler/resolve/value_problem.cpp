#include "resolve/value_problem.hpp"

namespace dcomm::resolve {

namespace {

using SK = syntax::Value::Kind;

/// Where inside a string literal the validator's byte range lies, if the
/// literal has no escapes (then the text maps 1:1 onto the source).
Span problem_span(const syntax::Value& literal, const validate::Problem& problem,
                  const SourceFile& file) {
  const std::string_view source =
      std::string_view(file.text()).substr(literal.span.begin, literal.span.end - literal.span.begin);
  if (literal.kind != SK::string || source.size() != literal.text.size() + 2 ||
      problem.end <= problem.begin) {
    return literal.span;
  }
  const auto base = literal.span.begin + 1;
  return {literal.span.file, static_cast<std::uint32_t>(base + problem.begin),
          static_cast<std::uint32_t>(base + problem.end)};
}

}  // namespace

void report_value_problem(const validate::Problem& problem, Code code, const syntax::Value& written,
                          const SourceMap& sources, Diagnostics& diags) {
  diags.report({.code = code,
                .message = problem.message,
                .primary = {problem_span(written, problem, sources.file(written.span.file)), "here"},
                .help = problem.help});
}

}  // namespace dcomm::resolve
