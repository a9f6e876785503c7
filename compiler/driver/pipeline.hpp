#pragma once
// The front end as one call, shared by `dcommc check`, `fmt`, the explain
// page tests and the fuzzers, so they all see the same stages.

#include "diag/diagnostic.hpp"
#include "source/source_file.hpp"
#include "syntax/ast.hpp"

namespace dcomm {

/// Runs every front-end stage on one file already in `sources`: today
/// parsing; resolution and validation join here as they are built.
syntax::File check_file(const SourceMap& sources, FileId file, Diagnostics& diags);

}  // namespace dcomm
