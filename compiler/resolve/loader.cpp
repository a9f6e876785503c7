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
    const SourceFile& file = sources_.file(root);
    const fs::path path = file.name();
    std::error_code ec;
    spec_folder_ = fs::weakly_canonical(fs::absolute(path, ec).parent_path(), ec);
    spec_folder_shown_ = path.parent_path().empty() ? "." : path.parent_path().string();
    total_bytes_ = file.size();
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
    if (!may_import(path, key, at)) return;
    std::string error;
    auto file = read_import(path, error);
    if (!file) {
      diags_.report({.code = "E0301",
                     .message = fmt::format("cannot import '{}': {}", path.string(), error),
                     .primary = {at, "imported here"},
                     .help = "import paths are relative to the importing file's folder"});
      return;
    }
    // What was read counts: a file past the parser's limit is cut there,
    // and reported by the parser (E0103) with its real size.
    if (!within_budget(file->text.size(), at)) return;
    visit(sources_.add(path.string(), std::move(file->text), file->size), key);
  }

  std::optional<util::FileText> read_import(const fs::path& path, std::string& error) const {
    if (!options_.read_import) return util::read(path, error, {.regular_only = true});
    auto text = options_.read_import(path, error);
    if (!text) return std::nullopt;
    const std::uint64_t size = text->size();
    return util::FileText{std::move(*text), size};
  }

  /// Only .dcomm files, and by default only inside the root spec's folder:
  /// whatever an import names is read, and its lines may be quoted.
  bool may_import(const fs::path& path, const std::string& key, Span at) {
    // The name as written and the file it resolves to: a link named
    // x.dcomm that leads to a secret is no spec either.
    if (path.extension() != ".dcomm" || fs::path(key).extension() != ".dcomm") {
      diags_.report({.code = "E0314",
                     .message = fmt::format("cannot import '{}': only .dcomm files can be imported", path.string()),
                     .primary = {at, "not a .dcomm file"},
                     .notes = {"dcommc reads nothing but specs, so that a spec can never make it read "
                               "(and print) a secret or a system file"},
                     .help = "import the spec file itself, whose name ends in .dcomm"});
      return false;
    }
    if (options_.allow_import_outside || inside(fs::path(key), spec_folder_)) return true;
    diags_.report({.code = "E0313",
                   .message = fmt::format("cannot import '{}': it is outside the spec's folder", path.string()),
                   .primary = {at, "leads out of the spec's folder"},
                   .notes = {fmt::format("the spec's folder is {}; imports must stay in it or below it, "
                                         "symbolic links resolved",
                                         spec_folder_shown_)},
                   .help = "move the shared file into the spec's folder, or pass --allow-import-outside "
                           "if you trust every spec this machine checks"});
    return false;
  }

  static bool inside(const fs::path& file, const fs::path& folder) {
    auto [end_of_folder, _] = std::mismatch(folder.begin(), folder.end(), file.begin(), file.end());
    return end_of_folder == folder.end();
  }

  bool within_budget(std::uint64_t size, Span at) {
    total_bytes_ += size;
    if (total_bytes_ <= kMaxTotalInputBytes) return true;
    if (budget_reported_) return false;
    budget_reported_ = true;
    diags_.report({.code = "E0107",
                   .message = fmt::format("the spec and its imports hold more than {} together",
                                          util::mebibytes(kMaxTotalInputBytes)),
                   .primary = {at, fmt::format("this import brings the total to {} bytes", total_bytes_)},
                   .notes = {"the limit keeps any spec from exhausting the memory of the machine that checks it"},
                   .help = "a federation of 10,000 sites fits in a few megabytes through templates: "
                           "move what sites share into a template"});
    return false;
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
  fs::path spec_folder_;          ///< resolved, to compare with
  std::string spec_folder_shown_;  ///< as the command line named it, for messages
  std::uint64_t total_bytes_ = 0;
  bool budget_reported_ = false;
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
