#include "driver/symbols.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace dcomm {

namespace {

using Item = syntax::Item;

std::string label_of(const Item& block) { return block.labels.empty() ? std::string() : block.labels[0].text; }

const Item* child_block(const Item& parent, std::string_view type, std::string_view label) {
  for (const Item& item : parent.body)
    if (item.kind == Item::Kind::block && item.name == type && label_of(item) == label) return &item;
  return nullptr;
}

const Item* attribute_item(const Item& block, std::string_view name) {
  for (const Item& item : block.body)
    if (item.kind == Item::Kind::attribute && item.name == name) return &item;
  return nullptr;
}

/// `kind = NAME` written in a service block.
std::optional<std::string> written_kind(const Item& service) {
  const Item* kind = attribute_item(service, "kind");
  if (!kind || kind->value.kind != syntax::Value::Kind::reference || kind->value.path.size() != 1) return std::nullopt;
  return kind->value.path[0];
}

}  // namespace

/// Walks every file's tree once, naming what each span stands for.
class SymbolCollector {
 public:
  SymbolCollector(const Compilation& compilation, SymbolIndex& index) : compilation_(compilation), index_(index) {
    for (const resolve::LoadedFile& file : compilation.files) {
      for (const Item& item : file.tree.items) {
        if (item.kind != Item::Kind::block) continue;
        if (item.name == "template") templates_[label_of(item)] = &item;
        if (item.name == "site") note_extends(item);
      }
    }
  }

  void file(const resolve::LoadedFile& file) {
    for (const Item& item : file.tree.items) {
      if (file.stdlib && item.name != "kind") continue;
      top_level(item);
    }
  }

 private:
  /// What the names inside one site, template or kind refer to.
  struct Scope {
    const Item* block = nullptr;              ///< the site, template or kind
    const model::Site* site = nullptr;        ///< a site's model, when it was resolved
    const model::Kind* kind = nullptr;        ///< inside a kind, or a service of that kind
  };

  void top_level(const Item& item) {
    if (item.kind == Item::Kind::import) {
      index_.add(item.span, index_.intern({.kind = Symbol::Kind::import, .key = "import", .name = "import",
                                            .field = &language::import_statement()}));
      return;
    }
    if (item.kind != Item::Kind::block) return;
    const language::BlockSpec* spec = builtin_block(item);
    Scope scope{.block = &item};
    if (item.name == "site") {
      scope.site = find_site(label_of(item));
      if (!item.labels.empty()) index_.add(item.labels[0].span, site_symbol(scope), true);
    } else if (item.name == "template") {
      if (!item.labels.empty()) index_.add(item.labels[0].span, template_symbol(label_of(item)), true);
    } else if (item.name == "kind") {
      scope.kind = compilation_.federation.kind(label_of(item));
      if (!item.labels.empty()) index_.add(item.labels[0].span, kind_symbol(label_of(item)), true);
    }
    body(item, spec, scope);
  }

  /// The statements of `block`, a built-in block described by `spec`.
  void body(const Item& block, const language::BlockSpec* spec, const Scope& scope) {
    for (const Item& item : block.body) {
      if (item.kind == Item::Kind::attribute) {
        attribute(item, spec, scope);
      } else if (item.kind == Item::Kind::block) {
        nested_block(item, scope);
      }
    }
  }

  void attribute(const Item& item, const language::BlockSpec* spec, const Scope& scope) {
    if (spec) {
      if (const language::Field* field = language::find_field(*spec, item.name)) {
        index_.add(item.name_span, field_symbol(*spec, *field));
      } else if (spec->name == "service" && scope.kind) {
        if (const model::AttributeSpec* a = scope.kind->attribute(item.name))
          index_.add(item.name_span, attribute_symbol(*scope.kind, *a));
      }
    }
    value(item.value, item.name, scope);
  }

  void nested_block(const Item& item, const Scope& outer) {
    const language::BlockSpec* spec = builtin_block(item);
    Scope scope = outer;
    const std::string label = label_of(item);
    if (item.name == "node" && !item.labels.empty()) {
      index_.add(item.labels[0].span, node_symbol(outer, label), true);
    } else if (item.name == "service" && !item.labels.empty()) {
      index_.add(item.labels[0].span, service_symbol(outer, label), true);
      scope.kind = kind_of_service(item, outer);
    } else if (item.name == "attribute" && outer.kind && !item.labels.empty()) {
      if (const model::AttributeSpec* a = outer.kind->attribute(label))
        index_.add(item.labels[0].span, attribute_symbol(*outer.kind, *a), true);
    }
    body(item, spec, scope);
  }

