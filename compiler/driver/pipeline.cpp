#include "driver/pipeline.hpp"

#include "resolve/resolve.hpp"
#include "validate/rules.hpp"

namespace dcomm {

Compilation check_file(SourceMap& sources, FileId root, Diagnostics& diags,
                       const resolve::LoadOptions& options) {
  Compilation result;
  result.files = resolve::load(sources, root, diags, options);
  // Syntax errors make the tree partial; resolving it would only add
  // confusing follow-on errors.
  if (diags.has_errors()) return result;
  result.federation = resolve::resolve(result.files, sources, diags);
  if (!diags.has_errors()) validate::check_federation(result.federation, diags);
  return result;
}

}  // namespace dcomm
