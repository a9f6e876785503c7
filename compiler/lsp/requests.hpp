#pragma once
// The answers to the language server's requests about one document, one
// function each. The server (server.cpp) finds the document and calls them.

#include "lsp/analysis.hpp"

namespace dcomm::lsp {

// navigation.cpp: from the symbol table of the document's last check.
json hover(const Document& doc, const json& params);
json definition(const Document& doc, const json& params);
json references(const Document& doc, const json& params);
json rename(const Document& doc, const json& params);
json document_symbols(const Document& doc);

// completion.cpp
json completion(const Document& doc, const json& params);

// diagnostics.cpp: the publishDiagnostics notification for the last check.
json publish_diagnostics(const Document& doc);

}  // namespace dcomm::lsp
