#pragma once
// A language server driven message by message in a test, without a
// process: the LSP tests share it.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "lsp/server.hpp"

namespace dcomm::lsp::testing {

using nlohmann::json;

inline const char* kUri = "file:///nonexistent/dcommc-lsp-test/site.dcomm";

inline json request(int id, const std::string& method, json params = json::object()) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
}
inline json notification(const std::string& method, json params = json::object()) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", params}};
}
inline json at(int line, int character) {
  return {{"textDocument", {{"uri", kUri}}}, {"position", {{"line", line}, {"character", character}}}};
}

struct Session {
  Server server;
  explicit Session(ServerOptions options = {}) : server(std::move(options)) {
    server.handle(request(1, "initialize", {{"capabilities", json::object()}}));
    server.handle(notification("initialized"));
  }
  std::vector<json> open(const std::string& text, int version = 1) {
    return server.handle(notification(
        "textDocument/didOpen",
        {{"textDocument", {{"uri", kUri}, {"languageId", "dcomm"}, {"version", version}, {"text", text}}}}));
  }
  json call(const std::string& method, json params) {
    auto out = server.handle(request(7, method, params));
    REQUIRE(!out.empty());
    return out.front();
  }
};

}  // namespace dcomm::lsp::testing
