// The SARIF 2.1.0 renderer: the properties the spec requires and code
// scanning reads (rules, results, locations, fixes), and its character
// counts and URIs.

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "diag/codes.hpp"
#include "diag/render_test_support.hpp"
#include "source/utf8.hpp"

namespace {

using dcomm::Diagnostic;
using dcomm::Span;
using nlohmann::json;
using namespace dcomm::render_testing;

/// The sources and diagnostics most SARIF tests share: two codes, one of
/// them twice, a secondary label and a fix-it.
struct SarifFixture {
  Source site{"specs/kyiv.dcomm",
              "site \"kyiv\" {\n"
              "  domain: \"kyiv.dcomm.net.ua\"\n"
              "  node \"worker\" { }\n"
              "  node \"worker\" { }\n"
              "  tls: internal\n"
              "}\n"};
  std::vector<Diagnostic> diagnostics{colon(0), duplicate_node(site, "E0304"), colon(1)};

  /// The `occurrence`-th ':' that should be '=', with its fix-it.
  Diagnostic colon(int occurrence) const {
    return {.code = "E0206",
            .message = "use '=' to set an attribute, not ':'",
            .primary = {site.at(":", occurrence), "':' is not valid here"},
            .help = "write name = value",
            .fixes = {{site.at(":", occurrence), " ="}}};
  }

  json run() const { return dcomm::render_sarif(diagnostics, site.sources).at("runs")[0]; }
  json results() const { return run().at("results"); }
};

/// The line and column fields of a SARIF region (which may hold more).
json lines_and_columns(const json& region) {
  json out;
  for (const char* key : {"startLine", "startColumn", "endLine", "endColumn"}) out[key] = region.at(key);
  return out;
}

/// The physical location of the first result of `diagnostics`.
json first_location(const std::vector<Diagnostic>& diagnostics, const Source& src) {
  return dcomm::render_sarif(diagnostics, src.sources)
      .at("runs")[0]
      .at("results")[0]
      .at("locations")[0]
      .at("physicalLocation");
}

}  // namespace

TEST_CASE("sarif: log, run and tool") {
  SarifFixture fx;
  const json log = dcomm::render_sarif(fx.diagnostics, fx.site.sources);
  CHECK(log.at("version") == "2.1.0");
  const std::string schema = log.at("$schema");
  CHECK(schema.find("sarif") != std::string::npos);
  CHECK(schema.find("2.1.0") != std::string::npos);
  REQUIRE(log.at("runs").size() == 1);
  const json& run = log.at("runs")[0];
  const json& driver = run.at("tool").at("driver");
  CHECK(driver.at("name") == "dcommc");
  CHECK(driver.at("version") == DCOMMC_VERSION);
  CHECK(run.at("columnKind") == "unicodeCodePoints");
  CHECK(run.at("results").size() == 3);
}

TEST_CASE("sarif: one rule per code, and every ruleIndex points at its rule") {
  const json run = SarifFixture().run();
  const json& rules = run.at("tool").at("driver").at("rules");
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].at("id") != rules[1].at("id"));
  for (const json& rule : rules) {
    const std::string id = rule.at("id");
    const std::optional<dcomm::Code> code = dcomm::Code::of(id);
    REQUIRE(code);
    CHECK(rule.at("shortDescription").at("text") == code->title());
    CHECK_FALSE(rule.at("shortDescription").at("text").get<std::string>().empty());
    CHECK(rule.at("defaultConfiguration").at("level") == "error");
    // Code-scanning UIs show a rule's help; it is the explain page.
    if (dcomm::explain_page(id)) {
      CHECK(rule.at("help").at("text").get<std::string>().find("dcommc explain " + id) !=
            std::string::npos);
      CHECK(rule.at("help").at("markdown") == *dcomm::explain_page(id));
    }
  }
  for (const json& result : run.at("results")) {
    const std::size_t index = result.at("ruleIndex");
    REQUIRE(index < rules.size());
    CHECK(rules[index].at("id") == result.at("ruleId"));
  }
}

