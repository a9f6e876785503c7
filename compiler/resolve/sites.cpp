#include "resolve/sites.hpp"

#include "resolve/implicit_services.hpp"
#include "resolve/nodes.hpp"
#include "resolve/secrets.hpp"
#include "resolve/value_problem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "util/spellcheck.hpp"
#include "validate/address.hpp"
#include "validate/image.hpp"
#include "validate/names.hpp"
#include "validate/onion.hpp"
#include "validate/values.hpp"

namespace dcomm::resolve {

namespace {

using SK = syntax::Value::Kind;

const Schema kSiteSchema = schema_of("site");

class SiteBuilder {
 public:
  SiteBuilder(const syntax::Item& block, const KindTable& kinds, const SourceMap& sources,
              Diagnostics& diags)
      : block_(block), kinds_(kinds), sources_(sources), diags_(diags) {
    site_.name = block.labels.at(0).text;
    site_.span = block.span;
  }

  /// Which of the site's `images` entries its containers used.
  void note_image_entries(ImageEntries& entries) const {
    for (const auto& [image, key] : image_keys_) entries.note(image, key, used_images_.count(image) != 0);
    for (const std::string& image : named_images_) entries.seen(image);
  }

  model::Site build(const Body& body) {
    check_names(body, kSiteSchema, diags_);
    read_site(body);
    read_image_overrides(body);
    for (const Block& sub : body.blocks) {
      if (sub.type() == "node" && check_labels(*sub.header, 1, diags_)) read_node(sub);
    }
    std::vector<const Block*> services;
    for (const Block& sub : body.blocks) {
      if (sub.type() == "service" && check_labels(*sub.header, 1, diags_)) services.push_back(&sub);
    }
    declare_services(services);
    for (const Block* service : services) read_service(*service);
    add_implicit_services();
    read_public_ports();
    for (model::Service& service : site_.services) {
      kinds_.instantiate(service, diags_);
      apply_overrides(service);
      replace_images(service);
      add_intermediate_ca(service);
    }
    return std::move(site_);
  }

 private:
  // ---------------------------------------------------------------- site

  void read_site(const Body& body) {
    if (auto domain = required_string(body, "domain", "domain = \"community.example.org\"")) {
      site_.domain = domain->text;
      site_.domain_span = domain->span;
      check_value(validate::check_domain(domain->text), "E0401", *domain);
    }
    if (const syntax::Item* onion = body.attribute("onion")) {
      if (auto text = string_value(*onion)) {
        site_.onion = text->text;
        check_value(validate::check_onion(text->text), "E0403", *text);
      }
    }
    read_tls(body);
    if (const syntax::Item* country = body.attribute("country")) {
      if (auto text = string_value(*country)) {
        site_.country = text->text;
        const bool ok = text->text.size() == 2 && std::all_of(text->text.begin(), text->text.end(),
                                                              [](char c) { return c >= 'A' && c <= 'Z'; });
        if (!ok) {
          diags_.report({.code = "E0311",
                         .message = fmt::format("'{}' is not a country code", text->text),
                         .primary = {text->span, "expected two capital letters"},
                         .help = "write an ISO 3166 alpha-2 code such as \"UA\" or \"DE\""});
        }
      }
    }
    site_.network = "host";
    if (const syntax::Item* network = body.attribute("network")) {
      const Type type{.kind = Type::Kind::enumeration, .members = {"host", "overlay"}};
      if (auto value = convert(network->value, type, scope(), "'network'", diags_)) {
        site_.network = value->text;
      }
    }
  }

  void read_tls(const Body& body) {
    const syntax::Item* tls = body.attribute("tls");
    const std::string help =
        "write tls = acme(\"ops@example.org\") for certificates from Let's Encrypt, "
        "tls = internal for a private CA (offline networks), or tls = off (onion only)";
    if (!tls) {
      missing("tls", help);
      return;
    }
    const syntax::Value& v = tls->value;
    if (v.kind == SK::reference && v.path == std::vector<std::string>{"internal"}) {
      site_.tls = model::TlsMode::internal;
    } else if (v.kind == SK::reference && v.path == std::vector<std::string>{"off"}) {
      site_.tls = model::TlsMode::off;
    } else if (v.kind == SK::call && v.path == std::vector<std::string>{"acme"} &&
               v.items.size() == 1 && v.items[0].kind == SK::string) {
      site_.tls = model::TlsMode::acme;
      site_.acme_email = v.items[0].text;
      check_value(validate::check_email(site_.acme_email), "E0402", v.items[0]);
    } else {
      diags_.report({.code = "E0307",
                     .message = "wrong value for 'tls'",
                     .primary = {v.span, "expected acme(\"EMAIL\"), internal or off"},
                     .help = help});
    }
  }

  // ---------------------------------------------------------------- nodes

