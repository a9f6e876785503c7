// E0415: a name two sites would both answer to. The names come from the
// model (model::host_names), as the emitters serve them.

#include "validate/host_names.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "driver/pipeline.hpp"
#include "emit/emitter.hpp"
#include "util/files.hpp"

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
    for (const auto& d : diags.all()) out.emplace_back(d.code.text());
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

/// The names a Caddyfile has site blocks for: "http://", ports and the
/// global options block left out.
std::set<std::string> caddy_site_names(const std::string& caddyfile) {
  std::set<std::string> names;
  std::istringstream lines(caddyfile);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '\t' || line[0] == '#' || !line.ends_with(" {")) continue;
    std::string name = line.substr(0, line.size() - 2);
    if (name.starts_with("http://")) name.erase(0, 7);
    names.insert(name.substr(0, name.find(':')));
  }
  return names;
}

/// The names dns.zone has records for: its apex ($ORIGIN) and each owner
/// name under it.
/// The host names a zone gives records to; a service label (_imaps._tcp,
/// RFC 2782) names a service of the apex, not a host.
std::set<std::string> zone_names(const std::string& zone, const std::string& domain) {
  std::set<std::string> names{domain};
  std::istringstream lines(zone);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == ';' || line[0] == '$' || line[0] == '@' || line[0] == '_') continue;
    names.insert(line.substr(0, line.find(' ')) + "." + domain);
  }
  return names;
}

std::string example(const std::string& file) {
  std::string error;
  auto text = util::read_file(std::filesystem::path(DCOMMC_SOURCE_DIR) / "examples" / file, error);
  REQUIRE(text);
  return *text;
}

}  // namespace

TEST_CASE("host names: Caddy and dns.zone serve no name but the site's own, which E0415 compares") {
  for (const std::string file : {"kyiv.dcomm", "federation.dcomm"}) {
    Checked c(example(file));
    REQUIRE_FALSE(c.diags.has_errors());
    for (const model::Site& site : c.compilation.federation.sites) {
      INFO(file << ", site " << site.name);
      std::set<std::string> known;
      for (const auto& name : model::host_names(site)) known.insert(name.fqdn);
      emit::ArtifactSet out;
      const emit::SiteContext context{c.compilation.federation, site};
      emit::emit_caddyfile(context, out);
      emit::emit_dns_zone(context, out);
      const emit::Artifact* caddyfile = out.find("caddy/Caddyfile");
      const emit::Artifact* zone = out.find("dns.zone");
      REQUIRE(caddyfile);
      REQUIRE(zone);
      const std::set<std::string> served = caddy_site_names(caddyfile->content);
      CHECK(served.size() > 1);
      for (const std::string& name : served) CHECK(known.count(name) == 1);
      for (const std::string& name : zone_names(zone->content, site.domain)) CHECK(known.count(name) == 1);
    }
  }
}

TEST_CASE("host names: each name knows its host, the part before the domain or onion") {
  Checked c(site("kyiv", "kyiv.example.org",
                 R"(onion = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion")"));
  std::vector<std::string> hosts;
  for (const auto& name : model::host_names(c.compilation.federation.sites[0])) hosts.push_back(name.host);
  CHECK(hosts == std::vector<std::string>{"", "", "matrix", "matrix", "chat", "chat"});
}

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
