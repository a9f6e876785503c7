#include "resolve/kinds.hpp"

#include "resolve/secrets.hpp"
#include "util/dates.hpp"
#include "validate/values.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dcomm::resolve {

namespace {

using TK = Type::Kind;

const Schema kKindSchema = schema_of("kind");
const Schema kContainerSchema = schema_of("container");
const Schema kAttributeSchema = schema_of("attribute");
const Schema kRouteSchema = schema_of("route");

/// Field types inside kinds.
const Type kString = Type::simple(TK::string);
const Type kBool = Type::simple(TK::boolean);
const Type kSize = Type::simple(TK::size);
const Type kPort = Type::simple(TK::port);
const Type kPorts = Type::list_of(Type::simple(TK::port));
const Type kStrings = Type::list_of(Type::simple(TK::string));
const Type kSubdomain = Type::simple(TK::subdomain);
const Type kPaths = Type::list_of(Type::simple(TK::path));
const Type kStringMap = Type::map_of(Type::simple(TK::string));
const Type kPathMap = Type::map_of(Type::simple(TK::path));
const Type kSecretFormats =
    Type::map_of(Type{.kind = TK::enumeration, .members = {"token", "password", "signing_key"}});

/// Reads an optional field of `body` as `type`.
std::optional<model::Value> field(const Body& body, const std::string& name, const Type& type,
                                  const Scope& scope, Diagnostics& diags) {
  const syntax::Item* item = body.attribute(name);
  if (!item) return std::nullopt;
  return convert(item->value, type, scope, fmt::format("'{}'", name), diags);
}

/// A map key that becomes a name in stack.yml (a volume, a variable).
bool valid_key(const Body& body, const char* field, const std::string& key,
               std::optional<validate::Problem> (*check)(std::string_view), Diagnostics& diags) {
  auto problem = check(key);
  if (!problem) return true;
  Span where = body.attribute(field)->value.span;
  for (const auto& entry : body.attribute(field)->value.entries) {
    if (entry.key == key) where = entry.key_span;
  }
  diags.report({.code = "E0311",
                .message = fmt::format("'{}' key: {}", field, problem->message),
                .primary = {where, "this key"},
                .help = problem->help});
  return false;
}

/// The ports people reach directly: each one the container listens on.
void read_publish(const model::Value& publish, model::Container& c, Diagnostics& diags) {
  for (const model::Value& item : publish.items) {
    const model::Port port{static_cast<int>(item.number), item.protocol};
    if (std::find(c.ports.begin(), c.ports.end(), port) != c.ports.end()) {
      c.publish.push_back(port);
      continue;
    }
    diags.report({.code = "E0316",
                  .message = fmt::format("'publish' names {}, which the container does not listen on",
                                         model::to_string(port)),
                  .primary = {item.span, "not in 'ports'"},
                  .help = "publish only ports the container listens on: add it to 'ports' as well"});
  }
}

model::Container container_from(const Body& body, std::string name, const Scope& scope,
                                Diagnostics& diags) {
  model::Container c{.name = std::move(name)};
  if (auto image = field(body, "image", kString, scope, diags)) {
    c.image = image->text;
    c.span = image->span;
  }
  if (auto pinned = field(body, "pinned", kString, scope, diags)) {
    if (util::parse_date(pinned->text)) {
      c.pinned = pinned->text;
    } else {
      diags.report({.code = "E0311",
                    .message = fmt::format("'pinned' must be a date, not \"{}\"", pinned->text),
                    .primary = {pinned->span, "not YYYY-MM-DD"},
                    .help = "write the day the image's version was chosen: pinned = \"2026-12-04\""});
    }
  }
  if (auto memory = field(body, "memory", kSize, scope, diags)) c.memory = memory->number;
  if (auto ports = field(body, "ports", kPorts, scope, diags)) {
    for (const auto& p : ports->items) {
      c.ports.push_back({static_cast<int>(p.number), p.protocol});
    }
  }
  if (auto publish = field(body, "publish", kPorts, scope, diags)) read_publish(*publish, c, diags);
  if (auto volumes = field(body, "volumes", kPathMap, scope, diags)) {
    for (const auto& [volume, target] : volumes->entries) {
      if (valid_key(body, "volumes", volume, validate::check_name, diags)) c.volumes.push_back({volume, target.text});
    }
  }
  if (auto env = field(body, "env", kStringMap, scope, diags)) {
    for (const auto& [key, value] : env->entries) {
      if (valid_key(body, "env", key, validate::check_env_name, diags)) c.environment[key] = value.text;
      if (looks_like_secret(key) && !value.text.empty()) report_literal_secret(key, value.span, diags);
    }
  }
  if (auto entrypoint = field(body, "entrypoint", kStrings, scope, diags)) {
    for (const auto& word : entrypoint->items) c.entrypoint.push_back(word.text);
  }
  if (auto command = field(body, "host_network_command", kStrings, scope, diags)) {
    for (const auto& word : command->items) c.host_network_command.push_back(word.text);
  }
  return c;
}

model::Route route_from(const Body& body, const Scope& scope, Diagnostics& diags) {
  model::Route r;
  if (auto host = field(body, "host", kSubdomain, scope, diags)) r.host = host->text;
  if (auto paths = field(body, "paths", kPaths, scope, diags)) {
    for (const auto& p : paths->items) r.paths.push_back(p.text);
  }
  if (auto port = field(body, "port", kPort, scope, diags)) r.port = static_cast<int>(port->number);
  if (auto strip = field(body, "strip_prefix", kBool, scope, diags)) r.strip_prefix = strip->number;
  return r;
}

/// A kind named by a bare name, as `beside = caddy` or `needs = [synapse]`.
std::optional<std::string> kind_name(const syntax::Value& v, const std::string& what, Diagnostics& diags) {
  if (v.kind == syntax::Value::Kind::reference && v.path.size() == 1) return v.path[0];
  diags.report({.code = "E0307",
                .message = fmt::format("wrong type for {}", what),
                .primary = {v.span, "expected the name of a kind"},
                .help = "name the kind without quotes, e.g. caddy or synapse"});
  return std::nullopt;
}

/// A container block's `secrets`: the names it lists, bare, of secrets
/// its kind declares. Checked once, when the kind is declared (below).
std::optional<std::vector<std::string>> container_secrets(const Body& body) {
  const syntax::Item* item = body.attribute("secrets");
  if (!item) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& value : item->value.items) {
    if (value.kind == syntax::Value::Kind::reference && value.path.size() == 1) names.push_back(value.path[0]);
  }
  return names;
}

