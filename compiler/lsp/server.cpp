#include "lsp/server.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <regex>
#include <stdexcept>

#include "diag/diagnostic.hpp"
#include "driver/pipeline.hpp"
#include "format/formatter.hpp"
#include "lsp/jsonrpc.hpp"
#include "lsp/positions.hpp"
#include "syntax/parser.hpp"

namespace dcomm::lsp {

using nlohmann::json;
namespace fs = std::filesystem;

/// One open document and what the last check of it loaded.
struct Document {
  std::string uri;
  std::string path;
  std::string text;
  int version = 0;
  SourceMap sources;
  FileId root = 0;
  std::vector<resolve::LoadedFile> files;

  const syntax::File* tree() const {
    for (const auto& f : files)
      if (f.tree.file == root) return &f.tree;
    return nullptr;
  }
};

namespace {

struct RpcError : std::runtime_error {
  int code;
  RpcError(int c, const std::string& message) : std::runtime_error(message), code(c) {}
};

json error_response(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

// ---------------------------------------------------------------------------
// Positions

/// An LSP `uinteger` (0 to 2^31 - 1): anything else, a float or 2^64
/// included, is invalid params, never a conversion out of range.
std::uint32_t uinteger(const json& value) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 0x7FFFFFFF) {
    throw RpcError(error_code::invalid_params, "expected a whole number from 0 to 2147483647");
  }
  return static_cast<std::uint32_t>(value.get<std::int64_t>());
}

/// A document's version, 0 when it is missing or not a whole number.
int version_of(const json& document) {
  const auto it = document.find("version");
  if (it == document.end() || !it->is_number_integer()) return 0;
  const std::int64_t version = it->get<std::int64_t>();
  return version >= 0 && version <= 0x7FFFFFFF ? static_cast<int>(version) : 0;
}

json to_json(Position p) { return {{"line", p.line}, {"character", p.character}}; }

json range_json(const LineIndex& index, std::uint32_t begin, std::uint32_t end) {
  return {{"start", to_json(index.position(begin))}, {"end", to_json(index.position(end))}};
}

Position position_of(const json& params) {
  const json& p = params.at("position");
  return {uinteger(p.at("line")), uinteger(p.at("character"))};
}

std::string_view span_text(const SourceMap& sources, Span span) {
  if (span.file >= sources.size()) return {};
  const std::string& text = sources.file(span.file).text();
  if (span.begin > span.end || span.end > text.size()) return {};
  return std::string_view(text).substr(span.begin, span.end - span.begin);
}

bool contains(Span span, std::uint32_t offset) { return span.begin <= offset && offset <= span.end; }

// ---------------------------------------------------------------------------
// What the syntax trees declare

struct AttributeInfo {
  std::string name, type, default_text, doc;
};

struct KindInfo {
  std::string name, doc;
  std::vector<std::string> containers;  ///< "image, memory, ports" per container
  std::vector<AttributeInfo> attributes;
  const syntax::Item* block = nullptr;
  bool standard = false;

