// The human renderer, exact output: excerpts, labels and gutters, notes,
// help and fix-its, text that is not plain ASCII, colour and the summary.

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <string_view>

#include "diag/render_test_support.hpp"
#include "source/utf8.hpp"

namespace {

using dcomm::Diagnostic;
using dcomm::FileId;
using dcomm::Severity;
using dcomm::SourceMap;
using namespace dcomm::render_testing;

/// `attribute` set twice in `src`: the second setting, with the first as
/// a secondary label.
Diagnostic set_twice(const Source& src, const std::string& attribute) {
  return {.code = "E0304",
          .message = "attribute '" + attribute + "' is set twice",
          .primary = {src.at(attribute, 1), "set again here"},
          .secondary = {{src.at(attribute, 0), "first set here"}}};
}

}  // namespace

TEST_CASE("human: primary and secondary labels on different lines") {
  const Source site("sites/kyiv.dcomm", std::string(kSite));
  CHECK(site.human({duplicate_node(site, "E0304")}) ==
        "error[E0304]: node 'worker' is declared twice\n"
        " --> sites/kyiv.dcomm:4:8\n"
        "  |\n"
        "3 |   node \"worker\" { labels = { dwebstackdomain = \"kyiv.dcomm.net.ua\" } }\n"
        "  |        -------- first declared here\n"
        "4 |   node \"worker\" { labels = { dwebstackrole = \"bridge\" } }\n"
        "  |        ^^^^^^^^ declared again here\n"
        "  |\n"
        "  = help: rename one of the nodes, or merge their labels\n"
        "\n");
}

TEST_CASE("human: a diagnostic about what left the spec has no excerpt, only its notes") {
  const Source site("site.dcomm", std::string(kSite));
  const Diagnostic gone{.code = "E0604",
                        .message = "site lviv is no longer in the spec",
                        .primary = {{std::numeric_limits<FileId>::max(), 0, 0}, ""},
                        .notes = {"its stack keeps running"},
                        .help = "put its site block back"};
  CHECK(site.human({gone}) ==
        "error[E0604]: site lviv is no longer in the spec\n"
        "  = note: its stack keeps running\n"
        "  = help: put its site block back\n"
        "\n");
}

TEST_CASE("human: lines between distant labels are elided") {
  const Source a("a.dcomm",
                 "site \"a\" {\n"
                 "  domain = \"a.example\"\n"
                 "  tls    = internal\n"
                 "  domain = \"b.example\"\n"
                 "}\n");
  CHECK(a.human({set_twice(a, "domain")}) ==
        "error[E0304]: attribute 'domain' is set twice\n"
        " --> a.dcomm:4:3\n"
        "  |\n"
        "2 |   domain = \"a.example\"\n"
        "  |   ------ first set here\n"
        "...\n"
        "4 |   domain = \"b.example\"\n"
        "  |   ^^^^^^ set again here\n"
        "\n");
}

TEST_CASE("human: a span over several lines is underlined to the end of its first") {
  const Source list("list.dcomm",
                    "site \"kyiv\" {\n"
                    "  directory = [\"lviv.dcomm.net.ua\",\n"
                    "               \"odesa.dcomm.net.ua\"]\n"
                    "}\n");
  const Diagnostic d{.code = "E0308",
                     .message = "directory lists a site that does not exist",
                     .primary = {{list.id, list.at("[").begin, list.at("]").end}, "in this list"}};
  CHECK(list.human({d}) ==
        "error[E0308]: directory lists a site that does not exist\n"
        " --> list.dcomm:2:15\n"
        "  |\n"
        "2 |   directory = [\"lviv.dcomm.net.ua\",\n"
        "  |               ^^^^^^^^^^^^^^^^^^^^^ in this list\n"
        "\n");
}

TEST_CASE("human: a zero-width span at the end of a line gets one caret past the text") {
  const Source tls("tls.dcomm", "site \"kyiv\" {\n  tls =\n}\n");
  const Diagnostic d =
      diagnostic("E0208", "expected a value after '='", {tls.point("=", true), "expected a value here"});
  CHECK(tls.human({d}) ==
        "error[E0208]: expected a value after '='\n"
        " --> tls.dcomm:2:8\n"
        "  |\n"
        "2 |   tls =\n"
        "  |        ^ expected a value here\n"
        "\n");
}

TEST_CASE("human: the gutter is as wide as the largest line number") {
  const Source long_file("long.dcomm",
                         "site \"kyiv\" {\n"
                         "  # 2\n  # 3\n  # 4\n  # 5\n  # 6\n  # 7\n  # 8\n"
                         "  host = \"chat\"\n"
                         "  host = \"matrix\"\n"
                         "}\n");
  CHECK(long_file.human({set_twice(long_file, "host")}) ==
        "error[E0304]: attribute 'host' is set twice\n"
        "  --> long.dcomm:10:3\n"
        "   |\n"
        " 9 |   host = \"chat\"\n"
        "   |   ---- first set here\n"
        "10 |   host = \"matrix\"\n"
        "   |   ^^^^ set again here\n"
        "\n");
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
  const Diagnostic d{.code = "E0311",
                     .message = "memory limit of 512K is too small for synapse",
                     .primary = {find(sources, site, "common", 1), "defaults used here"},
                     .secondary = {{find(sources, common, "512K"), "limit set here"}},
                     .notes = {"synapse needs at least 256M to start"}};
  CHECK(human({d}, sources) ==
        "error[E0311]: memory limit of 512K is too small for synapse\n"
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
        "\n");
}

