#include "write/random_secrets.hpp"

#include "write/certificates.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace dcomm::build {

namespace {

std::vector<unsigned char> random_bytes(std::size_t count) {
  std::vector<unsigned char> bytes(count);
  if (RAND_bytes(bytes.data(), static_cast<int>(count)) != 1) {
    throw std::runtime_error("the operating system's random generator failed");
  }
  return bytes;
}

/// `length` characters drawn uniformly from `alphabet` (rejection
/// sampling, so no character is more likely than another).
std::string random_text(std::string_view alphabet, std::size_t length) {
  const unsigned limit = 256 - 256 % alphabet.size();
  std::string out;
  while (out.size() < length) {
    for (unsigned char byte : random_bytes(length)) {
      if (byte < limit && out.size() < length) out += alphabet[byte % alphabet.size()];
    }
  }
  return out;
}

std::string base64(const std::vector<unsigned char>& bytes, std::string_view alphabet) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {  // unpadded tail
    const unsigned n = (bytes[i] << 16) | (rest == 2 ? bytes[i + 1] << 8 : 0);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    if (rest == 2) out += alphabet[(n >> 6) & 63];
  }
  return out;
}

constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kAlphanumeric =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

std::string generate_secret(model::Secret::Format format) {
  switch (format) {
    case model::Secret::Format::token: return base64(random_bytes(32), kBase64Url);
    case model::Secret::Format::password: return random_text(kAlphanumeric, 32);
    case model::Secret::Format::signing_key:
      // As synapse's generate_signing_key: version "a_" + 4 random letters.
      return "ed25519 a_" + random_text(kLetters, 4) + " " + base64(random_bytes(32), kBase64) + "\n";
    case model::Secret::Format::ca_key: return new_private_key();
    case model::Secret::Format::ca_certificate:
      throw std::logic_error("an intermediate certificate is issued by the federation's root, not drawn");
  }
  throw std::logic_error("unknown secret format");
}

}  // namespace dcomm::build
