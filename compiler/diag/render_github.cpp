// GitHub Actions workflow commands: one `::error file=...::message` line
// per diagnostic, which the runner turns into an annotation on the diff.

#include <fmt/format.h>

#include <ostream>

#include "diag/render.hpp"
#include "diag/span_location.hpp"

namespace dcomm {

namespace {

// The runner's escaping rules: data escapes %, CR and LF; properties also
// escape ':' and ','.
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

void render_github(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources,
                   std::ostream& out) {
  for (const auto& d : diagnostics) {
    const SpanLocation where = locate(sources, d.primary.span);
    std::string message = d.message;
    if (!d.primary.message.empty()) message += " (" + d.primary.message + ")";
    for (const auto& note : d.notes) message += "\nnote: " + note;
    if (!d.help.empty()) message += "\nhelp: " + d.help;
    out << fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                       to_string(d.severity), escape_property(where.file), where.start.line,
                       where.start.column, where.end.line, where.end.column,
                       escape_property(fmt::format("{} {}", d.code, d.message)),
                       escape_data(message));
  }
}

}  // namespace dcomm
