#pragma once
// A validator's finding on a written value (validate/problem.hpp), as a
// diagnostic under the exact characters it is about.

#include "diag/diagnostic.hpp"
#include "source/source_file.hpp"
#include "syntax/ast.hpp"
#include "validate/problem.hpp"

namespace dcomm::resolve {

/// Reports `problem` with `code`: under the characters of `written` it
/// names when the literal has no escapes, else under the whole value.
void report_value_problem(const validate::Problem& problem, Code code, const syntax::Value& written,
                          const SourceMap& sources, Diagnostics& diags);

}  // namespace dcomm::resolve