TEST_CASE("sarif: results carry level, message and a physical location") {
  SarifFixture fx;
  fx.diagnostics[1].notes = {"node names are unique within a site"};
  const json dup = fx.results()[1];
  CHECK(dup.at("ruleId") == "E0304");
  CHECK(dup.at("level") == "error");
  const std::string text = dup.at("message").at("text");
  CHECK(text.rfind("node 'worker' is declared twice", 0) == 0);
  CHECK(text.find("node names are unique within a site") != std::string::npos);
  CHECK(text.find("rename one of the nodes") != std::string::npos);

  REQUIRE(dup.at("locations").size() == 1);
  const json& physical = dup.at("locations")[0].at("physicalLocation");
  CHECK(physical.at("artifactLocation").at("uri") == "specs/kyiv.dcomm");
  CHECK(lines_and_columns(physical.at("region")) ==
        json{{"startLine", 4}, {"startColumn", 8}, {"endLine", 4},
             {"endColumn", 16}});  // exclusive, as SARIF's endColumn is
  CHECK(dup.at("locations")[0].at("message").at("text") == "declared again here");
}

TEST_CASE("sarif: secondary labels become relatedLocations") {
  const json results = SarifFixture().results();
  CHECK_FALSE(results[0].contains("relatedLocations"));
  const json& related = results[1].at("relatedLocations");
  REQUIRE(related.size() == 1);
  CHECK(related[0].at("id").is_number_unsigned());
  CHECK(related[0].at("message").at("text") == "first declared here");
  const json& region = related[0].at("physicalLocation").at("region");
  CHECK(region.at("startLine") == 3);
  CHECK(region.at("startColumn") == 8);
  CHECK(related[0].at("physicalLocation").at("artifactLocation").at("uri") == "specs/kyiv.dcomm");
}

TEST_CASE("sarif: fix-its become fixes with artifactChanges and replacements") {
  const json results = SarifFixture().results();
  CHECK_FALSE(results[1].contains("fixes"));
  REQUIRE(results[0].at("fixes").size() == 1);
  const json& fix = results[0].at("fixes")[0];
  CHECK(fix.at("description").at("text") == "write name = value");
  REQUIRE(fix.at("artifactChanges").size() == 1);  // required, at least one
  const json& change = fix.at("artifactChanges")[0];
  CHECK(change.at("artifactLocation").at("uri") == "specs/kyiv.dcomm");
  REQUIRE(change.at("replacements").size() == 1);  // required, at least one
  const json& replacement = change.at("replacements")[0];
  // deletedRegion is required.
  CHECK(lines_and_columns(replacement.at("deletedRegion")) ==
        json{{"startLine", 2}, {"startColumn", 9}, {"endLine", 2}, {"endColumn", 10}});
  CHECK(replacement.at("insertedContent").at("text") == " =");
}

TEST_CASE("sarif: character offsets, when given, count code points like the columns") {
  // columnKind "unicodeCodePoints" governs every character count in the
  // run, charOffset and charLength included; UTF-8 byte offsets would point
  // elsewhere as soon as a line holds non-ASCII text.
  const std::string text = "# Київ\nsite \"київ\" { memory = 1.5G }\n";
  const Source u("u.dcomm", text);
  const Span s = u.at("1.5G");
  const json region = first_location({bare("E0225", "m", s)}, u).at("region");
  const auto offset = dcomm::count_code_points(std::string_view(text).substr(0, s.begin));
  CHECK(region.at("startColumn") == 24);
  if (region.contains("charOffset")) CHECK(region.at("charOffset") == offset);
  if (region.contains("charLength")) CHECK(region.at("charLength") == 4);
}

TEST_CASE("sarif: artifact URIs are valid URI references") {
  // SARIF (3.10.2) wants artifactLocation.uri to be a URI reference: a
  // space or '#' in a file name must be percent-encoded.
  const Source spaced("my sites/kyiv#1.dcomm", "a = 1\n");
  CHECK(first_location({bare("E0232", "m", spaced.at("a"))}, spaced).at("artifactLocation").at("uri") ==
        "my%20sites/kyiv%231.dcomm");
}

TEST_CASE("sarif: no diagnostics is a run with no results") {
  const dcomm::SourceMap sources;
  const json log = dcomm::render_sarif({}, sources);
  const json& run = log.at("runs")[0];
  CHECK(run.at("results") == json::array());
  CHECK(run.at("tool").at("driver").at("name") == "dcommc");
}
