// Hover, go-to-definition, references, rename and document symbols: each
// a lookup in the symbol table the check built (driver/symbols.hpp).

#include <fmt/format.h>

#include "lsp/markdown.hpp"
#include "lsp/requests.hpp"
#include "validate/values.hpp"

namespace dcomm::lsp {

namespace {

struct Found {
  const Occurrence* occurrence = nullptr;
  const Symbol* symbol = nullptr;
};

/// The symbol under the request's position, if the check named one there.
Found symbol_at(const Document& doc, const json& params) {
  const Analysis& analysis = *doc.analysis;
  const std::uint32_t offset = LineIndex(doc.text).offset(position_of(params));
  const Occurrence* occurrence = analysis.symbols.at(analysis.root, offset);
  if (!occurrence) return {};
  return {occurrence, &analysis.symbols.symbol(occurrence->symbol)};
}

bool in_stdlib(const Analysis& analysis, FileId file) {
  for (const resolve::LoadedFile& loaded : analysis.compilation.files)
    if (loaded.tree.file == file) return loaded.stdlib;
  return false;
}

/// What a rename replaces in one occurrence: the last name of a reference
/// (`worker` of `node.worker`), the inside of a quoted label.
Span name_part(const Analysis& analysis, const Occurrence& o) {
  const std::string_view text = analysis.text_of(o.span);
  Span span = o.span;
  if (text.size() >= 2 && text.front() == '"') return {span.file, span.begin + 1, span.end - 1};
  if (auto dot = text.rfind('.'); dot != std::string_view::npos) span.begin += static_cast<std::uint32_t>(dot + 1);
  return span;
}

/// The LSP SymbolKind a block is shown as in an editor's outline.
int symbol_kind_of(const std::string& block) {
  enum : int { kModule = 2, kPackage = 4, kClass = 5, kProperty = 7, kObject = 19, kStruct = 23 };
  if (block == "site" || block == "template") return kModule;
  if (block == "kind") return kClass;
  if (block == "service") return kObject;
  if (block == "node") return kPackage;
  if (block == "attribute") return kProperty;
  return kStruct;  // a kind's container or route
}

json block_symbol(const Document& doc, const LineIndex& index, const syntax::Item& block) {
  json children = json::array();
  for (const syntax::Item& item : block.body)
    if (item.kind == syntax::Item::Kind::block && !item.labels.empty())
      children.push_back(block_symbol(doc, index, item));
  const Span label = block.labels.at(0).span;
  return {{"name", block.labels[0].text},
          {"detail", block.name},
          {"kind", symbol_kind_of(block.name)},
          {"range", range_json(index, block.span.begin, block.span.end)},
          {"selectionRange", range_json(index, label.begin, label.end)},
          {"children", children}};
}

}  // namespace

json hover(const Document& doc, const json& params) {
  const Found found = symbol_at(doc, params);
  if (!found.symbol) return nullptr;
  const LineIndex index(doc.text);
  const Span span = found.occurrence->span;
  return {{"contents", {{"kind", "markdown"}, {"value", symbol_markdown(*doc.analysis, *found.symbol)}}},
          {"range", range_json(index, span.begin, span.end)}};
}

json definition(const Document& doc, const json& params) {
  const Found found = symbol_at(doc, params);
  if (!found.symbol || !found.symbol->declaration) return nullptr;
  return doc.location(*found.symbol->declaration);
}

json references(const Document& doc, const json& params) {
  const Found found = symbol_at(doc, params);
  json out = json::array();
  if (!found.symbol) return out;
  const bool with_declaration = params.value("/context/includeDeclaration"_json_pointer, true);
  for (const Occurrence& o : doc.analysis->symbols.occurrences(found.occurrence->symbol)) {
    if (o.declaration && !with_declaration) continue;
    out.push_back(doc.location(o.span));
  }
  return out;
}

json rename(const Document& doc, const json& params) {
  const Found found = symbol_at(doc, params);
  using K = Symbol::Kind;
  if (!found.symbol || (found.symbol->kind != K::node && found.symbol->kind != K::service &&
                        found.symbol->kind != K::template_ && found.symbol->kind != K::kind &&
                        found.symbol->kind != K::attribute)) {
    throw RpcError(error_code::invalid_params, "only a node, service, template, kind or attribute can be renamed");
  }
  const std::string new_name = params.at("newName").get<std::string>();
  if (auto problem = validate::check_name(new_name)) {
    throw RpcError(error_code::invalid_params, fmt::format("'{}': {}", new_name, problem->message));
  }
  const Analysis& analysis = *doc.analysis;
  json changes = json::object();
  for (const Occurrence& o : analysis.symbols.occurrences(found.occurrence->symbol)) {
    if (in_stdlib(analysis, o.span.file)) {
      throw RpcError(error_code::invalid_params, fmt::format("'{}' is declared by the standard library", found.symbol->name));
    }
    const json location = doc.location(name_part(analysis, o));
    changes[location["uri"].get<std::string>()].push_back({{"range", location["range"]}, {"newText", new_name}});
  }
  return {{"changes", changes}};
}

json document_symbols(const Document& doc) {
  json out = json::array();
  const syntax::File* tree = doc.analysis->tree();
  if (!tree) return out;
  const LineIndex index(doc.text);
  for (const syntax::Item& item : tree->items)
    if (item.kind == syntax::Item::Kind::block && !item.labels.empty()) out.push_back(block_symbol(doc, index, item));
  return out;
}

}  // namespace dcomm::lsp
