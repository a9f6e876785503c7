// The four diagnostic renderers, on hand-built diagnostics over small
// sources (codes E9xxx/W9xxx are made up for the tests and will never be
// in the catalogue): human text (exact output), JSON (the documented shape in
// docs/diagnostics-json.md), SARIF 2.1.0 (the properties the spec requires
// and code scanning reads) and GitHub workflow commands (escaping).

#include <catch2/catch.hpp>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>

#include "diag/codes.hpp"
#include "diag/render.hpp"
#include "source/utf8.hpp"

namespace {

using dcomm::Diagnostic;
using dcomm::FileId;
using dcomm::FixIt;
using dcomm::Label;
using dcomm::Severity;
using dcomm::SourceMap;
using dcomm::Span;
using nlohmann::json;

/// The span of the `occurrence`-th (0-based) `needle` in file `id`.
Span find(const SourceMap& sources, FileId id, std::string_view needle, int occurrence = 0) {
  const std::string& text = sources.file(id).text();
  std::size_t at = text.find(needle);
  for (int i = 0; i < occurrence && at != std::string::npos; ++i) at = text.find(needle, at + 1);
  REQUIRE(at != std::string::npos);
  return {id, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

/// An empty span just before `needle` (or just after it, with `after`).
Span point(const SourceMap& sources, FileId id, std::string_view needle, bool after = false) {
  const Span s = find(sources, id, needle);
  const std::uint32_t at = after ? s.end : s.begin;
  return {id, at, at};
}

std::string human(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources,
                  bool color = false) {
  std::ostringstream out;
  dcomm::render_human(diagnostics, sources, out, {.color = color});
  return out.str();
}

std::string github(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources) {
  std::ostringstream out;
  dcomm::render_github(diagnostics, sources, out);
  return out.str();
}

constexpr std::string_view kSite =
    "site \"kyiv\" {\n"
    "  domain = \"kyiv.dcomm.net.ua\"\n"
    "  node \"worker\" { labels = { dwebstackdomain = \"kyiv.dcomm.net.ua\" } }\n"
    "  node \"worker\" { labels = { dwebstackrole = \"bridge\" } }\n"
    "}\n";

/// Two declarations of one name: a primary label and a secondary one.
Diagnostic duplicate_node(const SourceMap& sources, FileId site) {
  return {.code = "E9301",
          .message = "node 'worker' is declared twice",
          .primary = {find(sources, site, "\"worker\"", 1), "declared again here"},
          .secondary = {{find(sources, site, "\"worker\"", 0), "first declared here"}},
          .help = "rename one of the nodes, or merge their labels"};
}

// ---------------------------------------------------------------- human

TEST_CASE("human: primary and secondary labels on different lines") {
  SourceMap sources;
  const FileId site = sources.add("sites/kyiv.dcomm", std::string(kSite));
  const std::string expected =
      "error[E9301]: node 'worker' is declared twice\n"
      " --> sites/kyiv.dcomm:4:8\n"
      "  |\n"
      "3 |   node \"worker\" { labels = { dwebstackdomain = \"kyiv.dcomm.net.ua\" } }\n"
      "  |        -------- first declared here\n"
      "4 |   node \"worker\" { labels = { dwebstackrole = \"bridge\" } }\n"
      "  |        ^^^^^^^^ declared again here\n"
      "  |\n"
      "  = help: rename one of the nodes, or merge their labels\n"
      "\n";
  CHECK(human({duplicate_node(sources, site)}, sources) == expected);
}

TEST_CASE("human: a diagnostic about what left the spec has no excerpt, only its notes") {
  SourceMap sources;
  sources.add("site.dcomm", std::string(kSite));
  const Diagnostic gone{.code = "E9604",
                        .message = "site lviv is no longer in the spec",
                        .primary = {{std::numeric_limits<FileId>::max(), 0, 0}, ""},
                        .notes = {"its stack keeps running"},
                        .help = "put its site block back"};
  CHECK(human({gone}, sources) ==
        "error[E9604]: site lviv is no longer in the spec\n"
        "  = note: its stack keeps running\n"
        "  = help: put its site block back\n"
        "\n");
}

TEST_CASE("human: lines between distant labels are elided") {
  SourceMap sources;
  const FileId f = sources.add("a.dcomm",
                               "site \"a\" {\n"
                               "  domain = \"a.example\"\n"
                               "  tls    = internal\n"
                               "  domain = \"b.example\"\n"
                               "}\n");
  const Diagnostic d{.code = "E9302",
                     .message = "attribute 'domain' is set twice",
                     .primary = {find(sources, f, "domain", 1), "set again here"},
                     .secondary = {{find(sources, f, "domain", 0), "first set here"}}};
  const std::string expected =
      "error[E9302]: attribute 'domain' is set twice\n"
      " --> a.dcomm:4:3\n"
      "  |\n"
      "2 |   domain = \"a.example\"\n"
      "  |   ------ first set here\n"
      "...\n"
      "4 |   domain = \"b.example\"\n"
      "  |   ^^^^^^ set again here\n"
      "\n";
  CHECK(human({d}, sources) == expected);
}

TEST_CASE("human: a span over several lines is underlined to the end of its first") {
  SourceMap sources;
  const FileId f = sources.add("list.dcomm",
                               "site \"kyiv\" {\n"
                               "  directory = [\"lviv.dcomm.net.ua\",\n"
                               "               \"odesa.dcomm.net.ua\"]\n"
                               "}\n");
  const Span first = find(sources, f, "[");
  const Span last = find(sources, f, "]");
  const Diagnostic d{.code = "E9401",
                     .message = "directory lists a site that does not exist",
                     .primary = {{f, first.begin, last.end}, "in this list"}};
  const std::string expected =
      "error[E9401]: directory lists a site that does not exist\n"
      " --> list.dcomm:2:15\n"
      "  |\n"
      "2 |   directory = [\"lviv.dcomm.net.ua\",\n"
      "  |               ^^^^^^^^^^^^^^^^^^^^^ in this list\n"
      "\n";
  CHECK(human({d}, sources) == expected);
}

TEST_CASE("human: a zero-width span at the end of a line gets one caret past the text") {
  SourceMap sources;
  const FileId f = sources.add("tls.dcomm", "site \"kyiv\" {\n  tls =\n}\n");
  const Diagnostic d{.code = "E0208",
                     .message = "expected a value after '='",
                     .primary = {point(sources, f, "=", true), "expected a value here"}};
  const std::string expected =
      "error[E0208]: expected a value after '='\n"
      " --> tls.dcomm:2:8\n"
      "  |\n"
      "2 |   tls =\n"
      "  |        ^ expected a value here\n"
      "\n";
  CHECK(human({d}, sources) == expected);
}

TEST_CASE("human: the gutter is as wide as the largest line number") {
  SourceMap sources;
  const FileId f = sources.add("long.dcomm",
                               "site \"kyiv\" {\n"
                               "  # 2\n  # 3\n  # 4\n  # 5\n  # 6\n  # 7\n  # 8\n"
                               "  host = \"chat\"\n"
                               "  host = \"matrix\"\n"
                               "}\n");
  const Diagnostic d{.code = "E9302",
                     .message = "attribute 'host' is set twice",
                     .primary = {find(sources, f, "host", 1), "set again here"},
                     .secondary = {{find(sources, f, "host", 0), "first set here"}}};
  const std::string expected =
      "error[E9302]: attribute 'host' is set twice\n"
      "  --> long.dcomm:10:3\n"
      "   |\n"
      " 9 |   host = \"chat\"\n"
      "   |   ---- first set here\n"
      "10 |   host = \"matrix\"\n"
      "   |   ^^^^ set again here\n"
      "\n";
  CHECK(human({d}, sources) == expected);
}

TEST_CASE("human: a secondary label in another file gets its own ::: header") {
  SourceMap sources;
  const FileId site = sources.add("kyiv.dcomm",
                                  "import \"common.dcomm\"\n"
                                  "site \"kyiv\" {\n"
                                  "  defaults = common\n"
                                  "}\n");
  const FileId common = sources.add("lib/common.dcomm",
                                    "# shared defaults\n"
                                    "defaults \"common\" {\n"
                                    "  memory = 512K\n"
                                    "}\n");
  const Diagnostic d{.code = "E9501",
                     .message = "memory limit of 512K is too small for synapse",
                     .primary = {find(sources, site, "common", 1), "defaults used here"},
                     .secondary = {{find(sources, common, "512K"), "limit set here"}},
                     .notes = {"synapse needs at least 256M to start"}};
  const std::string expected =
      "error[E9501]: memory limit of 512K is too small for synapse\n"
      " --> kyiv.dcomm:3:14\n"
      "  |\n"
      "3 |   defaults = common\n"
      "  |              ^^^^^^ defaults used here\n"
      " ::: lib/common.dcomm:3:12\n"
      "  |\n"
      "3 |   memory = 512K\n"
      "  |            ---- limit set here\n"
      "  |\n"
      "  = note: synapse needs at least 256M to start\n"
      "\n";
  CHECK(human({d}, sources) == expected);
}

TEST_CASE("human: notes, help and a fix-it, each on its own line") {
  SourceMap sources;
  const FileId f = sources.add("colon.dcomm", "site \"kyiv\" {\n  domain: \"kyiv.dcomm.net.ua\"\n}\n");
  const Diagnostic d{.code = "E0206",
                     .message = "use '=' to set an attribute, not ':'",
                     .primary = {find(sources, f, ":"), "':' is not valid here"},
                     .notes = {"':' is YAML; .dcomm uses '='", "a second note"},
                     .help = "write name = value",
                     .fixes = {{find(sources, f, ":"), " ="}}};
  const std::string expected =
      "error[E0206]: use '=' to set an attribute, not ':'\n"
      " --> colon.dcomm:2:9\n"
      "  |\n"
      "2 |   domain: \"kyiv.dcomm.net.ua\"\n"
      "  |         ^ ':' is not valid here\n"
      "  |\n"
      "  = note: ':' is YAML; .dcomm uses '='\n"
      "  = note: a second note\n"
      "  = help: write name = value\n"
      "  = fix: `  domain = \"kyiv.dcomm.net.ua\"`\n"
      "\n";
  CHECK(human({d}, sources) == expected);
}

TEST_CASE("human: an insertion fix-it shows the line as it would read") {
  SourceMap sources;
  const FileId f = sources.add("list.dcomm", "x = [\"a\" \"b\"]\n");
  const Diagnostic d{.code = "E0213",
                     .message = "expected ',' or ']' after a list item",
                     .primary = {find(sources, f, "\"b\""), "expected ',' or ']' here"},
                     .fixes = {{point(sources, f, "\"a\"", true), ","}}};
  const std::string out = human({d}, sources);
  CHECK(out.find("  = fix: `x = [\"a\", \"b\"]`\n") != std::string::npos);
}

TEST_CASE("human: tabs and non-ASCII text keep the caret under its character") {
  SourceMap sources;
  // Columns count code points: "Чат" is 3 columns, a tab is 1 column and
  // shown as 4 spaces.
  const FileId f = sources.add("u.dcomm", "site \"київ\" {\n\tbrand = \"Чат\"  memory = 1.5G\n}\n");
  const Diagnostic d{.code = "W9225",
                     .severity = Severity::warning,
                     .message = "decimal numbers are not supported",
                     .primary = {find(sources, f, "1.5G"), "not a whole number"}};
  const std::string expected =
      "warning[W9225]: decimal numbers are not supported\n"
      " --> u.dcomm:2:26\n"
      "  |\n"
      "2 |     brand = \"Чат\"  memory = 1.5G\n"
      "  |                             ^^^^ not a whole number\n"
      "\n";
  CHECK(human({d}, sources) == expected);
}

TEST_CASE("human: control characters, C1 included, are shown as U+FFFD, never sent to the terminal") {
  SourceMap sources;
  // U+009B is an 8-bit CSI: some terminals start an escape sequence on it.
  const FileId f = sources.add("c.dcomm", "brand = \"a\x01" "b\x7F\xC2\x85" "c\xC2\x9B" "d\"\n");
  const Diagnostic d{.code = "E9311",
                     .message = "'brand' contains a control character",
                     .primary = {find(sources, f, "d\""), "here"}};
  const std::string expected =
      "error[E9311]: 'brand' contains a control character\n"
      " --> c.dcomm:1:17\n"
      "  |\n"
      "1 | brand = \"a\uFFFDb\uFFFD\uFFFDc\uFFFDd\"\n"
      "  |                 ^^ here\n"
      "\n";
  CHECK(human({d}, sources) == expected);
}

TEST_CASE("human: a file that is not a .dcomm source is located but never quoted") {
  SourceMap sources;
  const FileId f = sources.add("out/kyiv/secrets/postgres_password", "hunter2hunter2\n");
  const Diagnostic d{.code = "E9205",
                     .message = "expected '=' or a block after this name",
                     .primary = {find(sources, f, "hunter2hunter2"), "here"}};
  const std::string rendered = human({d}, sources);
  CHECK(rendered.find("hunter2") == std::string::npos);
  CHECK(rendered.find("--> out/kyiv/secrets/postgres_password:1:1") != std::string::npos);
  CHECK(rendered.find("is not a .dcomm file, so its text is not shown") != std::string::npos);
}

TEST_CASE("utf8: control characters are found, C1 ones as code points") {
  using dcomm::find_control_character;
  CHECK_FALSE(find_control_character("plain text, Київ, \xE2\x80\x85" " (a space, not U+0085)"));
  auto nul = find_control_character(std::string_view("a\0b", 3));
  REQUIRE(nul);
  CHECK((nul->code_point == 0 && nul->offset == 1));
  auto nel = find_control_character("Kyiv\xC2\x85" "Chat");
  REQUIRE(nel);
  CHECK((nel->code_point == 0x85 && nel->offset == 4));
  auto csi = find_control_character("\xC2\x9B");
  REQUIRE(csi);
  CHECK(csi->code_point == 0x9B);
  CHECK_FALSE(find_control_character("\xC2\xA0"));  // U+00A0, no-break space: printable
}

TEST_CASE("human: several diagnostics are separated by a blank line, in order") {
  SourceMap sources;
  const FileId f = sources.add("two.dcomm", "a = 1\nb = 2\n");
  const std::vector<Diagnostic> ds = {
      {.code = "E0232", .message = "first", .primary = {find(sources, f, "a"), ""}},
      {.code = "E0232", .message = "second", .primary = {find(sources, f, "b"), ""}}};
  const std::string expected =
      "error[E0232]: first\n"
      " --> two.dcomm:1:1\n"
      "  |\n"
      "1 | a = 1\n"
      "  | ^\n"
      "\n"
      "error[E0232]: second\n"
      " --> two.dcomm:2:1\n"
      "  |\n"
      "2 | b = 2\n"
      "  | ^\n"
      "\n";
  CHECK(human(ds, sources) == expected);
}

TEST_CASE("human: colour only when asked for") {
  SourceMap sources;
  const FileId site = sources.add("kyiv.dcomm", std::string(kSite));
  const Diagnostic d = duplicate_node(sources, site);

  const std::string plain = human({d}, sources, false);
  CHECK(plain.find('\x1b') == std::string::npos);

  const std::string coloured = human({d}, sources, true);
  CHECK(coloured.find("\x1b[") != std::string::npos);
  CHECK(coloured.find("\x1b[0m") != std::string::npos);   // every colour is reset
  CHECK(coloured.find("\x1b[1;31m") != std::string::npos);  // the error is red
  // Removing the escape sequences gives back the plain text exactly.
  std::string stripped;
  for (std::size_t i = 0; i < coloured.size(); ++i) {
    if (coloured[i] == '\x1b') {
      i = coloured.find('m', i);
      REQUIRE(i != std::string::npos);
      continue;
    }
    stripped += coloured[i];
  }
  CHECK(stripped == plain);

  const Diagnostic warning{.code = "W9001",
                           .severity = Severity::warning,
                           .message = "a warning",
                           .primary = d.primary};
  CHECK(human({warning}, sources, true).find("\x1b[1;33m") != std::string::npos);  // yellow
}

TEST_CASE("human: summary line") {
  CHECK(dcomm::summary_line(0, 0) == "no problems found");
  CHECK(dcomm::summary_line(1, 0) == "1 error");
  CHECK(dcomm::summary_line(3, 0) == "3 errors");
  CHECK(dcomm::summary_line(0, 1) == "1 warning");
  CHECK(dcomm::summary_line(2, 2) == "2 errors, 2 warnings");
}

// ---------------------------------------------------------------- JSON

TEST_CASE("json: top-level shape and counts") {
  SourceMap sources;
  const FileId site = sources.add("kyiv.dcomm", std::string(kSite));
  Diagnostic warning = duplicate_node(sources, site);
  warning.severity = Severity::warning;
  warning.code = "W9001";

  const json doc = dcomm::render_json({duplicate_node(sources, site), warning}, sources);
  CHECK(doc.at("format_version") == dcomm::kJsonFormatVersion);
  CHECK(doc.at("format_version").get<std::string>().rfind("1.", 0) == 0);
  CHECK(doc.at("valid") == false);
  CHECK(doc.at("error_count") == 1);
  CHECK(doc.at("warning_count") == 1);
  REQUIRE(doc.at("diagnostics").is_array());
  CHECK(doc.at("diagnostics").size() == 2);
  CHECK(doc.at("diagnostics")[1].at("severity") == "warning");

  const json empty = dcomm::render_json({}, sources);
  CHECK(empty.at("valid") == true);
  CHECK(empty.at("error_count") == 0);
  CHECK(empty.at("warning_count") == 0);
  CHECK(empty.at("diagnostics") == json::array());

  // Warnings alone leave the spec valid.
  CHECK(dcomm::render_json({warning}, sources).at("valid") == true);
}

TEST_CASE("json: a diagnostic with every field") {
  SourceMap sources;
  const FileId site = sources.add("kyiv.dcomm", std::string(kSite));
  Diagnostic d = duplicate_node(sources, site);
  d.notes = {"node names are unique within a site"};
  d.fixes = {{find(sources, site, "\"worker\"", 1), "\"worker-2\""}};

  const json j = dcomm::render_json({d}, sources).at("diagnostics")[0];
  CHECK(j.at("code") == "E9301");
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
  SourceMap sources;
  const FileId f = sources.add("a.dcomm", "a = 1\n");
  const json j =
      dcomm::render_json({{.code = "E0232", .message = "m", .primary = {find(sources, f, "a"), ""}}},
                         sources)
          .at("diagnostics")[0];
  CHECK(j.at("help").is_null());
  CHECK(j.at("notes") == json::array());
  CHECK(j.at("fixes") == json::array());
  CHECK(j.at("labels")[0].at("message") == "");
}

TEST_CASE("json: columns count code points, bytes are offsets into the file") {
  SourceMap sources;
  const std::string text = "# Київ\nsite \"київ\" { brand = \"Чат\" memory = 1.5G }\n";
  const FileId f = sources.add("u.dcomm", text);
  const Span s = find(sources, f, "1.5G");
  const json j =
      dcomm::render_json({{.code = "E0225", .message = "m", .primary = {s, "x"}}}, sources)
          .at("diagnostics")[0]
          .at("labels")[0];
  const std::size_t line_start = text.find('\n') + 1;
  const auto column = dcomm::count_code_points(std::string_view(text).substr(line_start, s.begin - line_start)) + 1;
  CHECK(column == 38);
  CHECK(j.at("start") == json{{"line", 2}, {"column", column}, {"byte", s.begin}});
  CHECK(j.at("end") == json{{"line", 2}, {"column", column + 4}, {"byte", s.end}});
  CHECK(s.begin != column - 1 + line_start);  // bytes and columns really differ here
  CHECK(text.substr(j.at("start").at("byte").get<std::size_t>(), 4) == "1.5G");
}

TEST_CASE("json: the message text survives hostile characters") {
  SourceMap sources;
  const FileId f = sources.add("we\"ird\\name.dcomm", "a = 1\n");
  const std::string message = "quote \" backslash \\ newline \n tab \t control \x01 é";
  const json doc = dcomm::render_json(
      {{.code = "E0232", .message = message, .primary = {find(sources, f, "a"), ""}}}, sources);
  const json back = json::parse(doc.dump());
  CHECK(back.at("diagnostics")[0].at("message") == message);
  CHECK(back.at("diagnostics")[0].at("labels")[0].at("file") == "we\"ird\\name.dcomm");
}

// ---------------------------------------------------------------- SARIF

/// Builds the sources and diagnostics the SARIF tests share: two codes,
/// one of them twice, a secondary label and a fix-it.
struct SarifFixture {
  SourceMap sources;
  FileId site;
  std::vector<Diagnostic> diagnostics;

  SarifFixture() {
    site = sources.add("specs/kyiv.dcomm",
                       "site \"kyiv\" {\n"
                       "  domain: \"kyiv.dcomm.net.ua\"\n"
                       "  node \"worker\" { }\n"
                       "  node \"worker\" { }\n"
                       "  tls: internal\n"
                       "}\n");
    diagnostics.push_back({.code = "E0206",
                           .message = "use '=' to set an attribute, not ':'",
                           .primary = {find(sources, site, ":", 0), "':' is not valid here"},
                           .help = "write name = value",
                           .fixes = {{find(sources, site, ":", 0), " ="}}});
    diagnostics.push_back(duplicate_node(sources, site));
    diagnostics.push_back({.code = "E0206",
                           .message = "use '=' to set an attribute, not ':'",
                           .primary = {find(sources, site, ":", 1), "':' is not valid here"},
                           .help = "write name = value",
                           .fixes = {{find(sources, site, ":", 1), " ="}}});
  }
};

TEST_CASE("sarif: log, run and tool") {
  SarifFixture fx;
  const json log = dcomm::render_sarif(fx.diagnostics, fx.sources);
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
  SarifFixture fx;
  const json run = dcomm::render_sarif(fx.diagnostics, fx.sources).at("runs")[0];
  const json& rules = run.at("tool").at("driver").at("rules");
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].at("id") != rules[1].at("id"));
  for (const json& rule : rules) {
    const std::string id = rule.at("id");
    const dcomm::CodeInfo* info = dcomm::find_code(id);
    if (info != nullptr) CHECK(rule.at("shortDescription").at("text") == info->title);
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
  const json results = dcomm::render_sarif(fx.diagnostics, fx.sources).at("runs")[0].at("results");
  const json& dup = results[1];
  CHECK(dup.at("ruleId") == "E9301");
  CHECK(dup.at("level") == "error");
  const std::string text = dup.at("message").at("text");
  CHECK(text.rfind("node 'worker' is declared twice", 0) == 0);
  CHECK(text.find("node names are unique within a site") != std::string::npos);
  CHECK(text.find("rename one of the nodes") != std::string::npos);

  REQUIRE(dup.at("locations").size() == 1);
  const json& physical = dup.at("locations")[0].at("physicalLocation");
  CHECK(physical.at("artifactLocation").at("uri") == "specs/kyiv.dcomm");
  const json& region = physical.at("region");
  CHECK(region.at("startLine") == 4);
  CHECK(region.at("startColumn") == 8);
  CHECK(region.at("endLine") == 4);
  CHECK(region.at("endColumn") == 16);  // exclusive, as SARIF's endColumn is
  CHECK(dup.at("locations")[0].at("message").at("text") == "declared again here");
}

TEST_CASE("sarif: secondary labels become relatedLocations") {
  SarifFixture fx;
  const json results = dcomm::render_sarif(fx.diagnostics, fx.sources).at("runs")[0].at("results");
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
  SarifFixture fx;
  const json results = dcomm::render_sarif(fx.diagnostics, fx.sources).at("runs")[0].at("results");
  CHECK_FALSE(results[1].contains("fixes"));
  REQUIRE(results[0].at("fixes").size() == 1);
  const json& fix = results[0].at("fixes")[0];
  CHECK(fix.at("description").at("text") == "write name = value");
  REQUIRE(fix.at("artifactChanges").size() == 1);  // required, at least one
  const json& change = fix.at("artifactChanges")[0];
  CHECK(change.at("artifactLocation").at("uri") == "specs/kyiv.dcomm");
  REQUIRE(change.at("replacements").size() == 1);  // required, at least one
  const json& replacement = change.at("replacements")[0];
  const json& deleted = replacement.at("deletedRegion");  // required
  CHECK(deleted.at("startLine") == 2);
  CHECK(deleted.at("startColumn") == 9);
  CHECK(deleted.at("endLine") == 2);
  CHECK(deleted.at("endColumn") == 10);
  CHECK(replacement.at("insertedContent").at("text") == " =");
}

TEST_CASE("sarif: character offsets, when given, count code points like the columns") {
  // columnKind "unicodeCodePoints" governs every character count in the
  // run, charOffset and charLength included; UTF-8 byte offsets would point
  // elsewhere as soon as a line holds non-ASCII text.
  SourceMap sources;
  const std::string text = "# Київ\nsite \"київ\" { memory = 1.5G }\n";
  const FileId f = sources.add("u.dcomm", text);
  const Span s = find(sources, f, "1.5G");
  const json region = dcomm::render_sarif({{.code = "E0225", .message = "m", .primary = {s, ""}}},
                                          sources)
                          .at("runs")[0]
                          .at("results")[0]
                          .at("locations")[0]
                          .at("physicalLocation")
                          .at("region");
  const auto offset = dcomm::count_code_points(std::string_view(text).substr(0, s.begin));
  CHECK(region.at("startColumn") == 24);
  if (region.contains("charOffset")) CHECK(region.at("charOffset") == offset);
  if (region.contains("charLength")) CHECK(region.at("charLength") == 4);
}

TEST_CASE("sarif: artifact URIs are valid URI references") {
  // SARIF (3.10.2) wants artifactLocation.uri to be a URI reference: a
  // space or '#' in a file name must be percent-encoded.
  SourceMap sources;
  const FileId f = sources.add("my sites/kyiv#1.dcomm", "a = 1\n");
  const json uri = dcomm::render_sarif({{.code = "E0232", .message = "m",
                                         .primary = {find(sources, f, "a"), ""}}},
                                       sources)
                       .at("runs")[0]
                       .at("results")[0]
                       .at("locations")[0]
                       .at("physicalLocation")
                       .at("artifactLocation")
                       .at("uri");
  CHECK(uri == "my%20sites/kyiv%231.dcomm");
}

TEST_CASE("sarif: no diagnostics is a run with no results") {
  SourceMap sources;
  const json log = dcomm::render_sarif({}, sources);
  const json& run = log.at("runs")[0];
  CHECK(run.at("results") == json::array());
  CHECK(run.at("tool").at("driver").at("name") == "dcommc");
}

// ---------------------------------------------------------------- GitHub

TEST_CASE("github: one workflow command per diagnostic") {
  SourceMap sources;
  const FileId site = sources.add("specs/kyiv.dcomm", std::string(kSite));
  Diagnostic warning{.code = "W9001",
                     .severity = Severity::warning,
                     .message = "image tag is latest",
                     .primary = {find(sources, site, "domain"), ""}};
  const std::string out = github({duplicate_node(sources, site), warning}, sources);
  // Data (after '::') escapes only %, CR and LF, so its ',' stays as it is.
  const std::string expected =
      "::error file=specs/kyiv.dcomm,line=4,col=8,endLine=4,endColumn=16,"
      "title=E9301 node 'worker' is declared twice::"
      "node 'worker' is declared twice (declared again here)"
      "%0Ahelp: rename one of the nodes, or merge their labels\n"
      "::warning file=specs/kyiv.dcomm,line=2,col=3,endLine=2,endColumn=9,"
      "title=W9001 image tag is latest::image tag is latest\n";
  CHECK(out == expected);
}

TEST_CASE("github: hostile file names and messages are escaped") {
  SourceMap sources;
  const FileId f = sources.add("odd:dir,x/100%,a\r\nb.dcomm", "a = 1\n");
  const Diagnostic d{.code = "E0232",
                     .message = "50% of: a,b",
                     .primary = {find(sources, f, "a"), "line1\nline2"},
                     .notes = {"cr\rhere"},
                     .help = "use ::set-output? no: 100%"};
  const std::string out = github({d}, sources);
  const std::string expected =
      "::error file=odd%3Adir%2Cx/100%25%2Ca%0D%0Ab.dcomm,line=1,col=1,endLine=1,endColumn=2,"
      "title=E0232 50%25 of%3A a%2Cb::"
      "50%25 of: a,b (line1%0Aline2)%0Anote: cr%0Dhere%0Ahelp: use ::set-output? no: 100%25\n";
  CHECK(out == expected);
  // The command is one line whatever the input holds.
  CHECK(out.find('\n') == out.size() - 1);
  CHECK(out.find('\r') == std::string::npos);
}

TEST_CASE("github: nothing to report prints nothing") {
  SourceMap sources;
  CHECK(github({}, sources).empty());
}

}  // namespace
