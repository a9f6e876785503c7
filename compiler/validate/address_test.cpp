#include "validate/address.hpp"

#include <catch2/catch.hpp>
#include <string>

using dcomm::validate::canonical_address;
using dcomm::validate::check_address;
using dcomm::validate::is_ipv6;

TEST_CASE("address: IPv4 and IPv6 unicast addresses pass, in canonical form", "[validate][address]") {
  CHECK_FALSE(check_address("203.0.113.7"));
  CHECK_FALSE(check_address("10.77.0.2"));
  CHECK_FALSE(check_address("2001:db8::7"));
  CHECK(canonical_address("2001:DB8:0:0::7") == "2001:db8::7");
  CHECK(canonical_address("10.77.0.2") == "10.77.0.2");
  CHECK(is_ipv6("2001:db8::7"));
  CHECK_FALSE(is_ipv6("10.77.0.2"));
}

TEST_CASE("address: names, networks, zones and unreachable addresses are refused", "[validate][address]") {
  struct Case {
    const char* text;
    const char* message;
    const char* help;
    std::size_t begin;
  };
  for (const Case& c : {
           Case{"matrix.example.org", "'matrix.example.org' is not an IP address", "not a name", 0},
           Case{"10.77.0.0/24", "'10.77.0.0/24' is a network, not an address", "\"10.77.0.0\"", 9},
           Case{"fe80::1%eth0", "names an IPv6 zone", "\"fe80::1\"", 7},
           Case{"0.0.0.0", "is the unspecified address", "203.0.113.7", 0},
           Case{"::", "is the unspecified address", "203.0.113.7", 0},
           Case{"224.0.0.1", "is a multicast address", "203.0.113.7", 0},
           Case{"ff02::1", "is a multicast address", "203.0.113.7", 0},
           Case{"255.255.255.255", "is the broadcast address", "203.0.113.7", 0},
           Case{"10.77.0.256", "is not an IP address", "203.0.113.7", 0},
           Case{"", "is not an IP address", "203.0.113.7", 0},
       }) {
    INFO("address: " << c.text);
    const auto problem = check_address(c.text);
    REQUIRE(problem.has_value());
    CHECK_THAT(problem->message, Catch::Contains(c.message));
    CHECK_THAT(problem->help, Catch::Contains(c.help));
    CHECK(problem->begin == c.begin);
    CHECK(problem->end == std::string(c.text).size());
    CHECK_FALSE(canonical_address(c.text));
  }
}
