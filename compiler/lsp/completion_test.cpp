// Every completion item, inserted, is something `dcommc check` knows: the
// test asks for completion at the start of every line of every example
// (and of a spec with a kind of its own, for the kind's blocks), inserts
// each item offered, and checks the result with the real front end. It may
// then lack a value or hold a wrong one, never an unknown name or a field
// the block already has. The same
// for values: each one offered after `NAME = ` is of the right type.

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "driver/pipeline.hpp"
#include "lsp/completion_context.hpp"
#include "lsp/lsp_test_session.hpp"
#include "lsp/positions.hpp"

namespace dcomm::lsp {

namespace {

using namespace testing;
namespace fs = std::filesystem;

/// A kind of one's own, with every block a kind holds, used by a site.
const char* kOwnKind = R"(kind "etherpad" {
  doc     = "Etherpad, a collaborative text editor"
  image   = "etherpad/etherpad:2.2.6"
  memory  = 256M
  ports   = [http_port]
  volumes = { data = "/opt/etherpad-lite/var" }
  needs   = [caddy]

  attribute "http_port" {
    type    = port
    default = 9001/tcp
    doc     = "Port the editor listens on"
  }

  container "backup" {
    image  = "alpine:3.20"
    memory = 64M
  }

  route "web" {
    host = "pad"
    port = http_port
  }
}

site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = acme("ops@dcomm.net.ua")

  node "worker" {
    labels = { dwebstackdomain = "kyiv.dcomm.net.ua" }
  }

  service "pad" {
    kind = etherpad
  }
}
)";

/// The codes that say a name is not one the language or the kind has,
/// and the syntax errors.
bool unknown_name(const Diagnostic& d) {
  return d.code == "E0303" || d.code == "E0305" || d.code == "E0232" || d.code.text().starts_with("E02");
}

/// What check must never say of an offered statement: an unknown name, a
/// syntax error, or a field written twice in its block.
bool not_accepted(const Diagnostic& d) { return unknown_name(d) || d.code == "E0304"; }

/// Also a value of the wrong type, an undefined reference, an unknown kind.
bool wrong_value(const Diagnostic& d) {
  return unknown_name(d) || d.code == "E0307" || d.code == "E0308" || d.code == "E0309";
}

struct Spec {
  std::string path;
  std::string text;
};

std::vector<Spec> specs() {
  std::vector<Spec> out;
  for (const char* name : {"examples/kyiv.dcomm", "examples/federation.dcomm"}) {
    const fs::path path = fs::path(DCOMMC_SOURCE_DIR) / name;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    out.push_back({path.string(), text.str()});
  }
  out.push_back({(fs::temp_directory_path() / "dcommc-completion-test.dcomm").string(), kOwnKind});
  return out;
}

/// The problems `dcommc check` finds in `text`, read as the file `path`.
std::vector<Diagnostic> check(const std::string& path, const std::string& text) {
  SourceMap sources;
  Diagnostics diags;
  check_file(sources, sources.add(path, text), diags);
  return diags.all();
}

std::vector<std::size_t> line_starts(const std::string& text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' && i + 1 < text.size()) starts.push_back(i + 1);
  return starts;
}

/// The completion items at (line, character) of `text`.
json complete(const Spec& spec, const std::string& text, std::size_t line, std::size_t character) {
  Session session;
  const std::string uri = path_to_uri(spec.path);
  session.server.handle(notification(
      "textDocument/didOpen", {{"textDocument", {{"uri", uri}, {"languageId", "dcomm"}, {"version", 1}, {"text", text}}}}));
  const json r = session.call("textDocument/completion",
                              {{"textDocument", {{"uri", uri}}}, {"position", {{"line", line}, {"character", character}}}});
  REQUIRE(r.contains("result"));
  return r["result"];
}

/// "site/service" for the blocks open at `offset`: one completion context.
std::string context_at(const std::string& text, std::size_t offset) {
  std::string out;
  for (const OpenBlock& block : open_blocks(text, static_cast<std::uint32_t>(offset))) out += "/" + block.type;
  return out;
}

/// What choosing `item` writes: its snippet with each placeholder's
/// default (`service(${1:synapse})` -> `service(synapse)`), or its label.
std::string inserted_text(const json& item) {
  if (!item.contains("insertText")) return item["label"];
  static const std::regex placeholder(R"(\$\{\d+:([^}]*)\})");
  return std::regex_replace(item["insertText"].get<std::string>(), placeholder, "$1");
}

std::string statement_for(const json& item) {
  const std::string label = item["label"];
  if (item["kind"] == 14) return label == "import" ? "import \"other.dcomm\"" : fmt::format("{} \"x\" {{\n}}", label);
  return label + " = 0";
}

/// The diagnostics that `bad` picks from checking `text`, as one string.
std::string problems(const std::vector<Diagnostic>& diags, bool (*bad)(const Diagnostic&)) {
  std::string out;
  for (const Diagnostic& d : diags)
    if (bad(d)) out += fmt::format("{}: {}\n", d.code, d.message);
  return out;
}

}  // namespace

