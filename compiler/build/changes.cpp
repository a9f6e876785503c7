#include "build/changes.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

#include "build/out_folder.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

std::string text_of(const YAML::Node& node) {
  YAML::Emitter text;
  text << node;
  return text.c_str();
}

/// Each service of a stack file, as canonical text that also holds the
/// top-level definitions of the configs and secrets it mounts: a config
/// that gets a new name (new content) updates the service too.
std::map<std::string, std::string> services_of(const std::string& stack) {
  std::map<std::string, std::string> services;
  try {
    const YAML::Node root = YAML::Load(stack);
    if (!root["services"] || !root["services"].IsMap()) return services;
    for (const auto& entry : root["services"]) {
      std::string text = text_of(entry.second);
      for (const char* section : {"configs", "secrets"}) {
        if (!entry.second[section] || !entry.second[section].IsSequence()) continue;
        for (const auto& use : entry.second[section]) {
          const YAML::Node source = use.IsMap() ? use["source"] : use;
          if (source && source.IsScalar() && root[section]) {
            text += "\n" + text_of(root[section][source.as<std::string>()]);
          }
        }
      }
      services[entry.first.as<std::string>()] = text;
    }
  } catch (const YAML::Exception&) {
    // A stack someone broke by hand: every service counts as changed.
  }
  return services;
}

/// The site folder a file is in; "" for files at the top of OUT.
std::string site_of(const fs::path& file, const fs::path& out) {
  const fs::path relative = file.lexically_relative(out);
  if (std::distance(relative.begin(), relative.end()) < 2) return "";
  return relative.begin()->string();
}

SiteChanges& changes_for(std::vector<SiteChanges>& all, const std::string& site) {
  auto it = std::find_if(all.begin(), all.end(), [&](const SiteChanges& c) { return c.site == site; });
  if (it != all.end()) return *it;
  all.push_back({site, {}, {}, {}});
  return all.back();
}

}  // namespace

std::vector<std::string> changed_services(const std::string& old_stack, const std::string& new_stack) {
  const auto before = services_of(old_stack);
  const auto after = services_of(new_stack);
  std::set<std::string> names;
  for (const auto& [name, text] : before) names.insert(name);
  for (const auto& [name, text] : after) names.insert(name);
  std::vector<std::string> changed;
  for (const auto& name : names) {
    auto b = before.find(name);
    auto a = after.find(name);
    if (b == before.end() || a == after.end() || b->second != a->second) changed.push_back(name);
  }
  return changed;
}

std::vector<SiteChanges> compare_with_disk(const BuildPlan& plan, const fs::path& out) {
  std::vector<SiteChanges> all;
  for (const SitePlan& site : plan.sites) {
    changes_for(all, site.site).new_secrets = site.new_secrets;
  }
  for (const PlannedFile& file : plan.files) {
    const std::string site = site_of(file.path, out);
    std::string error;  // plan_build has refused links: a file is there or not
    auto existing = read_output_file(file.path, error);
    if (existing && *existing == file.content) continue;
    // A new raw secret is reported as a secret to generate, not as a file.
    const bool raw_secret = std::any_of(plan.sites.begin(), plan.sites.end(), [&](const SitePlan& s) {
      return std::find_if(s.new_secrets.begin(), s.new_secrets.end(), [&](const std::string& name) {
               return file.path.filename() == name;
             }) != s.new_secrets.end();
    });
    if (raw_secret) continue;
    FileChange change{existing ? FileChange::Kind::changed : FileChange::Kind::added, file.path, file.secret,
                      {}, {}};
    if (!file.secret) {
      change.before = existing.value_or("");
      change.after = file.content;
    }
    if (file.path.filename() == "stack.yml") {
      changes_for(all, site).restarted = changed_services(existing.value_or(""), file.content);
    }
    changes_for(all, site).files.push_back(std::move(change));
  }
  for (const fs::path& stale : plan.stale) {
    std::string error;
    changes_for(all, site_of(stale, out))
        .files.push_back({FileChange::Kind::removed, stale, false, read_output_file(stale, error).value_or(""), {}});
  }
  return all;
}

}  // namespace dcomm::build
