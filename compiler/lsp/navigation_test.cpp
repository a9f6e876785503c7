// Hover, definition, references, rename and document symbols, each
// answered from the symbol table of the document's check.

#include <catch2/catch.hpp>

#include "lsp/jsonrpc.hpp"
#include "lsp/lsp_test_session.hpp"

namespace dcomm::lsp {

namespace {

using namespace testing;

const char* kSpec = R"(site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = acme("ops@dcomm.net.ua")

  node "worker" {
    labels = { dwebstackdomain = site.domain }
  }

  service "synapse" {
    kind = synapse
    on   = node.worker
  }

  service "element" {
    kind       = element
    on         = node.worker
    homeserver = service.synapse
  }
}
)";

json position(int line, int character) { return {{"line", line}, {"character", character}}; }

std::string hover_text(Session& s, int line, int character) {
  const json r = s.call("textDocument/hover", at(line, character));
  return r["result"].is_null() ? "" : r["result"]["contents"]["value"].get<std::string>();
}

}  // namespace

TEST_CASE("lsp navigation: references to a node, with and without its declaration", "[lsp]") {
  Session s;
  s.open(kSpec);
  json params = at(10, 14);  // node.worker in synapse
  const json all = s.call("textDocument/references", params)["result"];
  REQUIRE(all.size() == 3);
  CHECK(all[0]["range"]["start"] == position(4, 7));   // "worker" in the node's header
  CHECK(all[1]["range"]["start"] == position(10, 11));  // synapse's on
  CHECK(all[2]["range"]["start"] == position(15, 17));  // element's on
  params["context"] = {{"includeDeclaration", false}};
  CHECK(s.call("textDocument/references", params)["result"].size() == 2);
}

TEST_CASE("lsp navigation: rename a service edits its declaration and every reference", "[lsp]") {
  Session s;
  s.open(kSpec);
  json params = at(8, 12);  // "synapse" in the service's header
  params["newName"] = "matrix";
  const json r = s.call("textDocument/rename", params);
  REQUIRE(r.contains("result"));
  const json edits = r["result"]["changes"][kUri];
  REQUIRE(edits.size() == 2);
  CHECK(edits[0]["range"]["start"] == position(8, 11));  // inside the quotes
  CHECK(edits[0]["range"]["end"] == position(8, 18));
  CHECK(edits[1]["range"]["start"] == position(16, 25));  // the name after `service.`
  CHECK(edits[1]["range"]["end"] == position(16, 32));
  CHECK(edits[1]["newText"] == "matrix");

  params["newName"] = "Not A Name";
  CHECK(s.call("textDocument/rename", params)["error"]["code"] == error_code::invalid_params);
  json kind = at(9, 12);  // a standard kind cannot be renamed from a spec
  kind["newName"] = "homeserver";
  CHECK(s.call("textDocument/rename", kind)["error"]["message"].get<std::string>().find("standard library") !=
        std::string::npos);
}

TEST_CASE("lsp navigation: definition of a kind is its declaration in the standard library", "[lsp]") {
  Session s;
  s.open(kSpec);
  const json r = s.call("textDocument/definition", at(9, 12))["result"];
  CHECK(r["uri"].get<std::string>().find("synapse.dcomm") != std::string::npos);
  CHECK(s.call("textDocument/definition", at(1, 3))["result"].is_null());  // a built-in field
}

TEST_CASE("lsp navigation: a template's node.NAME goes to the node of a site extending it", "[lsp]") {
  Session s;
  s.open(R"(template "t" {
  tls = internal

  service "web" {
    kind = website
    on   = node.worker
    root = "/srv"
  }
}

site "kyiv" {
  extends = template.t
  domain  = "kyiv.dcomm.net.ua"

  node "worker" {
    labels = { role = "web" }
  }
}
)");
  const json r = s.call("textDocument/definition", at(5, 16))["result"];
  REQUIRE(r.is_object());
  CHECK(r["range"]["start"] == position(14, 2));
  CHECK(s.call("textDocument/definition", at(11, 14))["result"]["range"]["start"] == position(0, 0));
}

TEST_CASE("lsp navigation: hover on built-in names reads the language table", "[lsp]") {
  Session s;
  s.open(kSpec);
  CHECK(hover_text(s, 0, 1).find("one community server") != std::string::npos);      // site
  CHECK(hover_text(s, 2, 3).find("How Caddy gets certificates") != std::string::npos);  // tls
  CHECK(hover_text(s, 5, 36).find("site.domain") != std::string::npos);
  CHECK(hover_text(s, 16, 20).find("service synapse") != std::string::npos);
  CHECK(hover_text(s, 10, 14).find("dwebstackdomain") != std::string::npos);  // the node's labels
}

TEST_CASE("lsp navigation: document symbols are the outline of sites, nodes and services", "[lsp]") {
  Session s;
  s.open(kSpec);
  const json r = s.call("textDocument/documentSymbol", {{"textDocument", {{"uri", kUri}}}})["result"];
  REQUIRE(r.size() == 1);
  CHECK(r[0]["name"] == "kyiv");
  REQUIRE(r[0]["children"].size() == 3);
  CHECK(r[0]["children"][0]["name"] == "worker");
  CHECK(r[0]["children"][0]["detail"] == "node");
  CHECK(r[0]["children"][2]["name"] == "element");
  CHECK(r[0]["children"][2]["selectionRange"]["start"] == position(13, 10));
}

}  // namespace dcomm::lsp
