// The block-YAML writer: its layout, and that every scalar it renders
// reads back (through yaml-cpp's parser) as the very string it was given.

#include "emit/yaml_writer.hpp"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <string>

namespace dcomm::emit::yaml {

namespace {

/// What a YAML reader makes of `key: <rendered>`.
YAML::Node read_back(const std::string& rendered) { return YAML::Load("key: " + rendered)["key"]; }

}  // namespace

TEST_CASE("yaml writer: maps, sequences and maps inside sequences, as yaml-cpp lays them out") {
  Writer out;
  out.comment("first line\n  indented line");
  out.entry("version", quoted("3.8"));
  out.begin_map("services");
  out.begin_map("web");
  out.begin_seq("networks");
  out.item("host");
  out.end();
  out.begin_seq("configs");
  out.begin_item_map();
  out.entry("source", "a");
  out.entry("mode", "292  # 0444");
  out.end();
  out.begin_item_map();
  out.entry("source", "b");
  out.end();
  out.end();
  out.end();
  out.end();
  out.begin_map("example.org", /*quote_key=*/true);
  out.end();
  out.entry("volumes", "{}");
  CHECK(out.take() ==
        "# first line\n"
        "#   indented line\n"
        "version: \"3.8\"\n"
        "services:\n"
        "  web:\n"
        "    networks:\n"
        "      - host\n"
        "    configs:\n"
        "      - source: a\n"
        "        mode: 292  # 0444\n"
        "      - source: b\n"
        "\"example.org\":\n"
        "volumes: {}\n");
}

TEST_CASE("yaml writer: a key too long for YAML's implicit keys is written explicitly") {
  const std::string key(1500, 'k');
  Writer out;
  out.begin_seq("list");
  out.begin_item_map();
  out.entry(key, "1");
  out.begin_map(key + "2");
  out.entry("inner", "x");
  out.end();
  out.end();
  out.end();
  const std::string text = out.take();
  CHECK(text.starts_with("list:\n  - ? " + key + "\n    : 1\n    ? " + key + "2\n    :\n      inner: x\n"));
  const YAML::Node doc = YAML::Load(text);
  CHECK(doc["list"][0][key].as<int>() == 1);
  CHECK(doc["list"][0][key + "2"]["inner"].as<std::string>() == "x");
}

TEST_CASE("yaml writer: plain where it reads back the same, quoted otherwise") {
  CHECK(plain_or_quoted("matrixdotorg/synapse:v1.130.0") == "matrixdotorg/synapse:v1.130.0");
  CHECK(plain_or_quoted("node.labels.zone == east") == "node.labels.zone == east");
  CHECK(plain_or_quoted("/run/secrets/pgpass") == "/run/secrets/pgpass");
  CHECK(plain_or_quoted("on-failure") == "on-failure");
  // Read as other types by YAML 1.1 readers.
  for (const char* typed : {"991", "1G", "yes", "No", "ON", "off", "true", "null", "~", "-1", "+.5", ".5", ".inf", "",
                            "0x1F", "1:20"}) {
    INFO(typed);
    CHECK(plain_or_quoted(typed).front() == '"');
  }
  // YAML syntax at the start, inside, or at the end.
  for (const char* syntax : {"-x", "?x", ":x", "#x", "&x", "*x", "!x", "|x", ">x", "'x", "\"x", "%x", "@x", "`x",
                             "[x", "{x", "a: b", "a #b", "a,b", "x:", "x ", " x", "a\nb", "a\tb", "ü"}) {
    INFO(syntax);
    CHECK(plain_or_quoted(syntax).front() == '"');
  }
}

TEST_CASE("yaml writer: quoted strings escape what YAML would not keep") {
  CHECK(quoted("say \"hi\" \\ bye") == R"("say \"hi\" \\ bye")");
  CHECK(quoted("a\nb\tc\rd") == R"("a\nb\tc\rd")");
  CHECK(quoted(std::string("nul\0bell\a", 9)) == R"("nul\x00bell\x07")");
  CHECK(quoted("\x7f") == R"("\x7f")");
  CHECK(quoted("next\xc2\x85line") == R"("next\u0085line")");             // NEL
  CHECK(quoted("ls\xe2\x80\xa8ps\xe2\x80\xa9") == R"("ls\u2028ps\u2029")");  // line/paragraph separators
  CHECK(quoted("\xef\xbb\xbf" "bom") == R"("\ufeffbom")");
  CHECK(quoted("Київ ✓") == "\"Київ ✓\"");  // printable UTF-8 as itself
}

TEST_CASE("yaml writer: every rendered scalar reads back as the same string") {
  const std::string strings[] = {"plain",
                                 "3.8",
                                 "1G",
                                 "yes",
                                 "",
                                 " padded ",
                                 "a: b # c",
                                 "- item",
                                 "{\"json\": [1, 2]}",
                                 "quote \" and backslash \\",
                                 std::string("nul \0 inside", 12),
                                 "tab\tnewline\ncr\r",
                                 "\x01\x1f\x7f",
                                 "next\xc2\x85line",
                                 "ls\xe2\x80\xa8ps\xe2\x80\xa9",
                                 "\xef\xbb\xbf" "bom",
                                 "Київ, ✓, 🙂",
                                 "%TAG ! tag:x",
                                 "---",
                                 "...",
                                 "*alias",
                                 "&anchor x",
                                 "!!binary x",
                                 "'single'",
                                 "trailing:"};
  for (const std::string& text : strings) {
    INFO(text);
    CHECK(read_back(plain_or_quoted(text)).as<std::string>() == text);
    CHECK(read_back(quoted(text)).as<std::string>() == text);
  }
}

}  // namespace dcomm::emit::yaml
