#pragma once
// The certificate authority of an offline federation: one root for every
// site of the spec with `tls = internal`, kept in OUT/federation-ca/.
// root.crt is public (every site's Caddy and Synapse get it; give it to
// the clients); root.key is a secret, made once and never regenerated
// unless --rotate-secrets federation_ca asks. It is needed only to sign a
// site's intermediate (a new site, a rotated intermediate), so an
// operator may keep it offline between such builds.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "build/site_plan.hpp"

namespace dcomm::build {

/// The name --rotate-secrets takes for the federation's root.
inline constexpr std::string_view kFederationCaSecret = "federation_ca";

class FederationCa {
 public:
  /// Reads `dir` (OUT/federation-ca) when the spec has a site with
  /// `tls = internal` (`needed`), making a new root if there is none or
  /// `rotate` asks. False, with `error` saying what to do, if the root
  /// cannot be used: a key without its certificate, a damaged or exposed
  /// key, a certificate that is not a CA's.
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

  /// What the build writes: root.crt, and root.key when this build made it.
  std::vector<PlannedFile> files() const;

 private:
  std::filesystem::path dir_;
  std::string root_key_;  ///< empty if the operator keeps it elsewhere
  std::string root_certificate_;
  bool fresh_ = false;
};

}  // namespace dcomm::build
