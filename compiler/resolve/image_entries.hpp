#pragma once
// The sites' `images` entries, and W0505 for one that replaces nothing.

#include <set>
#include <string>
#include <vector>

#include "diag/diagnostic.hpp"

namespace dcomm::resolve {

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

}  // namespace dcomm::resolve
