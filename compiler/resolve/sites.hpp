#pragma once
// Builds one typed model::Site from a `site` block: templates applied,
// attributes checked, nodes and services resolved, implicit services
// added for what the kinds need.

#include <map>
#include <optional>
#include <string>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"
#include "resolve/body.hpp"
#include "resolve/kinds.hpp"

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

model::Site build_site(const syntax::Item& block, const Templates& templates,
                       const KindTable& kinds, const SourceMap& sources, Diagnostics& diags);

}  // namespace dcomm::resolve
