#pragma once
// Attribute types, as kinds declare them (`type = list(port)`), and the
// conversion of a written value to a typed model::Value.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"
#include "syntax/ast.hpp"

namespace dcomm::resolve {

struct Type {
  enum class Kind {
    string, subdomain, path, integer, boolean, size, duration, port, enumeration, service, node, list, map
  };

  Kind kind = Kind::string;
  std::vector<std::string> members;  ///< enumeration
  std::string service_kind;          ///< service(KIND)
  std::shared_ptr<const Type> element;  ///< list(T), map(T)

  /// As a person writes it: "port", "enum(token, open, closed)", "list(string)".
  std::string describe() const;

  static Type simple(Kind kind) { return Type{.kind = kind}; }
  static Type list_of(Type element);
  static Type map_of(Type element);
};

/// Reads a type expression; reports E0307 and returns nullopt if it is not one.
std::optional<Type> parse_type(const syntax::Value& written, Diagnostics& diags);

/// What a value's references may name while it is converted.
struct Scope {
  /// `service.NAME` -> the kind of that service, if it exists; "" when it
  /// exists but its kind is unknown (already reported: say nothing more).
  std::function<std::optional<std::string>(const std::string&)> service_kind;
  /// `node.NAME` exists?
  std::function<bool(const std::string&)> has_node;
  /// Every service or node name, for "did you mean".
  std::function<std::vector<std::string>(const std::string& what)> names;
  /// `site.NAME` -> its text (inside templates: the site being built).
  std::function<std::optional<std::string>(const std::string&)> site_field;
  /// A bare name that stands for another value here (a kind's attribute
  /// inside its container and route fields): nullopt when the name is not
  /// one; nullptr when it is, but its value was wrong (already reported).
  std::function<std::optional<const model::Value*>(const std::string&)> bare_name;
};

/// Converts `written` to `type`, reporting what does not fit. `what`
/// names the value in messages ("attribute 'port'").
std::optional<model::Value> convert(const syntax::Value& written, const Type& type,
                                    const Scope& scope, const std::string& what,
                                    Diagnostics& diags);

}  // namespace dcomm::resolve