  void read_node(const Block& block) {
    if (site_.node(block.label())) return duplicate("node", block);
    site_.nodes.push_back(resolve::read_node(block, site_.domain, scope(), sources_, diags_));
  }

  // ---------------------------------------------------------------- services

  /// First pass: every service's name and kind, so references between
  /// services resolve whatever the order they are written in.
  void declare_services(const std::vector<const Block*>& blocks) {
    for (const Block* block : blocks) {
      const std::string name = block->label();
      if (declared_.count(name) != 0) {
        duplicate("service", *block);
        continue;
      }
      const syntax::Item* kind_item = block->body.attribute("kind");
      if (!kind_item) {
        diags_.report({.code = "E0306",
                       .message = fmt::format("service '{}' has no kind", name),
                       .primary = {block->header->name_span, "kind missing"},
                       .help = fmt::format("add kind = ...; the kinds are: {}",
                                           fmt::join(kinds_.names(), ", "))});
        declared_[name] = nullptr;
        continue;
      }
      declared_[name] = find_kind(kind_item->value);
    }
  }

  const model::Kind* find_kind(const syntax::Value& v) {
    if (v.kind != SK::reference || v.path.size() != 1) {
      diags_.report({.code = "E0307",
                     .message = "wrong type for 'kind'",
                     .primary = {v.span, "expected the name of a kind"},
                     .help = fmt::format("write kind = synapse (no quotes); the kinds are: {}",
                                         fmt::join(kinds_.names(), ", "))});
      return nullptr;
    }
    if (const model::Kind* kind = kinds_.find(v.path[0])) return kind;
    Diagnostic d{.code = "E0309",
                 .message = fmt::format("unknown kind '{}'", v.path[0]),
                 .primary = {v.span, "no such kind"},
                 .help = fmt::format("the kinds are: {}; declare your own with kind \"{}\" {{ image = ... }}",
                                     fmt::join(kinds_.names(), ", "), v.path[0])};
    if (auto guess = util::did_you_mean(v.path[0], kinds_.names())) {
      d.help = fmt::format("did you mean '{}'?", *guess);
      d.fixes.push_back({v.span, *guess});
    }
    diags_.report(std::move(d));
    return nullptr;
  }

  void read_service(const Block& block) {
    const std::string name = block.label();
    const model::Kind* kind = declared_[name];
    if (!kind || site_.service(name)) return;  // reported in declare_services
    model::Service service{.name = name, .kind = kind, .span = block.header->span};

    Schema schema = schema_of("service");
    schema.what = fmt::format("service '{}' (kind {})", name, kind->name);
    for (const auto& spec : kind->attributes) schema.attributes.push_back(spec.name);
    check_names(without_literal_secrets(block.body, *kind), schema, diags_);

    for (const auto& spec : kind->attributes) read_attribute(service, block, spec);
    read_placement(service, block);
    read_overrides(service, block);
    site_.services.push_back(std::move(service));
  }

  /// Reports every attribute that writes a secret in plain text (E0410),
  /// known or not, and returns the body without them.
  Body without_literal_secrets(const Body& body, const model::Kind& kind) {
    Body kept = body;
    std::erase_if(kept.attributes, [this, &kind](const syntax::Item* item) {
      // An attribute its kind types otherwise (token_uses = "100") gets a
      // type error instead.
      const model::AttributeSpec* spec = kind.attribute(item->name);
      const bool typed_otherwise = spec && spec->type != "string";
      const bool secret = is_literal_secret(*item) && !typed_otherwise;
      if (secret) literal_secret(*item);
      return secret;
    });
    return kept;
  }

  void read_attribute(model::Service& service, const Block& block, const model::AttributeSpec& spec) {
    const Type& type = kinds_.attribute_type(*service.kind, spec.name);
    if (const syntax::Item* item = block.body.attribute(spec.name)) {
      if (is_literal_secret(*item) && type.kind == Type::Kind::string) {
        return;  // reported by without_literal_secrets
      }
      auto value = convert(item->value, type, scope(), fmt::format("'{}'", spec.name), diags_);
      if (value) service.attributes[spec.name] = std::move(*value);
      return;
    }
    if (spec.default_value) {
      service.attributes[spec.name] = *spec.default_value;
      return;
    }
    if (type.kind == Type::Kind::service) {
      // The site's only service of the wanted kind stands in for a missing one.
      std::vector<std::string> candidates;
      for (const auto& [other, kind] : declared_) {
        if (kind && kind->name == type.service_kind) candidates.push_back(other);
      }
      if (candidates.size() == 1) {
        service.attributes[spec.name] = {.type = model::Value::Type::service, .text = candidates[0]};
        return;
      }
      if (candidates.empty()) return;  // the missing dependency is reported by add_implicit_services
    }
    missing_in_service(service, block, spec);
  }

