#include "validate/address.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>

namespace dcomm::validate {

namespace {

constexpr const char* kHelp = "write one address, such as \"203.0.113.7\" or \"2001:db8::7\"";

struct Parsed {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
};

std::optional<Parsed> parse(std::string_view text) {
  // inet_pton needs a terminated string; an address is at most 45 characters.
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string copy(text);
  Parsed parsed;
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, copy.c_str(), parsed.bytes.data()) == 1) {
      parsed.family = family;
      return parsed;
    }
  }
  return std::nullopt;
}

/// Why no peer can reach this address, or nothing.
std::optional<std::string> unreachable(const Parsed& address) {
  const auto& b = address.bytes;
  if (address.family == AF_INET) {
    if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) return "the unspecified address";
    if (b[0] >= 224 && b[0] <= 239) return "a multicast address";
    if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255) return "the broadcast address";
    return std::nullopt;
  }
  bool zero = true;
  for (unsigned char byte : b) zero = zero && byte == 0;
  if (zero) return "the unspecified address";
  if (b[0] == 0xff) return "a multicast address";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> canonical_address(std::string_view text) {
  const auto parsed = parse(text);
  if (!parsed || unreachable(*parsed)) return std::nullopt;
  std::array<char, INET6_ADDRSTRLEN> out{};
  if (!inet_ntop(parsed->family, parsed->bytes.data(), out.data(), out.size())) return std::nullopt;
  return std::string(out.data());
}

std::optional<Problem> check_address(std::string_view text) {
  if (const auto parsed = parse(text)) {
    if (const auto why = unreachable(*parsed)) {
      return Problem{fmt::format("'{}' is {}: no peer can reach a node there", text, *why), kHelp,
                     0, text.size()};
    }
    return std::nullopt;
  }
  if (const auto slash = text.find('/'); slash != std::string_view::npos && parse(text.substr(0, slash))) {
    return Problem{fmt::format("'{}' is a network, not an address", text),
                   fmt::format("write the node's own address: \"{}\"", text.substr(0, slash)), slash,
                   text.size()};
  }
  if (const auto percent = text.find('%'); percent != std::string_view::npos) {
    return Problem{fmt::format("'{}' names an IPv6 zone, which only the machine itself knows", text),
                   fmt::format("write the address without it: \"{}\"", text.substr(0, percent)),
                   percent, text.size()};
  }
  return Problem{fmt::format("'{}' is not an IP address", text),
                 std::string(kHelp) + "; a node's address is where its peers reach it, not a name",
                 0, text.size()};
}

bool is_ipv6(std::string_view canonical) { return canonical.find(':') != std::string_view::npos; }

}  // namespace dcomm::validate
