#include "validate/names.hpp"

#include <catch2/catch.hpp>
#include <string>

using dcomm::validate::check_domain;
using dcomm::validate::check_email;
using dcomm::validate::Problem;

namespace {

/// The problem `check` finds in `text`; fails the test if there is none.
template <typename Check>
Problem problem_in(Check check, std::string_view text) {
  const auto problem = check(text);
  INFO("input: " << text);
  REQUIRE(problem.has_value());
  return *problem;
}

/// The underlined part of `text`.
std::string_view underlined(std::string_view text, const Problem& problem) {
  REQUIRE(problem.begin <= problem.end);
  REQUIRE(problem.end <= text.size());
  return text.substr(problem.begin, problem.end - problem.begin);
}

}  // namespace

TEST_CASE("domains: valid names pass", "[validate][domain]") {
  for (const char* name :
       {"kyiv.dcomm.net.ua", "dcomm.net.ua", "a.b", "chat.kyiv.internal", "kyiv.localhost",
        "xn--j1aef.xn--j1amh", "1.example.org", "123.example.org", "a-b--c.example.org",
        "matrix.example.xn--p1ai", "x2.y3", "xyz.onion"}) {
    INFO(name);
    CHECK_FALSE(check_domain(name).has_value());
  }
}

TEST_CASE("domains: length limits are 63 per label and 253 in all", "[validate][domain]") {
  const std::string label63(63, 'a');
  CHECK_FALSE(check_domain(label63 + ".org"));

  const std::string too_long = "chat." + std::string(64, 'a') + ".org";
  const Problem label = problem_in(check_domain, too_long);
  CHECK(label.message == "label is 64 characters long; the limit is 63");
  CHECK(label.begin == 5);
  CHECK(label.end == 69);

  // 4 x 63 + 3 dots = 255; trim to exactly 253, then one more.
  std::string name = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  REQUIRE(name.size() == 253);
  CHECK_FALSE(check_domain(name));
  name += "b";
  const Problem total = problem_in(check_domain, name);
  CHECK(total.message == "domain name is 254 characters long; the limit is 253");
  CHECK(total.begin == 0);
  CHECK(total.end == 254);
}

TEST_CASE("domains: upper case is rejected with the lower-case spelling", "[validate][domain]") {
  const Problem problem = problem_in(check_domain, "kyiv.Dcomm.net.ua");
  CHECK(problem.message == "domain name contains upper case 'D'");
  CHECK(problem.help == "write it in lower case: 'kyiv.dcomm.net.ua'");
  CHECK(problem.begin == 5);
  CHECK(problem.end == 6);
}

TEST_CASE("domains: characters outside a-z 0-9 - .", "[validate][domain]") {
  const std::string_view underscore = "kyiv_.dcomm.net.ua";
  const Problem problem = problem_in(check_domain, underscore);
  CHECK(problem.message == "label 'kyiv_' contains '_'");
  CHECK(problem.help.starts_with("use '-' instead of '_'"));
  CHECK(underlined(underscore, problem) == "_");

  const std::string_view url = "https://kyiv.org";
  const Problem scheme = problem_in(check_domain, url);
  CHECK(scheme.begin == 5);
  CHECK(scheme.help.find("without a scheme") != std::string::npos);

  const Problem port = problem_in(check_domain, "kyiv.org:8448");
  CHECK(port.message == "domain name contains ':'");
  CHECK(port.begin == 8);

  const Problem space = problem_in(check_domain, "kyiv .org");
  CHECK(space.message == "label 'kyiv ' contains a space");

  // A control character is described, never copied into the message.
  const Problem newline = problem_in(check_domain, "kyiv\n.org");
  CHECK(newline.message == "domain name contains control character U+000A");
  CHECK(newline.begin == 4);

  const Problem wildcard = problem_in(check_domain, "*.kyiv.org");
  CHECK(wildcard.help.starts_with("wildcards are not allowed"));
}

