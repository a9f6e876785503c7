#include "lsp/markdown.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace dcomm::lsp {

namespace {

/// "image `x` · ports 8008/tcp" for one container of a kind.
std::string container_summary(const model::Container& c) {
  std::vector<std::string> parts;
  if (!c.image.empty()) parts.push_back(fmt::format("image `{}`", c.image));
  std::vector<std::string> ports;
  for (const model::Port& port : c.ports) ports.push_back(model::to_string(port));
  if (!ports.empty()) parts.push_back(fmt::format("ports {}", fmt::join(ports, ", ")));
  return fmt::format("{}", fmt::join(parts, " · "));
}

std::string node_markdown(const Symbol& symbol) {
  std::string out = fmt::format("**node {}**", symbol.name);
  if (symbol.site) out += fmt::format(" of site `{}`", symbol.site->name);
  if (!symbol.node) return out;
  std::vector<std::string> labels;
  for (const auto& [key, value] : symbol.node->labels) labels.push_back(fmt::format("`{}={}`", key, value));
  if (!labels.empty()) out += fmt::format("\n\nlabels {}", fmt::join(labels, ", "));
  if (!symbol.node->addresses.empty()) out += fmt::format("\n\naddresses {}", fmt::join(symbol.node->addresses, ", "));
  return out;
}

std::string service_markdown(const Symbol& symbol) {
  std::string out = fmt::format("**service {}**", symbol.name);
  if (symbol.model_kind) out += fmt::format(" (kind `{}`)", symbol.model_kind->name);
  if (symbol.service && !symbol.service->node.empty()) out += fmt::format(" on node `{}`", symbol.service->node);
  if (symbol.model_kind && !symbol.model_kind->doc.empty()) out += "\n\n" + symbol.model_kind->doc;
  return out;
}

std::string site_markdown(const Analysis& analysis, const Symbol& symbol) {
  if (!symbol.name.starts_with("site.")) {
    std::string out = fmt::format("**site {}**", symbol.name);
    if (symbol.site) out += fmt::format(": `{}`, {} nodes, {} services", symbol.site->domain,
                                        symbol.site->nodes.size(), symbol.site->services.size());
    return out;
  }
  std::string out = fmt::format("**{}**", symbol.name);
  if (symbol.declaration) out += fmt::format(" = `{}`", analysis.text_of(*symbol.declaration));
  return out + "\n\n*the site's own attribute, as a string*";
}

}  // namespace

std::string block_markdown(const language::BlockSpec& block) {
  return fmt::format("**{}** block: {}\n\n{}", block.name, block.doc, block.written);
}

std::string field_markdown(const language::BlockSpec& block, const language::Field& field) {
  std::string out = fmt::format("**{}**: {}", field.name, field.value);
  if (field.required) out += " · required";
  if (!field.default_value.empty()) out += fmt::format(" = `{}`", field.default_value);
  return out + fmt::format("\n\n{}\n\n*in {}*", field.doc, block.what);
}

std::string kind_markdown(const model::Kind& kind) {
  std::string out = fmt::format("**kind {}**{}", kind.name, kind.standard ? " (standard library)" : "");
  if (!kind.doc.empty()) out += "\n\n" + kind.doc;
  for (const model::Container& c : kind.containers) {
    const std::string summary = container_summary(c);
    if (!summary.empty()) out += "\n\n" + (c.name.empty() ? summary : fmt::format("container `{}`: {}", c.name, summary));
  }
  if (!kind.attributes.empty()) {
    out += "\n\nAttributes:";
    for (const model::AttributeSpec& a : kind.attributes) {
      out += fmt::format("\n- `{}`: `{}`", a.name, a.type);
      if (!a.doc.empty()) out += " — " + a.doc;
    }
  }
  return out;
}

std::string attribute_markdown(const Analysis& analysis, const model::Kind& kind, const model::AttributeSpec& a) {
  std::string out = fmt::format("**{}**: `{}`", a.name, a.type.empty() ? "?" : a.type);
  if (a.default_value) out += fmt::format(" = `{}`", analysis.text_of(a.default_value->span));
  if (!a.doc.empty()) out += "\n\n" + a.doc;
  return out + fmt::format("\n\n*attribute of kind `{}`*", kind.name);
}

std::string symbol_markdown(const Analysis& analysis, const Symbol& symbol) {
  switch (symbol.kind) {
    case Symbol::Kind::block: return block_markdown(*symbol.block);
    case Symbol::Kind::field: return field_markdown(*symbol.field_of, *symbol.field);
    case Symbol::Kind::import:
      return fmt::format("**import** statement: {}\n\n{}", symbol.field->doc, symbol.field->value);
    case Symbol::Kind::kind:
      return symbol.model_kind ? kind_markdown(*symbol.model_kind) : fmt::format("**kind {}**", symbol.name);
    case Symbol::Kind::attribute: return attribute_markdown(analysis, *symbol.model_kind, *symbol.attribute);
    case Symbol::Kind::node: return node_markdown(symbol);
    case Symbol::Kind::service: return service_markdown(symbol);
    case Symbol::Kind::template_: return fmt::format("**template {}**", symbol.name);
    case Symbol::Kind::site: return site_markdown(analysis, symbol);
  }
  return {};
}

}  // namespace dcomm::lsp
