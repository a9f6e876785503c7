#include "resolve/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "source/utf8.hpp"
#include "util/spellcheck.hpp"
#include "validate/values.hpp"

namespace dcomm::resolve {

namespace {

using SK = syntax::Value::Kind;
using MV = model::Value;

struct SimpleType {
  std::string_view name;
  Type::Kind kind;
  std::string_view example;  ///< for "help: write ..."
};

constexpr std::array<SimpleType, 10> kSimpleTypes = {{
    {"string", Type::Kind::string, "\"text\""},
    {"subdomain", Type::Kind::subdomain, "\"matrix\""},
    {"path", Type::Kind::path, "\"/var/www/dcomms\""},
    {"integer", Type::Kind::integer, "42"},
    {"bool", Type::Kind::boolean, "true or false"},
    {"size", Type::Kind::size, "512M"},
    {"duration", Type::Kind::duration, "999d"},
    {"port", Type::Kind::port, "8080/tcp"},
    {"node", Type::Kind::node, "node.worker"},
    {"service", Type::Kind::service, "service.synapse"},
}};

std::string_view example_of(const Type& type) {
  switch (type.kind) {
    case Type::Kind::enumeration:
      return type.members.empty() ? std::string_view() : std::string_view(type.members.front());
    case Type::Kind::list: return "[...]";
    case Type::Kind::map: return "{ key = ... }";
    default: break;
  }
  for (const auto& simple : kSimpleTypes) {
    if (simple.kind == type.kind) return simple.example;
  }
  return "";
}

std::string describe_written(const syntax::Value& v) {
  switch (v.kind) {
    case SK::string: return "a string";
    case SK::integer: return "an integer";
    case SK::boolean: return "a bool";
    case SK::size: return "a size";
    case SK::duration: return "a duration";
    case SK::port: return "a port";
    case SK::list: return "a list";
    case SK::map: return "a map";
    case SK::call: return fmt::format("a call of {}()", fmt::join(v.path, "."));
    case SK::reference: return fmt::format("the name '{}'", fmt::join(v.path, "."));
  }
  return "a value";
}

std::string a_or_an(std::string_view noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", noun);
}

/// Whether a converted value may stand where `type` is wanted.
bool fits(const MV& value, const Type& type) {
  switch (type.kind) {
    case Type::Kind::string:
    case Type::Kind::subdomain:
    case Type::Kind::path: return value.type == MV::Type::string;
    case Type::Kind::integer: return value.type == MV::Type::integer;
    case Type::Kind::boolean: return value.type == MV::Type::boolean;
    case Type::Kind::size: return value.type == MV::Type::size;
    case Type::Kind::duration: return value.type == MV::Type::duration;
    case Type::Kind::port: return value.type == MV::Type::port;
    case Type::Kind::enumeration: return value.type == MV::Type::symbol;
    case Type::Kind::service: return value.type == MV::Type::service;
    case Type::Kind::node: return value.type == MV::Type::node;
    case Type::Kind::list: return value.type == MV::Type::list;
    case Type::Kind::map: return value.type == MV::Type::map;
  }
  return false;
}

std::string describe_model(MV::Type type) {
  switch (type) {
    case MV::Type::string: return "a string";
    case MV::Type::integer: return "an integer";
    case MV::Type::boolean: return "a bool";
    case MV::Type::size: return "a size";
    case MV::Type::duration: return "a duration";
    case MV::Type::port: return "a port";
    case MV::Type::symbol: return "a name";
    case MV::Type::service: return "a service";
    case MV::Type::node: return "a node";
    case MV::Type::list: return "a list";
    case MV::Type::map: return "a map";
  }
  return "a value";
}

class Converter {
 public:
  Converter(const Scope& scope, const std::string& what, Diagnostics& diags)
      : scope_(scope), what_(what), diags_(diags) {}

