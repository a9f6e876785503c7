// SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure
// DevOps). Columns are Unicode code points, declared by columnKind.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "diag/codes.hpp"
#include "diag/render.hpp"
#include "diag/span_location.hpp"

namespace dcomm {

namespace {

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";

std::string_view level(Severity severity) {
  return severity == Severity::error ? "error" : "warning";
}

nlohmann::json region(const SourceMap& sources, const Span& span) {
  const SpanLocation where = locate(sources, span);
  return {{"startLine", where.start.line},
          {"startColumn", where.start.column},
          {"endLine", where.end.line},
          {"endColumn", where.end.column}};
}

/// artifactLocation.uri is a URI reference (SARIF 3.10.2): a relative
/// path with reserved characters percent-encoded.
std::string uri_of(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    const bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
    out += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

nlohmann::json location(const SourceMap& sources, const Label& label) {
  nlohmann::json loc = {
      {"physicalLocation",
       {{"artifactLocation", {{"uri", uri_of(sources.file(label.span.file).name())}}},
        {"region", region(sources, label.span)}}}};
  if (!label.message.empty()) loc["message"] = {{"text", label.message}};
  return loc;
}

nlohmann::json result(const SourceMap& sources, const Diagnostic& d, std::size_t rule_index) {
  std::string text = d.message;
  for (const auto& note : d.notes) text += "\nnote: " + note;
  if (!d.help.empty()) text += "\nhelp: " + d.help;

  nlohmann::json related = nlohmann::json::array();
  for (std::size_t i = 0; i < d.secondary.size(); ++i) {
    nlohmann::json loc = location(sources, d.secondary[i]);
    loc["id"] = i;
    related.push_back(loc);
  }
  nlohmann::json out = {{"ruleId", d.code.text()},
                        {"ruleIndex", rule_index},
                        {"level", level(d.severity)},
                        {"message", {{"text", text}}},
                        {"locations", nlohmann::json::array({location(sources, d.primary)})}};
  if (!related.empty()) out["relatedLocations"] = related;
  if (!d.fixes.empty()) {
    // SARIF fixes are all-or-nothing: one fix object holding every change.
    nlohmann::json replacements = nlohmann::json::array();
    for (const auto& fix : d.fixes) {
      replacements.push_back({{"deletedRegion", region(sources, fix.span)},
                              {"insertedContent", {{"text", fix.replacement}}}});
    }
    out["fixes"] = nlohmann::json::array(
        {{{"description", {{"text", d.help.empty() ? d.message : d.help}}},
          {"artifactChanges",
           nlohmann::json::array(
               {{{"artifactLocation", {{"uri", uri_of(sources.file(d.fixes[0].span.file).name())}}},
                 {"replacements", replacements}}})}}});
  }
  return out;
}

}  // namespace

nlohmann::json render_sarif(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources) {
  // One rule per code that occurs, in order of first appearance.
  std::vector<Code> codes;
  nlohmann::json rules = nlohmann::json::array();
  nlohmann::json results = nlohmann::json::array();
  for (const auto& d : diagnostics) {
    auto it = std::find(codes.begin(), codes.end(), d.code);
    const std::size_t index = static_cast<std::size_t>(it - codes.begin());
    if (it == codes.end()) {
      codes.push_back(d.code);
      nlohmann::json rule = {
          {"id", d.code.text()},
          {"shortDescription", {{"text", d.code.title()}}},
          {"defaultConfiguration", {{"level", level(d.code.severity())}}}};
      // Code-scanning UIs show the rule's help: give them the explain page.
      if (auto page = explain_page(d.code.text())) {
        rule["help"] = {{"text", fmt::format("Run `dcommc explain {}`.", d.code)}, {"markdown", *page}};
      }
      rules.push_back(rule);
    }
    results.push_back(result(sources, d, index));
  }
  nlohmann::json run = {{"tool",
                         {{"driver",
                           {{"name", "dcommc"},
                            {"version", DCOMMC_VERSION},
                            {"rules", rules}}}}},
                        {"columnKind", "unicodeCodePoints"},
                        {"results", results}};
  return {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", nlohmann::json::array({run})}};
}

}  // namespace dcomm
