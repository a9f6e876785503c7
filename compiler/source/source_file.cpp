#include "source/source_file.hpp"

#include <algorithm>

#include "source/utf8.hpp"

namespace dcomm {

SourceFile::SourceFile(std::string name, std::string text, std::uint64_t size)
    : name_(std::move(name)), text_(std::move(text)), size_(size == kTextSize ? text_.size() : size) {
  // A byte order mark is not shown by editors: line 1 starts after it.
  line_starts_.push_back(text_.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  for (std::uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineColumn SourceFile::locate(std::uint32_t offset) const {
  offset = std::clamp<std::uint32_t>(offset, line_starts_[0], static_cast<std::uint32_t>(text_.size()));
  auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<std::uint32_t>(next - line_starts_.begin());
  std::uint32_t start = line_starts_[line - 1];
  std::string_view before(text_.data() + start, offset - start);
  return {line, static_cast<std::uint32_t>(count_code_points(before)) + 1};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::uint32_t start = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                                 : static_cast<std::uint32_t>(text_.size());
  std::string_view text(text_.data() + start, end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

bool SourceFile::quotable() const {
  return name_.ends_with(".dcomm") || name_.starts_with("<");
}

FileId SourceMap::add(std::string name, std::string text, std::uint64_t size) {
  files_.emplace_back(std::move(name), std::move(text), size);
  return static_cast<FileId>(files_.size() - 1);
}

}  // namespace dcomm
