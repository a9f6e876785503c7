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

SiteChanges compare_with_disk(const SitePlan& plan) {
  SiteChanges changes{plan.site, {}, plan.new_secrets, {}};
  for (const PlannedFile& file : plan.files) {
    std::string error;  // the build has refused links: a file is there or not
    auto existing = read_output_file(file.path, error);
    if (existing && *existing == file.content) continue;
    // A new raw secret is reported as a secret to generate, not as a file.
    const bool raw_secret = file.secret && file.path.parent_path().filename() == "secrets" &&
                            std::find(plan.new_secrets.begin(), plan.new_secrets.end(),
                                      file.path.filename().string()) != plan.new_secrets.end();
    if (raw_secret) continue;
    FileChange change{existing ? FileChange::Kind::changed : FileChange::Kind::added, file.path, file.secret,
                      {}, {}};
    if (!file.secret) {
      change.before = existing.value_or("");
      change.after = file.content;
    }
    if (file.path.filename() == "stack.yml") {
      changes.restarted = changed_services(existing.value_or(""), file.content);
    }
    changes.files.push_back(std::move(change));
  }
  for (const fs::path& stale : plan.stale) {
    std::string error;
    changes.files.push_back(
        {FileChange::Kind::removed, stale, false, read_output_file(stale, error).value_or(""), {}});
  }
  return changes;
}

}  // namespace dcomm::build
