#include "lsp/positions.hpp"

#include <algorithm>

#include "source/utf8.hpp"

namespace dcomm::lsp {

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      starts_.push_back(i + 1);
    } else if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      starts_.push_back(i + 1);
    }
  }
}

std::uint32_t LineIndex::line_end(std::uint32_t line) const {
  std::uint32_t end = line + 1 < starts_.size() ? starts_[line + 1]
                                                : static_cast<std::uint32_t>(text_.size());
  // Back over the line break.
  if (line + 1 < starts_.size()) {
    if (end > 0 && text_[end - 1] == '\n') --end;
    if (end > 0 && text_[end - 1] == '\r') --end;
  }
  return end;
}

Position LineIndex::position(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin() - 1);
  std::uint32_t i = starts_[line];
  const std::uint32_t end = std::min(offset, line_end(line));
  std::uint32_t units = 0;
  while (i < end) {
    const auto lead = static_cast<unsigned char>(text_[i]);
    const std::size_t len = sequence_length(lead);
    if (i + len > end) break;  // offset inside a sequence
    units += len == 4 ? 2 : 1;  // outside the BMP: a surrogate pair
    i += static_cast<std::uint32_t>(len);
  }
  return {line, units};
}

std::uint32_t LineIndex::offset(Position position) const {
  if (position.line >= starts_.size()) return static_cast<std::uint32_t>(text_.size());
  std::uint32_t i = starts_[position.line];
  const std::uint32_t end = line_end(position.line);
  std::uint32_t units = 0;
  while (i < end && units < position.character) {
    const std::size_t len = sequence_length(static_cast<unsigned char>(text_[i]));
    units += len == 4 ? 2 : 1;
    i = std::min<std::uint32_t>(end, i + static_cast<std::uint32_t>(len));
  }
  return i;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string uri_to_path(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (!uri.starts_with(scheme)) return std::string(uri);
  uri.remove_prefix(scheme.size());
  // file://host/path: drop a host ("localhost" or empty in practice).
  if (!uri.starts_with("/")) {
    const auto slash = uri.find('/');
    uri = slash == std::string_view::npos ? std::string_view{} : uri.substr(slash);
  }
  std::string out;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() &&
        hex_value(uri[i + 1]) >= 0 && hex_value(uri[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2])));
      i += 2;
    } else {
      out.push_back(uri[i]);
    }
  }
  // Windows drive letters (/c:/x) are not a concern on the platforms dcommc runs on.
  return out;
}

std::string path_to_uri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace dcomm::lsp
