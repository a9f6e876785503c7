// The parser: the tree it builds, the spans it records, how it recovers,
// and the limits that keep hostile input harmless.

#include "syntax/parser.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace dcomm::syntax {

namespace {

struct Parsed {
  SourceMap sources;
  Diagnostics diags;
  File file;

  explicit Parsed(std::string text, ParseLimits limits = {}) {
    const FileId id = sources.add("test.dcomm", std::move(text));
    file = parse(sources, id, diags, limits);
  }

  std::string_view text_of(Span span) const {
    return std::string_view(sources.file(span.file).text()).substr(span.begin, span.end - span.begin);
  }

  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) out.emplace_back(d.code.text());
    return out;
  }
};

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("parser: blocks, labels and attributes") {
  Parsed p(R"(site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
})");
  REQUIRE(p.codes().empty());
  REQUIRE(p.file.items.size() == 1);
  const Item& site = p.file.items[0];
  CHECK(site.kind == Item::Kind::block);
  CHECK(site.name == "site");
  REQUIRE(site.labels.size() == 1);
  CHECK(site.labels[0].text == "kyiv");
  CHECK(p.text_of(site.labels[0].span) == "\"kyiv\"");
  REQUIRE(site.body.size() == 2);

  const Item& domain = site.body[0];
  CHECK(domain.kind == Item::Kind::attribute);
  CHECK(p.text_of(domain.span) == R"(domain = "kyiv.dcomm.net.ua")");
  CHECK(p.text_of(domain.name_span) == "domain");
  CHECK(domain.value.kind == Value::Kind::string);
  CHECK(domain.value.text == "kyiv.dcomm.net.ua");

  const Item& node = site.body[1];
  CHECK(node.name == "node");
  REQUIRE(node.body.size() == 1);
  const Value& labels = node.body[0].value;
  REQUIRE(labels.kind == Value::Kind::map);
  REQUIRE(labels.entries.size() == 1);
  CHECK(labels.entries[0].key == "dwebstackdomain");
  CHECK_FALSE(labels.entries[0].key_quoted);
  CHECK(labels.entries[0].value.text == "kyiv.dcomm.net.ua");
  CHECK(p.text_of(site.span).starts_with("site \"kyiv\" {"));
  CHECK(p.text_of(site.span).ends_with("}"));
  CHECK(p.sources.file(0).text()[site.body_open] == '{');
  CHECK(p.sources.file(0).text()[site.body_close] == '}');
}

TEST_CASE("parser: every kind of value") {
  Parsed p(R"(service "s" {
  name     = "caf\u{E9} \"x\""
  count    = -3
  on       = true
  memory   = 512M
  keep     = 999d
  timeout  = 250ms
  port     = 28729/udp
  ports    = [80/tcp, 443/tcp,]
  env      = { "A.B" = 1, c = [] }
  target   = node.worker
  tls      = acme("ops@example.org")
})");
  REQUIRE(p.codes().empty());
  const auto& body = p.file.items.at(0).body;
  REQUIRE(body.size() == 11);
  CHECK(body[0].value.text == "caf\xC3\xA9 \"x\"");
  CHECK(body[1].value.kind == Value::Kind::integer);
  CHECK(body[1].value.number == -3);
  CHECK(body[2].value.kind == Value::Kind::boolean);
  CHECK(body[2].value.number == 1);
  CHECK(body[3].value.kind == Value::Kind::size);
  CHECK(body[3].value.number == 512ll << 20);
  CHECK(body[3].value.unit == "M");
  CHECK(body[4].value.kind == Value::Kind::duration);
  CHECK(body[4].value.number == 999ll * 86'400'000);
  CHECK(body[5].value.number == 250);
  CHECK(body[6].value.kind == Value::Kind::port);
  CHECK(body[6].value.number == 28729);
  CHECK(body[6].value.unit == "udp");
  CHECK(body[7].value.items.size() == 2);
  CHECK(body[8].value.entries.at(0).key == "A.B");
  CHECK(body[8].value.entries.at(0).key_quoted);
  CHECK(body[8].value.entries.at(1).value.kind == Value::Kind::list);
  CHECK(body[9].value.kind == Value::Kind::reference);
  CHECK(body[9].value.path == std::vector<std::string>{"node", "worker"});
  CHECK(body[10].value.kind == Value::Kind::call);
  CHECK(body[10].value.path == std::vector<std::string>{"acme"});
  REQUIRE(body[10].value.items.size() == 1);
  CHECK(body[10].value.items[0].text == "ops@example.org");
  CHECK(p.text_of(body[10].value.span) == R"(acme("ops@example.org"))");
}

TEST_CASE("parser: several statements may share a line") {
  Parsed p(R"(service "s" { kind = synapse  host = "matrix"  on = node.worker })");
  REQUIRE(p.codes().empty());
  const auto& body = p.file.items.at(0).body;
  REQUIRE(body.size() == 3);
  CHECK(body[0].value.path == std::vector<std::string>{"synapse"});
  CHECK(body[1].value.text == "matrix");
}

TEST_CASE("parser: imports") {
  Parsed p("import \"common.dcomm\"\nsite \"a\" {}\n");
  REQUIRE(p.codes().empty());
  REQUIRE(p.file.items.size() == 2);
  CHECK(p.file.items[0].kind == Item::Kind::import);
  CHECK(p.file.items[0].value.text == "common.dcomm");
  CHECK(p.text_of(p.file.items[0].span) == "import \"common.dcomm\"");
}

