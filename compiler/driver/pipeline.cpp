#include "driver/pipeline.hpp"

#include "resolve/resolve.hpp"
#include "validate/rules.hpp"

namespace dcomm {

Compilation check_file(SourceMap& sources, FileId root, Diagnostics& diags,
                       const resolve::LoadOptions& options) {
  // Counted from here: `diags` may already hold another spec's errors.
  const std::size_t errors_before = diags.error_count();
  auto new_errors = [&] { return diags.error_count() > errors_before; };
  Compilation result;
  result.files = resolve::load(sources, root, diags, options);
  // Syntax errors make the tree partial; resolving it would only add
  // confusing follow-on errors.
  if (new_errors()) return result;
  result.federation = resolve::resolve(result.files, sources, diags);
  if (!new_errors()) validate::check_federation(result.federation, diags);
  return result;
}

}  // namespace dcomm
