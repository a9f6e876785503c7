#include "resolve/nodes.hpp"

#include <fmt/format.h>

#include <map>

#include "resolve/value_problem.hpp"
#include "validate/address.hpp"
#include "validate/values.hpp"

namespace dcomm::resolve {

namespace {

const Schema kNodeSchema = schema_of("node");

void read_addresses(const syntax::Item& item, model::Node& node, const Scope& scope, const SourceMap& sources,
                    Diagnostics& diags) {
  const auto list = convert(item.value, Type::list_of(Type::simple(Type::Kind::string)), scope,
                            "'addresses'", diags);
  if (!list) return;
  std::map<std::string, const model::Value*> seen;
  for (const model::Value& written : list->items) {
    const auto canonical = validate::canonical_address(written.text);
    if (!canonical) {
      if (auto problem = validate::check_address(written.text)) {
        const syntax::Value literal{.kind = syntax::Value::Kind::string, .span = written.span, .text = written.text};
        report_value_problem(*problem, "E0417", literal, sources, diags);
      }
      continue;
    }
    const auto [first, fresh] = seen.emplace(*canonical, &written);
    if (!fresh) {
      diags.report({.code = "E0417",
                    .message = fmt::format("node '{}' lists the address {} twice", node.name, *canonical),
                    .primary = {written.span, "again here"},
                    .secondary = {{first->second->span, "first here"}},
                    .help = "list each address once"});
      continue;
    }
    node.addresses.push_back(*canonical);
  }
}

/// `ssh_port = 2222/tcp`: a port, and TCP, as SSH is.
void read_ssh_port(const syntax::Item& item, model::Node& node, const Scope& scope, Diagnostics& diags) {
  const auto port = convert(item.value, Type::simple(Type::Kind::port), scope, "'ssh_port'", diags);
  if (!port) return;
  if (port->protocol != model::Protocol::tcp) {
    diags.report({.code = "E0311",
                  .message = fmt::format("node '{}' gives SSH a UDP port", node.name),
                  .primary = {item.value.span, "SSH listens on TCP"},
                  .help = fmt::format("write ssh_port = {}/tcp", port->number)});
    return;
  }
  node.ssh_port = static_cast<int>(port->number);
}

void check_label(const syntax::Value& map, const std::string& key, const model::Value& value,
                 Diagnostics& diags) {
  if (auto problem = validate::check_label_key(key)) {
    Span where = map.span;
    for (const auto& entry : map.entries) {
      if (entry.key == key) where = entry.key_span;
    }
    diags.report({.code = "E0311", .message = problem->message, .primary = {where, "this key"},
                  .help = problem->help});
  }
  if (auto problem = validate::check_label_value(value.text)) {
    diags.report({.code = "E0311", .message = problem->message, .primary = {value.span, "this value"},
                  .help = problem->help});
  }
}

}  // namespace

model::Node read_node(const Block& block, const std::string& site_domain, const Scope& scope,
                      const SourceMap& sources, Diagnostics& diags) {
  const bool names_ok = check_names(block.body, kNodeSchema, diags);
  model::Node node{.name = block.label(), .span = block.header->span};
  const syntax::Item* labels = block.body.attribute("labels");
  if (!labels && !names_ok) {
    // A misspelt `labels` was reported; "no labels" would only repeat it.
  } else if (!labels) {
    diags.report({.code = "E0406",
                   .message = fmt::format("node '{}' has no labels", node.name),
                   .primary = {block.header->name_span, "no labels"},
                   .help = fmt::format("add labels = {{ dwebstackdomain = \"{}\" }}; swarm places "
                                       "services on nodes by label",
                                       site_domain.empty() ? "example.org" : site_domain)});
  } else if (auto value = convert(labels->value, Type::map_of(Type::simple(Type::Kind::string)),
                                  scope, "'labels'", diags)) {
    for (const auto& [key, text] : value->entries) {
      check_label(labels->value, key, text, diags);
      node.labels[key] = text.text;
    }
    if (node.labels.empty()) {
      diags.report({.code = "E0406",
                    .message = fmt::format("node '{}' has no labels", node.name),
                    .primary = {labels->value.span, "empty"},
                    .help = "give the node at least one label; swarm places services by label"});
    }
  }
  if (const syntax::Item* addresses = block.body.attribute("addresses")) {
    read_addresses(*addresses, node, scope, sources, diags);
  }
  if (const syntax::Item* ssh_port = block.body.attribute("ssh_port")) read_ssh_port(*ssh_port, node, scope, diags);
  return node;
}

}  // namespace dcomm::resolve
