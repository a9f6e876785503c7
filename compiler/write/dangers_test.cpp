// Irreversible changes found against the last build, and the sites that
// left the spec: each built for real into a scratch folder, then changed.

#include "write/dangers.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "write/build_test_support.hpp"

namespace dcomm::build {

namespace {

namespace fs = std::filesystem;
using testing::Compiled;
using testing::OutDir;

fs::path spec(const char* name) { return fs::path(DCOMMC_SOURCE_DIR) / "examples" / name; }

/// `text` with `from` replaced by `to`, once; the test fails if it is not there.
std::function<void(std::string&)> replace(std::string from, std::string to) {
  return [from, to](std::string& text) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
}

const std::string kBots =
    "  service \"bots\" {\n    kind       = maubot\n    on         = node.worker\n    homeserver = service.synapse\n"
    "  }\n\n";

const std::string kLviv =
    "site \"lviv\" {\n  extends = template.ua-site\n  domain  = \"lviv.dcomm.net.ua\"\n"
    "  onion   = \"vwlqubfj77isnaabkkxxiygh22edybd4bh4aeeuhig5cn6g3vh7tvxqd.onion\"\n}\n";

/// The codes of the dangers of building `now` into `out`, and their messages.
std::vector<Diagnostic> dangers(const Compiled& now, const fs::path& out, std::set<std::string> rotate = {},
                                bool prune = false) {
  OutputSurvey survey(out);
  const auto departed = find_departed_sites(now.compilation.federation, survey, out);
  return find_dangers({.federation = now.compilation.federation,
                       .survey = survey,
                       .departed = departed,
                       .out = out,
                       .rotate = std::move(rotate),
                       .prune = prune});
}

std::vector<std::string> codes(const std::vector<Diagnostic>& found) {
  std::vector<std::string> out;
  for (const Diagnostic& d : found) out.emplace_back(d.code.text());
  return out;
}

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("dangers: a first build and a rebuild of the same spec are safe") {
  OutDir out;
  const Compiled kyiv(spec("kyiv.dcomm"));
  CHECK(dangers(kyiv, out.path).empty());
  kyiv.build({.out = out.path});
  CHECK(dangers(kyiv, out.path).empty());
}

TEST_CASE("dangers: a new domain or server name of a built site is E0601, pointing at the domain") {
  OutDir out;
  Compiled(spec("kyiv.dcomm")).build({.out = out.path});
  const Compiled moved(spec("kyiv.dcomm"), replace("\"kyiv.dcomm.net.ua\"", "\"kyiv.example.org\""));
  const auto found = dangers(moved, out.path);
  REQUIRE(codes(found) == Codes{"E0601"});
  CHECK(found[0].message == "site kyiv changes its domain from kyiv.dcomm.net.ua to kyiv.example.org");
  CHECK(found[0].primary.span == moved.compilation.federation.sites[0].domain_span);

  const Compiled renamed(spec("kyiv.dcomm"), replace("host         = \"matrix\"", "host         = \"hs\""));
  const auto server = dangers(renamed, out.path);
  REQUIRE(codes(server) == Codes{"E0601"});
  CHECK(server[0].message == "site kyiv's homeserver matrix.kyiv.dcomm.net.ua gets another server name");
}

TEST_CASE("dangers: rotating a signing key or the database password of a built site is E0602 or E0603") {
  OutDir out;
  const Compiled kyiv(spec("kyiv.dcomm"));
  CHECK(dangers(kyiv, out.path, {"synapse_signing_key", "postgres_password"}).empty());  // nothing built yet
  kyiv.build({.out = out.path});
  CHECK(codes(dangers(kyiv, out.path, {"synapse_signing_key"})) == Codes{"E0602"});
  CHECK(codes(dangers(kyiv, out.path, {"postgres_password"})) == Codes{"E0603"});
  CHECK(dangers(kyiv, out.path, {"synapse_macaroon_key"}).empty());  // only sessions end
}

TEST_CASE("dangers: a service whose volume goes is E0605, naming the swarm's volume") {
  OutDir out;
  Compiled(spec("kyiv.dcomm")).build({.out = out.path});
  const Compiled without_bots(spec("kyiv.dcomm"), replace(kBots, ""));
  const auto found = dangers(without_bots, out.path);
  REQUIRE(codes(found) == Codes{"E0605"});
  CHECK(found[0].message == "site kyiv no longer uses the volume dcomms-kyiv_bots_data");
}

TEST_CASE("dangers: a homeserver leaving a built federation is one E0606 for every site that listed it") {
  OutDir out;
  Compiled(spec("federation.dcomm")).build({.out = out.path});
  const Compiled without_lviv(spec("federation.dcomm"), replace(kLviv, ""));
  const auto found = dangers(without_lviv, out.path);
  REQUIRE(codes(found) == Codes{"E0606"});
  CHECK(found[0].message == "matrix.lviv.dcomm.net.ua leaves the federation of 2 deployed sites (kyiv, kharkiv)");
  // With --prune, the departed site's files would go too.
  CHECK(codes(dangers(without_lviv, out.path, {}, true)) == Codes{"E0606", "E0604"});

  // And back: lviv joins the two that were built without it.
  OutDir two;
  without_lviv.build({.out = two.path});
  const auto joined = dangers(Compiled(spec("federation.dcomm")), two.path);
  REQUIRE(codes(joined) == Codes{"E0606"});
  CHECK(joined[0].message == "matrix.lviv.dcomm.net.ua joins the federation of 2 deployed sites (kyiv, kharkiv)");
}

TEST_CASE("dangers: a manifest of an older build without facts compares nothing") {
  OutDir out;
  Compiled(spec("kyiv.dcomm")).build({.out = out.path});
  const fs::path manifest = out.path / "kyiv/manifest.json";
  std::string text = testing::read(manifest);
  const auto facts = text.find(",\n  \"facts\"");
  REQUIRE(facts != std::string::npos);
  const auto images = text.find(",\n  \"images\"");
  text.erase(facts, images - facts);
  std::string error;
  REQUIRE(util::write_file_atomically(manifest, text, error, 0644));
  REQUIRE(read_manifest(out.path / "kyiv"));
  CHECK_FALSE(read_manifest(out.path / "kyiv")->facts);
  CHECK(dangers(Compiled(spec("kyiv.dcomm"), replace("\"kyiv.dcomm.net.ua\"", "\"kyiv.example.org\"")), out.path)
            .empty());
}

TEST_CASE("departed sites: listed with their volumes, and --prune removes their files, secrets only when asked") {
  OutDir out;
  Compiled(spec("federation.dcomm")).build({.out = out.path});
  const Compiled without_lviv(spec("federation.dcomm"), replace(kLviv, ""));
  {
    OutputSurvey survey(out.path);
    const auto departed = find_departed_sites(without_lviv.compilation.federation, survey, out.path);
    REQUIRE(departed.size() == 1);
    CHECK(departed[0].name == "lviv");
    CHECK(departed[0].volumes == std::vector<std::string>{"caddy_config", "caddy_data", "mail_mailadm", "mail_vmail",
                                                          "postgres_data", "synapse_data"});
    CHECK(departed[0].artifacts.back() == out.path / "lviv/manifest.json");
    CHECK_FALSE(departed[0].secrets.empty());
  }
  const WriteResult left = without_lviv.build({.out = out.path});
  CHECK(left.departed == std::vector<std::string>{"lviv"});
  CHECK(fs::exists(out.path / "lviv/stack.yml"));

  const WriteResult pruned = without_lviv.build({.out = out.path, .prune = true});
  CHECK(pruned.pruned == std::vector<std::string>{"lviv"});
  CHECK_FALSE(fs::exists(out.path / "lviv/stack.yml"));
  CHECK_FALSE(fs::exists(out.path / "lviv/synapse"));  // emptied folders go too
  CHECK(fs::exists(out.path / "lviv/secrets/synapse_signing_key"));
  CHECK_FALSE(pruned.unused_secrets.empty());
}

}  // namespace dcomm::build
