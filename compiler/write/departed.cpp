#include "write/departed.hpp"

#include <algorithm>

#include "write/out_folder.hpp"
#include "write/stack_diff.hpp"
#include "validate/values.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

std::vector<fs::path> files_under(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_symlink(ec) && it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<DepartedSite> find_departed_sites(const model::Federation& federation, OutputSurvey& survey,
                                              const fs::path& out) {
  std::vector<DepartedSite> departed;
  std::error_code ec;
  for (auto it = fs::directory_iterator(out, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool declared = std::any_of(federation.sites.begin(), federation.sites.end(),
                                      [&name](const model::Site& site) { return site.name == name; });
    // Not a site's name (e.g. the staging folder a killed build left, "kyiv.dcommc-Ab12Cd"): not a site.
    if (declared || validate::check_name(name) || it->is_symlink(ec) || !it->is_directory(ec)) continue;
    const OutputSurvey::SiteState* last = survey.site(name);
    // A site folder: its manifest, or (pruned without its secrets) secrets/generations.json.
    if (!last && !fs::is_regular_file(fs::symlink_status(it->path() / "secrets/generations.json", ec))) continue;
    DepartedSite site{.name = name, .dir = it->path()};
    std::string error;
    site.volumes = diff_stacks(read_output_file(site.dir / "stack.yml", error).value_or(""), "").removed_volumes();
    if (last) {
      find_listed_files(site.dir, last->manifest, [](const fs::path&) { return false; }, site.artifacts, site.edited);
      site.artifacts.push_back(site.dir / "manifest.json");
    }
    site.secrets = files_under(site.dir / "secrets");
    departed.push_back(std::move(site));
  }
  std::sort(departed.begin(), departed.end(),
            [](const DepartedSite& a, const DepartedSite& b) { return a.name < b.name; });
  return departed;
}

}  // namespace dcomm::build
