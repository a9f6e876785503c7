#pragma once
// The certificate authority of an offline federation: one root for every
// site of the spec with `tls = internal`, kept in OUT/federation-ca/.
// root.key is a secret, made once and never regenerated unless
// --rotate-secrets federation_ca asks: the private key followed by its
// certificate, in one file, so that no interrupted build can leave one
// without the other. root.crt is the certificate alone, public (every
// site's Caddy and Synapse get it; give it to the clients), written again
// from root.key when it differs. The key is needed only to sign a site's
// intermediate (a new site, a rotated intermediate), so an operator may
// keep root.key offline between such builds; root.crt then stands alone.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "write/site_plan.hpp"

namespace dcomm::build {

/// The name --rotate-secrets takes for the federation's root.
inline constexpr std::string_view kFederationCaSecret = "federation_ca";

class FederationCa {
 public:
  /// Reads `dir` (OUT/federation-ca) when the spec has a site with
  /// `tls = internal` (`needed`), making a new root if there is none or
  /// `rotate` asks. False, with `error` saying what to do, if the root
  /// cannot be used: a damaged or exposed root.key, an unreadable root.crt.
  bool prepare(const std::filesystem::path& dir, bool needed, bool rotate, std::string& error);

  bool active() const { return !root_certificate_.empty(); }
  /// The root certificate, PEM; empty when no site needs it.
  const std::string& root_certificate() const { return root_certificate_; }

  /// True if `cert_pem` is an intermediate this root issued for the key
  /// and domain.
  bool issued(const std::string& cert_pem, const std::string& key_pem, std::string_view domain) const;
  /// A new intermediate for `domain` and the key, or "" with `error` if the
  /// root's private key is not at hand.
  std::string issue(const std::string& key_pem, std::string_view domain, std::string& error) const;

  /// What the build writes: root.key when this build made it, then root.crt.
  std::vector<PlannedFile> files() const;

 private:
  std::filesystem::path dir_;
  std::string root_key_;  ///< empty if the operator keeps it elsewhere
  std::string root_certificate_;
  bool fresh_ = false;
};

}  // namespace dcomm::build
