#pragma once
// Text -> syntax tree. The grammar is grammar/dcomm.hpp; this stage adds
// the actions that build the tree, error recovery, and the input limits.

#include <cstddef>

#include "diag/diagnostic.hpp"
#include "source/source_file.hpp"
#include "syntax/ast.hpp"

namespace dcomm::syntax {

struct ParseLimits {
  std::size_t max_bytes = 8u << 20;  ///< larger files get E0103
  std::size_t max_depth = 100;       ///< nested blocks, lists, maps and calls (E0104)
  std::size_t max_errors = 100;      ///< then stop with E0106
};

/// Parses one file of `sources`. Always returns a tree; where the text had
/// errors it holds what could be recovered, and `diags` says what was wrong.
File parse(const SourceMap& sources, FileId file, Diagnostics& diags,
           const ParseLimits& limits = {});

}  // namespace dcomm::syntax
