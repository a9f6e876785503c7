// Completion: the fields a block takes from the language's one table,
// a service's attributes and the kinds, nodes, services and templates from
// the resolved model. While the document does not parse, the model of its
// last resolved text answers (Document::resolved).

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "language/builtins.hpp"
#include "lsp/completion_context.hpp"
#include "lsp/markdown.hpp"
#include "lsp/requests.hpp"

namespace dcomm::lsp {

namespace {

enum CompletionKind { kProperty = 10, kKeyword = 14, kClass = 7, kEnumMember = 20, kReference = 18, kValue = 12 };

json item(std::string_view label, int kind, std::string_view detail = {}, const std::string& doc = {}) {
  json out = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) out["detail"] = detail;
  if (!doc.empty()) out["documentation"] = {{"kind", "markdown"}, {"value", doc}};
  return out;
}

/// Members of `enum(a, b, c)`, as a kind's attribute declares its type.
std::vector<std::string> enum_members(const std::string& type) {
  std::vector<std::string> out;
  if (!type.starts_with("enum(") || !type.ends_with(")")) return out;
  std::string member;
  for (char c : std::string_view(type).substr(5, type.size() - 6)) {
    if (c == ',') {
      out.push_back(member);
      member.clear();
    } else if (c != ' ') {
      member.push_back(c);
    }
  }
  if (!member.empty()) out.push_back(member);
  return out;
}

/// The block among `items` (at any depth) whose '{' is at `open`.
const syntax::Item* block_opened_at(const std::vector<syntax::Item>& items, std::uint32_t open) {
  for (const syntax::Item& item : items) {
    if (item.kind != syntax::Item::Kind::block) continue;
    if (item.body_open == open) return &item;
    if (item.body_open < open && open < item.body_close)
      if (const syntax::Item* inner = block_opened_at(item.body, open)) return inner;
  }
  return nullptr;
}

/// What completion knows around the cursor.
class CompletionScope {
 public:
  CompletionScope(const Document& doc, const std::vector<OpenBlock>& stack)
      : doc_(doc), analysis_(*doc.resolved), stack_(stack) {
    if (stack.empty() || stack.front().type != "site") return;
    for (const model::Site& site : analysis_.compilation.federation.sites)
      if (site.name == stack.front().label) site_ = &site;
  }

  const std::vector<model::Kind>& kinds() const { return analysis_.compilation.federation.kinds; }

  /// The kind of the service block the cursor is in: written in it, or
  /// the model's for a service of that name.
  const model::Kind* service_kind() const {
    const OpenBlock& block = stack_.back();
    if (auto written = kind_in_text(doc_.text, block.open)) return analysis_.compilation.federation.kind(*written);
    for (const model::Site* site : sites())
      if (const model::Service* service = site->service(block.label)) return service->kind;
    return nullptr;
  }

