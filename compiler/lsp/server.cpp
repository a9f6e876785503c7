#include "lsp/server.hpp"

#include <fmt/format.h>

#include <iostream>

#include "format/formatter.hpp"
#include "lsp/analysis.hpp"
#include "lsp/requests.hpp"
#include "syntax/parser.hpp"

namespace dcomm::lsp {

Server::Server(ServerOptions options) : options_(std::move(options)) {}
Server::~Server() = default;

std::vector<json> Server::handle(const std::string& body) {
  // No LSP message nests deeper than a dozen levels; 64 leaves room for
  // any client's initialization options and settings.
  constexpr std::size_t kMaxNesting = 64;
  if (json_nesting(body, kMaxNesting) > kMaxNesting) {
    return {error_response(nullptr, error_code::parse_error,
                           fmt::format("the message nests arrays and objects deeper than {} levels", kMaxNesting))};
  }
  json message = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) {
    return {error_response(nullptr, error_code::parse_error, "the message is not valid JSON")};
  }
  return handle(message);
}

std::vector<json> Server::handle(const json& message) {
  std::vector<json> out;
  if (message.is_array()) {  // JSON-RPC batches: LSP does not use them
    out.push_back(error_response(nullptr, error_code::invalid_request, "batches are not supported"));
    return out;
  }
  if (!message.is_object()) {
    out.push_back(error_response(nullptr, error_code::invalid_request, "a message must be a JSON object"));
    return out;
  }
  const auto id_it = message.find("id");
  const bool has_id = id_it != message.end();
  json id = has_id ? *id_it : json(nullptr);
  if (has_id && !id.is_number_integer() && !id.is_string() && !id.is_null()) {
    out.push_back(error_response(nullptr, error_code::invalid_request, "id must be a number or a string"));
    return out;
  }
  const auto method_it = message.find("method");
  if (method_it == message.end()) {
    if (has_id && (message.contains("result") || message.contains("error"))) return out;  // a response to us
    out.push_back(error_response(id, error_code::invalid_request, "a request needs a method"));
    return out;
  }
  if (!method_it->is_string()) {
    if (has_id) out.push_back(error_response(id, error_code::invalid_request, "method must be a string"));
    return out;
  }
  const std::string method = method_it->get<std::string>();
  const json params = message.contains("params") ? message["params"] : json::object();

  if (!has_id) {
    try {
      dispatch_notification(method, params, out);
    } catch (const std::exception& e) {
      // Notifications get no answer; say what went wrong in the client's log.
      out.push_back({{"jsonrpc", "2.0"},
                     {"method", "window/logMessage"},
                     {"params", {{"type", 1}, {"message", fmt::format("dcommc: {}: {}", method, e.what())}}}});
    }
    return out;
  }
  try {
    json result = dispatch_request(method, params, out);
    out.insert(out.begin(), json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
  } catch (const RpcError& e) {
    out.insert(out.begin(), error_response(id, e.code, e.what()));
  } catch (const json::exception& e) {
    out.insert(out.begin(), error_response(id, error_code::invalid_params,
                                           fmt::format("invalid params: {}", e.what())));
  } catch (const std::exception& e) {
    out.insert(out.begin(), error_response(id, error_code::internal_error, e.what()));
  }
  return out;
}

json Server::dispatch_request(const std::string& method, const json& params, std::vector<json>& out) {
  if (method == "initialize") {
    initialized_ = true;
    return {{"capabilities",
             {{"positionEncoding", "utf-16"},
              {"textDocumentSync", {{"openClose", true}, {"change", 1}}},
              {"hoverProvider", true},
              {"definitionProvider", true},
              {"referencesProvider", true},
              {"renameProvider", true},
              {"documentSymbolProvider", true},
              {"completionProvider", {{"triggerCharacters", json::array({"=", " ", "."})}}},
              {"documentFormattingProvider", true}}},
            {"serverInfo", {{"name", "dcommc"}, {"version", DCOMMC_VERSION}}}};
  }
  if (!initialized_) throw RpcError(error_code::server_not_initialized, "initialize first");
  if (shutdown_) throw RpcError(error_code::invalid_request, "the server is shutting down");
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (!params.is_object()) throw RpcError(error_code::invalid_params, "params must be an object");
  if (method == "textDocument/hover") return hover(*find(params), params);
  if (method == "textDocument/definition") return definition(*find(params), params);
  if (method == "textDocument/references") return references(*find(params), params);
  if (method == "textDocument/rename") return rename(*find(params), params);
  if (method == "textDocument/documentSymbol") return document_symbols(*find(params));
  if (method == "textDocument/completion") return completion(*find(params), params);
  if (method == "textDocument/formatting") return formatting(*find(params));
  (void)out;
  throw RpcError(error_code::method_not_found, fmt::format("unknown method '{}'", method));
}

void Server::dispatch_notification(const std::string& method, const json& params, std::vector<json>& out) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ || shutdown_) return;
  if (method == "textDocument/didOpen") {
    const json& td = params.at("textDocument");
    open(td.at("uri").get<std::string>(), td.at("text").get<std::string>(), version_of(td), out);
  } else if (method == "textDocument/didChange") {
    const json& td = params.at("textDocument");
    const std::string uri = td.at("uri").get<std::string>();
    auto it = documents_.find(uri);
    std::string text = it != documents_.end() ? it->second->text : std::string();
    for (const json& change : params.at("contentChanges")) {
      if (change.contains("range")) {  // incremental, if a client sends it anyway
        LineIndex index(text);
        const json& r = change.at("range");
        const std::uint32_t b = index.offset({uinteger(r.at("start").at("line")),
                                              uinteger(r.at("start").at("character"))});
        const std::uint32_t e = index.offset({uinteger(r.at("end").at("line")),
                                              uinteger(r.at("end").at("character"))});
        text.replace(b, std::max(b, e) - b, change.at("text").get<std::string>());
      } else {
        text = change.at("text").get<std::string>();
      }
    }
    open(uri, std::move(text), version_of(td), out);
  } else if (method == "textDocument/didClose") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    documents_.erase(uri);
    out.push_back(notification("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}}));
  }
  // Anything else ($/cancelRequest, didSave, workspace/*) needs nothing.
}

