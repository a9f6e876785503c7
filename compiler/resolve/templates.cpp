#include "resolve/templates.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>
#include <vector>

#include "util/spellcheck.hpp"

namespace dcomm::resolve {

using SK = syntax::Value::Kind;

std::optional<Body> Templates::expand(const syntax::Item& block, Diagnostics& diags) const {
  std::vector<const syntax::Item*> chain{&block};  // most specific first
  std::set<const syntax::Item*> seen{&block};
  for (;;) {
    const syntax::Item* current = chain.back();
    const syntax::Item* extends = nullptr;
    for (const syntax::Item& item : current->body) {
      if (item.kind == syntax::Item::Kind::attribute && item.name == "extends") extends = &item;
    }
    if (!extends) break;
    const syntax::Value& v = extends->value;
    if (v.kind != SK::reference || v.path.size() != 2 || v.path[0] != "template") {
      diags.report({.code = "E0307",
                    .message = "wrong type for 'extends'",
                    .primary = {v.span, "expected template.NAME"},
                    .help = "write extends = template.NAME, naming a template \"NAME\" { ... } block"});
      return std::nullopt;
    }
    auto found = blocks_.find(v.path[1]);
    if (found == blocks_.end()) {
      std::vector<std::string> names;
      for (const auto& [name, item] : blocks_) names.push_back(name);
      Diagnostic d{.code = "E0308",
                   .message = fmt::format("no template named '{}'", v.path[1]),
                   .primary = {v.span, "unknown template"},
                   .help = names.empty() ? "declare it: template \"NAME\" { ... }"
                                         : fmt::format("the templates are: {}", fmt::join(names, ", "))};
      if (auto guess = util::did_you_mean(v.path[1], names)) {
        d.help = fmt::format("did you mean template.{}?", *guess);
        d.fixes.push_back({v.span, "template." + *guess});
      }
      diags.report(std::move(d));
      return std::nullopt;
    }
    if (!seen.insert(found->second).second) {
      diags.report({.code = "E0310",
                    .message = fmt::format("template '{}' extends itself", v.path[1]),
                    .primary = {v.span, "this closes the cycle"},
                    .help = "a template may extend another, but the chain must end"});
      return std::nullopt;
    }
    chain.push_back(found->second);
  }
  Body body;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) body = merge(std::move(body), body_of(**it, diags));
  std::erase_if(body.attributes, [](const syntax::Item* item) { return item->name == "extends"; });
  return body;
}

}  // namespace dcomm::resolve