/// Each name a container block's `secrets` lists must be a secret of its
/// kind: the container mounts those, and only those.
void check_container_secrets(const Block& container, const model::Kind& kind, Diagnostics& diags) {
  const syntax::Item* item = container.body.attribute("secrets");
  if (!item) return;
  if (item->value.kind != syntax::Value::Kind::list) {
    diags.report({.code = "E0307",
                  .message = "wrong type for a container's 'secrets'",
                  .primary = {item->value.span, "expected a list of the kind's secrets"},
                  .help = "write secrets = [api_token], naming secrets the kind declares; [] for none"});
    return;
  }
  std::string declared;
  for (const model::Secret& secret : kind.secrets) declared += (declared.empty() ? "" : ", ") + secret.name;
  for (const auto& value : item->value.items) {
    const bool bare = value.kind == syntax::Value::Kind::reference && value.path.size() == 1;
    if (bare && std::any_of(kind.secrets.begin(), kind.secrets.end(),
                            [&](const model::Secret& secret) { return secret.name == value.path[0]; })) {
      continue;
    }
    diags.report({.code = "E0315",
                  .message = bare ? fmt::format("kind '{}' declares no secret '{}'", kind.name, value.path[0])
                                  : "a container's 'secrets' lists secrets by their bare names",
                  .primary = {value.span, bare ? "not a secret of this kind" : "expected a bare name"},
                  .help = declared.empty()
                              ? "declare it in the kind first: secrets = { NAME = token }"
                              : fmt::format("name one of the kind's secrets: {}", declared)});
  }
}

bool has_container_fields(const Body& body) {
  return body.attribute("image") || body.attribute("ports") || body.attribute("publish") ||
         body.attribute("memory") ||
         body.attribute("volumes") || body.attribute("env") || body.attribute("entrypoint") ||
         body.attribute("host_network_command");
}

/// The kind's containers as far as they read without a service: literal
/// images and ports, not the kind's own attributes. The editor shows them;
/// each service gets its containers in instantiate(), checked there.
void describe_containers(const Body& body, model::Kind& kind) {
  Diagnostics ignored;  // reported per service, with its attribute values
  const Scope none;
  if (has_container_fields(body)) kind.containers.push_back(container_from(body, "", none, ignored));
  for (const Block& sub : body.blocks) {
    if (sub.type() == "container") kind.containers.push_back(container_from(sub.body, sub.label(), none, ignored));
  }
}

}  // namespace

