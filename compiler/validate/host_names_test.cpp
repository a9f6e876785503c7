// E0415: a name two sites would both answer to. The names come from the
// model (model::host_names), as the emitters serve them.

#include "validate/host_names.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

#include "driver/pipeline.hpp"

namespace dcomm::validate {

namespace {

struct Checked {
  SourceMap sources;
  Diagnostics diags;
  Compilation compilation;
  explicit Checked(const std::string& spec) {
    compilation = check_file(sources, sources.add("hosts.dcomm", spec), diags);
  }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) out.push_back(d.code);
    return out;
  }
};

/// A site on `domain` with Synapse (at matrix.) and Element (at chat.),
/// plus `extra` in its body.
std::string site(const std::string& name, const std::string& domain, const std::string& extra = "") {
  return fmt::format(R"(
site "{0}" {{
  domain = "{1}"
  tls    = internal
  {2}
  node "worker" {{ labels = {{ zone = "a" }} }}
  service "synapse" {{ kind = synapse }}
  service "element" {{ kind = element  homeserver = service.synapse }}
}}
)",
                     name, domain, extra);
}

}  // namespace

TEST_CASE("host names: a site answers to its domain, its services' hosts, and the same under its onion") {
  Checked c(site("kyiv", "kyiv.example.org",
                 R"(onion = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion")"));
  REQUIRE(c.codes().empty());
  std::vector<std::string> names;
  for (const auto& name : model::host_names(c.compilation.federation.sites[0])) names.push_back(name.fqdn);
  CHECK(names == std::vector<std::string>{
                     "kyiv.example.org", "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion",
                     "matrix.kyiv.example.org", "matrix.2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion",
                     "chat.kyiv.example.org", "chat.2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"});
}

TEST_CASE("host names: two sites on one domain are one E0415") {
  Checked c(site("kyiv", "kyiv.example.org") + site("kyiv-old", "kyiv.example.org"));
  REQUIRE(c.codes() == std::vector<std::string>{"E0415"});
  const Diagnostic& d = c.diags.all()[0];
  CHECK(d.message == "sites 'kyiv' and 'kyiv-old' both answer to kyiv.example.org");
  CHECK(d.notes.back() == "the two sites share 2 more names");
  REQUIRE(d.secondary.size() == 1);
}

TEST_CASE("host names: a site's domain that is another site's service host is E0415") {
  Checked c(site("kyiv", "kyiv.example.org") + site("chat", "chat.kyiv.example.org"));
  REQUIRE(c.codes() == std::vector<std::string>{"E0415"});
  CHECK(c.diags.all()[0].message == "sites 'kyiv' and 'chat' both answer to chat.kyiv.example.org");
  CHECK(c.diags.all()[0].secondary[0].message == "site 'kyiv' serves 'element' here");
}

TEST_CASE("host names: two sites sharing an onion address are E0415") {
  const std::string onion = R"(onion = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion")";
  Checked c(site("kyiv", "kyiv.example.org", onion) + site("lviv", "lviv.example.org", onion));
  REQUIRE(c.codes() == std::vector<std::string>{"E0415"});
  CHECK(c.diags.all()[0].primary.message == "the onion address of site 'lviv'");
}

TEST_CASE("host names: sites of their own, and names repeated inside one site, are fine") {
  Checked c(site("kyiv", "kyiv.example.org") + site("lviv", "lviv.example.org") +
            site("matrix", "matrix.example.org"));
  CHECK(c.codes().empty());
}

}  // namespace dcomm::validate
