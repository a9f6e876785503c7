#pragma once
// Calendar dates as days since 1970-01-01, for the age of image pins.

#include <cstdint>
#include <optional>
#include <string_view>

namespace dcomm::util {

/// "2026-12-04" as days since 1970-01-01; nullopt unless it is a real
/// date written YYYY-MM-DD.
std::optional<std::int64_t> parse_date(std::string_view text);

/// Today, in days since 1970-01-01 (UTC): from SOURCE_DATE_EPOCH when it
/// is set (reproducible builds, and the test suite), else the clock.
std::int64_t today();

}  // namespace dcomm::util
