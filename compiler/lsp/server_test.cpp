// The Language Server driven message by message, without a process: the
// lifecycle, robustness against malformed messages, and each feature.

#include "lsp/server.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "lsp/jsonrpc.hpp"
#include "lsp/lsp_test_session.hpp"

namespace dcomm::lsp {

namespace {

using namespace testing;

const char* kSpec = R"(site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = acme("ops@dcomm.net.ua")

  node "worker" {
    labels = { dwebstackdomain = "kyiv.dcomm.net.ua" }
  }

  service "synapse" {
    kind         = synapse
    on           = node.worker
    registration = token
  }
}
)";

}  // namespace

TEST_CASE("lsp server: initialize announces the features", "[lsp]") {
  Server server;
  auto out = server.handle(request(1, "initialize", {{"capabilities", json::object()}}));
  REQUIRE(out.size() == 1);
  const json& caps = out[0]["result"]["capabilities"];
  CHECK(caps["textDocumentSync"]["change"] == 1);
  CHECK(caps["hoverProvider"] == true);
  CHECK(caps["definitionProvider"] == true);
  CHECK(caps["documentFormattingProvider"] == true);
  CHECK(caps.contains("completionProvider"));
}

TEST_CASE("lsp server: malformed messages get errors, never a crash", "[lsp]") {
  Server server;
  CHECK(server.handle(std::string("{not json"))[0]["error"]["code"] == error_code::parse_error);
  CHECK(server.handle(std::string("42"))[0]["error"]["code"] == error_code::invalid_request);
  CHECK(server.handle(std::string("[]"))[0]["error"]["code"] == error_code::invalid_request);
  CHECK(server.handle(json{{"jsonrpc", "2.0"}, {"id", 3}})[0]["error"]["code"] == error_code::invalid_request);
  CHECK(server.handle(json{{"jsonrpc", "2.0"}, {"id", 3}, {"method", 5}})[0]["error"]["code"] ==
        error_code::invalid_request);
  CHECK(server.handle(request(2, "textDocument/hover", at(0, 0)))[0]["error"]["code"] ==
        error_code::server_not_initialized);
  server.handle(request(1, "initialize"));
  CHECK(server.handle(request(4, "no/such/method"))[0]["error"]["code"] == error_code::method_not_found);
  CHECK(server.handle(notification("no/such/notification")).empty());
  CHECK(server.handle(request(5, "textDocument/hover", {{"textDocument", 1}}))[0]["error"]["code"] ==
        error_code::invalid_params);
  CHECK(server.handle(request(6, "textDocument/hover", at(0, 0)))[0]["error"]["code"] ==
        error_code::invalid_params);  // not open
  CHECK(server.handle(request(8, "textDocument/hover", json::array()))[0]["error"]["code"] ==
        error_code::invalid_params);
  // A broken notification is logged, not answered with an error response.
  auto logged = server.handle(notification("textDocument/didOpen", {{"textDocument", 3}}));
  REQUIRE(logged.size() == 1);
  CHECK(logged[0]["method"] == "window/logMessage");
  CHECK(!server.exited());
}

TEST_CASE("lsp server: shutdown then exit is status 0; exit alone 1", "[lsp]") {
  Server a;
  a.handle(request(1, "initialize"));
  auto out = a.handle(request(2, "shutdown"));
  CHECK(out[0]["result"].is_null());
  CHECK(a.handle(request(3, "textDocument/hover", at(0, 0)))[0]["error"]["code"] == error_code::invalid_request);
  a.handle(notification("exit"));
  CHECK(a.exited());
  CHECK(a.exit_code() == 0);
  Server b;
  b.handle(notification("exit"));
  CHECK(b.exited());
  CHECK(b.exit_code() == 1);
}

TEST_CASE("lsp server: diagnostics with ranges in UTF-16 units, then cleared", "[lsp]") {
  Session s;
  // An unknown attribute after a non-ASCII comment on the same line's predecessor:
  std::string broken = kSpec;
  broken.replace(broken.find("registration = token"), 20, "registrashun = token");
  broken.insert(0, "# Київ 😀\n");
  auto out = s.open(broken);
  REQUIRE(out.size() == 1);
  CHECK(out[0]["method"] == "textDocument/publishDiagnostics");
  const json& diags = out[0]["params"]["diagnostics"];
  REQUIRE(diags.size() >= 1);
  CHECK(diags[0]["code"] == "E0305");
  CHECK(diags[0]["severity"] == 1);
  CHECK(diags[0]["range"]["start"] == json{{"line", 12}, {"character", 4}});
  CHECK(diags[0]["range"]["end"] == json{{"line", 12}, {"character", 16}});
  CHECK(diags[0]["message"].get<std::string>().find("registration") != std::string::npos);

  auto fixed = s.server.handle(notification(
      "textDocument/didChange",
      {{"textDocument", {{"uri", kUri}, {"version", 2}}}, {"contentChanges", {{{"text", kSpec}}}}}));
  REQUIRE(fixed.size() == 1);
  CHECK(fixed[0]["params"]["diagnostics"].empty());
  CHECK(fixed[0]["params"]["version"] == 2);
}

