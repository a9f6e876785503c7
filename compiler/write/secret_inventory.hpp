#pragma once
// What the output folder holds of each site's secrets, for `dcommc secrets
// list` and `verify`: read from OUT alone (each site's manifest, stack.yml
// and secrets/), never printing a value.

#include <filesystem>
#include <string>
#include <vector>

namespace dcomm::build {

struct SecretEntry {
  std::string site;
  std::string name;  ///< a raw secret's ("synapse_signing_key"), or a file's path ("secrets/maubot/config.yaml")
  bool raw = true;   ///< false: a file made from raw secrets
  std::filesystem::path file;
  std::string swarm_name;            ///< as stack.yml names it; "" if not mounted on its own
  std::vector<std::string> readers;  ///< the stack's services that read it, directly or in a file made from it
  std::string modified;              ///< the file's mtime, UTC, "YYYY-MM-DD HH:MM"
  std::string sha256;                ///< of the file now; "" if it cannot be read
  std::string expected_sha256;       ///< as the site's manifest says; "" if it does not
  /// What `secrets verify` finds wrong with it, each a sentence that says
  /// what to do; none when it is fine.
  std::vector<std::string> problems;
};

/// Every secret of every site folder in `out` that has a manifest, site by
/// site (by name), raw secrets before the files made from them.
std::vector<SecretEntry> secret_inventory(const std::filesystem::path& out);

}  // namespace dcomm::build
