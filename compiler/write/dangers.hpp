#pragma once
// Changes a build can write but nothing can take back once deployed,
// found by comparing the spec with the last build in OUT (its manifests):
// a site's domain or homeserver name changed, a signing key or the
// federation's root rotated, a database password rotated, a site or a
// volume gone, the federation gaining or losing a homeserver. Each is a
// diagnostic, E0601 to E0606, whose explain page says what breaks and the
// safe procedure; `build` refuses them unless `--allow CODE` names each,
// and `plan` shows them.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "write/departed.hpp"
#include "write/manifest.hpp"
#include "write/up_to_date.hpp"
#include "diag/diagnostic.hpp"
#include "model/model.hpp"

namespace dcomm::build {

/// What a build of `site` records in its manifest to compare with later.
SiteFacts site_facts(const model::Federation& federation, const model::Site& site);

struct DangerInputs {
  const model::Federation& federation;
  OutputSurvey& survey;  ///< the last build of each site
  const std::vector<DepartedSite>& departed;
  std::filesystem::path out;
  std::set<std::string> rotate;  ///< --rotate-secrets
  bool prune = false;            ///< --prune: departed sites' files go
  bool prune_secrets = false;    ///< and their secrets
};

/// Every irreversible change the build would make, in site order.
std::vector<Diagnostic> find_dangers(const DangerInputs& inputs);

/// The codes find_dangers reports, for checking `--allow CODE`.
bool is_danger_code(std::string_view code);

}  // namespace dcomm::build
