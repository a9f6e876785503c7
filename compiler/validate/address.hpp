#pragma once
// A node's IP address, as DNS records and peers' allow-lists carry it.
// Checked at compile time because a wrong one is otherwise found only when
// nobody can reach the site.

#include <optional>
#include <string>
#include <string_view>

#include "validate/problem.hpp"

namespace dcomm::validate {

/// The address in canonical form ("2001:DB8:0::7" -> "2001:db8::7"), or
/// nothing if `text` is not one unicast IPv4 or IPv6 address.
std::optional<std::string> canonical_address(std::string_view text);

/// What is wrong with `text` as a node's address: not an IP address (a
/// host name, a network with a prefix length, an IPv6 zone), or one no
/// peer can reach (unspecified, multicast, IPv4 broadcast).
std::optional<Problem> check_address(std::string_view text);

/// True for an IPv6 address (AAAA record), false for IPv4 (A record).
bool is_ipv6(std::string_view canonical);

}  // namespace dcomm::validate