  void read_placement(model::Service& service, const Block& block) {
    if (const syntax::Item* on = block.body.attribute("on")) {
      if (auto node = convert(on->value, Type::simple(Type::Kind::node), scope(), "'on'", diags_)) {
        service.node = node->text;
      }
    } else if (site_.nodes.size() == 1) {
      service.node = site_.nodes[0].name;
    } else {
      diags_.report({.code = "E0306",
                     .message = fmt::format("service '{}' does not say where it runs", service.name),
                     .primary = {block.header->name_span, "no 'on'"},
                     .help = site_.nodes.empty()
                                 ? std::string("declare a node: node \"worker\" { labels = { ... } }, "
                                               "then write on = node.worker")
                                 : fmt::format("add on = node.{}", site_.nodes[0].name)});
    }
  }

  void read_overrides(model::Service& service, const Block& block) {
    for (const char* name : {"image", "memory"}) {
      if (const syntax::Item* item = block.body.attribute(name)) {
        const Type type = Type::simple(std::string_view(name) == "image" ? Type::Kind::string
                                                                          : Type::Kind::size);
        if (auto value = convert(item->value, type, scope(), fmt::format("'{}'", name), diags_)) {
          overrides_[service.name][name] = *value;
        }
      }
    }
  }

  /// `images = { "caddy:2.11.4-alpine" = "registry.local/caddy:2.8.4" }`:
  /// pull every image from where the operator keeps it (a private
  /// registry, an offline mirror), the standard kinds' included.
  void read_image_overrides(const Body& body) {
    const syntax::Item* images = body.attribute("images");
    if (!images) return;
    auto value = convert(images->value, Type::map_of(Type::simple(Type::Kind::string)), scope(),
                         "'images'", diags_);
    if (!value) return;
    for (const auto& entry : images->value.entries) {
      for (const auto& [reference, span] : {std::pair{entry.key, entry.key_span},
                                            std::pair{value->entries.at(entry.key).text, entry.value.span}}) {
        if (auto problem = validate::check_image_reference(reference)) {
          diags_.report({.code = "E0404", .message = problem->message, .primary = {span, "here"},
                         .help = problem->help});
        }
      }
    }
    for (const auto& [from, to] : value->entries) image_overrides_[from] = {to.text, to.span};
    for (const auto& entry : images->value.entries) image_keys_[entry.key] = entry.key_span;
  }

  void replace_images(model::Service& service) {
    for (model::Container& container : service.containers) {
      named_images_.insert(container.image);
      auto found = image_overrides_.find(container.image);
      if (found == image_overrides_.end()) continue;
      used_images_.insert(found->first);
      container.image = found->second.first;
      container.span = found->second.second;
    }
  }

  /// The ports the world reaches the site on are Caddy's.
  void read_public_ports() {
    const auto proxies = site_.services_of_kind("caddy");
    if (proxies.empty()) return;
    if (const model::Value* http = proxies.front()->attribute("http_port")) site_.http_port = http->number;
    if (const model::Value* https = proxies.front()->attribute("https_port")) site_.https_port = https->number;
  }

  /// `image` and `memory` written on a service replace its kind's.
  void apply_overrides(model::Service& service) {
    auto found = overrides_.find(service.name);
    if (found == overrides_.end()) return;
    for (const auto& [name, value] : found->second) {
      if (service.containers.size() != 1) {
        diags_.report({.code = "E0305",
                       .message = fmt::format("'{}' cannot be set on service '{}'", name, service.name),
                       .primary = {value.span, fmt::format("kind {} runs {} containers", service.kind->name,
                                                           service.containers.size())},
                       .help = fmt::format("'{}' applies to kinds with one container; declare your own "
                                           "kind to change a multi-container service",
                                           name)});
        continue;
      }
      if (name == "image") {
        service.containers[0].image = value.text;
        service.containers[0].span = value.span;
        service.containers[0].pinned.clear();  // the service's own choice, of no known day
      }
      if (name == "memory") service.containers[0].memory = value.number;
    }
  }

  /// Adds the implicit kinds (caddy, postgres) that services need and the
  /// site does not declare; reports the needs nothing can fill.
  void add_implicit_services() {
    // A service of unknown kind might be the one needed: say nothing more.
    for (const auto& [name, kind] : declared_) {
      if (!kind) return;
    }
    resolve::add_implicit_services(site_, kinds_, diags_);
  }

  /// tls = internal: the site's Caddy issues certificates from an
  /// intermediate under the federation's root, a key and a certificate the
  /// build makes and keeps like the other secrets (write/federation_ca.hpp).
  void add_intermediate_ca(model::Service& service) const {
    if (site_.tls != model::TlsMode::internal || service.kind->name != kProxyKind) return;
    service.secrets.push_back({std::string(model::kCaKeySecret), model::Secret::Format::ca_key});
    service.secrets.push_back({std::string(model::kCaCertificateSecret), model::Secret::Format::ca_certificate});
  }

