#pragma once
// Names from the spec inside a comment of an emitted file (torrc, zone,
// shell): only a line break could end the comment, so control characters
// are replaced.

#include <string>
#include <string_view>

namespace dcomm::emit {

/// `text` with each control character (a newline would end the comment) as '?'.
inline std::string comment_text(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

}  // namespace dcomm::emit