  std::optional<MV> convert(const syntax::Value& v, const Type& type) {
    if (v.kind == SK::reference) {
      if (auto substituted = substitute(v, type)) return substituted;
      if (failed_) return std::nullopt;
    }
    switch (type.kind) {
      case Type::Kind::string: return scalar(v, type, SK::string, MV::Type::string);
      case Type::Kind::subdomain: return checked_string(v, type, validate::check_subdomain);
      case Type::Kind::path: return checked_string(v, type, validate::check_path);
      case Type::Kind::integer: return scalar(v, type, SK::integer, MV::Type::integer);
      case Type::Kind::boolean: return scalar(v, type, SK::boolean, MV::Type::boolean);
      case Type::Kind::size: return scalar(v, type, SK::size, MV::Type::size);
      case Type::Kind::duration: return scalar(v, type, SK::duration, MV::Type::duration);
      case Type::Kind::port: return scalar(v, type, SK::port, MV::Type::port);
      case Type::Kind::enumeration: return enumeration(v, type);
      case Type::Kind::service: return service(v, type);
      case Type::Kind::node: return node(v, type);
      case Type::Kind::list: return list(v, type);
      case Type::Kind::map: return map(v, type);
    }
    return std::nullopt;
  }

 private:
  /// `site.domain` and a kind's own attributes stand for other values.
  std::optional<MV> substitute(const syntax::Value& v, const Type& type) {
    if (v.path.size() == 2 && v.path[0] == "site" && scope_.site_field) {
      auto text = scope_.site_field(v.path[1]);
      if (!text) {
        mismatch_note(v, fmt::format("a site has no field '{}'", v.path[1]),
                      "inside a site or template, site.name, site.domain and site.onion name "
                      "the site's own values");
        return std::nullopt;
      }
      if (type.kind != Type::Kind::string) return mismatch(v, type), std::nullopt;
      return MV{.type = MV::Type::string, .text = *text, .span = v.span};
    }
    if (v.path.size() == 1 && scope_.bare_name) {
      if (auto value = scope_.bare_name(v.path[0])) {
        if (!*value) {
          failed_ = true;
          return std::nullopt;
        }
        if (!fits(**value, type)) {
          mismatch_note(v, fmt::format("'{}' holds {}, but {} is needed here", v.path[0],
                                       describe_model((**value).type), a_or_an(type.describe())),
                        fmt::format("name an attribute of type {}, or write the value itself",
                                    type.describe()));
          return std::nullopt;
        }
        MV copy = **value;
        copy.span = v.span;
        return copy;
      }
    }
    return std::nullopt;
  }

  std::optional<MV> scalar(const syntax::Value& v, const Type& type, SK expected, MV::Type out) {
    if (v.kind != expected) return mismatch(v, type), std::nullopt;
    if (out == MV::Type::string) {
      if (auto control = find_control_character(v.text)) {
        report({.code = "E0311",
                .message = fmt::format("{} contains a control character", what_),
                .primary = {v.span, fmt::format("character U+{:04X} here", static_cast<unsigned>(control->code_point))},
                .notes = {"a line break or other control character in a value could start a new "
                          "directive in a generated config file"},
                .help = "remove it; values are single-line text"});
        return std::nullopt;
      }
    }
    MV value{.type = out, .text = v.text, .number = v.number, .span = v.span};
    if (out == MV::Type::port) {
      value.protocol = v.unit == "udp" ? model::Protocol::udp : model::Protocol::tcp;
    }
    return value;
  }

  /// A string the named validator must accept (it lands in configs as a
  /// name or a path).
  std::optional<MV> checked_string(const syntax::Value& v, const Type& type,
                                   std::optional<validate::Problem> (*check)(std::string_view)) {
    auto value = scalar(v, type, SK::string, MV::Type::string);
    if (!value) return std::nullopt;
    if (auto problem = check(value->text)) {
      report({.code = "E0311",
              .message = fmt::format("{}: {}", what_, problem->message),
              .primary = {v.span, fmt::format("not a valid {}", type.describe())},
              .help = problem->help});
      return std::nullopt;
    }
    return value;
  }

