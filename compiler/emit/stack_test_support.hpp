#pragma once
// For the stack.yml tests (stack_*_test.cpp): a site spec, what the other
// emitters would have written, stack.yml emitted from them, and lookups
// into the parsed YAML.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit::stack_testing {

/// A spec run through the real front end, which must report nothing at
/// all, not even a warning.
struct Spec : testing::CompiledSpec {
  explicit Spec(std::string text) : CompiledSpec(std::move(text), "stack_test.dcomm") {
    for (const auto& d : diags.all()) UNSCOPED_INFO(d.code << ": " << d.message);
    REQUIRE(diags.all().empty());
  }
  model::Site& site() { return first_site(); }
  model::Service& service(const std::string& name) {
    auto& services = site().services;
    auto found =
        std::find_if(services.begin(), services.end(), [&](const auto& s) { return s.name == name; });
    REQUIRE(found != services.end());
    return *found;
  }
};

/// Site kyiv's opening and its nodes and services, without the closing
/// brace; `extra_site_lines` go into the site block, `before` before it.
inline std::string site_spec(const std::string& extra_site_lines = "", const std::string& before = "") {
  return before + R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
)" + extra_site_lines +
         R"(
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua", dwebstackarea = "east" } }
  node "bridge" { labels = { dwebstackrole = "bridge" } }
  service "synapse" { kind = synapse    on = node.worker }
  service "element" { kind = element    on = node.worker }
  service "mail"    { kind = deltachat  on = node.worker }
  service "bridge"  { kind = ceno       on = node.bridge }
  service "web"     { kind = website    on = node.worker  root = "/var/www/dcomms" }
)";
}

inline const std::string kSite = site_spec() + "}\n";

/// What the other emitters would have written: a Caddyfile mounted as a
/// config, and a file embedding the database password as a secret.
inline ArtifactSet fake_artifacts(const std::string& caddyfile = "kyiv.dcomm.net.ua {\n}\n",
                                  const std::string& database = "password: ") {
  ArtifactSet out;
  out.add("caddy/Caddyfile", caddyfile, "caddyfile").mounts.push_back({"caddy", "/etc/caddy/Caddyfile"});
  out.add("dns.zone", "; not mounted\n");
  out.add_secret("synapse/database.yaml", database + secret_placeholder("postgres_password") + "\n",
                 "synapse_database")
      .mounts.push_back({"synapse", "/data/database.yaml", "991", "991", 0440});
  return out;
}

inline std::string emit(
    const model::Federation& federation, const model::Site& site, ArtifactSet artifacts,
    std::function<int(const std::string&)> generation = [](const std::string&) { return 1; }) {
  const SiteContext context{federation, site, std::move(generation)};
  emit_stack(context, artifacts);
  const Artifact* stack = artifacts.find("stack.yml");
  REQUIRE(stack);
  CHECK(stack->key.empty());
  return stack->content;
}

inline std::string emit(Spec& spec, ArtifactSet artifacts = fake_artifacts()) {
  return emit(spec.result.federation, spec.site(), std::move(artifacts));
}

inline std::vector<std::string> strings(const YAML::Node& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.as<std::string>());
  return out;
}

inline std::set<std::string> keys(const YAML::Node& map) {
  std::set<std::string> out;
  for (const auto& entry : map) out.insert(entry.first.as<std::string>());
  return out;
}

/// "80/tcp" for each published port of a service.
inline std::vector<std::string> published(const YAML::Node& service) {
  std::vector<std::string> out;
  for (const auto& port : service["ports"]) {
    CHECK(port["target"].as<int>() == port["published"].as<int>());
    CHECK(port["mode"].as<std::string>() == "host");
    out.push_back(port["published"].as<std::string>() + "/" + port["protocol"].as<std::string>());
  }
  return out;
}

/// The mount of `source` in a service's configs or secrets.
inline YAML::Node mount_of(const YAML::Node& list, const std::string& source) {
  for (const auto& mount : list) {
    if (mount["source"].as<std::string>() == source) return mount;
  }
  FAIL("no mount of " << source);
  return {};
}

inline bool has_volume(const YAML::Node& service, const std::string& type, const std::string& source,
                const std::string& target, bool read_only) {
  for (const auto& volume : service["volumes"]) {
    if (volume["type"].as<std::string>() == type && volume["source"].as<std::string>() == source &&
        volume["target"].as<std::string>() == target && volume["read_only"].as<bool>(false) == read_only) {
      return true;
    }
  }
  return false;
}

}  // namespace dcomm::emit::stack_testing
