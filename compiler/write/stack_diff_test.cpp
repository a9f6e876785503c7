// What a redeploy changes in the swarm, read from two stack files.

#include "write/stack_diff.hpp"

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
         "    volumes:\n"
         "      - type: volume\n"
         "        source: synapse_data\n"
         "        target: /data\n"
         "  caddy:\n"
         "    image: caddy:2.8.4-alpine\n"
         "configs:\n"
         "  synapse_config:\n"
         "    file: ./synapse/homeserver.yaml\n"
         "    name: " + config_name + "\n"
         "volumes:\n"
         "  synapse_data: {}\n";
}

/// The stack without its synapse: its service, config and volume gone.
const std::string kCaddyOnly = "services:\n  caddy:\n    image: caddy:2.8.4-alpine\n";

using Names = std::vector<std::string>;
using Kind = SwarmObjectChange::Kind;

std::string describe(const StackDiff& diff) {
  std::string text;
  for (const auto& change : diff.changes) {
    text += (change.kind == Kind::added ? "+" : change.kind == Kind::updated ? "~" : "-") + change.section + " " +
            change.name + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("stack diff: nothing differs, nothing restarts") {
  const StackDiff diff = diff_stacks(stack("s:1", "c_aaa"), stack("s:1", "c_aaa"));
  CHECK(diff.changes.empty());
  CHECK(diff.unchanged == 4);  // two services, a config, a volume
  CHECK(cleanup_commands(diff, "").empty());
}

TEST_CASE("stack diff: a new image updates that service only") {
  const StackDiff diff = diff_stacks(stack("s:1", "c_aaa"), stack("s:2", "c_aaa"));
  CHECK(diff.services() == Names{"synapse"});
  CHECK(describe(diff) == "~service synapse\n");
  CHECK(diff.superseded_configs.empty());
}

TEST_CASE("stack diff: a config with new content updates it, the services mounting it, and supersedes its old name") {
  const StackDiff diff = diff_stacks(stack("s:1", "c_aaa"), stack("s:1", "c_bbb"));
  CHECK(describe(diff) == "~service synapse\n~config synapse_config\n");
  CHECK(diff.superseded_configs == Names{"c_aaa"});
  CHECK(cleanup_commands(diff, "  ") == "  docker config rm c_aaa\n");
}

TEST_CASE("stack diff: a removed service takes its config and volume along") {
  const StackDiff diff = diff_stacks(stack("s:1", "c_aaa"), kCaddyOnly);
  CHECK(describe(diff) == "-service synapse\n-config synapse_config\n-volume synapse_data\n");
  CHECK(diff.unchanged == 1);
  CHECK(diff.removed_volumes() == Names{"synapse_data"});
  CHECK(diff.superseded_configs == Names{"c_aaa"});
}

TEST_CASE("stack diff: secrets superseded by a rotation are named for docker secret rm") {
  auto with_secret = [](const std::string& name) {
    return "services:\n  a:\n    image: x:1\n    secrets:\n      - source: key\n        target: /run/secrets/key\n"
           "secrets:\n  key:\n    file: ./secrets/key\n    name: " + name + "\n";
  };
  const StackDiff diff = diff_stacks(with_secret("site_key_v1"), with_secret("site_key_v2"));
  CHECK(describe(diff) == "~service a\n~secret key\n");
  CHECK(cleanup_commands(diff, "") == "docker secret rm site_key_v1\n");
}

TEST_CASE("stack diff: new and removed services count, an unreadable old stack has nothing in it") {
  const std::string one = "services:\n  a:\n    image: x:1\n";
  const std::string two = "services:\n  a:\n    image: x:1\n  b:\n    image: y:1\n";
  CHECK(diff_stacks(one, two).services() == Names{"b"});
  CHECK(describe(diff_stacks(two, one)) == "-service b\n");
  CHECK(diff_stacks("services: [unclosed", two).services() == Names{"a", "b"});
  CHECK(diff_stacks("", two).unchanged == 0);
}

}  // namespace dcomm::build
