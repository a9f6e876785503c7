#pragma once
// A diagnostic code, typed: a Code is a place in the catalogue
// (catalogue.hpp), never a loose string. A code written in the compiler's
// sources, `.code = "E0305"`, is looked up while the compiler is being
// compiled, so a misspelt or uncatalogued code does not build. A code that
// arrives at run time (a test, a command-line argument) goes through
// Code::of, which says when it is unknown.

#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "diag/catalogue.hpp"

namespace dcomm {

namespace detail {
// Not constexpr on purpose: reaching it in a constant evaluation is the
// build error "call to non-'constexpr' function ... not_in_the_catalogue".
int not_in_the_catalogue_add_it_to_diag_catalogue_hpp();

consteval std::uint16_t catalogue_index(std::string_view text) {
  for (std::size_t i = 0; i < catalogue::kCodes.size(); ++i) {
    if (catalogue::kCodes[i].code == text) return static_cast<std::uint16_t>(i);
  }
  return static_cast<std::uint16_t>(not_in_the_catalogue_add_it_to_diag_catalogue_hpp());
}
}  // namespace detail

class Code {
 public:
  // Implicit on purpose: `.code = "E0305"` reads as the code it is.
  consteval Code(const char* text) : index_(detail::catalogue_index(text)) {}

  /// The code spelt `text`, or nullopt when the catalogue has no such code.
  static std::optional<Code> of(std::string_view text);

  const CodeInfo& info() const { return catalogue::kCodes[index_]; }
  std::string_view text() const { return info().code; }
  Severity severity() const { return info().severity; }
  std::string_view title() const { return info().title; }

  friend bool operator==(Code, Code) = default;
  /// Compares the spelling, for tests and command-line arguments.
  template <typename Text>
    requires std::convertible_to<const Text&, std::string_view>
  friend bool operator==(Code code, const Text& text) {
    return code.text() == std::string_view(text);
  }

 private:
  explicit constexpr Code(std::uint16_t index) : index_(index) {}

  std::uint16_t index_;
};

std::ostream& operator<<(std::ostream& out, Code code);

}  // namespace dcomm

template <>
struct fmt::formatter<dcomm::Code> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(dcomm::Code code, Context& context) const {
    return fmt::formatter<std::string_view>::format(code.text(), context);
  }
};