void KindTable::add(const syntax::Item& block, bool standard, Diagnostics& diags) {
  Entry entry{.body = body_of(block, diags)};
  model::Kind& kind = entry.kind;
  kind.name = block.labels.empty() ? "" : block.labels[0].text;
  kind.standard = standard;
  kind.span = block.span;
  check_names(entry.body, kKindSchema, diags);

  const Scope none;
  if (auto doc = field(entry.body, "doc", kString, none, diags)) kind.doc = doc->text;
  if (auto implicit = field(entry.body, "implicit", kBool, none, diags)) kind.implicit = implicit->number;
  if (auto beside = entry.body.attribute("beside")) {
    if (auto name = kind_name(beside->value, "'beside'", diags)) kind.beside = *name;
  }
  if (auto needs = entry.body.attribute("needs")) {
    if (needs->value.kind != syntax::Value::Kind::list) {
      diags.report({.code = "E0307",
                    .message = "wrong type for 'needs'",
                    .primary = {needs->value.span, "expected a list of kinds"},
                    .help = "write needs = [synapse, caddy]"});
    }
    for (const auto& item : needs->value.items) {
      if (auto name = kind_name(item, "'needs'", diags)) kind.needs.push_back(*name);
    }
  }
  if (auto secrets = field(entry.body, "secrets", kSecretFormats, none, diags)) {
    for (const auto& [name, format] : secrets->entries) {
      const auto f = format.text == "password"      ? model::Secret::Format::password
                     : format.text == "signing_key" ? model::Secret::Format::signing_key
                                                    : model::Secret::Format::token;
      kind.secrets.push_back({name, f});
    }
  }
  for (const Block& sub : entry.body.blocks) {
    if (sub.type() == "attribute" && check_labels(*sub.header, 1, diags)) {
      read_attribute(entry, sub, diags);
    }
    if (sub.type() == "route") kind.routes.push_back(sub.label());
    if (sub.type() == "container") check_container_secrets(sub, kind, diags);
  }
  describe_containers(entry.body, kind);
  entries_.push_back(std::move(entry));
}

void KindTable::read_attribute(Entry& entry, const Block& block, Diagnostics& diags) {
  check_names(block.body, kAttributeSchema, diags);
  model::AttributeSpec spec{.name = block.label(), .span = block.header->span};
  const syntax::Item* type_item = block.body.attribute("type");
  if (!type_item) {
    diags.report({.code = "E0306",
                  .message = fmt::format("attribute '{}' has no type", spec.name),
                  .primary = {block.header->name_span, "type missing"},
                  .help = "add type = string (or integer, bool, size, duration, port, "
                          "enum(a, b), list(string), ...)"});
    return;
  }
  auto type = parse_type(type_item->value, diags);
  if (!type) return;
  spec.type = type->describe();
  if (auto doc = field(block.body, "doc", kString, Scope{}, diags)) spec.doc = doc->text;
  if (const syntax::Item* fallback = block.body.attribute("default")) {
    spec.default_value =
        convert(fallback->value, *type, Scope{}, fmt::format("the default of '{}'", spec.name), diags);
  }
  entry.types.emplace(spec.name, std::move(*type));
  entry.kind.attributes.push_back(std::move(spec));
}

const model::Kind* KindTable::find(const std::string& name) const {
  for (const Entry& entry : entries_) {
    if (entry.kind.name == name) return &entry.kind;
  }
  return nullptr;
}

std::vector<std::string> KindTable::names() const {
  std::vector<std::string> out;
  for (const Entry& entry : entries_) out.push_back(entry.kind.name);
  return out;
}

const Type& KindTable::attribute_type(const model::Kind& kind, const std::string& attribute) const {
  for (const Entry& entry : entries_) {
    if (&entry.kind == &kind) return entry.types.at(attribute);
  }
  throw std::logic_error("attribute_type: kind not in this table");
}

void KindTable::instantiate(model::Service& service, Diagnostics& diags) const {
  auto entry = std::find_if(entries_.begin(), entries_.end(),
                            [&](const Entry& e) { return &e.kind == service.kind; });
  if (entry == entries_.end()) return;
  Scope scope;
  scope.bare_name = [&service](const std::string& name) -> std::optional<const model::Value*> {
    if (!service.kind->attribute(name)) return std::nullopt;
    return service.attribute(name);
  };

  if (has_container_fields(entry->body)) {
    service.containers.push_back(container_from(entry->body, service.name, scope, diags));
  }
  for (const Block& sub : entry->body.blocks) {
    if ((sub.type() == "container" || sub.type() == "route") && !check_labels(*sub.header, 1, diags)) {
      continue;
    }
    if (sub.type() == "container") {
      check_names(sub.body, kContainerSchema, diags);
      service.containers.push_back(
          container_from(sub.body, fmt::format("{}-{}", service.name, sub.label()), scope, diags));
      service.containers.back().secrets = container_secrets(sub.body);
    } else if (sub.type() == "route") {
      check_names(sub.body, kRouteSchema, diags);
      service.routes.push_back(route_from(sub.body, scope, diags));
    }
  }
  service.secrets = entry->kind.secrets;
}

std::vector<model::Kind> KindTable::take(std::vector<model::Site>& sites) {
  std::vector<model::Kind> kinds;
  kinds.reserve(entries_.size());
  for (Entry& entry : entries_) kinds.push_back(std::move(entry.kind));
  for (model::Site& site : sites) {
    for (model::Service& service : site.services) {
      for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (service.kind == &entries_[i].kind) service.kind = &kinds[i];
      }
    }
  }
  entries_.clear();
  return kinds;
}

}  // namespace dcomm::resolve
