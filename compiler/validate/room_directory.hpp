#pragma once
// Element's room directory lists, by default, every other federating site
// of the federation: each site's config.json grows with the federation, and
// the federation's output with its square. Beyond kMaxRoomDirectory servers
// the spec must choose the servers itself (E0413), so that no federation can
// make a build write gigabytes, or run out of memory.

#include <cstddef>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"

namespace dcomm::validate {

/// Servers one room directory may list: far more than anyone scrolls
/// through, and a config.json of at most ~180 KB.
constexpr std::size_t kMaxRoomDirectory = 4096;

void check_room_directories(const model::Federation& federation, Diagnostics& diags);

}  // namespace dcomm::validate