TEST_CASE("lsp completion: every statement offered is a name check knows, in every context", "[lsp]") {
  std::set<std::string> contexts;
  std::size_t inserted = 0;
  for (const Spec& spec : specs()) {
    REQUIRE(problems(check(spec.path, spec.text), wrong_value).empty());
    std::set<std::string> tried;  // context and label: each checked once per spec
    for (std::size_t line = 0; const std::size_t start : line_starts(spec.text)) {
      const std::size_t indent = spec.text.find_first_not_of(' ', start) - start;
      const std::string blank = spec.text.substr(0, start) + std::string(indent, ' ') + "\n" + spec.text.substr(start);
      const std::string context = context_at(blank, start + indent);
      contexts.insert(context);
      for (const json& item : complete(spec, blank, line, indent)) {
        if (!tried.insert(context + " " + item["label"].get<std::string>()).second) continue;
        const std::string statement = statement_for(item);
        const std::string text =
            spec.text.substr(0, start) + std::string(indent, ' ') + statement + "\n" + spec.text.substr(start);
        INFO(spec.path << ":" << line + 1 << " (in " << context << "): " << statement);
        CHECK(problems(check(spec.path, text), not_accepted).empty());
        ++inserted;
      }
      ++line;
    }
  }
  // Every block that holds statements was a context, and the top level.
  for (const char* context : {"", "/site", "/site/node", "/site/service", "/template", "/template/node",
                              "/template/service", "/kind", "/kind/attribute", "/kind/container", "/kind/route"}) {
    INFO(context);
    CHECK(contexts.contains(context));
  }
  CHECK(inserted > 80);  // fields a block already has are not offered
}

TEST_CASE("lsp completion: every value offered after NAME = has the type NAME takes", "[lsp]") {
  static const std::regex attribute_line(R"(^( *)([a-z_]+)( *= *)([^{\[]*)$)");
  std::size_t inserted = 0;
  for (const Spec& spec : specs()) {
    const std::vector<std::size_t> starts = line_starts(spec.text);
    for (std::size_t line = 0; line < starts.size(); ++line) {
      const std::size_t end = spec.text.find('\n', starts[line]);
      const std::string original = spec.text.substr(starts[line], end - starts[line]);
      std::smatch m;
      if (!std::regex_match(original, m, attribute_line)) continue;
      const std::string head = m[1].str() + m[2].str() + m[3].str();
      auto with_value = [&](const std::string& value) {
        return spec.text.substr(0, starts[line]) + head + value + spec.text.substr(end);
      };
      for (const json& item : complete(spec, with_value(""), line, head.size())) {
        const std::string value = inserted_text(item);
        INFO(spec.path << ":" << line + 1 << ": " << head << value);
        // Only what is said of the value itself: a new kind or type may
        // well make the service's other attributes or the default wrong.
        const auto begin = static_cast<std::uint32_t>(starts[line] + head.size());
        std::string found;
        for (const Diagnostic& d : check(spec.path, with_value(value))) {
          const Span at = d.primary.span;
          if (d.code.text().starts_with("E02") || (wrong_value(d) && at.begin >= begin && at.begin <= begin + value.size()))
            found += fmt::format("{}: {}\n", d.code, d.message);
        }
        CHECK(found.empty());
        ++inserted;
      }
    }
  }
  CHECK(inserted > 30);
}

TEST_CASE("lsp completion: a field already written in the block is not offered again", "[lsp]") {
  const Spec spec{(fs::temp_directory_path() / "dcommc-completion-test.dcomm").string(), kOwnKind};
  auto labels_at = [&](const std::string& after) {
    const std::size_t start = spec.text.find(after) + after.size();  // a blank line there
    const std::string text = spec.text.substr(0, start) + "\n" + spec.text.substr(start);
    const std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + start, '\n')) + 1;
    std::set<std::string> labels;
    for (const json& item : complete(spec, text, line, 0)) labels.insert(item["label"]);
    return labels;
  };
  const std::set<std::string> in_site = labels_at("tls    = acme(\"ops@dcomm.net.ua\")\n");
  CHECK_FALSE(in_site.contains("domain"));
  CHECK_FALSE(in_site.contains("tls"));
  CHECK(in_site.contains("onion"));
  CHECK(in_site.contains("node"));  // blocks repeat
  const std::set<std::string> in_service = labels_at("kind = etherpad\n");
  CHECK_FALSE(in_service.contains("kind"));
  CHECK(in_service.contains("on"));
  CHECK(in_service.contains("http_port"));  // the kind's attribute, not yet set
  const std::set<std::string> in_kind = labels_at("needs   = [caddy]\n");
  for (const char* written : {"doc", "image", "memory", "ports", "volumes", "needs"}) CHECK_FALSE(in_kind.contains(written));
  CHECK(in_kind.contains("publish"));
  CHECK(in_kind.contains("attribute"));
}

}  // namespace dcomm::lsp
