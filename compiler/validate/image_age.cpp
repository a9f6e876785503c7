#include "validate/image_age.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "util/dates.hpp"

namespace dcomm::validate {

void check_image_age(const model::Federation& federation, int max_days, std::int64_t today, Diagnostics& diags) {
  if (max_days <= 0) return;
  // A kind's image is one declaration however many services use it.
  std::set<std::pair<FileId, std::uint32_t>> reported;
  for (const model::Site& site : federation.sites) {
    for (const model::Service& service : site.services) {
      for (const model::Container& container : service.containers) {
        const auto pinned = util::parse_date(container.pinned);
        if (!pinned || today - *pinned <= max_days) continue;
        if (!reported.emplace(container.span.file, container.span.begin).second) continue;
        diags.report({.code = "W0506",
                      .message = fmt::format("image '{}' was pinned {} days ago, on {}", container.image,
                                             today - *pinned, container.pinned),
                      .primary = {container.span, "pinned long ago"},
                      .notes = {"newer releases may fix security problems this version has"},
                      .help = fmt::format("update the version and its pinned day (docs/stdlib.md#image-pins), "
                                          "or allow older pins with --max-image-age {}",
                                          today - *pinned)});
      }
    }
  }
}

}  // namespace dcomm::validate
