#include "driver/pipeline.hpp"

#include <fmt/format.h>

#include "resolve/resolve.hpp"
#include "util/files.hpp"
#include "util/dates.hpp"
#include "validate/image_age.hpp"
#include "validate/rules.hpp"

namespace dcomm {

namespace {

/// False, with E0414 at the first site past the limit, if the spec
/// declares more than kMaxSites sites: checked before resolving, which
/// would expand every one of them.
bool site_count_within_limit(const std::vector<resolve::LoadedFile>& files, Diagnostics& diags) {
  std::size_t sites = 0;
  for (const resolve::LoadedFile& file : files) {
    if (file.stdlib) continue;
    for (const syntax::Item& item : file.tree.items) {
      if (item.kind != syntax::Item::Kind::block || item.name != "site" || ++sites <= kMaxSites) continue;
      diags.report({.code = "E0414",
                    .message = fmt::format("the spec declares more than {} sites", kMaxSites),
                    .primary = {item.name_span, fmt::format("site number {}", sites)},
                    .notes = {"one spec is built, and checked, as a whole; the limit bounds the memory "
                              "and the output of one build"},
                    .help = "split the fleet into several specs (one per region, say), each built into "
                            "its own output folder"});
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<FileId> add_spec_file(SourceMap& sources, const std::string& path, std::string& error) {
  auto file = util::read(path, error);
  if (!file) return std::nullopt;
  return sources.add(path, std::move(file->text), file->size);
}

Compilation check_file(SourceMap& sources, FileId root, Diagnostics& diags,
                       const resolve::LoadOptions& options) {
  // Counted from here: `diags` may already hold another spec's errors.
  const std::size_t errors_before = diags.error_count();
  auto new_errors = [&] { return diags.error_count() > errors_before; };
  Compilation result;
  result.files = resolve::load(sources, root, diags, options);
  // Syntax errors make the tree partial; resolving it would only add
  // confusing follow-on errors.
  if (new_errors() || !site_count_within_limit(result.files, diags)) return result;
  result.federation = resolve::resolve(result.files, sources, diags);
  if (!new_errors()) {
    validate::check_federation(result.federation, diags);
    validate::check_image_age(result.federation, options.max_image_age_days, util::today(), diags);
  }
  return result;
}

Compilation check_standard_library(SourceMap& sources, Diagnostics& diags, const resolve::LoadOptions& options) {
  Compilation result;
  Diagnostics loading;
  result.files = resolve::load(sources, sources.add("<stdlib>", ""), loading, options);
  for (const Diagnostic& d : loading.all()) {
    if (d.code != Code("E0105")) diags.report(d);  // an empty spec, as asked
  }
  if (!diags.has_errors()) result.federation = resolve::resolve(result.files, sources, diags);
  return result;
}

}  // namespace dcomm
