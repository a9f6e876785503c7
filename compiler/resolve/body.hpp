#pragma once
// A block's statements as the resolver sees them: templates merged in,
// unknown names and repeats reported.

#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.hpp"
#include "syntax/ast.hpp"

namespace dcomm::resolve {

struct Block;

/// The effective statements of a block. With templates, the site's own
/// statements override the template's: attribute by attribute, and nested
/// blocks (nodes, services) by type and label.
struct Body {
  std::vector<const syntax::Item*> attributes;
  std::vector<Block> blocks;

  const syntax::Item* attribute(const std::string& name) const;
  const Block* block(const std::string& type, const std::string& label) const;
};

struct Block {
  const syntax::Item* header = nullptr;  ///< the most specific declaration
  Body body;

  const std::string& type() const { return header->name; }
  std::string label() const { return header->labels.empty() ? "" : header->labels[0].text; }
};

/// The statements of one written block, in order. Reports an attribute
/// set twice in it (E0304).
Body body_of(const syntax::Item& block, Diagnostics& diags);

/// `base` with `over` applied on top.
Body merge(Body base, const Body& over);

/// What a block may contain, for E0303/E0305 with "did you mean".
struct Schema {
  std::string what;  ///< "site", "node", "service 'synapse' (kind synapse)"
  std::vector<std::string> attributes;
  std::vector<std::string> blocks;
  std::string help;  ///< shown when nothing is close enough to suggest
};

/// What a built-in block may contain, from the language's one table
/// (language/builtins.hpp). `name` must be one of its blocks.
Schema schema_of(std::string_view name);

/// Reports attributes and blocks `schema` does not know. Returns false if any.
bool check_names(const Body& body, const Schema& schema, Diagnostics& diags);

/// Reports a block with a wrong number of labels (E0312); true if fine.
bool check_labels(const syntax::Item& block, std::size_t expected, Diagnostics& diags);

}  // namespace dcomm::resolve
