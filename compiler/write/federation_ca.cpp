#include "write/federation_ca.hpp"

#include <fmt/format.h>

#include "write/certificates.hpp"
#include "write/secret_store.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

constexpr util::ReadRules kRules{.regular_only = true, .no_follow = true, .missing_ok = true};

}  // namespace

bool FederationCa::prepare(const fs::path& dir, bool needed, bool rotate, std::string& error) {
  dir_ = dir;
  if (!needed) return true;
  const fs::path key_file = dir / "root.key";
  const fs::path cert_file = dir / "root.crt";
  auto key = util::read(key_file, error, kRules);
  if (!key && !error.empty()) {
    error = fmt::format("cannot read {}: {}", key_file.string(), error);
    return false;
  }
  if (rotate || (!key && !fs::exists(fs::symlink_status(cert_file)))) {
    root_key_ = new_private_key();
    root_certificate_ = new_root_certificate(root_key_, "dcomm federation root");
    fresh_ = true;
    return true;
  }
  if (key) {  // the key and its certificate, in one file: never one without the other
    if (std::string damage = secret_file_damage(key_file, *key); !damage.empty()) {
      error = damage;
      return false;
    }
    root_certificate_ = certificate_in(key->text);
    if (root_certificate_.empty() || !key_matches(key->text, root_certificate_)) {
      error = fmt::format(
          "{} does not hold the federation's private key followed by its certificate, as dcommc writes "
          "it. Restore it from a backup; to start a new federation authority instead (every site's "
          "certificates change), build with --rotate-secrets {}",
          key_file.string(), kFederationCaSecret);
      return false;
    }
    root_key_ = std::move(key->text);
    return true;
  }
  // The key is kept elsewhere: the certificate alone, to trust, not to sign.
  auto cert = util::read(cert_file, error, kRules);
  if (!cert) {
    error = fmt::format("cannot read {}: {}", cert_file.string(), error);
    return false;
  }
  root_certificate_ = std::move(cert->text);
  return true;
}

bool FederationCa::issued(const std::string& cert_pem, const std::string& key_pem, std::string_view domain) const {
  return is_intermediate_for(cert_pem, key_pem, root_certificate_, domain);
}

std::string FederationCa::issue(const std::string& key_pem, std::string_view domain, std::string& error) const {
  if (root_key_.empty()) {
    error = fmt::format(
        "site {} needs a new intermediate certificate, signed by the federation's root, and {} is not "
        "there. Put the root key back (it is kept offline?) and build again",
        domain, (dir_ / "root.key").string());
    return "";
  }
  return issue_intermediate(root_key_, root_certificate_, key_pem, domain);
}

std::vector<PlannedFile> FederationCa::files() const {
  std::vector<PlannedFile> files;
  if (!active()) return files;
  if (fresh_) files.push_back({dir_ / "root.key", root_key_ + root_certificate_, {}, true});
  files.push_back({dir_ / "root.crt", root_certificate_, util::sha256_hex(root_certificate_), false});
  return files;
}

}  // namespace dcomm::build
