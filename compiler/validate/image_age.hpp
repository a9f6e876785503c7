#pragma once
// W0506: an image whose pin was chosen long ago. Every pin is a security
// decision; a release that fixes a hole does not reach a site whose pin
// nobody revisits.

#include <cstdint>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"

namespace dcomm::validate {

/// Warns once per image declaration whose `pinned` day is more than
/// `max_days` before `today` (days since 1970-01-01); max_days 0: never.
void check_image_age(const model::Federation& federation, int max_days, std::int64_t today, Diagnostics& diags);

}  // namespace dcomm::validate
