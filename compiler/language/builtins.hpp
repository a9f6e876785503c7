#pragma once
// The built-in language, described once: every block, the attributes each
// takes (a kind's own attributes aside: stdlib/ and specs declare those),
// what to write for each and one line of doc, and the attribute types.
// resolve/ checks names against it, the language server completes and
// hovers from it, and builtins_test.cpp holds docs/language.md's
// reference tables to it, row by row.

#include <span>
#include <string_view>
#include <vector>

namespace dcomm::language {

struct Field {
  std::string_view name;
  /// What to write, in Markdown: docs/language.md's "Value" column.
  std::string_view value;
  /// One line for hovers and completion: the docs' "Meaning" begins with it.
  std::string_view doc;
  bool required = false;
  std::string_view default_value = {};  ///< as written, when a built-in default applies
  /// The values an editor offers, when the field takes one of a few.
  std::span<const std::string_view> values = {};
};

struct BlockSpec {
  std::string_view name;     ///< "site"
  std::string_view written;  ///< `site "kyiv" { ... }`, as the docs' declarations table shows it
  std::string_view doc;      ///< one line: what it declares
  std::string_view what;     ///< in diagnostics: "a site has no attribute 'x'"
  std::span<const Field> fields;
  /// Fields it shares with another block (a kind takes a container's).
  std::span<const Field> shared_fields;
  std::span<const std::string_view> blocks;  ///< the blocks it may hold
  std::string_view help;  ///< when an unknown name is near no known one
};

/// An attribute type, as a kind's `type = ...` names it.
struct TypeSpec {
  std::string_view name;     ///< "service(KIND)": the docs' "Type" column
  std::string_view written;  ///< what a value of it looks like
  /// For a type with parameters, what an editor inserts (an LSP snippet).
  std::string_view snippet = {};
};

/// site, node, service, template, kind, attribute, container, route.
std::span<const BlockSpec> blocks();
/// The block named `name`, or nullptr.
const BlockSpec* find_block(std::string_view name);
/// Every field of `block`, its own and the shared ones.
std::vector<const Field*> fields_of(const BlockSpec& block);
const Field* find_field(const BlockSpec& block, std::string_view name);
/// The names of `block`'s fields, for resolve's "did you mean".
std::vector<std::string_view> field_names(const BlockSpec& block);

/// What a file's top level holds: site, template, kind, and import.
std::span<const std::string_view> top_level();
/// `import "PATH"`: the one statement that is not a block or an attribute.
const Field& import_statement();

std::span<const TypeSpec> types();

}  // namespace dcomm::language
