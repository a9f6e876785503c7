// The versioned JSON form of diagnostics; docs/diagnostics-json.md is its
// contract with tools. Additions keep format_version's major number.

#include "diag/render.hpp"
#include "diag/span_location.hpp"

namespace dcomm {

namespace {

nlohmann::json position(LineColumn at, std::uint32_t byte) {
  return {{"line", at.line}, {"column", at.column}, {"byte", byte}};
}

nlohmann::json label_json(const SourceMap& sources, const Label& label, bool primary) {
  const SpanLocation where = locate(sources, label.span);
  return {{"primary", primary},
          {"message", label.message},
          {"file", where.file},
          {"start", position(where.start, label.span.begin)},
          {"end", position(where.end, label.span.end)}};
}

nlohmann::json diagnostic_json(const SourceMap& sources, const Diagnostic& d) {
  nlohmann::json labels = nlohmann::json::array();
  labels.push_back(label_json(sources, d.primary, true));
  for (const auto& label : d.secondary) labels.push_back(label_json(sources, label, false));

  nlohmann::json fixes = nlohmann::json::array();
  for (const auto& fix : d.fixes) {
    const SpanLocation where = locate(sources, fix.span);
    fixes.push_back({{"file", where.file},
                     {"start", position(where.start, fix.span.begin)},
                     {"end", position(where.end, fix.span.end)},
                     {"replacement", fix.replacement}});
  }
  return {{"code", d.code.text()},
          {"severity", to_string(d.severity)},
          {"message", d.message},
          {"labels", labels},
          {"notes", d.notes},
          {"help", d.help.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.help)},
          {"fixes", fixes}};
}

}  // namespace

nlohmann::json render_json(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources) {
  nlohmann::json list = nlohmann::json::array();
  std::size_t errors = 0;
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::error) ++errors;
    list.push_back(diagnostic_json(sources, d));
  }
  return {{"format_version", kJsonFormatVersion},
          {"valid", errors == 0},
          {"error_count", errors},
          {"warning_count", diagnostics.size() - errors},
          {"diagnostics", list}};
}

}  // namespace dcomm
