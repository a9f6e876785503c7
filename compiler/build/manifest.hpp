#pragma once
// OUT/<site>/manifest.json: what the last build of a site wrote. Committed
// with the output, so it holds no secret value: the site's input
// fingerprint, each public artifact with its SHA-256, the names of the raw
// secrets and the paths of the files made from them.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dcomm::build {

struct ManifestArtifact {
  std::string path;  ///< relative to the site's folder, '/'-separated
  std::string sha256;
};

/// An image the site runs, and the day its pin was chosen (empty: not said).
struct ManifestImage {
  std::string container;
  std::string image;
  std::string pinned;
};

struct Manifest {
  std::string site;
  std::string fingerprint;  ///< see fingerprint.hpp
  std::vector<ManifestArtifact> artifacts;
  /// For people auditing a deployed site; a build does not read it back.
  std::vector<ManifestImage> images;
  std::vector<std::string> secrets;       ///< raw secrets: secrets/<name>
  std::vector<std::string> secret_files;  ///< made from secrets, e.g. "secrets/maubot/config.yaml"

  std::string to_json() const;
};

/// The manifest in `site_dir`, or nullopt if it is missing, a link, or not
/// a manifest this dcommc can read (a build then treats the site as new
/// to it: every file is rendered and compared).
std::optional<Manifest> read_manifest(const std::filesystem::path& site_dir);

/// Whether `relative` (a manifest entry) names a file a build may delete:
/// inside the site's folder, not a secret and not the manifest itself.
bool is_removable_artifact(const std::filesystem::path& relative);

}  // namespace dcomm::build