void Server::open(const std::string& uri, std::string text, int version, std::vector<json>& out) {
  auto doc = std::make_unique<Document>();
  doc->uri = uri;
  doc->path = uri_to_path(uri);
  doc->text = text;
  doc->version = version;
  doc->analysis = Analysis::check(doc->path, std::move(text), options_.load);
  doc->resolved = doc->analysis->resolved() ? doc->analysis : last_resolved(uri);
  out.push_back(publish_diagnostics(*doc));
  documents_[uri] = std::move(doc);
}

std::shared_ptr<const Analysis> Server::last_resolved(const std::string& uri) {
  if (auto it = documents_.find(uri); it != documents_.end()) return it->second->resolved;
  if (!stdlib_) stdlib_ = Analysis::standard_library(options_.load);
  return stdlib_;
}

Document* Server::find(const json& params) {
  const std::string uri = params.at("textDocument").at("uri").get<std::string>();
  auto it = documents_.find(uri);
  if (it == documents_.end()) throw RpcError(error_code::invalid_params, "the document is not open: " + uri);
  return it->second.get();
}

json Server::formatting(const Document& doc) {
  SourceMap sources;
  Diagnostics diags;
  const FileId id = sources.add(doc.path, doc.text);
  const syntax::File file = syntax::parse(sources, id, diags);
  if (diags.has_errors()) return json::array();  // fmt refuses too: fix the syntax first
  const std::string formatted = format::format_file(file, sources.file(id));
  if (formatted == doc.text) return json::array();
  const LineIndex index(doc.text);
  return json::array({{{"range", range_json(index, 0, static_cast<std::uint32_t>(doc.text.size()))},
                       {"newText", formatted}}});
}

int serve(std::istream& in, std::ostream& out, ServerOptions options) {
  Server server(std::move(options));
  MessageReader reader(in);
  while (!server.exited()) {
    ReadResult r = reader.read();
    if (r.status == ReadResult::Status::end) break;
    if (r.status == ReadResult::Status::bad_header) {
      write_message(out, error_response(nullptr, error_code::parse_error, "bad message framing: " + r.error)
                             .dump(-1, ' ', false, json::error_handler_t::replace));
      if (!in) break;
      continue;
    }
    for (const json& reply : server.handle(r.body)) {
      write_message(out, reply.dump(-1, ' ', false, json::error_handler_t::replace));
    }
  }
  return server.exited() ? server.exit_code() : 1;
}

}  // namespace dcomm::lsp
