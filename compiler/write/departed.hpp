#pragma once
// Sites that left the spec: a folder in OUT with a manifest of an earlier
// build, for a site the spec no longer declares. A build leaves it as it
// is; `build --prune` removes the files dcommc wrote there, and
// `--prune-secrets` its secrets too (see dangers.hpp: E0604).

#include <filesystem>
#include <string>
#include <vector>

#include "write/up_to_date.hpp"
#include "model/model.hpp"

namespace dcomm::build {

struct DepartedSite {
  std::string name;
  std::filesystem::path dir;
  /// Its stack's named volumes: swarm keeps them, and their data, on the
  /// nodes after `docker stack rm`.
  std::vector<std::string> volumes;
  /// Files dcommc wrote and nobody changed since, the manifest last:
  /// what --prune removes. None once a prune left only the secrets.
  std::vector<std::filesystem::path> artifacts;
  /// Files it lists that were edited since: never removed.
  std::vector<std::filesystem::path> edited;
  /// Everything under secrets/: removed only with --prune-secrets.
  std::vector<std::filesystem::path> secrets;
};

/// The departed sites of the output folder `out`, by name: folders of
/// sites the spec does not declare with a manifest, or only secrets left
/// by a --prune without --prune-secrets.
std::vector<DepartedSite> find_departed_sites(const model::Federation& federation, OutputSurvey& survey,
                                              const std::filesystem::path& out);

/// Every regular file under `folder`, not following links, sorted; none
/// if it is missing.
std::vector<std::filesystem::path> files_under(const std::filesystem::path& folder);

}  // namespace dcomm::build
