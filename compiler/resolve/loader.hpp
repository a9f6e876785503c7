#pragma once
// Loads a spec with everything it imports, and the standard library, into
// one SourceMap, parsing each file once.

#include <filesystem>
#include <optional>
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
};

/// The stdlib, then `root` and its imports in the order first reached.
/// Problems (unreadable files, cycles, syntax errors) go to `diags`; what
/// could be loaded is returned regardless.
std::vector<LoadedFile> load(SourceMap& sources, FileId root, Diagnostics& diags,
                             const LoadOptions& options = {});

}  // namespace dcomm::resolve
