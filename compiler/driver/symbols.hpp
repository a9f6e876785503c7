#pragma once
// What each name of a checked spec stands for: a table from source spans
// to the symbol they resolve to (a built-in block or field, a kind, one of
// its attributes, a node, a service, a template) and where that symbol is
// declared. Built from the resolver's model and the language's one table
// (language/builtins.hpp), once per check, so the editor's hover,
// go-to-definition, references and rename answer from the compiler's
// results instead of a second reading of the text.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "driver/pipeline.hpp"
#include "language/builtins.hpp"

namespace dcomm {

struct Symbol {
  enum class Kind { block, field, import, kind, attribute, node, service, template_, site };
  Kind kind = Kind::block;
  /// Identifies the symbol: "service kyiv/synapse", "attribute synapse/max_upload".
  std::string key;
  std::string name;
  std::optional<Span> declaration;  ///< none for what the language itself declares

  const language::BlockSpec* block = nullptr;  ///< Kind::block
  const language::Field* field = nullptr;      ///< Kind::field and Kind::import
  const language::BlockSpec* field_of = nullptr;  ///< Kind::field: the block it belongs to
  const model::Kind* model_kind = nullptr;     ///< Kind::kind, and the kind of an attribute or service
  const model::AttributeSpec* attribute = nullptr;  ///< Kind::attribute
  const model::Site* site = nullptr;           ///< Kind::node, Kind::service, Kind::site
  const model::Node* node = nullptr;
  const model::Service* service = nullptr;
};

/// A place in a file where a symbol is named.
struct Occurrence {
  Span span;
  std::size_t symbol;  ///< index into SymbolIndex::symbols()
  bool declaration = false;  ///< the name in the symbol's own declaration
};

class SymbolIndex {
 public:
  /// Every name in the files of `compilation` (imports included; the
  /// stdlib only for the kinds it declares). It points into
  /// `compilation`, which must outlive it.
  static SymbolIndex build(const Compilation& compilation);

  /// The innermost occurrence at `offset` of `file`, if any.
  const Occurrence* at(FileId file, std::uint32_t offset) const;
  const Symbol& symbol(std::size_t index) const { return symbols_[index]; }
  const std::vector<Symbol>& symbols() const { return symbols_; }
  /// Every occurrence of `symbol`, in source order.
  std::vector<Occurrence> occurrences(std::size_t symbol) const;
  /// The symbol with `key`, if the spec names it anywhere.
  std::optional<std::size_t> find(const std::string& key) const;

 private:
  friend class SymbolCollector;
  std::size_t intern(Symbol symbol);
  void add(Span span, std::size_t symbol, bool declaration = false);

  std::vector<Symbol> symbols_;
  std::unordered_map<std::string, std::size_t> by_key_;
  std::vector<Occurrence> occurrences_;  ///< sorted by file, then begin, then end descending
};

}  // namespace dcomm
