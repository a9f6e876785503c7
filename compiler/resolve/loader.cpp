#include "resolve/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "syntax/parser.hpp"
#include "util/embedded.hpp"
#include "util/files.hpp"

namespace dcomm {
extern const EmbeddedFile kStdlibFiles[];
extern const std::size_t kStdlibFiles_count;
}  // namespace dcomm

namespace dcomm::resolve {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxImportDepth = 100;

class Loader {
 public:
  Loader(SourceMap& sources, Diagnostics& diags, const LoadOptions& options)
      : sources_(sources), diags_(diags), options_(options) {}

  void load_stdlib() {
    if (options_.parsed_stdlib) {
      files_ = *options_.parsed_stdlib;
      return;
    }
    if (!options_.stdlib_dir) {
      for (std::size_t i = 0; i < kStdlibFiles_count; ++i) {
        add_stdlib_file(fmt::format("stdlib/{}", kStdlibFiles[i].name),
                        std::string(kStdlibFiles[i].text));
      }
      return;
    }
    // The CLI has checked that the folder exists.
    std::vector<fs::path> paths;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(*options_.stdlib_dir, ec)) {
      if (entry.path().extension() == ".dcomm") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());  // deterministic order
    for (const auto& path : paths) {
      std::string error;
      auto text = util::read_file(path, error);
      if (text) add_stdlib_file(path.string(), std::move(*text));
    }
  }

  void load_root(FileId root) {
    const fs::path path = sources_.file(root).name();
    visit(root, key_of(path));
  }

  std::vector<LoadedFile> take() { return std::move(files_); }

 private:
  static std::string key_of(const fs::path& path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return (ec ? path.lexically_normal() : canonical).string();
  }

  void add_stdlib_file(std::string name, std::string text) {
    const FileId id = sources_.add(std::move(name), std::move(text));
    files_.push_back({syntax::parse(sources_, id, diags_), true});
  }

  void visit(FileId id, const std::string& key) {
    state_[key] = State::loading;
    stack_.push_back(key);
    syntax::File tree = syntax::parse(sources_, id, diags_);
    for (const syntax::Item& item : tree.items) {
      if (item.kind == syntax::Item::Kind::import) follow(id, item);
    }
    files_.push_back({std::move(tree), false});
    stack_.pop_back();
    state_[key] = State::done;
  }

  void follow(FileId importer, const syntax::Item& import) {
    const fs::path base = fs::path(sources_.file(importer).name()).parent_path();
    const fs::path path = (base / import.value.text).lexically_normal();
    const std::string key = key_of(path);
    const Span at = import.value.span;

    auto found = state_.find(key);
    if (found != state_.end() && found->second == State::done) return;  // shared import
    if (found != state_.end()) {
      report_cycle(at, key);
      return;
    }
    if (stack_.size() >= kMaxImportDepth) {
      diags_.report({.code = "E0301",
                     .message = fmt::format("imports are nested deeper than {} files",
                                            kMaxImportDepth),
                     .primary = {at, "one import too many"},
                     .help = "import shared files from one place instead of chaining them"});
      return;
    }
    std::string error;
    auto text = options_.read_import ? options_.read_import(path, error) : util::read_file(path, error);
    if (!text) {
      diags_.report({.code = "E0301",
                     .message = fmt::format("cannot import '{}': {}", path.string(), error),
                     .primary = {at, "imported here"},
                     .help = "import paths are relative to the importing file's folder"});
      return;
    }
    visit(sources_.add(path.string(), std::move(*text)), key);
  }

  void report_cycle(Span at, const std::string& key) {
    auto first = std::find(stack_.begin(), stack_.end(), key);
    std::string chain;
    for (auto it = first; it != stack_.end(); ++it) chain += fs::path(*it).filename().string() + " -> ";
    chain += fs::path(key).filename().string();
    diags_.report({.code = "E0302",
                   .message = "imports form a cycle",
                   .primary = {at, "this import closes the cycle"},
                   .notes = {fmt::format("the cycle: {}", chain)},
                   .help = "move what both files need into a third file that imports neither"});
  }

  enum class State { loading, done };

  SourceMap& sources_;
  Diagnostics& diags_;
  const LoadOptions& options_;
  std::vector<LoadedFile> files_;
  std::map<std::string, State> state_;
  std::vector<std::string> stack_;
};

}  // namespace

std::vector<LoadedFile> load(SourceMap& sources, FileId root, Diagnostics& diags,
                             const LoadOptions& options) {
  Loader loader(sources, diags, options);
  loader.load_stdlib();
  loader.load_root(root);
  return loader.take();
}

}  // namespace dcomm::resolve
