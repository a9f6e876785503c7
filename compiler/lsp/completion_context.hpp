#pragma once
// Where the cursor is while someone types: the blocks open around it,
// found from the text by matching braces, since a half-typed statement
// does not parse and so has no tree yet. It reads block headers and
// braces only; what the names mean comes from the compiler's model.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcomm::lsp {

struct OpenBlock {
  std::string type;  ///< block type, or "" for a map
  std::string label;
  std::uint32_t open = 0;  ///< offset of '{'
};

/// The blocks and maps open at `offset`, outermost first.
std::vector<OpenBlock> open_blocks(std::string_view text, std::uint32_t offset);

/// `kind = X` written directly in the block opened at `open`.
std::optional<std::string> kind_in_text(std::string_view text, std::uint32_t open);

}  // namespace dcomm::lsp
