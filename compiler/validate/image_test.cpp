#include "validate/image.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "validate/problem_test_support.hpp"

using namespace dcomm::validate;
using namespace dcomm::validate::testing;

namespace {

const std::string kHex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

}  // namespace

TEST_CASE("images: valid references pass", "[validate][image]") {
  check_valid(check_image_reference, {
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
      "localhost:5000",  // Docker reads this as image "localhost", tag "5000"
  });
}

TEST_CASE("images: path components", "[validate][image]") {
  check_reports(check_image_reference, {
      {"matrixdotorg/⟦S⟧ynapse:v1", "image name contains upper case 'S'"},
      {"team/my⟦..⟧img", "path component 'my..img' joins with '..'"},
      {"a⟦___⟧b", "path component 'a___b' joins with '___'"},
      {"a⟦-_⟧b", "path component 'a-_b' joins with '-_'"},
      {"team/⟦-⟧img", "path component '-img' starts with '-'"},
      {"team/img⟦_⟧", "path component 'img_' ends with '_'"},
      {"team⟦/⟧/img", "image name has an empty path component"},
      {"img⟦/⟧", "image name has an empty path component"},
      {"localhost:5000⟦/⟧", "image name has an empty path component"},
      {"team/img⟦+⟧x", "image name contains '+'"},
  });
  CHECK(problem_in(check_image_reference, "matrixdotorg/Synapse:v1").help ==
        "repository names are lower case: write 'matrixdotorg/synapse'");
}

TEST_CASE("images: the registry", "[validate][image]") {
  check_reports(check_image_reference, {
      {"my⟦_⟧registry.io/img", "registry name contains '_'"},
      {"⟦-⟧reg.io/img", "registry label '-reg' starts with '-'"},
      {"reg⟦.⟧.io/img", "registry name has an empty label"},
      {"reg.io:50⟦x⟧0/img", "registry port contains 'x'"},
      {"reg.io:⟦99999⟧/img", "registry port 99999 is out of range"},
      {"reg.io:⟦0⟧/img", "registry port 0 is out of range"},
      {"reg.io⟦:⟧/img", "registry port after ':' is empty"},
      {"⟦[::1⟧/img", "registry's IPv6 address has no closing ']'"},
      {"[::⟦g⟧]/img", "registry's IPv6 address contains 'g'"},
      {"[::1]⟦x⟧/img", "registry has 'x' after ']'"},
  });
}

TEST_CASE("images: tags", "[validate][image]") {
  check_reports(check_image_reference, {
      {"img⟦:⟧", "tag after ':' is empty"},
      {"img:⟦.⟧1", "tag '.1' starts with '.'"},
      {"img:⟦-⟧1", "tag '-1' starts with '-'"},
      {"img:1.0⟦+⟧build", "tag contains '+'"},
      {"img:⟦" + std::string(129, 't') + "⟧", "tag is 129 characters long; the limit is 128"},
  });
}

TEST_CASE("images: digests", "[validate][image]") {
  // kHex with one digit changed: "9F86...", "9f86d0818g4c..."
  const std::string upper = "img@sha256:9⟦F⟧" + kHex.substr(2);
  const std::string not_hex = "img@sha256:" + kHex.substr(0, 9) + "⟦g⟧" + kHex.substr(10);
  check_reports(check_image_reference, {
      {"img@sha256:⟦" + kHex.substr(1) + "⟧", "sha256 digest has 63 hex digits; it needs 64"},
      {"img@⟦md5⟧:d41d8cd98f00b204e9800998ecf8427e", "digest algorithm 'md5' is not supported"},
      {upper, "digest contains upper case 'F'"},
      {not_hex, "digest contains 'g', which is not a hex digit"},
      {"img@⟦" + kHex + "⟧", "digest after '@' has no algorithm"},
      {"img@sha256:" + kHex + "⟦@⟧x", "image reference has more than one '@'"},
  });
}

TEST_CASE("images: whole-reference problems", "[validate][image]") {
  check_reports(check_image_reference, {
      {"⟦⟧", "image reference is empty"},
      {"matrixdotorg/synapse⟦ ⟧:v1", "image reference contains a space"},
      {"⟦:⟧v1", "image reference has no name"},
      {"⟦@⟧sha256:" + kHex, "image reference has no name"},
      {"⟦с⟧інапс:v1", "image reference contains non-ASCII character 'с'"},
      {"⟦team/" + std::string(251, 'a') + "⟧", "image name is 256 characters long; the limit is 255"},
  });
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
