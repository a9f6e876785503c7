#pragma once
// OUT/<site>/manifest.json: what the last build of a site wrote. Committed
// with the output, so it holds no secret value: the site's input
// fingerprint, each public artifact with its SHA-256, the names of the raw
// secrets and the paths of the files made from them.

#include <filesystem>
#include <functional>
#include <map>
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

/// What a deployed site is, kept for the next build to compare with: a
/// change to some of it cannot be undone (see dangers.hpp).
struct SiteFacts {
  std::string domain;
  std::vector<std::string> server_names;  ///< of its homeservers
  std::vector<std::string> volumes;       ///< its stack's named volumes: "synapse_data"
  /// The other sites' federating homeservers its room directory lists.
  std::vector<std::string> federation;

  bool operator==(const SiteFacts&) const = default;
};

struct Manifest {
  std::string site;
  std::string fingerprint;  ///< see fingerprint.hpp
  std::vector<ManifestArtifact> artifacts;
  /// For people auditing a deployed site; a build does not read it back.
  std::vector<ManifestImage> images;
  std::vector<std::string> secrets;       ///< raw secrets: secrets/<name>
  std::vector<std::string> secret_files;  ///< made from secrets, e.g. "secrets/maubot/config.yaml"
  /// The SHA-256 of each raw secret (by name) and secret file (by path):
  /// what `dcommc secrets verify` checks the files against, so an operator
  /// can tell their secrets are the ones deployed. Never a value: a digest
  /// of a random value of 190 bits or more gives nothing away.
  std::map<std::string, std::string> secret_sha256;
  /// Absent from the manifests of older builds: nothing to compare with.
  std::optional<SiteFacts> facts;

  std::string to_json() const;
};

/// The manifest in `site_dir`, or nullopt if it is missing, a link, or not
/// a manifest this dcommc can read (a build then treats the site as new
/// to it: every file is rendered and compared).
std::optional<Manifest> read_manifest(const std::filesystem::path& site_dir);

/// Whether `relative` (a manifest entry) names a file a build may delete:
/// inside the site's folder, not a secret and not the manifest itself.
bool is_removable_artifact(const std::filesystem::path& relative);

/// The files in `site_dir` that `manifest` lists and a build may delete,
/// except those `still_built`. The manifest is not trusted to name what
/// to delete: an entry counts only if is_removable_artifact, and names a
/// regular file whose content is still what the manifest says dcommc
/// wrote (`unchanged`), so a hand-edited entry can never delete a signing
/// key; a file edited since goes to `edited`, for its owner to decide.
void find_listed_files(const std::filesystem::path& site_dir, const Manifest& manifest,
                       const std::function<bool(const std::filesystem::path&)>& still_built,
                       std::vector<std::filesystem::path>& unchanged, std::vector<std::filesystem::path>& edited);

}  // namespace dcomm::build
