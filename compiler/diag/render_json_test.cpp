// The JSON renderer: the documented shape (docs/diagnostics-json.md), its
// counts, every field of a diagnostic, and positions as lines, code-point
// columns and byte offsets.

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "diag/render_test_support.hpp"
#include "source/utf8.hpp"

namespace {

using dcomm::Diagnostic;
using dcomm::Severity;
using dcomm::Span;
using nlohmann::json;
using namespace dcomm::render_testing;

/// The rendering of the one diagnostic `d`, as it stands in the list.
json rendered(const Diagnostic& d, const Source& src) {
  return dcomm::render_json({d}, src.sources).at("diagnostics")[0];
}

}  // namespace

TEST_CASE("json: top-level shape and counts") {
  const Source site("kyiv.dcomm", std::string(kSite));
  const Diagnostic warning = duplicate_node(site, "W0501");  // a warning, as its code is

  const json doc = dcomm::render_json({duplicate_node(site, "E0304"), warning}, site.sources);
  CHECK(doc.at("format_version") == dcomm::kJsonFormatVersion);
  CHECK(doc.at("format_version").get<std::string>().rfind("1.", 0) == 0);
  CHECK(doc.at("valid") == false);
  CHECK(doc.at("error_count") == 1);
  CHECK(doc.at("warning_count") == 1);
  REQUIRE(doc.at("diagnostics").is_array());
  CHECK(doc.at("diagnostics").size() == 2);
  CHECK(doc.at("diagnostics")[1].at("severity") == "warning");

  const json empty = dcomm::render_json({}, site.sources);
  CHECK(empty.at("valid") == true);
  CHECK(empty.at("error_count") == 0);
  CHECK(empty.at("warning_count") == 0);
  CHECK(empty.at("diagnostics") == json::array());

  // Warnings alone leave the spec valid.
  CHECK(dcomm::render_json({warning}, site.sources).at("valid") == true);
}

TEST_CASE("json: a diagnostic with every field") {
  const Source site("kyiv.dcomm", std::string(kSite));
  Diagnostic d = duplicate_node(site, "E0304");
  d.notes = {"node names are unique within a site"};
  d.fixes = {{site.at("\"worker\"", 1), "\"worker-2\""}};

  const json j = rendered(d, site);
  CHECK(j.at("code") == "E0304");
  CHECK(j.at("severity") == "error");
  CHECK(j.at("message") == "node 'worker' is declared twice");
  CHECK(j.at("notes") == json::array({"node names are unique within a site"}));
  CHECK(j.at("help") == "rename one of the nodes, or merge their labels");

  REQUIRE(j.at("labels").size() == 2);
  const json& primary = j.at("labels")[0];
  CHECK(primary.at("primary") == true);
  CHECK(primary.at("message") == "declared again here");
  CHECK(primary.at("file") == "kyiv.dcomm");
  const Span ps = d.primary.span;
  CHECK(primary.at("start") == json{{"line", 4}, {"column", 8}, {"byte", ps.begin}});
  CHECK(primary.at("end") == json{{"line", 4}, {"column", 16}, {"byte", ps.end}});
  const json& secondary = j.at("labels")[1];
  CHECK(secondary.at("primary") == false);
  CHECK(secondary.at("message") == "first declared here");
  CHECK(secondary.at("start").at("line") == 3);

  REQUIRE(j.at("fixes").size() == 1);
  const json& fix = j.at("fixes")[0];
  CHECK(fix.at("file") == "kyiv.dcomm");
  CHECK(fix.at("replacement") == "\"worker-2\"");
  CHECK(fix.at("start").at("byte") == ps.begin);
  CHECK(fix.at("end").at("byte") == ps.end);
  CHECK(fix.at("start").at("column") == 8);
}

TEST_CASE("json: absent help is null, absent notes and fixes are empty arrays") {
  const Source a("a.dcomm", "a = 1\n");
  const json j = rendered(bare("E0232", "m", a.at("a")), a);
  CHECK(j.at("help").is_null());
  CHECK(j.at("notes") == json::array());
  CHECK(j.at("fixes") == json::array());
  CHECK(j.at("labels")[0].at("message") == "");
}

TEST_CASE("json: columns count code points, bytes are offsets into the file") {
  const std::string text = "# Київ\nsite \"київ\" { brand = \"Чат\" memory = 1.5G }\n";
  const Source u("u.dcomm", text);
  const Span s = u.at("1.5G");
  const json j = rendered({.code = "E0225", .message = "m", .primary = {s, "x"}}, u).at("labels")[0];
  const std::size_t line_start = text.find('\n') + 1;
  const auto column =
      dcomm::count_code_points(std::string_view(text).substr(line_start, s.begin - line_start)) + 1;
  CHECK(column == 38);
  CHECK(j.at("start") == json{{"line", 2}, {"column", column}, {"byte", s.begin}});
  CHECK(j.at("end") == json{{"line", 2}, {"column", column + 4}, {"byte", s.end}});
  CHECK(s.begin != column - 1 + line_start);  // bytes and columns really differ here
  CHECK(text.substr(j.at("start").at("byte").get<std::size_t>(), 4) == "1.5G");
}

TEST_CASE("json: the message text survives hostile characters") {
  const Source odd("we\"ird\\name.dcomm", "a = 1\n");
  const std::string message = "quote \" backslash \\ newline \n tab \t control \x01 é";
  const json doc = dcomm::render_json({bare("E0232", message, odd.at("a"))}, odd.sources);
  const json back = json::parse(doc.dump());
  CHECK(back.at("diagnostics")[0].at("message") == message);
  CHECK(back.at("diagnostics")[0].at("labels")[0].at("file") == "we\"ird\\name.dcomm");
}
