#include "diag/code.hpp"

#include <ostream>

namespace dcomm {

std::optional<Code> Code::of(std::string_view text) {
  for (std::size_t i = 0; i < catalogue::kCodes.size(); ++i) {
    if (catalogue::kCodes[i].code == text) return Code(static_cast<std::uint16_t>(i));
  }
  return std::nullopt;
}

std::ostream& operator<<(std::ostream& out, Code code) { return out << code.text(); }

}  // namespace dcomm