  /// The references inside a value: `node.X`, `service.X`, `template.X`,
  /// `site.F`, a kind's name, or one of a kind's attributes in its fields.
  void value(const syntax::Value& v, const std::string& attribute, const Scope& scope) {
    for (const syntax::Value& item : v.items) value(item, attribute, scope);
    for (const auto& entry : v.entries) value(entry.value, attribute, scope);
    if (v.kind != syntax::Value::Kind::reference || v.path.empty()) return;
    const std::vector<std::string>& path = v.path;
    std::optional<std::size_t> symbol;
    if (path.size() == 2 && path[0] == "node") {
      symbol = node_symbol(scope, path[1]);
    } else if (path.size() == 2 && path[0] == "service") {
      symbol = service_symbol(scope, path[1]);
    } else if (path.size() == 2 && path[0] == "template" && templates_.contains(path[1])) {
      symbol = template_symbol(path[1]);
    } else if (path.size() == 2 && path[0] == "site" && scope.block && scope.block->name != "kind") {
      symbol = site_field_symbol(scope, path[1]);
    } else if (path.size() == 1 && (attribute == "kind" || attribute == "needs" || attribute == "beside")) {
      if (compilation_.federation.kind(path[0])) symbol = kind_symbol(path[0]);
    } else if (path.size() == 1 && scope.block && scope.block->name == "kind" && scope.kind) {
      if (const model::AttributeSpec* a = scope.kind->attribute(path[0])) symbol = attribute_symbol(*scope.kind, *a);
    }
    if (symbol) index_.add(v.span, *symbol);
  }

  /// Which sites extend each template: a template's `node.NAME` names a
  /// node each of them declares.
  void note_extends(const Item& site) {
    const Item* extends = attribute_item(site, "extends");
    if (!extends || extends->value.path.size() != 2 || extends->value.path[0] != "template") return;
    if (const model::Site* model = find_site(label_of(site))) extending_[extends->value.path[1]].push_back(model);
  }

  /// In a template, the first site extending it that has the node.
  const model::Node* node_of_extending_site(const Scope& scope, const std::string& name) const {
    if (!scope.block || scope.block->name != "template") return nullptr;
    auto it = extending_.find(label_of(*scope.block));
    if (it == extending_.end()) return nullptr;
    for (const model::Site* site : it->second)
      if (const model::Node* node = site->node(name)) return node;
    return nullptr;
  }

  const language::BlockSpec* builtin_block(const Item& item) {
    const language::BlockSpec* spec = language::find_block(item.name);
    if (spec) index_.add(item.name_span, index_.intern({.kind = Symbol::Kind::block,
                                                        .key = "block " + std::string(spec->name),
                                                        .name = std::string(spec->name), .block = spec}));
    return spec;
  }

  const model::Site* find_site(const std::string& name) const {
    for (const model::Site& site : compilation_.federation.sites)
      if (site.name == name) return &site;
    return nullptr;
  }

  /// A service's kind: written in it, else its model's (a site's service
  /// may take its kind from the template it extends), else that of a
  /// service of the same name in any site (a template's service).
  const model::Kind* kind_of_service(const Item& service, const Scope& scope) const {
    if (auto written = written_kind(service)) return compilation_.federation.kind(*written);
    const std::string label = label_of(service);
    if (scope.site) {
      const model::Service* s = scope.site->service(label);
      return s ? s->kind : nullptr;
    }
    for (const model::Site& site : compilation_.federation.sites)
      if (const model::Service* s = site.service(label)) return s->kind;
    return nullptr;
  }

  std::size_t field_symbol(const language::BlockSpec& block, const language::Field& field) {
    return index_.intern({.kind = Symbol::Kind::field,
                          .key = fmt::format("field {}/{}", block.name, field.name),
                          .name = std::string(field.name), .field = &field, .field_of = &block});
  }

  std::size_t kind_symbol(const std::string& name) {
    const model::Kind* kind = compilation_.federation.kind(name);
    Symbol symbol{.kind = Symbol::Kind::kind, .key = "kind " + name, .name = name, .model_kind = kind};
    if (kind) symbol.declaration = kind->span;
    return index_.intern(std::move(symbol));
  }

  std::size_t attribute_symbol(const model::Kind& kind, const model::AttributeSpec& a) {
    return index_.intern({.kind = Symbol::Kind::attribute, .key = fmt::format("attribute {}/{}", kind.name, a.name),
                          .name = a.name, .declaration = a.span, .model_kind = &kind, .attribute = &a});
  }

  std::size_t template_symbol(const std::string& name) {
    Symbol symbol{.kind = Symbol::Kind::template_, .key = "template " + name, .name = name};
    if (auto it = templates_.find(name); it != templates_.end()) symbol.declaration = it->second->span;
    return index_.intern(std::move(symbol));
  }

