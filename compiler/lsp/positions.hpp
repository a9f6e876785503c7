#pragma once
// LSP positions: 0-based line and a column counted in UTF-16 code units
// (the protocol's default encoding), converted exactly from and to the
// byte offsets the compiler's spans carry. Lines end at "\n", "\r\n" or
// "\r", as LSP says.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dcomm::lsp {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  ///< UTF-16 code units

  bool operator==(const Position&) const = default;
};

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  /// Offsets past the end clamp to the end; an offset inside a UTF-8
  /// sequence counts the sequence's character as not yet reached.
  Position position(std::uint32_t offset) const;
  /// Positions past the end of a line clamp to its end (before its line
  /// break); a character in the middle of a surrogate pair rounds up.
  std::uint32_t offset(Position position) const;
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(starts_.size()); }

 private:
  std::string_view text_;
  std::vector<std::uint32_t> starts_;
  std::uint32_t line_end(std::uint32_t line) const;  ///< offset of the line break
};

/// `file:///a/b%20c.dcomm` -> `/a/b c.dcomm`; other schemes are returned as they are.
std::string uri_to_path(std::string_view uri);
/// `/a/b c.dcomm` -> `file:///a/b%20c.dcomm`.
std::string path_to_uri(std::string_view path);

}  // namespace dcomm::lsp
