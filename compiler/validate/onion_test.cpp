#include "validate/onion.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

#include "validate/problem_test_support.hpp"

using namespace dcomm::validate;
using namespace dcomm::validate::testing;

namespace {

Problem problem_in(std::string_view address) { return testing::problem_in(check_onion, address); }

// A valid address from rend-spec-v3, to be broken one way at a time.
const std::string kValid = "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion";

}  // namespace

TEST_CASE("onion: valid v3 addresses pass", "[validate][onion]") {
  check_valid(check_onion, {
      "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion",
      "wguou2xig7tvq3he43aujtdhws5bxqgdi3y6ssiduhqc6ttgiyvpigyd.onion",
      // The three examples in rend-spec-v3.
      "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion",
      "sp3k262uwy4r2k3ycr5awluarykdpag6a7y33jxop4cs2lu5uz5sseqd.onion",
      "xa4r2iadxm55fbnqgwwi5mymqdcofiu3w6rpbtqn7b2dyn7mgwj64jyd.onion",
      // An all-zero key with its checksum, computed with Python's hashlib.
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaam2dqd.onion",
  });
}

TEST_CASE("onion: the seed README's address fails its checksum", "[validate][onion]") {
  // Right length, alphabet and version byte; the checksum is bd61 where
  // SHA3-256 gives 56c9.
  const Problem problem =
      problem_in("g674ny5ycfntbyq6vnb3s24fsg4rgy2tamqtb5e6btdglbdo2yb32yid.onion");
  CHECK(problem.message.starts_with("onion address checksum is wrong"));
  CHECK(problem.help == "copy the address again from the hidden service's 'hostname' file");
  CHECK(problem.begin == 0);
  CHECK(problem.end == 56);
}

TEST_CASE("onion: one changed character fails the checksum", "[validate][onion]") {
  std::string address = kValid;
  address[10] = 'a';  // was 'c'
  CHECK(problem_in(address).message.starts_with("onion address checksum is wrong"));

  // Every single-character change in the key is caught.
  for (std::size_t i = 0; i < 51; ++i) {
    std::string changed = kValid;
    changed[i] = changed[i] == 'b' ? 'c' : 'b';
    INFO("position " << i);
    CHECK(check_onion(changed).has_value());
  }
}

TEST_CASE("onion: the version byte must be 3", "[validate][onion]") {
  // The same key encoded with version 4 and a matching checksum.
  const Problem problem =
      problem_in("pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pwaqae.onion");
  CHECK(problem.message == "onion address has version 4; a Tor v3 address has version 3");
  CHECK(problem.help.starts_with("a v3 address ends in 'ad', 'id', 'qd' or 'yd'"));
  CHECK(problem.begin == 54);
  CHECK(problem.end == 56);
}

TEST_CASE("onion: v2 and other lengths", "[validate][onion]") {
  check_reports(check_onion, {
      {"⟦expyuzz4wqqyqhjn⟧.onion", "v2 onion addresses stopped working in 2021"},
      {"⟦" + kValid.substr(0, 50) + "⟧.onion",
       "onion address has 50 characters before '.onion'; a v3 address has 56"},
      {"⟦a" + kValid.substr(0, 56) + "⟧.onion",
       "onion address has 57 characters before '.onion'; a v3 address has 56"},
      {"⟦⟧.onion", "onion address has 0 characters before '.onion'; a v3 address has 56"},
      {"⟦⟧", "onion address is empty"},
  });
}

TEST_CASE("onion: the alphabet is lower-case base32", "[validate][onion]") {
  for (const char bad : {'1', '8', '0', '9', '-', '='}) {
    std::string address = kValid;
    address[20] = bad;
    const Problem problem = problem_in(address);
    CHECK(problem.message == fmt::format("onion address contains '{}', which is not base32", bad));
    CHECK(problem.begin == 20);
    CHECK(problem.end == 21);
  }
  std::string zero = kValid;
  zero[3] = '0';
  CHECK(problem_in(zero).help == "base32 has no '0'; it is probably an 'o'");

  check_reports(check_onion, {
      {"⟦P⟧" + kValid.substr(1), "onion address contains upper case 'P'"},
      {kValid.substr(0, 56) + ".⟦O⟧NION", "onion address contains upper case 'O'"},
  });
  CHECK(problem_in("P" + kValid.substr(1)).help == "write it in lower case: '" + kValid + "'");
}

TEST_CASE("onion: the suffix and subdomains", "[validate][onion]") {
  check_reports(check_onion, {
      {"⟦" + kValid.substr(0, 56) + "⟧", "onion address does not end in '.onion'"},
      {"⟦" + kValid.substr(0, 56) + ".onion.⟧", "onion address does not end in '.onion'"},
      {"⟦chat.⟧" + kValid, "onion address has a subdomain"},
  });
}
