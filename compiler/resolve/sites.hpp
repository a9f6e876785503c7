#pragma once
// Builds one typed model::Site from a `site` block: templates applied,
// attributes checked, nodes and services resolved, implicit services
// added for what the kinds need.

#include <map>
#include <set>
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

/// The `images` entries as written (a template's once, whatever number of
/// sites extend it), and whether any site's container uses each.
class ImageEntries {
 public:
  void note(const std::string& image, Span key, bool used);
  /// An image a container names before the entries replace it.
  void seen(const std::string& image) { seen_.insert(image); }
  /// W0505 for each entry no site uses, with the nearest image a container
  /// does name as the help.
  void report_unused(Diagnostics& diags) const;

 private:
  struct Entry {
    std::string image;
    Span key;
    bool used = false;
  };
  std::vector<Entry> entries_;
  std::set<std::string> seen_;
};

model::Site build_site(const syntax::Item& block, const Templates& templates,
                       const KindTable& kinds, const SourceMap& sources, Diagnostics& diags,
                       ImageEntries& image_entries);

}  // namespace dcomm::resolve
