#include "diag/codes.hpp"

#include "util/embedded.hpp"

namespace dcomm {

extern const EmbeddedFile kExplainPages[];
extern const std::size_t kExplainPages_count;

std::span<const CodeInfo> all_codes() { return catalogue::kCodes; }

std::optional<std::string_view> explain_page(std::string_view code) {
  for (std::size_t i = 0; i < kExplainPages_count; ++i) {
    std::string_view name = kExplainPages[i].name;
    if (name.size() == code.size() + 3 && name.starts_with(code) && name.ends_with(".md")) {
      return kExplainPages[i].text;
    }
  }
  return std::nullopt;
}

}  // namespace dcomm
