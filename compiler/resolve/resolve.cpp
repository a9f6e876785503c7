#include "resolve/resolve.hpp"

#include <fmt/format.h>

#include <map>

#include "language/builtins.hpp"
#include "resolve/kinds.hpp"
#include "resolve/sites.hpp"
#include "util/spellcheck.hpp"

namespace dcomm::resolve {

namespace {

/// The top-level blocks (language/builtins.hpp; an import is a statement).
const std::vector<std::string> kTopLevel = [] {
  std::vector<std::string> blocks;
  for (std::string_view name : language::top_level())
    if (language::find_block(name)) blocks.emplace_back(name);
  return blocks;
}();

/// The top-level blocks of every file, by type, with duplicates reported.
class Declarations {
 public:
  void add(const syntax::Item& item, Diagnostics& diags) {
    if (item.kind != syntax::Item::Kind::block) return;  // imports; attributes are E0232
    if (std::find(kTopLevel.begin(), kTopLevel.end(), item.name) == kTopLevel.end()) {
      unknown_type(item, diags);
      return;
    }
    if (!check_labels(item, 1, diags)) return;
    const std::string& label = item.labels[0].text;
    auto [it, fresh] = first_[item.name].emplace(label, &item);
    if (!fresh) {
      diags.report({.code = "E0304",
                    .message = fmt::format("{} '{}' is declared twice", item.name, label),
                    .primary = {item.labels[0].span, "declared again here"},
                    .secondary = {{it->second->labels[0].span, "first declared here"}},
                    .help = fmt::format("give each {} its own name", item.name)});
      return;
    }
    ordered_[item.name].push_back(&item);
  }

  const std::vector<const syntax::Item*>& of(const std::string& type) { return ordered_[type]; }

 private:
  static void unknown_type(const syntax::Item& item, Diagnostics& diags) {
    Diagnostic d{.code = "E0303",
                 .message = fmt::format("unknown declaration '{}'", item.name),
                 .primary = {item.name_span, "not a site, template or kind"},
                 .help = "a file declares site \"NAME\" { ... }, template \"NAME\" { ... } and "
                         "kind \"NAME\" { ... } blocks; nodes and services go inside a site"};
    if (auto guess = util::did_you_mean(item.name, kTopLevel)) {
      d.help = fmt::format("did you mean '{}'?", *guess);
      d.fixes.push_back({item.name_span, *guess});
    } else if (item.name == "node" || item.name == "service") {
      d.help = fmt::format("move this {} into the site it belongs to", item.name);
    }
    diags.report(std::move(d));
  }

  std::map<std::string, std::map<std::string, const syntax::Item*>> first_;
  std::map<std::string, std::vector<const syntax::Item*>> ordered_;
};

}  // namespace

model::Federation resolve(const std::vector<LoadedFile>& files, const SourceMap& sources,
                          Diagnostics& diags) {
  Declarations declarations;
  for (const LoadedFile& file : files) {
    for (const syntax::Item& item : file.tree.items) declarations.add(item, diags);
  }

  KindTable kinds;
  for (const syntax::Item* kind : declarations.of("kind")) {
    const bool standard = std::any_of(files.begin(), files.end(), [&](const LoadedFile& f) {
      return f.stdlib && f.tree.file == kind->span.file;
    });
    kinds.add(*kind, standard, diags);
  }
  Templates templates;
  for (const syntax::Item* block : declarations.of("template")) templates.add(*block);

  model::Federation federation;
  ImageEntries image_entries;
  for (const syntax::Item* site : declarations.of("site")) {
    federation.sites.push_back(build_site(*site, templates, kinds, sources, diags, image_entries));
  }
  image_entries.report_unused(diags);
  federation.kinds = kinds.take(federation.sites);
  for (std::size_t i = 0; i < federation.sites.size(); ++i) {
    for (const model::Service& service : federation.sites[i].services) {
      if (service.is_federating_homeserver()) {
        federation.federating_homeservers.push_back({i, model::server_name(federation.sites[i], service)});
      }
    }
  }
  return federation;
}

}  // namespace dcomm::resolve
