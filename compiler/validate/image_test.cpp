#include "validate/image.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using dcomm::validate::check_image_reference;
using dcomm::validate::Problem;
using dcomm::validate::tag_state;
using dcomm::validate::TagState;

namespace {

Problem problem_in(std::string_view ref) {
  const auto problem = check_image_reference(ref);
  INFO("reference: " << ref);
  REQUIRE(problem.has_value());
  return *problem;
}

std::string_view underlined(std::string_view text, const Problem& problem) {
  REQUIRE(problem.begin <= problem.end);
  REQUIRE(problem.end <= text.size());
  return text.substr(problem.begin, problem.end - problem.begin);
}

const std::string kHex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

}  // namespace

TEST_CASE("images: valid references pass", "[validate][image]") {
  const std::vector<std::string> refs = {
      "synapse",
      "matrixdotorg/synapse:v1.126.0",
      "vectorim/element-web:v1.11.97",
      "postgres:16-alpine",
      "docker.io/library/caddy:2.9.1",
      "ghcr.io/a/b/c/d:latest",
      "localhost/img",
      "localhost:5000/img:1.0",
      "registry:5000/img",
      "Registry/img",
      "REGISTRY.EXAMPLE.ORG:443/team/img",
      "10.0.0.1:5000/img",
      "[::1]:5000/img",
      "[fe80::1]/img",
      "a/b__c/d-e/f---g/h.i/j_k",
      "img:_tag",
      "img:V1.0-RC.1_b",
      "img@sha256:" + kHex,
      "img:1.2@sha256:" + kHex,
      "img@sha512:" + kHex + kHex,
      "img:" + std::string(128, 't'),
      "localhost:5000"};  // Docker reads this as image "localhost", tag "5000"
  for (const std::string& ref : refs) {
    INFO(ref);
    CHECK_FALSE(check_image_reference(ref).has_value());
  }
}

TEST_CASE("images: path components", "[validate][image]") {
  const std::string_view upper = "matrixdotorg/Synapse:v1";
  const Problem caps = problem_in(upper);
  CHECK(caps.message == "image name contains upper case 'S'");
  CHECK(caps.help == "repository names are lower case: write 'matrixdotorg/synapse'");
  CHECK(caps.begin == 13);
  CHECK(caps.end == 14);

  const std::string_view dots = "team/my..img";
  const Problem joined = problem_in(dots);
  CHECK(joined.message == "path component 'my..img' joins with '..'");
  CHECK(underlined(dots, joined) == "..");
  CHECK(problem_in("a___b").message == "path component 'a___b' joins with '___'");
  CHECK(problem_in("a-_b").message == "path component 'a-_b' joins with '-_'");

  const Problem leading = problem_in("team/-img");
  CHECK(leading.message == "path component '-img' starts with '-'");
  CHECK(leading.begin == 5);
  CHECK(problem_in("team/img_").message == "path component 'img_' ends with '_'");

  const std::string_view doubled = "team//img";
  const Problem empty = problem_in(doubled);
  CHECK(empty.message == "image name has an empty path component");
  CHECK(underlined(doubled, empty) == "/");
  CHECK(problem_in("img/").message == "image name has an empty path component");
  CHECK(problem_in("localhost:5000/").message == "image name has an empty path component");

  const Problem plus = problem_in("team/img+x");
  CHECK(plus.message == "image name contains '+'");
  CHECK(plus.begin == 8);
}

TEST_CASE("images: the registry", "[validate][image]") {
  const std::string_view underscore = "my_registry.io/img";
  const Problem problem = problem_in(underscore);
  CHECK(problem.message == "registry name contains '_'");
  CHECK(problem.begin == 2);

  CHECK(problem_in("-reg.io/img").message == "registry label '-reg' starts with '-'");
  CHECK(problem_in("reg..io/img").message == "registry name has an empty label");

  const std::string_view port = "reg.io:50x0/img";
  const Problem letter = problem_in(port);
  CHECK(letter.message == "registry port contains 'x'");
  CHECK(letter.begin == 9);

  const std::string_view big = "reg.io:99999/img";
  const Problem range = problem_in(big);
  CHECK(range.message == "registry port 99999 is out of range");
  CHECK(underlined(big, range) == "99999");
  CHECK(problem_in("reg.io:0/img").message == "registry port 0 is out of range");

  const Problem no_port = problem_in("reg.io:/img");
  CHECK(no_port.message == "registry port after ':' is empty");
  CHECK(no_port.begin == 6);

  CHECK(problem_in("[::1/img").message == "registry's IPv6 address has no closing ']'");
  CHECK(problem_in("[::g]/img").message == "registry's IPv6 address contains 'g'");
  CHECK(problem_in("[::1]x/img").message == "registry has 'x' after ']'");
}

