#pragma once
// Source text and positions. Every syntax node carries a Span: the file it
// came from and its byte offsets. Line and column are derived from the
// offsets on demand, exactly, so nodes stay small.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dcomm {

using FileId = std::uint32_t;

/// A half-open byte range [begin, end) in one source file.
struct Span {
  FileId file = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  bool operator==(const Span&) const = default;
};

/// A 1-based line and column. Columns count Unicode code points, so a
/// caret lines up under the character an editor shows there.
struct LineColumn {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

class SourceFile {
 public:
  /// `size` is the whole file's size when only its start was read (the
  /// reader stops past the parser's limit); by default, text's size.
  SourceFile(std::string name, std::string text, std::uint64_t size = kTextSize);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  std::uint64_t size() const { return size_; }
  /// Whether diagnostics may show this file's lines: only .dcomm sources
  /// (and text that never was a file: standard input, the LSP's buffers),
  /// so an import of a secret can never print it.
  bool quotable() const;

  static constexpr std::uint64_t kTextSize = ~std::uint64_t{0};

  LineColumn locate(std::uint32_t offset) const;
  /// The text of 1-based line `line`, without its line ending.
  std::string_view line_text(std::uint32_t line) const;
  /// Byte offset where 1-based line `line` starts.
  std::uint32_t line_offset(std::uint32_t line) const { return line_starts_.at(line - 1); }
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }

 private:
  std::string name_;
  std::string text_;
  std::uint64_t size_;
  std::vector<std::uint32_t> line_starts_;
};

/// All files of one compilation. FileIds index into it and stay valid.
class SourceMap {
 public:
  FileId add(std::string name, std::string text, std::uint64_t size = SourceFile::kTextSize);
  const SourceFile& file(FileId id) const { return files_.at(id); }
  std::size_t size() const { return files_.size(); }

 private:
  std::vector<SourceFile> files_;
};

}  // namespace dcomm
