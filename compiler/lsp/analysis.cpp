#include "lsp/analysis.hpp"

#include <filesystem>

namespace dcomm::lsp {

std::shared_ptr<const Analysis> Analysis::check(const std::string& path, std::string text,
                                                const resolve::LoadOptions& load) {
  auto analysis = std::make_shared<Analysis>();
  analysis->root = analysis->sources.add(path, std::move(text));
  analysis->compilation = check_file(analysis->sources, analysis->root, analysis->diagnostics, load);
  analysis->symbols = SymbolIndex::build(analysis->compilation);
  return analysis;
}

std::shared_ptr<const Analysis> Analysis::standard_library(const resolve::LoadOptions& load) {
  auto analysis = std::make_shared<Analysis>();
  analysis->compilation = check_standard_library(analysis->sources, analysis->diagnostics, load);
  for (const resolve::LoadedFile& file : analysis->compilation.files)
    if (!file.stdlib) analysis->root = file.tree.file;  // the empty spec it was loaded for
  analysis->symbols = SymbolIndex::build(analysis->compilation);
  return analysis;
}

const syntax::File* Analysis::tree() const {
  for (const auto& file : compilation.files)
    if (file.tree.file == root) return &file.tree;
  return nullptr;
}

std::string_view Analysis::text_of(Span span) const {
  if (span.file >= sources.size()) return {};
  const std::string& text = sources.file(span.file).text();
  if (span.begin > span.end || span.end > text.size()) return {};
  return std::string_view(text).substr(span.begin, span.end - span.begin);
}

json Document::location(Span span) const {
  if (span.file == analysis->root) {
    const LineIndex index(text);
    return {{"uri", uri}, {"range", range_json(index, span.begin, span.end)}};
  }
  const SourceFile& file = analysis->sources.file(span.file);
  const LineIndex index(file.text());
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(file.name(), ec);
  return {{"uri", path_to_uri(ec ? file.name() : absolute.string())},
          {"range", range_json(index, span.begin, span.end)}};
}

}  // namespace dcomm::lsp
