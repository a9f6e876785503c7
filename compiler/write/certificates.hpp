#pragma once
// The X.509 work of an offline federation, done by OpenSSL: the
// federation's root certificate authority and, for each site with
// `tls = internal`, an intermediate that may sign names under the site's
// domain only (a name constraint), which that site's Caddy issues its
// certificates from. Keys are ECDSA P-256, which every TLS client of the
// federation accepts (browsers refuse Ed25519 in a chain).

#include <string>
#include <string_view>

namespace dcomm::build {

/// A new private key, PEM (PKCS #8).
std::string new_private_key();

/// A self-signed root certificate for `key_pem`, PEM: a CA without path
/// length limit, valid for 20 years from now.
std::string new_root_certificate(const std::string& key_pem, std::string_view common_name);

/// An intermediate certificate for `key_pem`, signed by the root, PEM: may
/// sign server certificates for `domain` and names under it only, and no
/// further CA; valid for 10 years (Caddy never renews an intermediate it
/// is given). Throws std::runtime_error if a key cannot be read.
std::string issue_intermediate(const std::string& root_key_pem, const std::string& root_cert_pem,
                               const std::string& key_pem, std::string_view domain);

/// True if `cert_pem` is signed by the root, holds the public key of
/// `key_pem` and constrains names to `domain`: an intermediate issue_intermediate
/// made for this root, key and domain. False for anything unreadable.
bool is_intermediate_for(const std::string& cert_pem, const std::string& key_pem, const std::string& root_cert_pem,
                         std::string_view domain);

/// The first certificate in `pem` (which may hold other blocks), PEM; ""
/// if there is none.
std::string certificate_in(const std::string& pem);

/// True if `key_pem` is the private key of `cert_pem`.
bool key_matches(const std::string& key_pem, const std::string& cert_pem);

}  // namespace dcomm::build