TEST_CASE("lsp server: hover shows an attribute's type, default and doc", "[lsp]") {
  Session s;
  s.open(kSpec);
  const json r = s.call("textDocument/hover", at(11, 6));  // registration
  const std::string text = r["result"]["contents"]["value"];
  CHECK(text.find("enum(token, open, closed)") != std::string::npos);
  CHECK(text.find("Who may create accounts") != std::string::npos);
  CHECK(r["result"]["range"]["start"] == json{{"line", 11}, {"character", 4}});

  const std::string kind = s.call("textDocument/hover", at(9, 20))["result"]["contents"]["value"];
  CHECK(kind.find("Matrix homeserver") != std::string::npos);
  CHECK(kind.find("matrixdotorg/synapse") != std::string::npos);
  CHECK(kind.find("8008/tcp") != std::string::npos);

  const std::string domain = s.call("textDocument/hover", at(1, 3))["result"]["contents"]["value"];
  CHECK(domain.find("apex domain") != std::string::npos);
  CHECK(s.call("textDocument/hover", at(3, 0))["result"].is_null());
}

TEST_CASE("lsp server: definition of node.worker is the node block", "[lsp]") {
  Session s;
  s.open(kSpec);
  const json r = s.call("textDocument/definition", at(10, 25));
  CHECK(r["result"]["uri"] == kUri);
  CHECK(r["result"]["range"]["start"] == json{{"line", 4}, {"character", 2}});
  CHECK(r["result"]["range"]["end"] == json{{"line", 6}, {"character", 3}});
}

TEST_CASE("lsp server: completion by context", "[lsp]") {
  Session s;
  std::string text = kSpec;
  text.insert(text.find("    registration"), "    \n");
  s.open(text);
  auto labels = [&](int line, int character) {
    std::vector<std::string> out;
    const json response = s.call("textDocument/completion", at(line, character));
    for (const auto& item : response["result"]) out.push_back(item["label"]);
    return out;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  // Fields the block already has are left out; blocks, which repeat, are not.
  const auto in_service = labels(11, 4);
  CHECK(has(in_service, "max_upload"));
  CHECK(has(in_service, "memory"));
  CHECK_FALSE(has(in_service, "registration"));
  CHECK_FALSE(has(in_service, "on"));
  const auto in_site = labels(3, 0);
  CHECK(has(in_site, "onion"));
  CHECK(has(in_site, "service"));
  CHECK_FALSE(has(in_site, "domain"));
  const auto kinds = labels(9, 19);  // after "kind         = "
  CHECK(has(kinds, "synapse"));
  CHECK(has(kinds, "deltachat"));
  CHECK(labels(12, 19).size() >= 3);  // registration = token: enum members
}

TEST_CASE("lsp server: formatting replaces the document with fmt's output", "[lsp]") {
  Session s;
  s.open("site \"a\" {\ndomain=\"a.example\"\n}\n");
  const json r = s.call("textDocument/formatting", {{"textDocument", {{"uri", kUri}}}, {"options", json::object()}});
  REQUIRE(r["result"].size() == 1);
  CHECK(r["result"][0]["newText"] == "site \"a\" {\n  domain = \"a.example\"\n}\n");
  CHECK(r["result"][0]["range"]["end"] == json{{"line", 3}, {"character", 0}});
  s.open("site \"a\" {\n");
  CHECK(s.call("textDocument/formatting", {{"textDocument", {{"uri", kUri}}}})["result"].empty());
}

TEST_CASE("lsp server: serve() speaks framed JSON-RPC", "[lsp]") {
  auto frame = [](const json& j) {
    const std::string body = j.dump();
    return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  std::istringstream in(frame(request(1, "initialize")) + "Content-Length: 3\r\n\r\n{x}" +
                        frame(request(2, "shutdown")) + frame(notification("exit")));
  std::ostringstream out;
  CHECK(serve(in, out) == 0);
  CHECK(out.str().find("\"capabilities\"") != std::string::npos);
  CHECK(out.str().find("-32700") != std::string::npos);
}

}  // namespace dcomm::lsp