TEST_CASE("domains: non-ASCII labels point at punycode", "[validate][domain]") {
  const std::string_view name = "чат.київ.укр";
  const Problem problem = problem_in(check_domain, name);
  CHECK(problem.message == "label 'чат' is not ASCII");
  CHECK(problem.help.find("xn--") != std::string::npos);
  CHECK(underlined(name, problem) == "чат");

  const std::string_view mixed = "chat.kyїv.org";
  CHECK(underlined(mixed, problem_in(check_domain, mixed)) == "kyїv");

  // Malformed UTF-8 is described as a byte.
  const std::string bad = "kyiv\xff.org";
  const Problem byte = problem_in(check_domain, bad);
  CHECK(byte.message == "domain name contains byte 0xFF");
  CHECK(byte.begin == 4);
  CHECK(byte.end == 5);
}

TEST_CASE("domains: a C1 control character is described, never quoted in the label", "[validate][domain]") {
  // U+0085 (NEL) is two bytes, 0xC2 0x85: valid UTF-8, yet a control
  // character that a terminal or a parser may act on.
  const std::string nel = "kyiv\xC2\x85.org";
  const Problem problem = problem_in(check_domain, nel);
  CHECK(problem.message == "domain name contains control character U+0085");
  CHECK(underlined(nel, problem) == "\xC2\x85");
  CHECK(problem.message.find("\xC2") == std::string::npos);

  // U+00A0, the next code point, is printable: the label is quoted.
  CHECK(problem_in(check_domain, "kyiv\xC2\xA0.org").message == "label 'kyiv\xC2\xA0' is not ASCII");
}

TEST_CASE("domains: dots", "[validate][domain]") {
  const Problem trailing = problem_in(check_domain, "kyiv.org.");
  CHECK(trailing.message == "domain name ends with '.'");
  CHECK(trailing.help == "remove the trailing dot: 'kyiv.org'");
  CHECK(trailing.begin == 8);
  CHECK(trailing.end == 9);

  const Problem leading = problem_in(check_domain, ".kyiv.org");
  CHECK(leading.message == "domain name starts with '.'");
  CHECK(leading.begin == 0);
  CHECK(leading.end == 1);

  const std::string_view doubled = "kyiv..org";
  const Problem empty = problem_in(check_domain, doubled);
  CHECK(empty.message == "domain name has an empty label ('..')");
  CHECK(underlined(doubled, empty) == "..");

  CHECK(problem_in(check_domain, "kyiv.org..").message == "domain name has an empty label ('..')");
  CHECK(problem_in(check_domain, ".").message == "domain name starts with '.'");
  CHECK(problem_in(check_domain, "").message == "domain name is empty");
}

TEST_CASE("domains: hyphens", "[validate][domain]") {
  const Problem leading = problem_in(check_domain, "chat.-kyiv.org");
  CHECK(leading.message == "label '-kyiv' starts with '-'");
  CHECK(leading.begin == 5);
  CHECK(leading.end == 6);

  const Problem trailing = problem_in(check_domain, "kyiv-.org");
  CHECK(trailing.message == "label 'kyiv-' ends with '-'");
  CHECK(trailing.begin == 4);

  // "--" in positions 3-4 is reserved for punycode.
  const std::string_view reserved = "ab--cd.org";
  const Problem rldh = problem_in(check_domain, reserved);
  CHECK(rldh.message.find("reserved for punycode") != std::string::npos);
  CHECK(underlined(reserved, rldh) == "--");
  CHECK(problem_in(check_domain, "xn--.org").message == "label 'xn--' ends with '-'");
}

TEST_CASE("domains: a single label is not enough", "[validate][domain]") {
  const Problem problem = problem_in(check_domain, "kyiv");
  CHECK(problem.message == "'kyiv' is a single label; a domain name needs at least two");
  CHECK(problem.help.find("'kyiv.internal'") != std::string::npos);
  CHECK(problem.begin == 0);
  CHECK(problem.end == 4);

  const Problem localhost = problem_in(check_domain, "localhost");
  CHECK(localhost.help.find("'kyiv.localhost'") != std::string::npos);
  CHECK(localhost.end == 9);
}

TEST_CASE("domains: numbers at the top", "[validate][domain]") {
  const Problem ip = problem_in(check_domain, "10.0.0.1");
  CHECK(ip.message == "'10.0.0.1' is an IP address, not a domain name");

  const std::string_view numeric = "kyiv.123";
  const Problem top = problem_in(check_domain, numeric);
  CHECK(top.message == "top-level label '123' is all digits");
  CHECK(underlined(numeric, top) == "123");
}