  /// The names of nodes or services a reference may name here: those of
  /// the site, or for a template those of every site.
  std::vector<std::string> names(const std::string& what) const {
    std::vector<std::string> out;
    for (const model::Site* site : sites()) {
      if (what == "node")
        for (const model::Node& node : site->nodes) out.push_back(node.name);
      if (what == "service")
        for (const model::Service& service : site->services) out.push_back(service.name);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  std::vector<std::string> templates() const {
    std::vector<std::string> out;
    for (const Symbol& symbol : analysis_.symbols.symbols())
      if (symbol.kind == Symbol::Kind::template_) out.push_back(symbol.name);
    return out;
  }

  const Analysis& analysis() const { return analysis_; }

  /// The fields already written in the block the cursor is in, from the
  /// current text's tree: offering one again would only earn E0304. Empty
  /// while the text around the cursor does not parse.
  std::set<std::string> written_fields() const {
    std::set<std::string> out;
    const syntax::File* tree = doc_.analysis ? doc_.analysis->tree() : nullptr;
    if (!tree || stack_.empty()) return out;
    const syntax::Item* block = block_opened_at(tree->items, stack_.back().open);
    if (!block) return out;
    for (const syntax::Item& item : block->body)
      if (item.kind == syntax::Item::Kind::attribute) out.insert(item.name);
    return out;
  }

 private:
  std::vector<const model::Site*> sites() const {
    if (site_) return {site_};
    std::vector<const model::Site*> all;
    for (const model::Site& site : analysis_.compilation.federation.sites) all.push_back(&site);
    return all;
  }

  const Document& doc_;
  const Analysis& analysis_;
  const std::vector<OpenBlock>& stack_;
  const model::Site* site_ = nullptr;
};

/// After `NAME = `: the values NAME takes in a block of type `type`.
json value_items(const CompletionScope& scope, const std::string& type, const std::string& attribute) {
  json items = json::array();
  auto references = [&](const std::string& what) {
    for (const std::string& name : scope.names(what)) items.push_back(item(what + "." + name, kReference, what));
  };
  const language::BlockSpec* block = language::find_block(type);
  const language::Field* field = block ? language::find_field(*block, attribute) : nullptr;
  if (field) {
    for (std::string_view value : field->values) items.push_back(item(value, kEnumMember, field->value));
    if (type == "service" && attribute == "kind")
      for (const model::Kind& kind : scope.kinds()) items.push_back(item(kind.name, kClass, kind.doc, kind_markdown(kind)));
    if (type == "service" && attribute == "on") references("node");
    if (attribute == "extends")
      for (const std::string& name : scope.templates()) items.push_back(item("template." + name, kReference, "template"));
    if (type == "attribute" && attribute == "type")
      for (const language::TypeSpec& t : language::types()) {
        items.push_back(item(t.name, kValue, t.written));
        if (!t.snippet.empty()) items.back().update({{"insertText", t.snippet}, {"insertTextFormat", 2}});
      }
    return items;
  }
  if (type != "service") return items;
  const model::Kind* kind = scope.service_kind();
  const model::AttributeSpec* a = kind ? kind->attribute(attribute) : nullptr;
  if (!a) return items;
  for (const std::string& member : enum_members(a->type)) items.push_back(item(member, kEnumMember, a->type));
  if (a->type == "bool")
    for (const char* value : {"true", "false"}) items.push_back(item(value, kValue, "bool"));
  if (a->type.starts_with("service")) references("service");
  if (a->type == "node") references("node");
  return items;
}

/// At the start of a statement in a block of type `type`: its fields and
/// the blocks it may hold; a service's kind's attributes too. Fields
/// already written in the block are left out.
json statement_items(const CompletionScope& scope, const std::string& type) {
  json items = json::array();
  if (type.empty()) {
    for (std::string_view name : language::top_level()) {
      const language::BlockSpec* block = language::find_block(name);
      const std::string_view doc = block ? block->doc : language::import_statement().doc;
      items.push_back(item(name, kKeyword, block ? "block" : "statement", std::string(doc)));
    }
    return items;
  }
  const language::BlockSpec* block = language::find_block(type);
  if (!block) return items;
  const std::set<std::string> written = scope.written_fields();
  auto fresh = [&](std::string_view name) { return !written.contains(std::string(name)); };
  for (const language::Field* field : language::fields_of(*block))
    if (fresh(field->name)) items.push_back(item(field->name, kProperty, field->value, field_markdown(*block, *field)));
  for (std::string_view child : block->blocks)
    items.push_back(item(child, kKeyword, "block", block_markdown(*language::find_block(child))));
  if (type == "service")
    if (const model::Kind* kind = scope.service_kind())
      for (const model::AttributeSpec& a : kind->attributes)
        if (fresh(a.name)) items.push_back(item(a.name, kProperty, a.type, attribute_markdown(scope.analysis(), *kind, a)));
  return items;
}

}  // namespace

json completion(const Document& doc, const json& params) {
  const std::uint32_t offset = LineIndex(doc.text).offset(position_of(params));
  const std::vector<OpenBlock> stack = open_blocks(doc.text, offset);
  if (!stack.empty() && stack.back().type.empty()) return json::array();  // inside a map: keys are free
  const std::string type = stack.empty() ? "" : stack.back().type;
  const CompletionScope scope(doc, stack);

  std::uint32_t line_start = offset;
  while (line_start > 0 && doc.text[line_start - 1] != '\n' && doc.text[line_start - 1] != '\r') --line_start;
  const std::string prefix = doc.text.substr(line_start, offset - line_start);
  static const std::regex value_position(R"(([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*[A-Za-z0-9_.-]*$)");
  static const std::regex statement_position(R"(^\s*[A-Za-z_]?[A-Za-z0-9_-]*$)");
  std::smatch m;
  if (std::regex_search(prefix, m, value_position)) return value_items(scope, type, m[1].str());
  if (std::regex_match(prefix, statement_position)) return statement_items(scope, type);
  return json::array();
}

}  // namespace dcomm::lsp
