#include "validate/names.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "validate/problem_test_support.hpp"

using namespace dcomm::validate;
using namespace dcomm::validate::testing;

TEST_CASE("domains: valid names pass", "[validate][domain]") {
  check_valid(check_domain, {"kyiv.dcomm.net.ua", "dcomm.net.ua", "a.b", "chat.kyiv.internal", "kyiv.localhost",
                             "xn--j1aef.xn--j1amh", "1.example.org", "123.example.org", "a-b--c.example.org",
                             "matrix.example.xn--p1ai", "x2.y3", "xyz.onion"});
}

TEST_CASE("domains: length limits are 63 per label and 253 in all", "[validate][domain]") {
  const std::string label63(63, 'a');
  CHECK_FALSE(check_domain(label63 + ".org"));

  // 4 x 63 + 3 dots = 255; trim to exactly 253, then one more.
  const std::string longest = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  REQUIRE(longest.size() == 253);
  CHECK_FALSE(check_domain(longest));
  check_reports(check_domain, {
      {"chat.⟦" + std::string(64, 'a') + "⟧.org", "label is 64 characters long; the limit is 63"},
      {"⟦" + longest + "b⟧", "domain name is 254 characters long; the limit is 253"},
  });
}

TEST_CASE("domains: upper case is rejected with the lower-case spelling", "[validate][domain]") {
  check_reports(check_domain, {{"kyiv.⟦D⟧comm.net.ua", "domain name contains upper case 'D'"}});
  CHECK(problem_in(check_domain, "kyiv.Dcomm.net.ua").help == "write it in lower case: 'kyiv.dcomm.net.ua'");
}

TEST_CASE("domains: characters outside a-z 0-9 - .", "[validate][domain]") {
  check_reports(check_domain, {
      {"kyiv⟦_⟧.dcomm.net.ua", "label 'kyiv_' contains '_'"},
      {"https⟦:⟧//kyiv.org", "domain name contains ':'"},
      {"kyiv.org⟦:⟧8448", "domain name contains ':'"},
      {"kyiv⟦ ⟧.org", "label 'kyiv ' contains a space"},
      // A control character is described, never copied into the message.
      {"kyiv⟦\n⟧.org", "domain name contains control character U+000A"},
  });
  CHECK(problem_in(check_domain, "kyiv_.dcomm.net.ua").help.starts_with("use '-' instead of '_'"));
  CHECK(problem_in(check_domain, "https://kyiv.org").help.find("without a scheme") != std::string::npos);
  CHECK(problem_in(check_domain, "*.kyiv.org").help.starts_with("wildcards are not allowed"));
}

TEST_CASE("domains: non-ASCII labels point at punycode", "[validate][domain]") {
  check_reports(check_domain, {
      {"⟦чат⟧.київ.укр", "label 'чат' is not ASCII"},
      {"chat.⟦kyїv⟧.org", "label 'kyїv' is not ASCII"},
      // Malformed UTF-8 is described as a byte.
      {"kyiv⟦\xff⟧.org", "domain name contains byte 0xFF"},
  });
  CHECK(problem_in(check_domain, "чат.київ.укр").help.find("xn--") != std::string::npos);
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
  check_reports(check_domain, {
      {"kyiv.org⟦.⟧", "domain name ends with '.'"},
      {"⟦.⟧kyiv.org", "domain name starts with '.'"},
      {"kyiv⟦..⟧org", "domain name has an empty label ('..')"},
      {"kyiv.org⟦..⟧", "domain name has an empty label ('..')"},
      {"⟦.⟧", "domain name starts with '.'"},
      {"⟦⟧", "domain name is empty"},
  });
  CHECK(problem_in(check_domain, "kyiv.org.").help == "remove the trailing dot: 'kyiv.org'");
}

TEST_CASE("domains: hyphens", "[validate][domain]") {
  check_reports(check_domain, {
      {"chat.⟦-⟧kyiv.org", "label '-kyiv' starts with '-'"},
      {"kyiv⟦-⟧.org", "label 'kyiv-' ends with '-'"},
      {"xn-⟦-⟧.org", "label 'xn--' ends with '-'"},
  });
  // "--" in positions 3-4 is reserved for punycode.
  const std::string_view reserved = "ab--cd.org";
  const Problem rldh = problem_in(check_domain, reserved);
  CHECK(rldh.message.find("reserved for punycode") != std::string::npos);
  CHECK(underlined(reserved, rldh) == "--");
}

TEST_CASE("domains: a single label is not enough", "[validate][domain]") {
  check_reports(check_domain, {
      {"⟦kyiv⟧", "'kyiv' is a single label; a domain name needs at least two"},
      {"⟦localhost⟧", "'localhost' is a single label; a domain name needs at least two"},
  });
  CHECK(problem_in(check_domain, "kyiv").help.find("'kyiv.internal'") != std::string::npos);
  CHECK(problem_in(check_domain, "localhost").help.find("'kyiv.localhost'") != std::string::npos);
}

TEST_CASE("domains: numbers at the top", "[validate][domain]") {
  check_reports(check_domain, {
      {"⟦10.0.0.1⟧", "'10.0.0.1' is an IP address, not a domain name"},
      {"kyiv.⟦123⟧", "top-level label '123' is all digits"},
  });
}

TEST_CASE("email: valid addresses pass", "[validate][email]") {
  check_valid(check_email, {"ops@dcomm.net.ua", "a@b.c", "first.last@example.org", "ops+acme@example.org",
                            "Ops@example.org", "a_b-c%d=e+f@example.org",
                            std::string(64, 'x') + "@example.org"});
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
  check_reports(check_email, {
      {"⟦⟧", "email address is empty"},
      {"⟦ops.dcomm.net.ua⟧", "email address has no '@'"},
      {"ops@x⟦@⟧example.org", "email address has more than one '@'"},
      {"⟦@⟧example.org", "email address has nothing before '@'"},
      {"ops⟦@⟧", "email address has nothing after '@'"},
  });
}

TEST_CASE("email: the local part", "[validate][email]") {
  check_reports(check_email, {
      {"⟦\"⟧ops team\"@example.org", "the part before '@' contains '\"'"},
      {"mailto⟦:⟧ops@example.org", "the part before '@' contains ':'"},
      {"Ops⟦ ⟧<ops@example.org>", "the part before '@' contains a space"},
      {"⟦о⟧пс@example.org", "the part before '@' contains non-ASCII character 'о'"},
      {"⟦" + std::string(65, 'x') + "⟧@example.org",
       "the part before '@' is 65 characters long; the limit is 64"},
  });
  CHECK(problem_in(check_email, "\"ops team\"@example.org")
            .help.starts_with("quoted local parts are not supported"));
  CHECK(problem_in(check_email, "mailto:ops@example.org").help == "write only the address, without 'mailto:'");
}

TEST_CASE("email: dots in the local part", "[validate][email]") {
  check_reports(check_email, {
      {"⟦.⟧ops@example.org", "email address starts with '.'"},
      {"ops⟦.⟧@example.org", "the part before '@' ends with '.'"},
      {"o⟦..⟧ps@example.org", "the part before '@' contains '..'"},
  });
}

TEST_CASE("email: the domain is checked and its spans shifted", "[validate][email]") {
  check_reports(check_email, {
      {"ops@dcomm⟦_⟧net.ua", "label 'dcomm_net' contains '_'"},
      {"ops@⟦E⟧xample.org", "domain name contains upper case 'E'"},
      {"root@⟦localhost⟧", "'localhost' is a single label; a domain name needs at least two"},
  });
  CHECK(problem_in(check_email, "ops@Example.org").help == "write it in lower case: 'example.org'");
}