TEST_CASE("images: tags", "[validate][image]") {
  const Problem empty = problem_in("img:");
  CHECK(empty.message == "tag after ':' is empty");
  CHECK(empty.begin == 3);
  CHECK(empty.end == 4);

  const Problem dot = problem_in("img:.1");
  CHECK(dot.message == "tag '.1' starts with '.'");
  CHECK(dot.begin == 4);
  CHECK(problem_in("img:-1").message == "tag '-1' starts with '-'");

  const std::string_view plus = "img:1.0+build";
  const Problem build = problem_in(plus);
  CHECK(build.message == "tag contains '+'");
  CHECK(underlined(plus, build) == "+");

  const Problem length = problem_in("img:" + std::string(129, 't'));
  CHECK(length.message == "tag is 129 characters long; the limit is 128");
  CHECK(length.begin == 4);
  CHECK(length.end == 133);
}

TEST_CASE("images: digests", "[validate][image]") {
  const std::string short_hex = "img@sha256:" + kHex.substr(1);
  const Problem length = problem_in(short_hex);
  CHECK(length.message == "sha256 digest has 63 hex digits; it needs 64");
  CHECK(length.begin == 11);
  CHECK(length.end == short_hex.size());

  const Problem md5 = problem_in("img@md5:d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5.message == "digest algorithm 'md5' is not supported");
  CHECK(md5.begin == 4);
  CHECK(md5.end == 7);

  std::string upper = "img@sha256:" + kHex;
  upper[12] = 'F';
  const Problem caps = problem_in(upper);
  CHECK(caps.message == "digest contains upper case 'F'");
  CHECK(caps.begin == 12);

  std::string not_hex = "img@sha256:" + kHex;
  not_hex[20] = 'g';
  CHECK(problem_in(not_hex).message == "digest contains 'g', which is not a hex digit");

  CHECK(problem_in("img@" + kHex).message == "digest after '@' has no algorithm");
  CHECK(problem_in("img@sha256:" + kHex + "@x").message == "image reference has more than one '@'");
}

TEST_CASE("images: whole-reference problems", "[validate][image]") {
  CHECK(problem_in("").message == "image reference is empty");
  const Problem space = problem_in("matrixdotorg/synapse :v1");
  CHECK(space.message == "image reference contains a space");
  CHECK(space.begin == 20);
  CHECK(problem_in(":v1").message == "image reference has no name");
  CHECK(problem_in("@sha256:" + kHex).message == "image reference has no name");

  const std::string_view cyrillic = "сінапс:v1";
  const Problem ascii = problem_in(cyrillic);
  CHECK(ascii.message == "image reference contains non-ASCII character 'с'");
  CHECK(underlined(cyrillic, ascii) == "с");

  const std::string long_name = "team/" + std::string(251, 'a');
  const Problem too_long = problem_in(long_name);
  CHECK(too_long.message == "image name is 256 characters long; the limit is 255");
  CHECK_FALSE(check_image_reference("team/" + std::string(250, 'a')).has_value());
}

TEST_CASE("images: tag state", "[validate][image]") {
  CHECK(tag_state("matrixdotorg/synapse:v1.126.0") == TagState::pinned);
  CHECK(tag_state("img@sha256:" + kHex) == TagState::pinned);
  CHECK(tag_state("img:latest@sha256:" + kHex) == TagState::pinned);
  CHECK(tag_state("img:latest") == TagState::latest);
  CHECK(tag_state("localhost:5000/img:latest") == TagState::latest);
  CHECK(tag_state("img:Latest") == TagState::pinned);  // tags are case-sensitive
  CHECK(tag_state("img") == TagState::untagged);
  CHECK(tag_state("registry:5000/img") == TagState::untagged);
  CHECK(tag_state("[::1]:5000/img") == TagState::untagged);
}
