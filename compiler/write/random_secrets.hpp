#pragma once
// Fresh secret values from the operating system's CSPRNG (OpenSSL
// RAND_bytes). Every secret gets its own draw: nothing is derived from a
// master key, so no two secrets can end up equal by a labelling mistake.

#include <string>

#include "model/model.hpp"

namespace dcomm::build {

/// A new value in `format`:
///   token       43 characters of base64url (256 bits)
///   password    32 characters of [A-Za-z0-9] (190 bits); safe in any config syntax
///   signing_key Synapse's format: "ed25519 a_XXXX <unpadded base64 of a 32-byte seed>\n"
///   ca_key      a P-256 private key, PEM (certificates.hpp)
/// A ca_certificate is not drawn but issued (federation_ca.hpp): logic_error.
std::string generate_secret(model::Secret::Format format);

}  // namespace dcomm::build
