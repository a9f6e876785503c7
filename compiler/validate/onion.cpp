#include "validate/onion.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace dcomm::validate {

namespace {

constexpr std::string_view kSuffix = ".onion";
constexpr std::size_t kV3Length = 56;  // base32 of 35 bytes, no padding
constexpr std::size_t kV2Length = 16;
constexpr std::uint8_t kVersion = 3;
const std::string kFromHostname =
    "copy the address again from the hidden service's 'hostname' file";

using Decoded = std::array<std::uint8_t, 35>;

/// Value of a base32 character (RFC 4648, lower case), or -1.
int base32_value(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

/// Decodes 56 characters already checked to be base32.
Decoded decode(std::string_view host) {
  Decoded bytes{};
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t out = 0;
  for (char c : host) {
    buffer = (buffer << 5) | static_cast<std::uint32_t>(base32_value(c));
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = static_cast<std::uint8_t>(buffer >> bits);
    }
  }
  return bytes;
}

/// SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2], or nullopt if
/// OpenSSL cannot compute it.
std::optional<std::array<std::uint8_t, 2>> expected_checksum(const Decoded& bytes) {
  std::array<std::uint8_t, 15 + 32 + 1> input{};
  const auto next = std::copy(kSuffix.begin(), kSuffix.end(), input.begin());
  const std::string_view label = " checksum";
  const auto key = std::copy(label.begin(), label.end(), next);
  std::copy(bytes.begin(), bytes.begin() + 32, key);
  input.back() = kVersion;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_sha3_256(), nullptr) != 1) {
    return std::nullopt;
  }
  return std::array<std::uint8_t, 2>{digest[0], digest[1]};
}

std::string alphabet_help(char c) {
  if (c == '0') return "base32 has no '0'; it is probably an 'o'";
  if (c == '1') return "base32 has no '1'; it is probably an 'l' or an 'i'";
  return "onion addresses use only a-z and 2-7; " + kFromHostname;
}

std::optional<Problem> check_characters(std::string_view address, std::size_t host_size) {
  for (std::size_t i = 0; i < address.size(); ++i) {
    const char c = address[i];
    if (c >= 'A' && c <= 'Z') {
      return Problem{fmt::format("onion address contains upper case '{}'", c),
                     fmt::format("write it in lower case: '{}'", to_lower_ascii(address)), i,
                     i + 1};
    }
  }
  for (std::size_t i = 0; i < host_size; ++i) {
    if (base32_value(address[i]) >= 0) continue;
    return Problem{
        fmt::format("onion address contains {}, which is not base32", describe_char(address, i)),
        alphabet_help(address[i]), i, i + char_length(address, i)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> check_onion(std::string_view address) {
  if (address.empty()) {
    return Problem{"onion address is empty",
                   "write the address from the hidden service's 'hostname' file", 0, 0};
  }
  if (address.size() < kSuffix.size() ||
      to_lower_ascii(address.substr(address.size() - kSuffix.size())) != kSuffix) {
    return Problem{"onion address does not end in '.onion'",
                   "write the 56-character address followed by '.onion', as the hidden service's "
                   "'hostname' file has it",
                   0, address.size()};
  }
  const std::size_t host_size = address.size() - kSuffix.size();
  const std::string_view host = address.substr(0, host_size);
  if (const std::size_t dot = host.rfind('.'); dot != std::string_view::npos) {
    return Problem{"onion address has a subdomain",
                   "write only the 56-character address and '.onion'", 0, dot + 1};
  }
  if (host.size() == kV2Length) {
    return Problem{"v2 onion addresses stopped working in 2021",
                   "Tor creates a v3 address (56 characters) for a new HiddenServiceDir; write "
                   "the one in its 'hostname' file",
                   0, host_size};
  }
  if (host.size() != kV3Length) {
    return Problem{
        fmt::format("onion address has {} characters before '.onion'; a v3 address has {}",
                    host.size(), kV3Length),
        kFromHostname, 0, host_size};
  }
  if (auto problem = check_characters(address, host_size)) return problem;
  const Decoded bytes = decode(host);
  if (bytes[34] != kVersion) {
    // The version byte is the last 8 of the 280 bits: characters 55 and 56.
    return Problem{
        fmt::format("onion address has version {}; a Tor v3 address has version 3", bytes[34]),
        "a v3 address ends in 'ad', 'id', 'qd' or 'yd'; " + kFromHostname, kV3Length - 2,
        kV3Length};
  }
  const auto checksum = expected_checksum(bytes);
  if (!checksum) {
    return Problem{"cannot verify the onion address: OpenSSL has no SHA3-256",
                   "install OpenSSL 3 with its default provider", 0, host_size};
  }
  if ((*checksum)[0] != bytes[32] || (*checksum)[1] != bytes[33]) {
    return Problem{
        "onion address checksum is wrong: a character is mistyped or the address is not real",
        kFromHostname, 0, host_size};
  }
  return std::nullopt;
}

}  // namespace dcomm::validate
