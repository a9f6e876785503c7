// Which swarm services a redeploy updates, read from two stack files.

#include "build/changes.hpp"

#include <catch2/catch.hpp>

namespace dcomm::build {

namespace {

std::string stack(const std::string& synapse_image, const std::string& config_name) {
  return "services:\n"
         "  synapse:\n"
         "    image: " + synapse_image + "\n"
         "    configs:\n"
         "      - source: synapse_config\n"
         "        target: /data/homeserver.yaml\n"
         "  caddy:\n"
         "    image: caddy:2.8.4-alpine\n"
         "configs:\n"
         "  synapse_config:\n"
         "    file: ./synapse/homeserver.yaml\n"
         "    name: " + config_name + "\n";
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("changes: nothing differs, nothing restarts") {
  CHECK(changed_services(stack("s:1", "c_aaa"), stack("s:1", "c_aaa")).empty());
}

TEST_CASE("changes: a new image restarts that service only") {
  CHECK(changed_services(stack("s:1", "c_aaa"), stack("s:2", "c_aaa")) == Names{"synapse"});
}

TEST_CASE("changes: a config with new content restarts the services mounting it") {
  CHECK(changed_services(stack("s:1", "c_aaa"), stack("s:1", "c_bbb")) == Names{"synapse"});
}

TEST_CASE("changes: new and removed services count, an unreadable stack changes all") {
  const std::string one = "services:\n  a:\n    image: x:1\n";
  const std::string two = "services:\n  a:\n    image: x:1\n  b:\n    image: y:1\n";
  CHECK(changed_services(one, two) == Names{"b"});
  CHECK(changed_services(two, one) == Names{"b"});
  CHECK(changed_services("services: [unclosed", two) == Names{"a", "b"});
}

}  // namespace dcomm::build
