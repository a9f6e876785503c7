#pragma once
// SHA-256 (OpenSSL EVP), as lowercase hex: artifact digests in the
// manifest, and content-addressed swarm config names.

#include <string>
#include <string_view>

namespace dcomm::util {

std::string sha256_hex(std::string_view data);

}  // namespace dcomm::util
