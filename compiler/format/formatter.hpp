#pragma once
// `dcommc fmt`: prints a syntax tree in the one canonical layout, keeping
// every comment. The layout is documented in docs/language.md; in short:
// two-space indents, one statement per line, `=` aligned in runs of
// single-line attributes, at most one blank line where the source had
// any, lists and maps inline when they fit in 100 columns.

#include <string>
#include <string_view>

#include "source/source_file.hpp"
#include "syntax/ast.hpp"

namespace dcomm::format {

/// The canonical text of `file`, parsed from `source` without errors.
/// Formatting the result again gives the same text, and parsing it gives
/// a tree with the same meaning and the same comments in the same order.
std::string format_file(const syntax::File& file, const SourceFile& source);

/// A string literal for `text`: quotes, backslashes and control characters
/// escaped, everything else as it is.
std::string quote(std::string_view text);

}  // namespace dcomm::format
