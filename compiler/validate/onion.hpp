#pragma once
// Tor v3 onion addresses (Tor's rend-spec-v3 §6). A typo in one is
// otherwise noticed only when Tor Browser cannot find the site, so the
// checksum is verified at compile time.

#include <optional>
#include <string_view>

#include "validate/problem.hpp"

namespace dcomm::validate {

/// A bare v3 address: 56 lower-case base32 characters and ".onion",
/// decoding to PUBKEY(32) | CHECKSUM(2) | VERSION(1) with VERSION 3 and
/// CHECKSUM = SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2].
/// Subdomains ("chat.ADDRESS.onion") are the caller's to strip.
std::optional<Problem> check_onion(std::string_view address);

}  // namespace dcomm::validate
