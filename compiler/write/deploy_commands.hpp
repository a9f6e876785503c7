#pragma once
// What an operator runs to deploy a built site: printed by `build` for a
// few sites, and kept for every site in OUT/deploy.txt.

#include <filesystem>
#include <string>

#include "model/model.hpp"

namespace dcomm::build {

/// The two commands that deploy `site` on a swarm manager, its files
/// named under `folder` (as typed: "out/kyiv"), each line indented by
/// `indent`.
std::string deploy_commands(const model::Site& site, const std::filesystem::path& folder, std::string_view indent);

/// OUT/deploy.txt: every site's commands, run from inside OUT.
std::string deploy_file(const model::Federation& federation);

}  // namespace dcomm::build