  const AttributeInfo* attribute(const std::string& n) const {
    for (const auto& a : attributes)
      if (a.name == n) return &a;
    return nullptr;
  }
};

const syntax::Item* attribute_of(const syntax::Item& block, std::string_view name) {
  for (const auto& item : block.body)
    if (item.kind == syntax::Item::Kind::attribute && item.name == name) return &item;
  return nullptr;
}

std::string label_of(const syntax::Item& block) {
  return block.labels.empty() ? std::string() : block.labels[0].text;
}

/// "image `x` · memory 1G · ports 8008/tcp" for a kind or container block.
std::string container_summary(const SourceMap& sources, const syntax::Item& block) {
  std::vector<std::string> parts;
  for (const char* field : {"image", "memory", "ports"}) {
    if (const auto* a = attribute_of(block, field))
      parts.push_back(fmt::format("{} `{}`", field, span_text(sources, a->value.span)));
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " · ") + p;
  return out;
}

std::vector<KindInfo> collect_kinds(const Document& doc) {
  std::vector<KindInfo> kinds;
  for (const auto& file : doc.files) {
    for (const auto& item : file.tree.items) {
      if (item.kind != syntax::Item::Kind::block || item.name != "kind" || item.labels.empty()) continue;
      KindInfo kind{.name = label_of(item), .block = &item, .standard = file.stdlib};
      if (const auto* d = attribute_of(item, "doc")) kind.doc = d->value.text;
      if (attribute_of(item, "image")) kind.containers.push_back(container_summary(doc.sources, item));
      for (const auto& sub : item.body) {
        if (sub.kind != syntax::Item::Kind::block) continue;
        if (sub.name == "container") {
          kind.containers.push_back(fmt::format("container `{}`: {}", label_of(sub),
                                                container_summary(doc.sources, sub)));
        } else if (sub.name == "attribute") {
          AttributeInfo a{.name = label_of(sub)};
          if (const auto* t = attribute_of(sub, "type")) a.type = span_text(doc.sources, t->value.span);
          if (const auto* d = attribute_of(sub, "default"))
            a.default_text = span_text(doc.sources, d->value.span);
          if (const auto* d = attribute_of(sub, "doc")) a.doc = d->value.text;
          kind.attributes.push_back(std::move(a));
        }
      }
      kinds.push_back(std::move(kind));
    }
  }
  return kinds;
}

const KindInfo* find_kind(const std::vector<KindInfo>& kinds, const std::string& name) {
  // A user kind of the same name shadows nothing (that is an error), so the first wins.
  for (const auto& k : kinds)
    if (k.name == name) return &k;
  return nullptr;
}

/// Top-level blocks of a type and label across the document and its imports.
const syntax::Item* find_top_block(const Document& doc, std::string_view type, std::string_view label,
                                   bool include_stdlib = false) {
  // The document itself first.
  if (const auto* tree = doc.tree()) {
    for (const auto& item : tree->items)
      if (item.kind == syntax::Item::Kind::block && item.name == type && label_of(item) == label)
        return &item;
  }
  for (const auto& file : doc.files) {
    if (file.stdlib && !include_stdlib) continue;
    for (const auto& item : file.tree.items)
      if (item.kind == syntax::Item::Kind::block && item.name == type && label_of(item) == label)
        return &item;
  }
  return nullptr;
}

const syntax::Item* find_child_block(const syntax::Item& parent, std::string_view type,
                                     std::string_view label) {
  for (const auto& item : parent.body)
    if (item.kind == syntax::Item::Kind::block && item.name == type && label_of(item) == label)
      return &item;
  return nullptr;
}

/// The template a site or template extends, if any.
const syntax::Item* extended_template(const Document& doc, const syntax::Item& scope) {
  const auto* extends = attribute_of(scope, "extends");
  if (!extends || extends->value.kind != syntax::Value::Kind::reference ||
      extends->value.path.size() != 2 || extends->value.path[0] != "template")
    return nullptr;
  const auto* t = find_top_block(doc, "template", extends->value.path[1]);
  return t == &scope ? nullptr : t;
}

/// A service's kind: its own `kind = X`, or that of the service of the same
/// name in the template its site extends.
std::optional<std::string> kind_of_service(const Document& doc, const syntax::Item& service,
                                           const syntax::Item* scope) {
  if (const auto* k = attribute_of(service, "kind")) {
    if (k->value.kind == syntax::Value::Kind::reference && k->value.path.size() == 1)
      return k->value.path[0];
  }
  int depth = 0;
  while (scope && depth++ < 8) {
    scope = extended_template(doc, *scope);
    if (!scope) break;
    if (const auto* s = find_child_block(*scope, "service", label_of(service))) {
      if (const auto* k = attribute_of(*s, "kind"))
        if (k->value.kind == syntax::Value::Kind::reference && k->value.path.size() == 1)
          return k->value.path[0];
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Where the cursor is, in the syntax tree

struct TreeContext {
  std::vector<const syntax::Item*> blocks;  ///< enclosing blocks, outermost first
  const syntax::Item* item = nullptr;       ///< innermost statement containing the offset
};

bool inside_body(const syntax::Item& block, std::uint32_t offset) {
  const std::uint32_t close = block.body_close > block.body_open ? block.body_close : block.span.end;
  return block.body_open < offset && offset <= close;
}

void walk(const std::vector<syntax::Item>& items, std::uint32_t offset, TreeContext& ctx) {
  for (const auto& item : items) {
    if (!contains(item.span, offset)) continue;
    if (item.kind == syntax::Item::Kind::block && inside_body(item, offset)) {
      ctx.blocks.push_back(&item);
      walk(item.body, offset, ctx);
      return;
    }
    ctx.item = &item;
    return;
  }
}

TreeContext tree_context(const syntax::File& file, std::uint32_t offset) {
  TreeContext ctx;
  walk(file.items, offset, ctx);
  return ctx;
}

/// The innermost reference value containing `offset`.
const syntax::Value* reference_at(const syntax::Value& value, std::uint32_t offset) {
  if (!contains(value.span, offset)) return nullptr;
  if (value.kind == syntax::Value::Kind::reference) return &value;
  for (const auto& v : value.items)
    if (const auto* r = reference_at(v, offset)) return r;
  for (const auto& e : value.entries)
    if (const auto* r = reference_at(e.value, offset)) return r;
  return nullptr;
}

// ---------------------------------------------------------------------------
// Built-in docs: the attributes of sites, nodes and services that no kind declares

struct BuiltinDoc {
  const char* name;
  const char* type;
  const char* doc;
};

constexpr BuiltinDoc kSiteAttributes[] = {
    {"domain", "string, required",
     "The apex domain, e.g. `\"kyiv.dcomm.net.ua\"`. Services live on it and its subdomains."},
    {"tls", "acme(\"EMAIL\") | internal | off, required",
     "How Caddy gets certificates: `acme(\"ops@example.org\")` from Let's Encrypt, `internal` from "
     "Caddy's own certificate authority, `off` for none (a site reached over its onion address)."},
    {"onion", "string",
     "The site's Tor v3 onion address: 56 base32 characters and `.onion`, from the hidden "
     "service's `hostname` file."},
    {"country", "string", "An ISO 3166 alpha-2 code in capitals, such as `\"UA\"`, for Element."},
    {"network", "host | overlay = host",
     "`host`: containers use the node's network, so ports of services on one node must differ. "
     "`overlay`: a swarm overlay network."},
    {"images", "map of image references",
     "Pull images from elsewhere: `{ \"FROM\" = \"TO\" }`, for a private registry or an offline mirror."},
    {"extends", "template.NAME", "Applies a template beneath the site's own statements."},
};

constexpr BuiltinDoc kNodeAttributes[] = {
    {"labels", "map of strings, required",
     "The swarm node labels that find this machine; its services are placed with constraints on "
     "them. Give each node a label that tells it apart from the site's other nodes."},
    {"addresses", "list of IP addresses",
     "Where the node is reached, IPv4 and IPv6: `[\"203.0.113.7\", \"2001:db8::7\"]`. dns.zone "
     "then carries them as the apex's A and AAAA records when Caddy runs on this node."},
};

constexpr BuiltinDoc kServiceAttributes[] = {
    {"kind", "kind name, required", "What the service runs: a standard kind or one of your own, bare: `kind = synapse`."},
    {"on", "node.NAME",
     "The node it runs on. May be left out when the site has exactly one node."},
    {"image", "string", "Replaces the image of the kind's container (kinds with one container)."},
    {"memory", "size", "Replaces the memory limit of the kind's container (kinds with one container)."},
};

constexpr BuiltinDoc kKindFields[] = {
    {"doc", "string", "One line saying what the kind runs."},
    {"implicit", "bool", "Added to a site when a service needs it and none exists."},
    {"image", "string", "The container image, pinned."},
    {"pinned", "date string", "The day the image's version was chosen, `\"2026-12-04\"`: older than `--max-image-age` days is W0506."},
    {"memory", "size", "The container's memory limit."},
    {"ports", "list of ports", "Ports the container listens on, e.g. `[8008/tcp]`."},
    {"publish", "list of ports",
     "Of its ports, the ones people reach directly: opened in the node's firewall, published on an overlay network."},
    {"volumes", "map", "Named volumes and their mount paths: `{ data = \"/data\" }`."},
    {"env", "map", "Environment variables of the container."},
    {"entrypoint", "list of strings", "Replaces the image's entrypoint, e.g. `[\"postfix\", \"start-fg\"]`."},
    {"host_network_command", "list of strings",
     "Replaces the image's command when the site uses host networking, e.g. to listen on the loopback only."},
    {"needs", "list of kinds", "Kinds that must be present in the same site."},
    {"beside", "kind", "A kind that must run on the same node."},
    {"secrets", "map", "Secrets the build generates once: `{ NAME = token | password | signing_key }`."},
};

constexpr BuiltinDoc kAttributeFields[] = {
    {"type", "type", "string, integer, bool, size, duration, port, subdomain, enum(a, b), node, service(KIND), list(T), map(T)…"},
    {"default", "value", "The value when a service leaves the attribute out; without one it must be set."},
    {"doc", "string", "One line shown in hovers and docs."},
};

constexpr BuiltinDoc kBlocks[] = {
    {"site", "block", "One community server: a domain, TLS, the swarm nodes it runs on and its services."},
    {"node", "block", "A machine of the swarm, found by its labels."},
    {"service", "block", "Runs one kind of software on one node: `kind`, `on` and the kind's attributes."},
    {"template", "block", "Statements shared by sites that say `extends = template.NAME`."},
    {"kind", "block", "A kind of service: its container(s), attributes, routes and secrets."},
    {"attribute", "block", "An attribute a kind accepts: `type`, `default`, `doc`."},
    {"container", "block", "One container of a kind with several."},
    {"route", "block", "A public HTTP route through Caddy: `host`, `paths`, `port`."},
    {"import", "statement", "Reads another spec file, relative to this file's folder."},
};

template <std::size_t N>
const BuiltinDoc* builtin(const BuiltinDoc (&table)[N], const std::string& name) {
  for (const auto& d : table)
    if (name == d.name) return &d;
  return nullptr;
}

std::string builtin_markdown(const BuiltinDoc& d, const char* of) {
  return fmt::format("**{}**: `{}`\n\n{}\n\n*{}*", d.name, d.type, d.doc, of);
}

std::string attribute_markdown(const AttributeInfo& a, const KindInfo& kind) {
  std::string out = fmt::format("**{}**: `{}`", a.name, a.type.empty() ? "?" : a.type);
  if (!a.default_text.empty()) out += fmt::format(" = `{}`", a.default_text);
  if (!a.doc.empty()) out += "\n\n" + a.doc;
  out += fmt::format("\n\n*attribute of kind `{}`*", kind.name);
  return out;
}

std::string kind_markdown(const KindInfo& k) {
  std::string out = fmt::format("**kind {}**{}", k.name, k.standard ? " (standard library)" : "");
  if (!k.doc.empty()) out += "\n\n" + k.doc;
  for (const auto& c : k.containers) out += "\n\n" + c;
  if (!k.attributes.empty()) {
    out += "\n\nAttributes:";
    for (const auto& a : k.attributes) {
      out += fmt::format("\n- `{}`: `{}`", a.name, a.type);
      if (!a.default_text.empty()) out += fmt::format(" = `{}`", a.default_text);
      if (!a.doc.empty()) out += " — " + a.doc;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Completion context, from the text (the tree may be broken while typing)

struct OpenBlock {
  std::string type;  ///< block type, or "" for a map
  std::string label;
  std::uint32_t open = 0;  ///< offset of '{'
};

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-'; }

std::vector<OpenBlock> open_blocks(std::string_view text, std::uint32_t offset) {
  struct Token {
    enum { name, string, equals, other } kind;
    std::string text;
  };
  std::vector<OpenBlock> stack;
  std::vector<Token> recent;  // tokens since the last brace
  std::uint32_t i = 0;
  const std::uint32_t end = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  while (i < end) {
    const char c = text[i];
    if (c == '#') {
      while (i < end && text[i] != '\n') ++i;
    } else if (c == '"') {
      std::string s;
      ++i;
      while (i < end && text[i] != '"' && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < end) ++i;
        s.push_back(text[i++]);
      }
      ++i;
      recent.push_back({Token::string, s});
    } else if (name_start(c)) {
      const std::uint32_t start = i;
      while (i < end && name_char(text[i])) ++i;
      recent.push_back({Token::name, std::string(text.substr(start, i - start))});
    } else if (c == '{') {
      // NAME "label"... {  is a block; anything else (`= {`, `[{`) a map.
      OpenBlock block{.open = i};
      std::size_t j = recent.size();
      std::vector<std::string> labels;
      while (j > 0 && recent[j - 1].kind == Token::string) labels.insert(labels.begin(), recent[--j].text);
      const bool is_block = j > 0 && recent[j - 1].kind == Token::name &&
                            !(j > 1 && recent[j - 2].kind == Token::equals);
      if (is_block) {
        block.type = recent[j - 1].text;
        if (!labels.empty()) block.label = labels.front();
      }
      stack.push_back(block);
      recent.clear();
      ++i;
    } else if (c == '}') {
      if (!stack.empty()) stack.pop_back();
      recent.clear();
      ++i;
    } else if (c == '=') {
      recent.push_back({Token::equals, "="});
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else {
      recent.push_back({Token::other, std::string(1, c)});
      ++i;
    }
    if (recent.size() > 64) recent.erase(recent.begin(), recent.begin() + 32);
  }
  return stack;
}

/// `kind = X` written directly in the block opened at `open`.
std::optional<std::string> kind_in_text(std::string_view text, std::uint32_t open) {
  std::size_t close = text.find('}', open + 1);
  if (close == std::string_view::npos) close = text.size();
  const std::string body(text.substr(open + 1, close - open - 1));
  static const std::regex re(R"((?:^|[\s{])kind\s*=\s*([A-Za-z_][A-Za-z0-9_-]*))");
  std::smatch m;
  if (std::regex_search(body, m, re)) return m[1].str();
  return std::nullopt;
}

enum CompletionKind { kProperty = 10, kKeyword = 14, kClass = 7, kEnumMember = 20, kReference = 18, kValue = 12 };

json completion_item(const std::string& label, int kind, const std::string& detail = "",
                     const std::string& doc = "") {
  json item = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) item["detail"] = detail;
  if (!doc.empty()) item["documentation"] = {{"kind", "markdown"}, {"value", doc}};
  return item;
}

/// Members of `enum(a, b, c)`.
std::vector<std::string> enum_members(const std::string& type) {
  std::vector<std::string> out;
  static const std::regex re(R"(^\s*enum\s*\((.*)\)\s*$)");
  std::smatch m;
  if (!std::regex_match(type, m, re)) return out;
  const std::string inner = m[1].str();
  static const std::regex name(R"([A-Za-z_][A-Za-z0-9_-]*)");
  for (auto it = std::sregex_iterator(inner.begin(), inner.end(), name); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------

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
  if (method == "textDocument/hover") return hover(params);
  if (method == "textDocument/definition") return definition(params);
  if (method == "textDocument/completion") return completion(params);
  if (method == "textDocument/formatting") return formatting(params);
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
    out.push_back({{"jsonrpc", "2.0"},
                   {"method", "textDocument/publishDiagnostics"},
                   {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
  }
  // Anything else ($/cancelRequest, didSave, workspace/*) needs nothing.
}

void Server::open(const std::string& uri, std::string text, int version, std::vector<json>& out) {
  auto doc = std::make_unique<Document>();
  doc->uri = uri;
  doc->path = uri_to_path(uri);
  doc->text = text;
  doc->version = version;
  doc->root = doc->sources.add(doc->path, std::move(text));
  Diagnostics diags;
  Compilation compilation = check_file(doc->sources, doc->root, diags, options_.load);
  doc->files = std::move(compilation.files);

  const LineIndex index(doc->text);
  // Where to show problems found in other files: the first import.
  Span import_span{doc->root, 0, 0};
  if (const auto* tree = doc->tree()) {
    for (const auto& item : tree->items)
      if (item.kind == syntax::Item::Kind::import) {
        import_span = item.span;
        break;
      }
  }
  auto location_json = [&](Span span) -> json {
    if (span.file == doc->root) return {{"uri", uri}, {"range", range_json(index, span.begin, span.end)}};
    const SourceFile& f = doc->sources.file(span.file);
    const LineIndex other(f.text());
    std::error_code ec;
    const fs::path abs = fs::absolute(f.name(), ec);
    return {{"uri", path_to_uri(ec ? f.name() : abs.string())}, {"range", range_json(other, span.begin, span.end)}};
  };

  json list = json::array();
  for (const Diagnostic& d : diags.all()) {
    std::string message = d.message;
    Span at = d.primary.span;
    if (at.file != doc->root) {
      const SourceFile& f = doc->sources.file(at.file);
      const LineColumn lc = f.locate(at.begin);
      message = fmt::format("in {}:{}:{}: {}", f.name(), lc.line, lc.column, message);
      at = import_span;
    } else if (!d.primary.message.empty()) {
      message += ": " + d.primary.message;
    }
    for (const auto& note : d.notes) message += "\nnote: " + note;
    if (!d.help.empty()) message += "\nhelp: " + d.help;
    json item = {{"range", range_json(index, at.begin, at.end)},
                 {"severity", d.severity == Severity::error ? 1 : 2},
                 {"source", "dcommc"},
                 {"message", message}};
    if (!d.code.empty()) item["code"] = d.code;
    json related = json::array();
    if (d.primary.span.file != doc->root) {
      related.push_back({{"location", location_json(d.primary.span)},
                         {"message", d.primary.message.empty() ? d.message : d.primary.message}});
    }
    for (const auto& label : d.secondary) {
      if (label.span.file >= doc->sources.size()) continue;
      related.push_back({{"location", location_json(label.span)}, {"message", label.message}});
    }
    if (!related.empty()) item["relatedInformation"] = related;
    list.push_back(std::move(item));
  }
  out.push_back({{"jsonrpc", "2.0"},
                 {"method", "textDocument/publishDiagnostics"},
                 {"params", {{"uri", uri}, {"version", version}, {"diagnostics", list}}}});
  documents_[uri] = std::move(doc);
}

Document* Server::find(const json& params) {
  const std::string uri = params.at("textDocument").at("uri").get<std::string>();
  auto it = documents_.find(uri);
  if (it == documents_.end()) throw RpcError(error_code::invalid_params, "the document is not open: " + uri);
  return it->second.get();
}

json Server::hover(const json& params) {
  Document& doc = *find(params);
  const syntax::File* tree = doc.tree();
  if (!tree) return nullptr;
  const LineIndex index(doc.text);
  const std::uint32_t offset = index.offset(position_of(params));
  const TreeContext ctx = tree_context(*tree, offset);
  if (!ctx.item) return nullptr;
  const syntax::Item& item = *ctx.item;
  const syntax::Item* parent = ctx.blocks.empty() ? nullptr : ctx.blocks.back();
  const syntax::Item* scope = ctx.blocks.empty() ? nullptr : ctx.blocks.front();
  const std::string parent_type = parent ? parent->name : "";

  auto answer = [&](const std::string& markdown, Span span) -> json {
    return {{"contents", {{"kind", "markdown"}, {"value", markdown}}},
            {"range", range_json(index, span.begin, span.end)}};
  };
  const std::vector<KindInfo> kinds = collect_kinds(doc);

  if (contains(item.name_span, offset) && item.kind != syntax::Item::Kind::import) {
    if (item.kind == syntax::Item::Kind::block) {
      if (const auto* d = builtin(kBlocks, item.name)) return answer(builtin_markdown(*d, "block"), item.name_span);
      return nullptr;
    }
    const BuiltinDoc* d = nullptr;
    const char* of = "";
    if (parent_type == "service") {
      if ((d = builtin(kServiceAttributes, item.name))) {
        of = "attribute of every service";
      } else if (auto kind_name = kind_of_service(doc, *parent, scope)) {
        if (const auto* kind = find_kind(kinds, *kind_name))
          if (const auto* a = kind->attribute(item.name))
            return answer(attribute_markdown(*a, *kind), item.name_span);
      }
    } else if (parent_type == "site" || parent_type == "template") {
      d = builtin(kSiteAttributes, item.name);
      of = "site attribute";
    } else if (parent_type == "node") {
      d = builtin(kNodeAttributes, item.name);
      of = "node attribute";
    } else if (parent_type == "kind" || parent_type == "container") {
      d = builtin(kKindFields, item.name);
      of = "kind field";
    } else if (parent_type == "attribute") {
      d = builtin(kAttributeFields, item.name);
      of = "attribute field";
    }
    if (d) return answer(builtin_markdown(*d, of), item.name_span);
    return nullptr;
  }
  if (item.kind == syntax::Item::Kind::attribute && contains(item.value.span, offset)) {
    const syntax::Value* ref = reference_at(item.value, offset);
    if (ref && ref->path.size() == 1) {
      if (const auto* kind = find_kind(kinds, ref->path[0]))
        if (item.name == "kind" || item.name == "needs" || item.name == "beside")
          return answer(kind_markdown(*kind), ref->span);
    }
  }
  if (item.kind == syntax::Item::Kind::import && contains(item.span, offset)) {
    return answer(builtin_markdown(kBlocks[8], "statement"), item.span);
  }
  return nullptr;
}

json Server::definition(const json& params) {
  Document& doc = *find(params);
  const syntax::File* tree = doc.tree();
  if (!tree) return nullptr;
  const LineIndex index(doc.text);
  const std::uint32_t offset = index.offset(position_of(params));
  const TreeContext ctx = tree_context(*tree, offset);
  if (!ctx.item || ctx.item->kind != syntax::Item::Kind::attribute) return nullptr;
  const syntax::Value* ref = reference_at(ctx.item->value, offset);
  if (!ref || ref->path.empty()) return nullptr;
  const syntax::Item* scope = ctx.blocks.empty() ? nullptr : ctx.blocks.front();

  const syntax::Item* target = nullptr;
  if (ref->path.size() == 2 && (ref->path[0] == "node" || ref->path[0] == "service")) {
    const syntax::Item* s = scope;
    for (int depth = 0; s && !target && depth < 8; ++depth) {
      target = find_child_block(*s, ref->path[0], ref->path[1]);
      if (!target) s = extended_template(doc, *s);
    }
    if (!target) {  // e.g. a template refers to a node each site declares
      for (const auto& file : doc.files) {
        if (file.stdlib) continue;
        for (const auto& top : file.tree.items) {
          if (top.kind != syntax::Item::Kind::block || (top.name != "site" && top.name != "template")) continue;
          if ((target = find_child_block(top, ref->path[0], ref->path[1]))) break;
        }
        if (target) break;
      }
    }
  } else if (ref->path.size() == 2 && ref->path[0] == "template") {
    target = find_top_block(doc, "template", ref->path[1]);
  } else if (ref->path.size() == 1 && (ctx.item->name == "kind" || ctx.item->name == "needs" ||
                                       ctx.item->name == "beside")) {
    target = find_top_block(doc, "kind", ref->path[0], options_.load.stdlib_dir.has_value());
  } else if (ref->path.size() == 2 && ref->path[0] == "site" && scope) {
    if (const auto* a = attribute_of(*scope, ref->path[1])) target = a;
  }
  if (!target) return nullptr;
  const Span span = target->span;
  if (span.file == doc.root) return {{"uri", doc.uri}, {"range", range_json(index, span.begin, span.end)}};
  const SourceFile& f = doc.sources.file(span.file);
  std::error_code ec;
  const fs::path abs = fs::absolute(f.name(), ec);
  const LineIndex other(f.text());
  return {{"uri", path_to_uri(ec ? f.name() : abs.string())}, {"range", range_json(other, span.begin, span.end)}};
}

json Server::completion(const json& params) {
  Document& doc = *find(params);
  const LineIndex index(doc.text);
  const std::uint32_t offset = index.offset(position_of(params));
  const std::vector<OpenBlock> stack = open_blocks(doc.text, offset);
  const std::vector<KindInfo> kinds = collect_kinds(doc);
  json items = json::array();

  std::uint32_t line_start = offset;
  while (line_start > 0 && doc.text[line_start - 1] != '\n' && doc.text[line_start - 1] != '\r') --line_start;
  const std::string prefix = doc.text.substr(line_start, offset - line_start);

  const OpenBlock* block = stack.empty() ? nullptr : &stack.back();
  if (block && block->type.empty()) return items;  // inside a map: keys are free
  const std::string type = block ? block->type : "";
  // The site or template around the cursor, from the tree, for names it declares.
  const syntax::Item* scope = nullptr;
  if (!stack.empty() && (stack.front().type == "site" || stack.front().type == "template"))
    scope = find_top_block(doc, stack.front().type, stack.front().label);

  auto kind_of_block = [&]() -> std::optional<std::string> {
    if (!block) return std::nullopt;
    if (auto k = kind_in_text(doc.text, block->open)) return k;
    if (scope)
      if (const auto* s = find_child_block(*scope, "service", block->label)) return kind_of_service(doc, *s, scope);
    return std::nullopt;
  };
  auto scope_names = [&](const std::string& what) {
    std::vector<std::string> names;
    for (const syntax::Item* s = scope; s && names.size() < 1000;) {
      for (const auto& item : s->body)
        if (item.kind == syntax::Item::Kind::block && item.name == what &&
            std::find(names.begin(), names.end(), label_of(item)) == names.end())
          names.push_back(label_of(item));
      const syntax::Item* next = extended_template(doc, *s);
      if (next == s) break;
      s = next;
    }
    return names;
  };

  static const std::regex value_position(R"(([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*[A-Za-z0-9_.-]*$)");
  static const std::regex statement_position(R"(^\s*[A-Za-z_]?[A-Za-z0-9_-]*$)");
  std::smatch m;
  if (std::regex_search(prefix, m, value_position)) {
    const std::string attribute = m[1].str();
    if (type == "service" && attribute == "kind") {
      for (const auto& k : kinds) items.push_back(completion_item(k.name, kClass, k.doc, kind_markdown(k)));
    } else if (type == "service" && attribute == "on") {
      for (const auto& n : scope_names("node")) items.push_back(completion_item("node." + n, kReference, "node"));
    } else if ((type == "site" || type == "template") && attribute == "extends") {
      for (const auto& file : doc.files)
        for (const auto& top : file.tree.items)
          if (top.kind == syntax::Item::Kind::block && top.name == "template")
            items.push_back(completion_item("template." + label_of(top), kReference, "template"));
    } else if ((type == "site" || type == "template") && attribute == "tls") {
      items.push_back(completion_item("acme(\"\")", kValue, "certificates from Let's Encrypt"));
      items.push_back(completion_item("internal", kEnumMember, "Caddy's own certificate authority"));
      items.push_back(completion_item("off", kEnumMember, "no TLS"));
    } else if ((type == "site" || type == "template") && attribute == "network") {
      items.push_back(completion_item("host", kEnumMember));
      items.push_back(completion_item("overlay", kEnumMember));
    } else if (type == "service") {
      if (auto kind_name = kind_of_block())
        if (const auto* kind = find_kind(kinds, *kind_name))
          if (const auto* a = kind->attribute(attribute)) {
            for (const auto& member : enum_members(a->type)) items.push_back(completion_item(member, kEnumMember, a->type));
            if (a->type == "bool") {
              items.push_back(completion_item("true", kValue, "bool"));
              items.push_back(completion_item("false", kValue, "bool"));
            }
            if (a->type.starts_with("service"))
              for (const auto& n : scope_names("service"))
                items.push_back(completion_item("service." + n, kReference, "service"));
            if (a->type == "node")
              for (const auto& n : scope_names("node")) items.push_back(completion_item("node." + n, kReference, "node"));
          }
    }
    return items;
  }
  if (!std::regex_match(prefix, statement_position)) return items;

  auto add_builtins = [&](const auto& table, int kind, const char* of) {
    for (const auto& d : table) items.push_back(completion_item(d.name, kind, d.type, builtin_markdown(d, of)));
  };
  if (type == "service") {
    add_builtins(kServiceAttributes, kProperty, "attribute of every service");
    if (auto kind_name = kind_of_block())
      if (const auto* kind = find_kind(kinds, *kind_name))
        for (const auto& a : kind->attributes)
          items.push_back(completion_item(a.name, kProperty, a.type, attribute_markdown(a, *kind)));
  } else if (type == "site" || type == "template") {
    add_builtins(kSiteAttributes, kProperty, "site attribute");
    items.push_back(completion_item("node", kKeyword, "block", kBlocks[1].doc));
    items.push_back(completion_item("service", kKeyword, "block", kBlocks[2].doc));
  } else if (type == "node") {
    add_builtins(kNodeAttributes, kProperty, "node attribute");
  } else if (type == "kind") {
    add_builtins(kKindFields, kProperty, "kind field");
    for (const char* b : {"attribute", "container", "route"}) items.push_back(completion_item(b, kKeyword, "block"));
  } else if (type == "container") {
    add_builtins(kKindFields, kProperty, "container field");
  } else if (type == "attribute") {
    add_builtins(kAttributeFields, kProperty, "attribute field");
  } else if (type.empty()) {
    for (const char* b : {"site", "template", "kind", "import"}) {
      const auto* d = builtin(kBlocks, b);
      items.push_back(completion_item(b, kKeyword, d->type, d->doc));
    }
  }
  return items;
}

json Server::formatting(const json& params) {
  Document& doc = *find(params);
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
