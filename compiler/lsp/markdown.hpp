#pragma once
// What hovers and completion items say about a symbol, in Markdown: built
// from the language's one table and the resolved model, never the text.

#include <string>

#include "driver/symbols.hpp"
#include "language/builtins.hpp"
#include "lsp/analysis.hpp"

namespace dcomm::lsp {

std::string block_markdown(const language::BlockSpec& block);
std::string field_markdown(const language::BlockSpec& block, const language::Field& field);
std::string kind_markdown(const model::Kind& kind);
/// `analysis` holds the sources of the kind's declaration: defaults are
/// shown as written.
std::string attribute_markdown(const Analysis& analysis, const model::Kind& kind, const model::AttributeSpec& a);
std::string symbol_markdown(const Analysis& analysis, const Symbol& symbol);

}  // namespace dcomm::lsp
