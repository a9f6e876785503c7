#pragma once
// Loads a spec with everything it imports, and the standard library, into
// one SourceMap, parsing each file once.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.hpp"
#include "source/source_file.hpp"
#include "syntax/ast.hpp"

namespace dcomm::resolve {

struct LoadedFile {
  syntax::File tree;
  bool stdlib = false;
};

struct LoadOptions {
  /// Read the stdlib from this folder instead of the copy built into the
  /// binary (`--stdlib DIR`).
  std::optional<std::filesystem::path> stdlib_dir;
  /// The stdlib parsed earlier, its files already in the SourceMap given to
  /// load(): a caller that checks many specs (the pipeline fuzzer) parses it
  /// once instead of once per spec. Takes precedence over stdlib_dir.
  const std::vector<LoadedFile>* parsed_stdlib = nullptr;
  /// Reads an imported file; empty means from disk. The pipeline fuzzer
  /// serves imports from memory, so an input cannot make it read (or
  /// block on) a real file such as /dev/stdin.
  std::function<std::optional<std::string>(const std::filesystem::path&, std::string& error)>
      read_import;
  /// Imports may leave the root spec's folder (`--allow-import-outside`).
  /// By default they may not: a spec from a pull request must not make
  /// `check` read (and quote) any file of the machine it runs on.
  bool allow_import_outside = false;
  /// Warn (W0506) about an image whose pin was chosen longer ago than this
  /// many days (`--max-image-age`); 0 never warns. Read by the validation
  /// stage, which check_file runs with these same options.
  int max_image_age_days = 180;
};

/// The most a spec and its imports may hold together (E0107); one file
/// may hold 8 MiB (E0103).
inline constexpr std::uint64_t kMaxTotalInputBytes = 16u << 20;

/// The stdlib, then `root` and its imports in the order first reached.
/// Problems (unreadable files, cycles, syntax errors) go to `diags`; what
/// could be loaded is returned regardless.
std::vector<LoadedFile> load(SourceMap& sources, FileId root, Diagnostics& diags,
                             const LoadOptions& options = {});

}  // namespace dcomm::resolve
