// labels.sh: read as text, and run by sh against a stand-in `docker` that
// records the arguments it is given.

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit {

namespace {

namespace fs = std::filesystem;
using testing::artifact;
using testing::CompiledSpec;
using testing::contains;

/// A folder holding labels.sh and a `docker` that writes each argument
/// on a line of its own to calls.txt.
class ScriptDir {
 public:
  explicit ScriptDir(const std::string& script)
      : path_(fs::temp_directory_path() / ("dcommc-labels-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(counter_++))) {
    fs::create_directories(path_ / "bin");
    std::ofstream(path_ / "labels.sh") << script;
    std::ofstream(path_ / "bin/docker") << "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> "
                                        << (path_ / "calls.txt") << "\necho --- >> " << (path_ / "calls.txt")
                                        << "\n";
    fs::permissions(path_ / "bin/docker", fs::perms::owner_all);
  }
  ~ScriptDir() { fs::remove_all(path_); }

  /// Runs labels.sh with `env` (VAR=value words, already quoted); returns its exit status.
  int run(const std::string& env) const {
    const std::string command = "cd " + path_.string() + " && env PATH=" + (path_ / "bin").string() +
                                ":/usr/bin:/bin " + env + " sh labels.sh >out.txt 2>err.txt";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  bool exists(const std::string& name) const { return fs::exists(path_ / name); }

  std::string read(const std::string& name) const {
    std::ifstream in(path_ / name);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

}  // namespace

TEST_CASE("labels: the kyiv example's commands") {
  const Artifact file = testing::kyiv_example_file(emit_labels, "labels.sh");
  testing::check_placement(file, {});  // the operator runs it on a manager node
  const std::string& text = file.content;
  CHECK(text.starts_with("#!/bin/sh\n"));
  CHECK(contains(text, "\nset -eu\n"));
  CHECK(contains(text, "\n[ -n \"${NODE_WORKER:-}\" ] || usage\n[ -n \"${NODE_BRIDGE:-}\" ] || usage\n"));
  CHECK(contains(text,
                 "\n# node worker: synapse, element, mail, bots, web, postgres, caddy\n"
                 "docker node update --label-add 'dwebstackdomain=kyiv.dcomm.net.ua' \"$NODE_WORKER\"\n"));
  CHECK(contains(text, "\n# node bridge: bridge\n"
                       "docker node update --label-add 'dwebstackrole=bridge' \"$NODE_BRIDGE\"\n"));
}

TEST_CASE("labels: run, it labels each node by the ID it is given") {
  ScriptDir dir(testing::kyiv_example_file(emit_labels, "labels.sh").content);
  REQUIRE(dir.run("NODE_WORKER=w1d NODE_BRIDGE=b2d") == 0);
  CHECK(dir.read("calls.txt") ==
        "node\nupdate\n--label-add\ndwebstackdomain=kyiv.dcomm.net.ua\nw1d\n---\n"
        "node\nupdate\n--label-add\ndwebstackrole=bridge\nb2d\n---\n");
}

TEST_CASE("labels: without every node's ID it says how to run it and labels nothing") {
  ScriptDir dir(testing::kyiv_example_file(emit_labels, "labels.sh").content);
  CHECK(dir.run("NODE_WORKER=w1d") == 2);
  CHECK(dir.read("err.txt").starts_with(
      "usage: NODE_WORKER=<node id> NODE_BRIDGE=<node id> sh labels.sh  (site kyiv)\n"));
  CHECK(dir.read("calls.txt").empty());
}

TEST_CASE("labels: a hostile label, node or site name stays data") {
  // Whatever the front end lets through, the emitter keeps it inert.
  CompiledSpec c(testing::example("kyiv.dcomm"));
  model::Site& site = c.first_site();
  site.name = "kyiv'\n$(touch pwned)";
  model::Node& bridge = site.nodes.at(1);
  bridge.labels = {{"dwebstackrole", "a'b; rm -rf / `touch pwned` $(touch pwned)"}};
  for (auto& service : site.services) {
    if (service.node == "bridge") service.node = bridge.name = "bridge-1\n touch pwned";
  }
  const std::string script = artifact(c.emit(emit_labels, site.name), "labels.sh").content;
  ScriptDir dir(script);
  REQUIRE(dir.run("NODE_WORKER=w NODE_BRIDGE_1__TOUCH_PWNED=b") == 0);
  CHECK(dir.read("calls.txt") ==
        "node\nupdate\n--label-add\ndwebstackdomain=kyiv.dcomm.net.ua\nw\n---\n"
        "node\nupdate\n--label-add\ndwebstackrole=a'b; rm -rf / `touch pwned` $(touch pwned)\nb\n---\n");
  CHECK(dir.run("") == 2);
  CHECK_FALSE(dir.exists("pwned"));
  CHECK(contains(script, "# node bridge-1? touch pwned: bridge\n"));
}

TEST_CASE("labels: each node's variable is its name in capitals, '_' for anything else") {
  const auto variable = [](std::string name) { return model::node_variable({.name = std::move(name)}); };
  CHECK(variable("worker") == "NODE_WORKER");
  CHECK(variable("edge-1") == "NODE_EDGE_1");
  CHECK(variable("edge_1") == "NODE_EDGE_1");  // the same: E0416 refuses such a pair
}

TEST_CASE("labels: the same spec gives the same bytes") {
  testing::check_same_bytes(emit_labels, "federation.dcomm", "kharkiv");
}

}  // namespace dcomm::emit
