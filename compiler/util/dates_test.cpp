#include "util/dates.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

namespace dcomm::util {

TEST_CASE("dates: YYYY-MM-DD as days since 1970-01-01") {
  CHECK(parse_date("1970-01-01") == 0);
  CHECK(parse_date("1970-01-02") == 1);
  CHECK(parse_date("2000-03-01") == 11017);
  CHECK(parse_date("2026-12-04") == 20791);
  CHECK(parse_date("2024-02-29") == *parse_date("2024-02-28") + 1);  // a leap year
  CHECK(parse_date("2024-03-01") == *parse_date("2024-02-29") + 1);
}

TEST_CASE("dates: anything but a real date written YYYY-MM-DD is refused") {
  for (const char* bad : {"", "2026-2-4", "2026/12/04", "2026-13-01", "2026-00-10", "2026-12-00",
                          "2025-02-29", "2026-04-31", "2026-12-04 ", "twenty-six"}) {
    INFO(bad);
    CHECK_FALSE(parse_date(bad));
  }
}

TEST_CASE("dates: today is SOURCE_DATE_EPOCH's day when it is set") {
  const char* saved = std::getenv("SOURCE_DATE_EPOCH");
  const std::string kept = saved ? saved : "";
  setenv("SOURCE_DATE_EPOCH", "1796428799", 1);  // 2026-12-04 23:59:59 UTC
  CHECK(today() == 20791);
  setenv("SOURCE_DATE_EPOCH", "not a number", 1);  // ignored: the clock
  CHECK(today() > 20000);
  if (saved) setenv("SOURCE_DATE_EPOCH", kept.c_str(), 1); else unsetenv("SOURCE_DATE_EPOCH");
}

}  // namespace dcomm::util