  std::size_t site_symbol(const Scope& scope) {
    const std::string name = label_of(*scope.block);
    return index_.intern({.kind = Symbol::Kind::site, .key = "site " + name, .name = name,
                          .declaration = scope.block->span, .site = scope.site});
  }

  /// `site.F`: the attribute F of the site (or template) around it.
  std::size_t site_field_symbol(const Scope& scope, const std::string& field) {
    Symbol symbol{.kind = Symbol::Kind::site, .key = fmt::format("site {}/{}", label_of(*scope.block), field),
                  .name = "site." + field, .site = scope.site};
    if (const Item* written = attribute_item(*scope.block, field)) symbol.declaration = written->span;
    return index_.intern(std::move(symbol));
  }

  /// A node or service declared in the site, in the template it extends,
  /// or (for a template) in the template itself or a site extending it.
  std::size_t node_symbol(const Scope& scope, const std::string& name) {
    Symbol symbol = member_symbol(Symbol::Kind::node, scope, name);
    if (scope.site && (symbol.node = scope.site->node(name))) symbol.declaration = symbol.node->span;
    find_written(symbol, scope);
    if (!symbol.declaration)
      if (const model::Node* node = node_of_extending_site(scope, name)) symbol.declaration = node->span;
    return index_.intern(std::move(symbol));
  }

  std::size_t service_symbol(const Scope& scope, const std::string& name) {
    Symbol symbol = member_symbol(Symbol::Kind::service, scope, name);
    if (scope.site && (symbol.service = scope.site->service(name))) {
      symbol.declaration = symbol.service->span;
      symbol.model_kind = symbol.service->kind;
    }
    find_written(symbol, scope);
    return index_.intern(std::move(symbol));
  }

  /// "node kyiv/worker": a node or service is one symbol per site or template.
  static Symbol member_symbol(Symbol::Kind kind, const Scope& scope, const std::string& name) {
    const char* type = kind == Symbol::Kind::node ? "node" : "service";
    return {.kind = kind,
            .key = fmt::format("{} {}/{}", type, scope.block ? label_of(*scope.block) : "", name),
            .name = name,
            .site = scope.site};
  }

  /// Without a model, the block written in the site or template itself.
  static void find_written(Symbol& symbol, const Scope& scope) {
    if (symbol.declaration || !scope.block) return;
    const char* type = symbol.kind == Symbol::Kind::node ? "node" : "service";
    if (const Item* written = child_block(*scope.block, type, symbol.name)) symbol.declaration = written->span;
  }

  const Compilation& compilation_;
  SymbolIndex& index_;
  std::map<std::string, const Item*> templates_;
  std::map<std::string, std::vector<const model::Site*>> extending_;
};

SymbolIndex SymbolIndex::build(const Compilation& compilation) {
  SymbolIndex index;
  SymbolCollector collector(compilation, index);
  for (const resolve::LoadedFile& file : compilation.files) collector.file(file);
  std::sort(index.occurrences_.begin(), index.occurrences_.end(), [](const Occurrence& a, const Occurrence& b) {
    if (a.span.file != b.span.file) return a.span.file < b.span.file;
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.span.end > b.span.end;
  });
  return index;
}

std::size_t SymbolIndex::intern(Symbol symbol) {
  auto [it, fresh] = by_key_.emplace(symbol.key, symbols_.size());
  if (fresh) symbols_.push_back(std::move(symbol));
  return it->second;
}

void SymbolIndex::add(Span span, std::size_t symbol, bool declaration) {
  occurrences_.push_back({span, symbol, declaration});
}

const Occurrence* SymbolIndex::at(FileId file, std::uint32_t offset) const {
  // The last occurrence that begins at or before `offset`; spans of names
  // and references do not nest, so it is the one if any is.
  auto after = std::upper_bound(occurrences_.begin(), occurrences_.end(), std::pair{file, offset},
                                [](const std::pair<FileId, std::uint32_t>& at, const Occurrence& o) {
                                  return at.first != o.span.file ? at.first < o.span.file : at.second < o.span.begin;
                                });
  if (after == occurrences_.begin()) return nullptr;
  const Occurrence& candidate = *std::prev(after);
  if (candidate.span.file != file || offset > candidate.span.end) return nullptr;
  return &candidate;
}

std::vector<Occurrence> SymbolIndex::occurrences(std::size_t symbol) const {
  std::vector<Occurrence> out;
  for (const Occurrence& o : occurrences_)
    if (o.symbol == symbol) out.push_back(o);
  return out;
}

std::optional<std::size_t> SymbolIndex::find(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? std::nullopt : std::optional(it->second);
}

}  // namespace dcomm
