#include "resolve/body.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "language/builtins.hpp"
#include "util/spellcheck.hpp"
#include "validate/values.hpp"

namespace dcomm::resolve {

const Block* Body::block(const std::string& type, const std::string& label) const {
  for (const Block& b : blocks) {
    if (b.type() == type && b.label() == label) return &b;
  }
  return nullptr;
}

const syntax::Item* Body::attribute(const std::string& name) const {
  for (const syntax::Item* item : attributes) {
    if (item->name == name) return item;
  }
  return nullptr;
}

Body body_of(const syntax::Item& block, Diagnostics& diags) {
  Body body;
  for (const syntax::Item& item : block.body) {
    if (item.kind == syntax::Item::Kind::block) {
      if (const Block* first = body.block(item.name, item.labels.empty() ? "" : item.labels[0].text)) {
        const Span where = item.labels.empty() ? item.name_span : item.labels[0].span;
        const Span first_where = first->header->labels.empty() ? first->header->name_span
                                                               : first->header->labels[0].span;
        diags.report({.code = "E0304",
                      .message = fmt::format("{} '{}' is declared twice in this block", item.name,
                                             first->label()),
                      .primary = {where, "declared again here"},
                      .secondary = {{first_where, "first declared here"}},
                      .help = fmt::format("give each {} its own name, or merge the two", item.name)});
        continue;
      }
      body.blocks.push_back({&item, body_of(item, diags)});
      continue;
    }
    if (const syntax::Item* first = body.attribute(item.name)) {
      diags.report({.code = "E0304",
                    .message = fmt::format("'{}' is set twice in this block", item.name),
                    .primary = {item.name_span, "set again here"},
                    .secondary = {{first->name_span, "first set here"}},
                    .help = "keep the one you mean"});
      continue;
    }
    body.attributes.push_back(&item);
  }
  return body;
}

Body merge(Body base, const Body& over) {
  for (const syntax::Item* item : over.attributes) {
    auto same = std::find_if(base.attributes.begin(), base.attributes.end(),
                             [&](const syntax::Item* b) { return b->name == item->name; });
    if (same != base.attributes.end()) {
      *same = item;
    } else {
      base.attributes.push_back(item);
    }
  }
  for (const Block& block : over.blocks) {
    auto same = std::find_if(base.blocks.begin(), base.blocks.end(), [&](const Block& b) {
      return b.type() == block.type() && b.label() == block.label();
    });
    if (same != base.blocks.end()) {
      same->body = merge(std::move(same->body), block.body);
      same->header = block.header;
    } else {
      base.blocks.push_back(block);
    }
  }
  return base;
}

namespace {

void unknown(const std::string& noun, const std::string& name, Span span,
             const std::vector<std::string>& known, const Schema& schema, Diagnostics& diags) {
  Diagnostic d{.code = noun == "attribute" ? Code("E0305") : Code("E0303"),
               .message = fmt::format("{} has no {} '{}'", schema.what, noun, name),
               .primary = {span, fmt::format("unknown {}", noun)}};
  if (auto guess = util::did_you_mean(name, known)) {
    d.help = fmt::format("did you mean '{}'?", *guess);
    d.fixes.push_back({span, *guess});
  } else if (known.empty()) {
    d.help = fmt::format("{} takes no {}s", schema.what, noun);
  } else {
    d.help = fmt::format("{} takes: {}", schema.what, fmt::join(known, ", "));
  }
  if (!schema.help.empty()) d.notes.push_back(schema.help);
  diags.report(std::move(d));
}

}  // namespace

Schema schema_of(std::string_view name) {
  const language::BlockSpec* block = language::find_block(name);
  if (!block) throw std::logic_error(fmt::format("no built-in block '{}'", name));
  Schema schema{.what = std::string(block->what), .help = std::string(block->help)};
  for (std::string_view field : language::field_names(*block)) schema.attributes.emplace_back(field);
  for (std::string_view child : block->blocks) schema.blocks.emplace_back(child);
  return schema;
}

bool check_names(const Body& body, const Schema& schema, Diagnostics& diags) {
  bool ok = true;
  for (const syntax::Item* item : body.attributes) {
    if (std::find(schema.attributes.begin(), schema.attributes.end(), item->name) ==
        schema.attributes.end()) {
      unknown("attribute", item->name, item->name_span, schema.attributes, schema, diags);
      ok = false;
    }
  }
  for (const Block& block : body.blocks) {
    if (std::find(schema.blocks.begin(), schema.blocks.end(), block.type()) ==
        schema.blocks.end()) {
      unknown("block", block.type(), block.header->name_span, schema.blocks, schema, diags);
      ok = false;
    }
  }
  return ok;
}

bool check_labels(const syntax::Item& block, std::size_t expected, Diagnostics& diags) {
  if (block.labels.size() == expected) {
    for (const auto& label : block.labels) {
      if (auto problem = validate::check_name(label.text)) {
        diags.report({.code = "E0412",
                      .message = fmt::format("{} name '{}': {}", block.name, label.text, problem->message),
                      .primary = {label.span, "this name"},
                      .help = problem->help});
        return false;
      }
    }
    return true;
  }
  const Span where = block.labels.size() > expected
                         ? block.labels[expected].span
                         : Span{block.name_span.file, block.name_span.end, block.name_span.end};
  diags.report({.code = "E0312",
                .message = expected == 0
                               ? fmt::format("a {} block takes no label", block.name)
                               : fmt::format("a {} block takes exactly {} label", block.name, expected),
                .primary = {where, block.labels.size() > expected ? "extra label" : "label missing"},
                .help = expected == 0 ? fmt::format("write {} {{ ... }}", block.name)
                                      : fmt::format("write {} \"name\" {{ ... }}", block.name)});
  return false;
}

}  // namespace dcomm::resolve
