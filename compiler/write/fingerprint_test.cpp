// A site's fingerprint moves with every part of the model its artifacts
// are made from, and with nothing else: a reformatted spec renders nothing.

#include "write/fingerprint.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>

#include "driver/pipeline.hpp"
#include "util/files.hpp"

namespace dcomm::build {

namespace {

namespace fs = std::filesystem;

// A tripwire: a field added to the model must be added to the fingerprint
// (fingerprint.cpp), or a build would skip a site whose output it changes.
// Then update the size here. (libstdc++ on x86-64, where CI runs.)
#if defined(__GLIBCXX__) && defined(__x86_64__)
static_assert(sizeof(model::Site) == 296, "model::Site changed: update fingerprint.cpp, then this size");
static_assert(sizeof(model::Service) == 208, "model::Service changed: update fingerprint.cpp, then this size");
static_assert(sizeof(model::Container) == 320, "model::Container changed: update fingerprint.cpp, then this size");
static_assert(sizeof(model::Value) == 144, "model::Value changed: update fingerprint.cpp, then this size");
static_assert(sizeof(model::Route) == 64, "model::Route changed: update fingerprint.cpp, then this size");
static_assert(sizeof(model::Node) == 120, "model::Node changed: update fingerprint.cpp, then this size");
static_assert(sizeof(model::Kind) == 240, "model::Kind changed: update fingerprint.cpp, then this size");
#endif

struct Compiled {
  SourceMap sources;
  Diagnostics diags;
  Compilation compilation;

  explicit Compiled(std::string text) {
    compilation = check_file(sources, sources.add("spec.dcomm", std::move(text)), diags);
    REQUIRE_FALSE(diags.has_errors());
  }
  model::Site& site(std::size_t i = 0) { return compilation.federation.sites.at(i); }
  std::string fingerprint(std::size_t i = 0) { return site_fingerprint(compilation.federation, site(i)); }
};

std::string example(const char* name) {
  std::string error;
  return util::read_file(fs::path(DCOMMC_SOURCE_DIR) / "examples" / name, error).value();
}

}  // namespace

TEST_CASE("fingerprint: the same spec gives the same fingerprint, however it is laid out") {
  Compiled a(example("kyiv.dcomm"));
  Compiled b("# a comment first\n\n" + example("kyiv.dcomm") + "\n\n# and one last\n");
  CHECK(a.fingerprint().size() == 64);
  CHECK(a.fingerprint() == b.fingerprint());
}

TEST_CASE("fingerprint: every part of the site model moves it") {
  const std::string base = Compiled(example("kyiv.dcomm")).fingerprint();
  using model::Site;
  auto service = [](Site& site) -> model::Service& { return site.services.at(0); };
  auto container = [&](Site& site) -> model::Container& { return service(site).containers.at(0); };
  const std::vector<std::pair<const char*, std::function<void(Site&)>>> changes = {
      {"domain", [](Site& site) { site.domain += "x"; }},
      {"onion", [](Site& site) { site.onion.reset(); }},
      {"tls", [](Site& site) { site.tls = model::TlsMode::internal; }},
      {"acme e-mail", [](Site& site) { site.acme_email += "x"; }},
      {"country", [](Site& site) { site.country = "PL"; }},
      {"network", [](Site& site) { site.network = "overlay"; }},
      {"http port", [](Site& site) { site.http_port = 8080; }},
      {"https port", [](Site& site) { site.https_port = 8443; }},
      {"node name", [](Site& site) { site.nodes.at(0).name += "x"; }},
      {"node label", [](Site& site) { site.nodes.at(0).labels["extra"] = "1"; }},
      {"service name", [&](Site& site) { service(site).name += "x"; }},
      {"service node", [&](Site& site) { service(site).node += "x"; }},
      {"attribute", [&](Site& site) { service(site).attributes["extra"] = model::Value{.text = "1"}; }},
      {"attribute type", [&](Site& site) { service(site).attributes.begin()->second.type = model::Value::Type::symbol; }},
      {"implicit", [&](Site& site) { service(site).implicit = !service(site).implicit; }},
      {"image", [&](Site& site) { container(site).image += "x"; }},
      {"memory", [&](Site& site) { container(site).memory += 1; }},
      {"container port", [&](Site& site) { container(site).ports.push_back({1234, model::Protocol::udp}); }},
      {"volume", [&](Site& site) { container(site).volumes.push_back({"v", "/v"}); }},
      {"environment", [&](Site& site) { container(site).environment["X"] = "1"; }},
      {"entrypoint", [&](Site& site) { container(site).entrypoint.push_back("sh"); }},
      {"route", [&](Site& site) { service(site).routes.push_back({"h", {"/p"}, 1, true}); }},
      {"secret", [&](Site& site) { service(site).secrets.push_back({"extra", model::Secret::Format::password}); }},
  };
  for (const auto& [what, change] : changes) {
    Compiled kyiv(example("kyiv.dcomm"));
    INFO(what);
    change(kyiv.site());
    CHECK(kyiv.fingerprint() != base);
  }
}

TEST_CASE("fingerprint: a federation member's homeserver moves every site's fingerprint") {
  Compiled federation(example("federation.dcomm"));
  REQUIRE(federation.compilation.federation.sites.size() == 3);
  const std::string kyiv = federation.fingerprint(0);
  const std::string lviv = federation.fingerprint(1);
  REQUIRE_FALSE(federation.compilation.federation.federating_homeservers.empty());
  federation.compilation.federation.federating_homeservers.back().server_name += "x";
  CHECK(federation.fingerprint(0) != kyiv);
  CHECK(federation.fingerprint(1) != lviv);
}

}  // namespace dcomm::build