  // ---------------------------------------------------------------- helpers

  Scope scope() {
    Scope s;
    s.service_kind = [this](const std::string& name) -> std::optional<std::string> {
      auto it = declared_.find(name);
      if (it == declared_.end()) return std::nullopt;
      return it->second ? it->second->name : std::string();
    };
    s.has_node = [this](const std::string& name) { return site_.node(name) != nullptr; };
    s.names = [this](const std::string& what) {
      std::vector<std::string> names;
      if (what == "node") {
        for (const auto& node : site_.nodes) names.push_back(node.name);
      } else {
        for (const auto& [name, kind] : declared_) names.push_back(name);
      }
      return names;
    };
    s.site_field = [this](const std::string& field) -> std::optional<std::string> {
      if (field == "name") return site_.name;
      if (field == "domain") return site_.domain;
      if (field == "onion" && site_.onion) return *site_.onion;
      return std::nullopt;
    };
    return s;
  }

  std::optional<model::Value> string_value(const syntax::Item& item) {
    return convert(item.value, Type::simple(Type::Kind::string), scope(),
                   fmt::format("'{}'", item.name), diags_);
  }

  std::optional<model::Value> required_string(const Body& body, const std::string& name,
                                              const std::string& example) {
    if (const syntax::Item* item = body.attribute(name)) return string_value(*item);
    missing(name, fmt::format("add {}", example));
    return std::nullopt;
  }

  void check_value(const std::optional<validate::Problem>& problem, Code code,
                   const syntax::Value& written) {
    if (problem) report_value_problem(*problem, code, written, sources_, diags_);
  }
  void check_value(const std::optional<validate::Problem>& problem, Code code,
                   const model::Value& value) {
    syntax::Value written{.kind = SK::string, .span = value.span, .text = value.text};
    check_value(problem, code, written);
  }

  void missing(const std::string& name, const std::string& help) {
    diags_.report({.code = "E0306",
                   .message = fmt::format("site '{}' has no '{}'", site_.name, name),
                   .primary = {block_.name_span, fmt::format("'{}' missing", name)},
                   .help = help});
  }

  void missing_in_service(const model::Service& service, const Block& block,
                          const model::AttributeSpec& spec) {
    diags_.report({.code = "E0306",
                   .message = fmt::format("service '{}' has no '{}'", service.name, spec.name),
                   .primary = {block.header->name_span, fmt::format("'{}' missing", spec.name)},
                   .notes = {fmt::format("{}: {}", spec.name, spec.doc)},
                   .help = fmt::format("add {} = ... ({})", spec.name, spec.type)});
  }

  void literal_secret(const syntax::Item& item) { report_literal_secret(item.name, item.value.span, diags_); }

  void duplicate(const char* what, const Block& block) {
    Span first{};
    for (const auto& node : site_.nodes) {
      if (node.name == block.label()) first = node.span;
    }
    for (const auto& service : site_.services) {
      if (service.name == block.label()) first = service.span;
    }
    Diagnostic d{.code = "E0304",
                 .message = fmt::format("{} '{}' is declared twice in site '{}'", what,
                                        block.label(), site_.name),
                 .primary = {block.header->labels.at(0).span, "declared again here"},
                 .help = fmt::format("give each {} its own name", what)};
    if (first.end != 0) d.secondary.push_back({{first.file, first.begin, first.begin}, "first declared here"});
    diags_.report(std::move(d));
  }

  const syntax::Item& block_;
  const KindTable& kinds_;
  const SourceMap& sources_;
  Diagnostics& diags_;
  model::Site site_;
  std::map<std::string, const model::Kind*> declared_;
  std::map<std::string, std::map<std::string, model::Value>> overrides_;
  std::map<std::string, std::pair<std::string, Span>> image_overrides_;
  std::map<std::string, Span> image_keys_;   ///< where each entry's key is written
  std::set<std::string> used_images_;        ///< keys a container matched
  std::set<std::string> named_images_;       ///< what the containers name, before the map
};

}  // namespace

model::Site build_site(const syntax::Item& block, const Templates& templates,
                       const KindTable& kinds, const SourceMap& sources, Diagnostics& diags,
                       ImageEntries& image_entries) {
  auto body = templates.expand(block, diags);
  if (!body) {  // reported; checking the rest would only add follow-on errors
    return model::Site{.name = block.labels.at(0).text, .span = block.span};
  }
  SiteBuilder builder(block, kinds, sources, diags);
  model::Site site = builder.build(*body);
  builder.note_image_entries(image_entries);
  return site;
}

}  // namespace dcomm::resolve