TEST_CASE("human: notes, help and a fix-it, each on its own line") {
  const Source colon("colon.dcomm", "site \"kyiv\" {\n  domain: \"kyiv.dcomm.net.ua\"\n}\n");
  const Diagnostic d{.code = "E0206",
                     .message = "use '=' to set an attribute, not ':'",
                     .primary = {colon.at(":"), "':' is not valid here"},
                     .notes = {"':' is YAML; .dcomm uses '='", "a second note"},
                     .help = "write name = value",
                     .fixes = {{colon.at(":"), " ="}}};
  CHECK(colon.human({d}) ==
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
        "\n");
}

TEST_CASE("human: an insertion fix-it shows the line as it would read") {
  const Source list("list.dcomm", "x = [\"a\" \"b\"]\n");
  Diagnostic d = diagnostic("E0213", "expected ',' or ']' after a list item",
                            {list.at("\"b\""), "expected ',' or ']' here"});
  d.fixes = {{list.point("\"a\"", true), ","}};
  CHECK(list.human({d}).find("  = fix: `x = [\"a\", \"b\"]`\n") != std::string::npos);
}

TEST_CASE("human: tabs and non-ASCII text keep the caret under its character") {
  // Columns count code points: "Чат" is 3 columns, a tab is 1 column and
  // shown as 4 spaces.
  const Source u("u.dcomm", "site \"київ\" {\n\tbrand = \"Чат\"  memory = 1.5G\n}\n");
  const Diagnostic d =
      diagnostic("E0225", "decimal numbers are not supported", {u.at("1.5G"), "not a whole number"});
  CHECK(u.human({d}) ==
        "error[E0225]: decimal numbers are not supported\n"
        " --> u.dcomm:2:26\n"
        "  |\n"
        "2 |     brand = \"Чат\"  memory = 1.5G\n"
        "  |                             ^^^^ not a whole number\n"
        "\n");
}

TEST_CASE("human: control characters, C1 included, are shown as U+FFFD, never sent to the terminal") {
  // U+009B is an 8-bit CSI: some terminals start an escape sequence on it.
  const Source c("c.dcomm", "brand = \"a\x01" "b\x7F\xC2\x85" "c\xC2\x9B" "d\"\n");
  const Diagnostic d = diagnostic("E0311", "'brand' contains a control character", {c.at("d\""), "here"});
  // Each of the four becomes one U+FFFD, one column wide.
  const std::string shown = "brand = \"a\uFFFDb\uFFFD\uFFFDc\uFFFDd\"";
  CHECK(c.human({d}) == "error[E0311]: 'brand' contains a control character\n"
                        " --> c.dcomm:1:17\n"
                        "  |\n"
                        "1 | " + shown + "\n"
                        "  |                 ^^ here\n"
                        "\n");
}

TEST_CASE("human: a file that is not a .dcomm source is located but never quoted") {
  const Source secret("out/kyiv/secrets/postgres_password", "hunter2hunter2\n");
  const Diagnostic d =
      diagnostic("E0205", "expected '=' or a block after this name", {secret.at("hunter2hunter2"), "here"});
  const std::string rendered = secret.human({d});
  CHECK(rendered.find("hunter2") == std::string::npos);
  CHECK(rendered.find("--> out/kyiv/secrets/postgres_password:1:1") != std::string::npos);
  CHECK(rendered.find("is not a .dcomm file, so its text is not shown") != std::string::npos);
}

TEST_CASE("utf8: control characters are found, C1 ones as code points") {
  using dcomm::find_control_character;
  CHECK_FALSE(find_control_character("plain text, Київ, \xE2\x80\x85" " (a space, not U+0085)"));
  CHECK_FALSE(find_control_character("\xC2\xA0"));  // U+00A0, no-break space: printable
  // Each text, and the control character found in it, at its byte offset.
  const struct {
    std::string_view text;
    char32_t code_point;
    std::size_t offset;
  } found[] = {{std::string_view("a\0b", 3), 0, 1},
                 {"Kyiv\xC2\x85" "Chat", 0x85, 4},
                 {"\xC2\x9B", 0x9B, 0}};
  for (const auto& expected : found) {
    const auto control = find_control_character(expected.text);
    REQUIRE(control);
    CHECK(control->code_point == expected.code_point);
    CHECK(control->offset == expected.offset);
  }
}

TEST_CASE("human: several diagnostics are separated by a blank line, in order") {
  const Source two("two.dcomm", "a = 1\nb = 2\n");
  CHECK(two.human({bare("E0232", "first", two.at("a")), bare("E0232", "second", two.at("b"))}) ==
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
        "\n");
}

TEST_CASE("human: colour only when asked for") {
  const Source site("kyiv.dcomm", std::string(kSite));
  const Diagnostic d = duplicate_node(site, "E0304");

  const std::string plain = site.human({d}, false);
  CHECK(plain.find('\x1b') == std::string::npos);

  const std::string coloured = site.human({d}, true);
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

  const Diagnostic warning = diagnostic("W0501", "a warning", d.primary);
  CHECK(site.human({warning}, true).find("\x1b[1;33m") != std::string::npos);  // yellow
}

TEST_CASE("human: summary line") {
  CHECK(dcomm::summary_line(0, 0) == "no problems found");
  CHECK(dcomm::summary_line(1, 0) == "1 error");
  CHECK(dcomm::summary_line(3, 0) == "3 errors");
  CHECK(dcomm::summary_line(0, 1) == "1 warning");
  CHECK(dcomm::summary_line(2, 2) == "2 errors, 2 warnings");
}
