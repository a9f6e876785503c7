// The grammar on its own: PEGTL's analyzer proves no rule can loop
// without consuming input, and each rule family accepts what the
// language reference says and nothing else.
//
// This file lives under grammar/ but is compiled into the unit test binary
// by tests/CMakeLists.txt.

#include <catch2/catch.hpp>
#include <string>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/dcomm.hpp"

namespace g = dcomm::grammar;
namespace pegtl = tao::pegtl;

namespace {

/// True when `Rule` matches all of `text` (errors count as no match).
template <typename Rule>
bool matches_all(const std::string& text) {
  pegtl::memory_input in(text, "test");
  try {
    return pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in);
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

}  // namespace

TEST_CASE("grammar: the analyzer finds no rule that can loop without progress") {
  CHECK(pegtl::analyze<g::file>() == 0);
}

TEST_CASE("grammar: names") {
  CHECK(matches_all<g::name>("worker"));
  CHECK(matches_all<g::name>("ua-site"));
  CHECK(matches_all<g::name>("_private2"));
  CHECK_FALSE(matches_all<g::name>("2fast"));
  CHECK_FALSE(matches_all<g::name>("-x"));
  CHECK_FALSE(matches_all<g::name>("a.b"));
}

TEST_CASE("grammar: keywords need a word boundary") {
  CHECK(matches_all<g::boolean>("true"));
  CHECK(matches_all<g::boolean>("false"));
  CHECK_FALSE(matches_all<g::boolean>("trueish"));
  CHECK(matches_all<g::reference>("trueish"));
  CHECK(matches_all<g::kw_import>("import"));
  CHECK_FALSE(matches_all<g::kw_import>("imports"));
}

TEST_CASE("grammar: strings and escapes") {
  CHECK(matches_all<g::string_literal>(R"("kyiv")"));
  CHECK(matches_all<g::string_literal>(R"("")"));
  CHECK(matches_all<g::string_literal>(R"("a \"quoted\" word \\ \n \t \r")"));
  CHECK(matches_all<g::string_literal>(R"("\u{E9}\u{1F600}")"));
  CHECK(matches_all<g::string_literal>("\"Київ\""));
  CHECK_FALSE(matches_all<g::string_literal>(R"("unterminated)"));
  CHECK_FALSE(matches_all<g::string_literal>("\"two\nlines\""));
  CHECK_FALSE(matches_all<g::string_literal>(R"("\q")"));
  CHECK_FALSE(matches_all<g::string_literal>(R"("\u00E9")"));
  CHECK_FALSE(matches_all<g::string_literal>(R"("\u{1234567}")"));
}

TEST_CASE("grammar: one number token covers every numeric literal") {
  for (const char* text : {"0", "42", "-3", "512M", "6G", "999d", "90m", "250ms", "28729/udp",
                           "443/tcp", "1.5h", "512k", "70000/tcp", "53/icmp"}) {
    INFO(text);
    CHECK(matches_all<g::number>(text));  // the action judges the token
  }
  CHECK_FALSE(matches_all<g::number>("-"));
  CHECK_FALSE(matches_all<g::number>("M5"));
}

TEST_CASE("grammar: lists") {
  CHECK(matches_all<g::list>("[]"));
  CHECK(matches_all<g::list>("[ ]"));
  CHECK(matches_all<g::list>(R"(["a", "b"])"));
  CHECK(matches_all<g::list>("[1, 2,]"));
  CHECK(matches_all<g::list>("[\n  80/tcp,  # web\n  443/tcp,\n]"));
  CHECK(matches_all<g::list>("[[1], [2, 3]]"));
  CHECK_FALSE(matches_all<g::list>("[1 2]"));
  CHECK_FALSE(matches_all<g::list>("[1,,2]"));
  CHECK_FALSE(matches_all<g::list>("[,]"));
  CHECK_FALSE(matches_all<g::list>("[1"));
}

TEST_CASE("grammar: maps") {
  CHECK(matches_all<g::map>("{}"));
  CHECK(matches_all<g::map>(R"({ role = "bridge" })"));
  CHECK(matches_all<g::map>(R"({ a = 1, b = 2 })"));
  CHECK(matches_all<g::map>("{\n  a = 1\n  b = 2\n}"));
  CHECK(matches_all<g::map>(R"({ "com.example.role" = "x" })"));
  CHECK(matches_all<g::map>("{ inner = { x = [1] } }"));
  CHECK_FALSE(matches_all<g::map>("{ a 1 }"));
  CHECK_FALSE(matches_all<g::map>("{ = 1 }"));
  CHECK_FALSE(matches_all<g::map>("{ a =\n 1 }"));  // value on the line of its '='
}

TEST_CASE("grammar: references and calls") {
  CHECK(matches_all<g::reference>("synapse"));
  CHECK(matches_all<g::reference>("node.worker"));
  CHECK(matches_all<g::reference>("template.ua-site"));
  CHECK(matches_all<g::reference>(R"(acme("ops@example.org"))"));
  CHECK(matches_all<g::reference>("internal()"));
  CHECK(matches_all<g::reference>("f(1, node.a, [2])"));
  CHECK_FALSE(matches_all<g::reference>("node."));
  CHECK_FALSE(matches_all<g::reference>("f(1 2)"));
  CHECK_FALSE(matches_all<g::reference>("f(1,)"));
}

TEST_CASE("grammar: statements") {
  CHECK(matches_all<g::statement>(R"(domain = "kyiv.dcomm.net.ua")"));
  CHECK(matches_all<g::statement>("site \"kyiv\" {}"));
  CHECK(matches_all<g::statement>("template \"a\" \"b\" {\n  x = 1\n}"));
  CHECK(matches_all<g::statement>("defaults {\n  tls = internal\n}"));
  CHECK(matches_all<g::statement>("service \"s\" { kind = synapse  host = \"matrix\" }"));
  CHECK_FALSE(matches_all<g::statement>("domain = \n\"x\""));
  CHECK_FALSE(matches_all<g::statement>("domain"));
}

TEST_CASE("grammar: whole files") {
  CHECK(matches_all<g::file>(""));
  CHECK(matches_all<g::file>("# only a comment\n"));
  CHECK(matches_all<g::file>("\xEF\xBB\xBFsite \"a\" {}\n"));  // a UTF-8 BOM is allowed
  CHECK(matches_all<g::file>("import \"common.dcomm\"\nsite \"a\" {}\r\n"));
}
