#pragma once
// Templates: statements written once and applied beneath the sites that
// say `extends = template.NAME`.

#include <map>
#include <optional>
#include <string>

#include "diag/diagnostic.hpp"
#include "resolve/body.hpp"

namespace dcomm::resolve {

/// The `template "NAME"` blocks, expanded on demand through `extends`.
class Templates {
 public:
  void add(const syntax::Item& block) { blocks_.emplace(block.labels.at(0).text, &block); }

  /// The body of `block` with the templates it extends applied beneath
  /// it; nullopt after reporting an unknown template or a cycle.
  std::optional<Body> expand(const syntax::Item& block, Diagnostics& diags) const;

 private:
  std::map<std::string, const syntax::Item*> blocks_;
};

}  // namespace dcomm::resolve
