// How a validator shows the character it refuses: described, never copied
// when a terminal could act on it (C0, DEL, C1, stray bytes).

#include "validate/problem.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "validate/values.hpp"

using dcomm::validate::check_name;
using dcomm::validate::describe_char;

TEST_CASE("describe_char: printable characters are quoted, spaces and tabs named", "[validate]") {
  CHECK(describe_char("a_b", 1) == "'_'");
  CHECK(describe_char("a b", 1) == "a space");
  CHECK(describe_char("a\tb", 1) == "a tab");
  CHECK(describe_char("kyїv", 2) == "non-ASCII character 'ї'");
}

TEST_CASE("describe_char: C0, DEL and C1 controls by code point", "[validate]") {
  CHECK(describe_char("a\nb", 1) == "control character U+000A");
  CHECK(describe_char("a\x7F" "b", 1) == "control character U+007F");
  // C1 controls are two bytes (0xC2 0x80-0x9F), so a check byte by byte
  // took them for any other non-ASCII character and copied them.
  CHECK(describe_char("a\xC2\x85" "b", 1) == "control character U+0085");
  CHECK(describe_char("a\xC2\x9B" "b", 1) == "control character U+009B");
  CHECK(describe_char("a\xC2\x80", 1) == "control character U+0080");
  CHECK(describe_char("a\xC2\x9F", 1) == "control character U+009F");
  CHECK(describe_char("a\xC2\xA0", 1) == "non-ASCII character '\xC2\xA0'");  // no-break space
}

TEST_CASE("describe_char: a stray byte is shown in hex", "[validate]") {
  CHECK(describe_char("a\xC2", 1) == "byte 0xC2");
  CHECK(describe_char("a\xFF" "b", 1) == "byte 0xFF");
}

TEST_CASE("names: a C1 control character is refused and described", "[validate]") {
  const std::string name = "ky\xC2\x85iv";
  const auto problem = check_name(name);
  REQUIRE(problem);
  CHECK(problem->message == "name contains control character U+0085");
  CHECK(problem->message.find('\xC2') == std::string::npos);
  CHECK(name.substr(problem->begin, problem->end - problem->begin) == "\xC2\x85");
}
