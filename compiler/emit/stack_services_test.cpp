// stack.yml, parsed back: one swarm service per container, placement,
// limits, networking, volumes and capabilities, and values kept inert.

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "emit/stack_test_support.hpp"

namespace dcomm::emit {

using namespace stack_testing;

TEST_CASE("stack: one swarm service per container, placed by its node's labels") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  CHECK(stack["version"].as<std::string>() == "3.8");
  const YAML::Node services = stack["services"];
  // web is served by Caddy: no container. caddy and postgres are implicit.
  CHECK(keys(services) == std::set<std::string>{"synapse", "element", "mail-postfix", "mail-dovecot",
                                                "mail-mailadm", "bridge", "postgres", "caddy"});
  CHECK(services["synapse"]["image"].as<std::string>() == "matrixdotorg/synapse:v1.163.0");
  CHECK(services["mail-dovecot"]["image"].as<std::string>() == "keith/deltachat-mailadm-dovecot:v0.0.1");

  const YAML::Node deploy = services["synapse"]["deploy"];
  CHECK(deploy["mode"].as<std::string>() == "replicated");
  CHECK(deploy["replicas"].as<int>() == 1);
  CHECK(deploy["placement"]["max_replicas_per_node"].as<int>() == 1);
  CHECK(deploy["restart_policy"]["condition"].as<std::string>() == "on-failure");
  CHECK(strings(deploy["placement"]["constraints"]) ==
        std::vector<std::string>{"node.labels.dwebstackarea == east",
                                 "node.labels.dwebstackdomain == kyiv.dcomm.net.ua"});
  CHECK(strings(services["bridge"]["deploy"]["placement"]["constraints"]) ==
        std::vector<std::string>{"node.labels.dwebstackrole == bridge"});
  // Implicit services run where the service needing them runs.
  CHECK(strings(services["postgres"]["deploy"]["placement"]["constraints"]).size() == 2);
}

TEST_CASE("stack: memory limits in the units Docker reads") {
  Spec spec(site_spec("", R"(
kind "pad" {
  image  = "etherpad/etherpad:2.2.6"
  memory = 1536M
  ports  = [9001/tcp]
}
kind "tiny" {
  image  = "busybox:1.36.1"
  memory = 1K
}
)") + R"(
  service "notes" {
    kind = pad
    on   = node.worker
  }
  service "probe" {
    kind = tiny
    on   = node.worker
  }
}
)");
  spec.service("probe").containers.at(0).memory = 1000;  // the model allows any byte count
  const YAML::Node services = YAML::Load(emit(spec))["services"];
  // Each service and the limit Docker reads for it.
  const std::vector<std::pair<std::string, std::string>> limits = {
      {"synapse", "1G"}, {"element", "256M"}, {"mail-postfix", "128M"}, {"notes", "1536M"}, {"probe", "1000"}};
  for (const auto& [service, limit] : limits) {
    INFO(service);
    CHECK(services[service]["deploy"]["resources"]["limits"]["memory"].as<std::string>() == limit);
  }
}

TEST_CASE("stack: host networking, as the seed runs") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  CHECK(stack["networks"]["host"]["external"].as<bool>());
  CHECK(stack["networks"]["host"]["name"].as<std::string>() == "host");
  CHECK(keys(stack["networks"]) == std::set<std::string>{"host"});
  for (const auto& service : stack["services"]) {
    INFO(service.first.as<std::string>());
    CHECK(strings(service.second["networks"]) == std::vector<std::string>{"host"});
    CHECK_FALSE(service.second["ports"]);  // the node's ports already
  }
}

TEST_CASE("stack: an overlay network publishes only Caddy, mail and CENO") {
  Spec spec(site_spec("  network = overlay\n", R"(
kind "pad" {
  image  = "etherpad/etherpad:2.2.6"
  memory = 256M
  ports   = [9001/tcp, 9002/udp]
  publish = [9002/udp]
  needs   = [caddy]
  route "web" {
    host = "pad"
    port = 9001/tcp
  }
}
)") + R"(
  service "notes" {
    kind = pad
    on   = node.worker
  }
}
)");
  const YAML::Node stack = YAML::Load(emit(spec));
  CHECK(keys(stack["networks"]) == std::set<std::string>{"site"});
  CHECK(stack["networks"]["site"]["driver"].as<std::string>() == "overlay");
  const YAML::Node services = stack["services"];
  for (const auto& service : services) {
    CHECK(strings(service.second["networks"]) == std::vector<std::string>{"site"});
  }
  CHECK(published(services["caddy"]) == std::vector<std::string>{"80/tcp", "443/tcp", "8448/tcp"});
  CHECK(published(services["mail-postfix"]) == std::vector<std::string>{"25/tcp", "587/tcp"});
  CHECK(published(services["mail-dovecot"]) == std::vector<std::string>{"143/tcp", "993/tcp"});
  CHECK(published(services["bridge"]) == std::vector<std::string>{"28729/udp"});
  // Reached through Caddy, or by the services needing them, inside the network.
  for (const char* inside : {"synapse", "element", "mail-mailadm", "postgres"}) {
    INFO(inside);
    CHECK_FALSE(services[inside]["ports"]);
  }
  // A user's kind: the port it publishes; its routed port stays inside.
  CHECK(published(services["notes"]) == std::vector<std::string>{"9002/udp"});
}