  std::optional<MV> enumeration(const syntax::Value& v, const Type& type) {
    if (v.kind != SK::reference || v.path.size() != 1) return mismatch(v, type), std::nullopt;
    const std::string& name = v.path[0];
    if (std::find(type.members.begin(), type.members.end(), name) != type.members.end()) {
      return MV{.type = MV::Type::symbol, .text = name, .span = v.span};
    }
    Diagnostic d{.code = "E0311",
                 .message = fmt::format("'{}' is not a valid value for {}", name, what_),
                 .primary = {v.span, fmt::format("expected one of: {}", fmt::join(type.members, ", "))},
                 .help = fmt::format("write one of: {}", fmt::join(type.members, ", "))};
    if (auto guess = util::did_you_mean(name, type.members)) {
      d.help = fmt::format("did you mean '{}'?", *guess);
      d.fixes.push_back({v.span, *guess});
    }
    report(std::move(d));
    return std::nullopt;
  }

  std::optional<MV> service(const syntax::Value& v, const Type& type) {
    if (v.kind != SK::reference || v.path.size() != 2 || v.path[0] != "service") {
      return mismatch(v, type), std::nullopt;
    }
    const std::string& name = v.path[1];
    auto kind = scope_.service_kind ? scope_.service_kind(name) : std::nullopt;
    if (!kind) return undefined(v, "service", name), std::nullopt;
    if (kind->empty()) return std::nullopt;
    if (!type.service_kind.empty() && *kind != type.service_kind) {
      report({.code = "E0307",
              .message = fmt::format("{} needs a service of kind {}, but '{}' is {}", what_,
                                     type.service_kind, name, a_or_an(*kind)),
              .primary = {v.span, fmt::format("this is {} service", a_or_an(*kind))},
              .help = fmt::format("refer to a service whose kind is {}", type.service_kind)});
      return std::nullopt;
    }
    return MV{.type = MV::Type::service, .text = name, .span = v.span};
  }

  std::optional<MV> node(const syntax::Value& v, const Type& type) {
    if (v.kind != SK::reference || v.path.size() != 2 || v.path[0] != "node") {
      return mismatch(v, type), std::nullopt;
    }
    if (!scope_.has_node || !scope_.has_node(v.path[1])) {
      return undefined(v, "node", v.path[1]), std::nullopt;
    }
    return MV{.type = MV::Type::node, .text = v.path[1], .span = v.span};
  }

  std::optional<MV> list(const syntax::Value& v, const Type& type) {
    if (v.kind != SK::list) return mismatch(v, type), std::nullopt;
    MV out{.type = MV::Type::list, .span = v.span};
    bool ok = true;
    for (const auto& item : v.items) {
      auto converted = convert(item, *type.element);
      ok = ok && converted.has_value();
      if (converted) out.items.push_back(std::move(*converted));
    }
    return ok ? std::optional<MV>(std::move(out)) : std::nullopt;
  }

  std::optional<MV> map(const syntax::Value& v, const Type& type) {
    if (v.kind != SK::map) return mismatch(v, type), std::nullopt;
    MV out{.type = MV::Type::map, .span = v.span};
    bool ok = true;
    std::map<std::string, Span> first_seen;
    for (const auto& entry : v.entries) {
      if (auto [first, fresh] = first_seen.emplace(entry.key, entry.key_span); !fresh) {
        report({.code = "E0304",
                .message = fmt::format("key '{}' appears twice in {}", entry.key, what_),
                .primary = {entry.key_span, "set again here"},
                .secondary = {{first->second, "first set here"}},
                .help = "keep the one you mean"});
        ok = false;
        continue;
      }
      auto converted = convert(entry.value, *type.element);
      ok = ok && converted.has_value();
      if (converted) out.entries.emplace(entry.key, std::move(*converted));
    }
    return ok ? std::optional<MV>(std::move(out)) : std::nullopt;
  }

