#pragma once
// One check of an open document, by the same front end as `dcommc check`:
// its sources, the diagnostics, the typed model and the symbol table over
// them. Every request reads it; none parses the text again.

#include <memory>
#include <string>
#include <string_view>

#include "driver/pipeline.hpp"
#include "driver/symbols.hpp"
#include "lsp/protocol.hpp"

namespace dcomm::lsp {

struct Analysis {
  SourceMap sources;
  FileId root = 0;
  Diagnostics diagnostics;
  Compilation compilation;
  SymbolIndex symbols;  ///< points into `compilation`: an Analysis never moves

  Analysis() = default;
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;

  /// Checks `text` as the file `path` (imports are read beside it).
  static std::shared_ptr<const Analysis> check(const std::string& path, std::string text,
                                               const resolve::LoadOptions& load);

  /// The standard library's kinds alone: what completion offers before a
  /// document has ever resolved.
  static std::shared_ptr<const Analysis> standard_library(const resolve::LoadOptions& load);

  /// Whether the resolver ran (the spec loaded without errors), so the
  /// model holds at least the standard kinds.
  bool resolved() const { return !compilation.federation.kinds.empty(); }
  const syntax::File* tree() const;
  std::string_view text_of(Span span) const;
};

/// One open document.
struct Document {
  std::string uri;
  std::string path;
  std::string text;
  int version = 0;
  std::shared_ptr<const Analysis> analysis;  ///< of `text`
  /// The latest analysis that resolved: this one, one of an earlier text
  /// (while the document does not parse), or the standard library's.
  /// Completion reads kinds and nodes from it.
  std::shared_ptr<const Analysis> resolved;

  /// An LSP Location: `span` in this document or in a file it loads.
  json location(Span span) const;
};

}  // namespace dcomm::lsp
