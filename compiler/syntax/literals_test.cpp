// Decoding literal tokens: every unit, every range, every mistake.

#include "syntax/literals.hpp"

#include <catch2/catch.hpp>

namespace dcomm::syntax {

namespace {

Value number(std::string_view token) {
  Value value;
  auto error = decode_number(token, value);
  INFO(token);
  REQUIRE_FALSE(error);
  return value;
}

std::string number_error(std::string_view token) {
  Value value;
  auto error = decode_number(token, value);
  INFO(token);
  REQUIRE(error);
  return std::string(error->code.text());
}

}  // namespace

TEST_CASE("literals: integers") {
  CHECK(number("0").number == 0);
  CHECK(number("42").number == 42);
  CHECK(number("-3").number == -3);
  CHECK(number("9223372036854775807").number == INT64_MAX);
  CHECK(number_error("9223372036854775808") == "E0227");
  CHECK(number_error("007") == "E0230");
}

TEST_CASE("literals: sizes are powers of 1024") {
  CHECK(number("1K").number == 1024);
  CHECK(number("512M").number == 512ll * 1024 * 1024);
  CHECK(number("6G").number == 6ll << 30);
  CHECK(number("2T").number == 2ll << 40);
  CHECK(number("6G").kind == Value::Kind::size);
  CHECK(number("6G").amount == 6);
  CHECK(number_error("512k") == "E0226");
  CHECK(number_error("5MB") == "E0226");
  CHECK(number_error("-5M") == "E0231");
  CHECK(number_error("9999999999T") == "E0227");
}

TEST_CASE("literals: durations in milliseconds") {
  CHECK(number("250ms").number == 250);
  CHECK(number("30s").number == 30'000);
  CHECK(number("90m").number == 90 * 60'000);
  CHECK(number("2h").number == 2 * 3'600'000);
  CHECK(number("999d").number == 999ll * 86'400'000);
  CHECK(number("1w").number == 604'800'000);
  CHECK(number("90m").kind == Value::Kind::duration);
  CHECK(number_error("1.5h") == "E0225");
  CHECK(number_error("3y") == "E0226");
}

TEST_CASE("literals: ports") {
  const Value udp = number("28729/udp");
  CHECK(udp.kind == Value::Kind::port);
  CHECK(udp.number == 28729);
  CHECK(udp.unit == "udp");
  CHECK(number("1/tcp").number == 1);
  CHECK(number("65535/tcp").number == 65535);
  CHECK(number_error("0/tcp") == "E0228");
  CHECK(number_error("65536/tcp") == "E0228");
  CHECK(number_error("53/icmp") == "E0229");
  CHECK(number_error("53/") == "E0229");
  CHECK(number_error("-53/udp") == "E0231");
}

TEST_CASE("literals: the error span covers the faulty part") {
  Value value;
  auto unit = decode_number("512k", value);
  REQUIRE(unit);
  CHECK(unit->begin == 3);
  CHECK(unit->end == 4);
  auto protocol = decode_number("53/icmp", value);
  REQUIRE(protocol);
  CHECK(protocol->begin == 3);
  CHECK(protocol->end == 7);
}

TEST_CASE("literals: strings") {
  std::string out;
  CHECK_FALSE(decode_string(R"("plain")", out));
  CHECK(out == "plain");
  CHECK_FALSE(decode_string(R"("a\"b\\c\nd\te\rf")", out));
  CHECK(out == "a\"b\\c\nd\te\rf");
  CHECK_FALSE(decode_string(R"("\u{41}\u{E9}\u{1F600}")", out));
  CHECK(out == "A\xC3\xA9\xF0\x9F\x98\x80");
  CHECK_FALSE(decode_string("\"Київ\"", out));
  CHECK(out == "Київ");
  auto surrogate = decode_string(R"("\u{D800}")", out);
  REQUIRE(surrogate);
  CHECK(surrogate->code == "E0204");
  auto too_big = decode_string(R"("\u{110000}")", out);
  REQUIRE(too_big);
  CHECK(too_big->code == "E0204");
}

}  // namespace dcomm::syntax
