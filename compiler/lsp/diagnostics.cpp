// A check's diagnostics as LSP's publishDiagnostics: ranges in UTF-16,
// problems found in an imported file shown on the import that loads it.

#include <fmt/format.h>

#include "lsp/requests.hpp"

namespace dcomm::lsp {

namespace {

/// Where to show problems found in other files: the first import.
Span first_import(const Analysis& analysis) {
  if (const syntax::File* tree = analysis.tree())
    for (const syntax::Item& item : tree->items)
      if (item.kind == syntax::Item::Kind::import) return item.span;
  return {analysis.root, 0, 0};
}

json diagnostic_json(const Document& doc, const LineIndex& index, const Diagnostic& d) {
  const Analysis& analysis = *doc.analysis;
  std::string message = d.message;
  Span at = d.primary.span;
  if (at.file != analysis.root) {
    const SourceFile& file = analysis.sources.file(at.file);
    const LineColumn lc = file.locate(at.begin);
    message = fmt::format("in {}:{}:{}: {}", file.name(), lc.line, lc.column, message);
    at = first_import(analysis);
  } else if (!d.primary.message.empty()) {
    message += ": " + d.primary.message;
  }
  for (const auto& note : d.notes) message += "\nnote: " + note;
  if (!d.help.empty()) message += "\nhelp: " + d.help;
  json item = {{"range", range_json(index, at.begin, at.end)},
               {"severity", d.severity == Severity::error ? 1 : 2},
               {"source", "dcommc"},
               {"code", d.code.text()},
               {"message", message}};
  json related = json::array();
  if (d.primary.span.file != analysis.root) {
    related.push_back({{"location", doc.location(d.primary.span)},
                       {"message", d.primary.message.empty() ? d.message : d.primary.message}});
  }
  for (const auto& label : d.secondary) {
    if (label.span.file >= analysis.sources.size()) continue;
    related.push_back({{"location", doc.location(label.span)}, {"message", label.message}});
  }
  if (!related.empty()) item["relatedInformation"] = related;
  return item;
}

}  // namespace

json publish_diagnostics(const Document& doc) {
  const LineIndex index(doc.text);
  json list = json::array();
  for (const Diagnostic& d : doc.analysis->diagnostics.all()) list.push_back(diagnostic_json(doc, index, d));
  return notification("textDocument/publishDiagnostics",
                      {{"uri", doc.uri}, {"version", doc.version}, {"diagnostics", list}});
}

}  // namespace dcomm::lsp