TEST_CASE("email: valid addresses pass", "[validate][email]") {
  for (const char* address :
       {"ops@dcomm.net.ua", "a@b.c", "first.last@example.org", "ops+acme@example.org",
        "Ops@example.org", "a_b-c%d=e+f@example.org"}) {
    INFO(address);
    CHECK_FALSE(check_email(address).has_value());
  }
  CHECK_FALSE(check_email(std::string(64, 'x') + "@example.org"));
}

TEST_CASE("email: characters that mean something in a Caddyfile or a shell are refused",
          "[validate][email]") {
  // RFC 5322 allows them, but the address lands in the Caddyfile.
  for (const char* address : {"{$HOME}@example.org", "a`id`@example.org", "a|b@example.org",
                              "a#b@example.org", "a'b@example.org", "a$b@example.org"}) {
    INFO(address);
    CHECK(check_email(address).has_value());
  }
}

TEST_CASE("email: the '@'", "[validate][email]") {
  CHECK(problem_in(check_email, "").message == "email address is empty");

  const Problem none = problem_in(check_email, "ops.dcomm.net.ua");
  CHECK(none.message == "email address has no '@'");
  CHECK(none.begin == 0);
  CHECK(none.end == 16);

  const Problem two = problem_in(check_email, "ops@x@example.org");
  CHECK(two.message == "email address has more than one '@'");
  CHECK(two.begin == 5);

  const Problem before = problem_in(check_email, "@example.org");
  CHECK(before.message == "email address has nothing before '@'");
  CHECK(before.begin == 0);
  CHECK(before.end == 1);

  const Problem after = problem_in(check_email, "ops@");
  CHECK(after.message == "email address has nothing after '@'");
  CHECK(after.begin == 3);
}

TEST_CASE("email: the local part", "[validate][email]") {
  const Problem quoted = problem_in(check_email, "\"ops team\"@example.org");
  CHECK(quoted.message == "the part before '@' contains '\"'");
  CHECK(quoted.help.starts_with("quoted local parts are not supported"));
  CHECK(quoted.begin == 0);

  const Problem mailto = problem_in(check_email, "mailto:ops@example.org");
  CHECK(mailto.help == "write only the address, without 'mailto:'");
  CHECK(mailto.begin == 6);

  const Problem name = problem_in(check_email, "Ops <ops@example.org>");
  CHECK(name.message == "the part before '@' contains a space");
  CHECK(name.begin == 3);

  const Problem cyrillic = problem_in(check_email, "опс@example.org");
  CHECK(cyrillic.message == "the part before '@' contains non-ASCII character 'о'");
  CHECK(cyrillic.end - cyrillic.begin == 2);

  const Problem length = problem_in(check_email, std::string(65, 'x') + "@example.org");
  CHECK(length.message == "the part before '@' is 65 characters long; the limit is 64");
  CHECK(length.end == 65);
}

TEST_CASE("email: dots in the local part", "[validate][email]") {
  const Problem leading = problem_in(check_email, ".ops@example.org");
  CHECK(leading.message == "email address starts with '.'");
  CHECK(leading.begin == 0);

  const Problem trailing = problem_in(check_email, "ops.@example.org");
  CHECK(trailing.message == "the part before '@' ends with '.'");
  CHECK(trailing.begin == 3);
  CHECK(trailing.end == 4);

  const Problem doubled = problem_in(check_email, "o..ps@example.org");
  CHECK(doubled.message == "the part before '@' contains '..'");
  CHECK(doubled.begin == 1);
  CHECK(doubled.end == 3);
}

TEST_CASE("email: the domain is checked and its spans shifted", "[validate][email]") {
  const std::string_view address = "ops@dcomm_net.ua";
  const Problem problem = problem_in(check_email, address);
  CHECK(problem.message == "label 'dcomm_net' contains '_'");
  CHECK(underlined(address, problem) == "_");

  const std::string_view upper = "ops@Example.org";
  const Problem caps = problem_in(check_email, upper);
  CHECK(caps.help == "write it in lower case: 'example.org'");
  CHECK(caps.begin == 4);

  const Problem single = problem_in(check_email, "root@localhost");
  CHECK(single.begin == 5);
  CHECK(single.end == 14);
}