TEST_CASE("stack: named volumes, Caddy's certificates for mail, the website folder for Caddy") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  CHECK(keys(stack["volumes"]) == std::set<std::string>{"bridge_storage", "caddy_config", "caddy_data",
                                                        "mail_mailadm", "mail_vmail", "postgres_data", "synapse_data"});
  const YAML::Node services = stack["services"];
  CHECK(has_volume(services["synapse"], "volume", "synapse_data", "/data", false));
  CHECK(has_volume(services["caddy"], "volume", "caddy_data", "/data", false));
  CHECK(has_volume(services["caddy"], "bind", "/var/www/dcomms", "/srv/web", true));
  for (const char* mail : {"mail-postfix", "mail-dovecot", "mail-mailadm"}) {
    INFO(mail);
    CHECK(has_volume(services[mail], "volume", "mail_mailadm", "/var/lib/mailadm", false));
    CHECK(has_volume(services[mail], "volume", "caddy_data", "/caddy", true));
  }
  CHECK_FALSE(has_volume(services["synapse"], "volume", "caddy_data", "/caddy", true));
}

TEST_CASE("stack: every container drops raw sockets, device nodes and capability changes") {
  Spec spec(kSite);
  const YAML::Node stack = YAML::Load(emit(spec));
  for (const auto& service : stack["services"]) {
    INFO(service.first.as<std::string>());
    CHECK(strings(service.second["cap_drop"]) == std::vector<std::string>{"MKNOD", "NET_RAW", "SETFCAP", "SETPCAP"});
    CHECK_FALSE(service.second["cap_add"]);
  }
}

TEST_CASE("stack: the same spec gives the same bytes") {
  Spec spec(kSite);
  const std::string first = emit(spec);
  CHECK(emit(spec) == first);
  Spec again(kSite);
  CHECK(emit(again) == first);
}

TEST_CASE("stack: no variable is left to interpolate, and values stay inert") {
  Spec spec(site_spec("", R"(
kind "pad" {
  image  = "etherpad/etherpad:2.2.6"
  memory = 256M
  env    = { TITLE = "Notes" }
}
)") + R"(
  service "notes" {
    kind = pad
    on   = node.worker
  }
}
)");
  const std::string plain = emit(spec);
  CHECK(plain.find('$') == std::string::npos);

  auto& environment = spec.service("notes").containers.at(0).environment;
  const std::vector<std::string> hostile = {"${HOME}",  "$USER", "a\nb: c", "x # y", "&anchor",
                                            "*alias",   "yes",   "0444",    "'\"",   "- item",
                                            "{ a: b }", "",      "null"};
  for (std::size_t i = 0; i < hostile.size(); ++i) environment["V" + std::to_string(i)] = hostile[i];
  const std::string text = emit(spec);

  std::string unescaped = text;
  for (std::size_t at; (at = unescaped.find("$$")) != std::string::npos;) unescaped.erase(at, 2);
  CHECK(unescaped.find('$') == std::string::npos);  // every dollar is a literal `$$`

  const YAML::Node env = YAML::Load(text)["services"]["notes"]["environment"];
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    INFO(hostile[i]);
    const YAML::Node value = env["V" + std::to_string(i)];
    CHECK(value.Tag() == "!");  // quoted: a string to every YAML reader
    std::string expected = hostile[i];
    for (std::size_t at = 0; (at = expected.find('$', at)) != std::string::npos; at += 2)
      expected.insert(at, "$");
    CHECK(value.as<std::string>() == expected);
  }
  CHECK(env.size() == hostile.size() + 1);  // no key was injected
}

}  // namespace dcomm::emit