TEST_CASE("parser: comments are kept in source order") {
  Parsed p("# head\nsite \"a\" { # after brace\n  x = 1 # trailing\n  # inside\n}\n# tail\n");
  REQUIRE(p.codes().empty());
  REQUIRE(p.file.comments.size() == 5);
  CHECK(p.text_of(p.file.comments[0].span) == "# head");
  CHECK(p.text_of(p.file.comments[2].span) == "# trailing");
  CHECK(p.text_of(p.file.comments[4].span) == "# tail");
  for (std::size_t i = 1; i < p.file.comments.size(); ++i) {
    CHECK(p.file.comments[i - 1].span.begin < p.file.comments[i].span.begin);
  }
}

TEST_CASE("parser: recovery reports every error in a file") {
  Parsed p(R"(site "a" {
  domain =
  onion = "x
  tls = acme("ops@example.org"
  memory = 1.5G
}
site "b" {
  ports = [1 2]
}
}
)");
  CHECK(p.codes() == Codes{"E0208", "E0202", "E0217", "E0225", "E0213", "E0211"});
  // The statements around the broken ones survive.
  REQUIRE(p.file.items.size() == 2);
  CHECK(p.file.items[0].labels[0].text == "a");
  CHECK(p.file.items[1].labels[0].text == "b");
}

TEST_CASE("parser: slips with an obvious fix are reported and read past") {
  Parsed p("site kyiv {\n  domain: \"kyiv.dcomm.net.ua\"\n}\n");
  CHECK(p.codes() == Codes{"E0207", "E0206"});
  REQUIRE(p.file.items.size() == 1);
  CHECK(p.file.items[0].labels.at(0).text == "kyiv");
  CHECK(p.file.items[0].body.at(0).value.text == "kyiv.dcomm.net.ua");
  const Diagnostic& label = p.diags.all()[0];
  REQUIRE(label.fixes.size() == 1);
  CHECK(label.fixes[0].replacement == "\"kyiv\"");
  CHECK(p.text_of(label.fixes[0].span) == "kyiv");
}

TEST_CASE("parser: an unclosed bracket does not swallow the next statements") {
  Parsed p("site \"a\" {\n  tls = acme(\"x\"\n  domain = \"a.org\"\n  bad =\n}\n");
  CHECK(p.codes() == Codes{"E0217", "E0208"});
  REQUIRE(p.file.items.size() == 1);
  CHECK(p.file.items[0].body.at(0).name == "domain");
}

TEST_CASE("parser: an unclosed block points at its brace") {
  Parsed p("site \"a\" {\n  node \"w\" {\n    x = 1\n");
  REQUIRE_FALSE(p.diags.all().empty());
  const Diagnostic& d = p.diags.all().front();
  CHECK(d.code == "E0210");
  CHECK(p.text_of(d.primary.span) == "{");
  CHECK(p.sources.file(0).locate(d.primary.span.begin).line == 2);
  CHECK(d.secondary.empty());  // nothing is misindented here, so nothing else to point at
}

TEST_CASE("parser: attributes belong inside blocks") {
  Parsed p("domain = \"x.org\"\n");
  CHECK(p.codes() == Codes{"E0232"});
}

TEST_CASE("parser: what cannot start a statement") {
  CHECK(Parsed("}\n").codes() == Codes{"E0211"});
  CHECK(Parsed("site \"a\" { x = 1; }\n").codes() == Codes{"E0223"});
  CHECK(Parsed("site \"a\" { x = 'y' }\n").codes() == Codes{"E0224"});
  CHECK(Parsed("site \"a\" { \"x\" = 1 }\n").codes() == Codes{"E0233"});
  CHECK(Parsed("site \"a\" {\n  // note\n}\n").codes() == Codes{"E0222"});
  CHECK(Parsed("site \"a\" { import \"b\" }\n").codes() == Codes{"E0221"});
  CHECK(Parsed("import b\n").codes() == Codes{"E0220"});
  CHECK(Parsed("site \"a\" { x }\n").codes() == Codes{"E0205"});
  CHECK(Parsed("site \"a\" \"b\" x\n").codes() == Codes{"E0209"});
  CHECK(Parsed("@\n").codes() == Codes{"E0201"});
}

TEST_CASE("parser: empty input declares nothing") {
  CHECK(Parsed("").codes() == Codes{"E0105"});
  CHECK(Parsed("  # just a comment\n\n").codes() == Codes{"E0105"});
}

TEST_CASE("parser: invalid bytes are rejected before parsing") {
  Parsed bad_utf8(std::string("site \"a\" { x = \"\xC3\x28\" }"));
  CHECK(bad_utf8.codes() == Codes{"E0101"});
  CHECK(bad_utf8.diags.all()[0].primary.span.begin == 16);

  Parsed nul(std::string("site \"a\" {\0}", 12));
  CHECK(nul.codes() == Codes{"E0102"});
  CHECK(nul.diags.all()[0].primary.span.begin == 10);
}

TEST_CASE("parser: limits") {
  SECTION("size") {
    Parsed p(std::string(64, ' '), ParseLimits{.max_bytes = 32});
    CHECK(p.codes() == Codes{"E0103"});
  }
  SECTION("depth of blocks") {
    std::string deep;
    for (int i = 0; i < 100'000; ++i) deep += "a {";
    CHECK(Parsed(deep).codes() == Codes{"E0104"});
  }
  SECTION("depth of lists") {
    std::string deep = "site \"a\" { x = " + std::string(100'000, '[');
    CHECK(Parsed(deep).codes() == Codes{"E0104"});
  }
  SECTION("number of errors") {
    std::string many;
    for (int i = 0; i < 500; ++i) many += "}\n";
    Parsed p(many, ParseLimits{.max_errors = 10});
    CHECK(p.codes().size() == 11);
    CHECK(p.codes().back() == "E0106");
  }
}

}  // namespace dcomm::syntax
