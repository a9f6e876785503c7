#pragma once
// Files compiled into the binary at build time (cmake/embed.cmake).

#include <cstddef>
#include <span>
#include <string_view>

namespace dcomm {

struct EmbeddedFile {
  std::string_view name;  ///< base name, e.g. "E0201.md"
  std::string_view text;
};

}  // namespace dcomm
