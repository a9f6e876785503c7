#include "resolve/image_entries.hpp"

#include <fmt/format.h>

#include "util/spellcheck.hpp"

namespace dcomm::resolve {

void ImageEntries::note(const std::string& image, Span key, bool used) {
  for (Entry& entry : entries_) {
    if (entry.key == key) {
      entry.used = entry.used || used;
      return;
    }
  }
  entries_.push_back({image, key, used});
}

void ImageEntries::report_unused(Diagnostics& diags) const {
  const std::vector<std::string> named(seen_.begin(), seen_.end());
  for (const Entry& entry : entries_) {
    if (entry.used) continue;
    const auto near = util::did_you_mean(entry.image, named);
    diags.report({.code = "W0505",
                  .message = fmt::format("no container's image is '{}': this images entry replaces nothing",
                                         entry.image),
                  .primary = {entry.key, "matches no image"},
                  .notes = {"an entry's key must be the exact reference a kind or service names, tag "
                            "included; `dcommc images SPEC` lists the images the sites run"},
                  .help = near ? fmt::format("did you mean \"{}\"?", *near)
                               : "remove the entry, or write the reference of an image the sites run"});
  }
}

}  // namespace dcomm::resolve
