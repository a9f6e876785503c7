#pragma once
// A site's input fingerprint: everything its artifacts are made from,
// hashed, so a rebuild can tell that a site's output cannot have changed
// without rendering it. Kept in the site's manifest.json.
//
// It covers the compiler (its version and the hash of the sources that
// turn a model into files, so a rebuilt dcommc from git re-renders), the
// site's resolved model, and the federation facts its emitters read (the
// other sites' federating homeservers). Secrets and their generations are
// not in it: they live on disk, and a secret replaced since the last
// build is found by its change time (see up_to_date.hpp).

#include <string>

#include "model/model.hpp"

namespace dcomm::build {

/// Fingerprints the sites of one federation. The federation facts are
/// hashed once, not once per site: every site's Element lists every other
/// federating homeserver, and hashing that list per site grew with N².
class Fingerprinter {
 public:
  explicit Fingerprinter(const model::Federation& federation);

  /// Lowercase hex SHA-256; the same on every machine for the same sources.
  std::string site(const model::Site& site) const;
  /// The bytes site() hashes, for tests that must see which change moves it.
  std::string input(const model::Site& site) const;

 private:
  std::string federation_facts_;  ///< SHA-256 of the facts every site's emitters read
};

/// Fingerprinter(federation).site(site), for one site.
std::string site_fingerprint(const model::Federation& federation, const model::Site& site);

}  // namespace dcomm::build