  void undefined(const syntax::Value& v, const std::string& what, const std::string& name) {
    Diagnostic d{.code = "E0308",
                 .message = fmt::format("no {} named '{}' in this site", what, name),
                 .primary = {v.span, fmt::format("unknown {}", what)},
                 .help = fmt::format("declare {} \"{}\" {{ ... }} in the site, or refer to one "
                                     "that exists",
                                     what, name)};
    const auto candidates = scope_.names ? scope_.names(what) : std::vector<std::string>{};
    if (auto guess = util::did_you_mean(name, candidates)) {
      d.help = fmt::format("did you mean {}.{}?", what, *guess);
      d.fixes.push_back({v.span, fmt::format("{}.{}", what, *guess)});
    } else if (!candidates.empty()) {
      d.notes.push_back(fmt::format("this site's {}s: {}", what, fmt::join(candidates, ", ")));
    }
    report(std::move(d));
  }

  void mismatch(const syntax::Value& v, const Type& type) {
    mismatch_note(v, fmt::format("expected {}, found {}", a_or_an(type.describe()), describe_written(v)),
                  fmt::format("write {} here, for example {}", a_or_an(type.describe()),
                              example_of(type)));
  }

  void mismatch_note(const syntax::Value& v, std::string label, std::string help) {
    report({.code = "E0307",
            .message = fmt::format("wrong type for {}", what_),
            .primary = {v.span, std::move(label)},
            .help = std::move(help)});
  }

  void report(Diagnostic d) {
    failed_ = true;
    diags_.report(std::move(d));
  }

  const Scope& scope_;
  const std::string& what_;
  Diagnostics& diags_;
  bool failed_ = false;
};

}  // namespace

Type Type::list_of(Type element) {
  return Type{.kind = Kind::list, .element = std::make_shared<const Type>(std::move(element))};
}

Type Type::map_of(Type element) {
  return Type{.kind = Kind::map, .element = std::make_shared<const Type>(std::move(element))};
}

std::string Type::describe() const {
  switch (kind) {
    case Kind::enumeration: return fmt::format("enum({})", fmt::join(members, ", "));
    case Kind::list: return fmt::format("list({})", element->describe());
    case Kind::map: return fmt::format("map({})", element->describe());
    case Kind::service:
      return service_kind.empty() ? "service" : fmt::format("service({})", service_kind);
    default: break;
  }
  for (const auto& simple : kSimpleTypes) {
    if (simple.kind == kind) return std::string(simple.name);
  }
  return "value";
}

std::optional<Type> parse_type(const syntax::Value& written, Diagnostics& diags) {
  auto fail = [&] {
    diags.report({.code = "E0307",
                  .message = "not a type",
                  .primary = {written.span, "expected a type"},
                  .help = "types are string, integer, bool, size, duration, port, node, "
                          "service(KIND), enum(a, b), list(TYPE) and map(TYPE)"});
    return std::nullopt;
  };
  if (written.path.size() != 1) return fail();
  const std::string& name = written.path[0];
  if (written.kind == SK::reference) {
    for (const auto& simple : kSimpleTypes) {
      if (simple.name == name) return Type::simple(simple.kind);
    }
    return fail();
  }
  if (written.kind != SK::call) return fail();
  if (name == "enum") {
    Type type{.kind = Type::Kind::enumeration};
    for (const auto& member : written.items) {
      if (member.kind != SK::reference || member.path.size() != 1) return fail();
      type.members.push_back(member.path[0]);
    }
    if (type.members.empty()) return fail();
    return type;
  }
  if (written.items.size() != 1) return fail();
  const syntax::Value& argument = written.items[0];
  if (name == "service") {
    if (argument.kind != SK::reference || argument.path.size() != 1) return fail();
    return Type{.kind = Type::Kind::service, .service_kind = argument.path[0]};
  }
  if (name != "list" && name != "map") return fail();
  auto element = parse_type(argument, diags);
  if (!element) return std::nullopt;
  return name == "list" ? Type::list_of(std::move(*element)) : Type::map_of(std::move(*element));
}

std::optional<model::Value> convert(const syntax::Value& written, const Type& type,
                                    const Scope& scope, const std::string& what,
                                    Diagnostics& diags) {
  return Converter(scope, what, diags).convert(written, type);
}

}  // namespace dcomm::resolve
