#include "write/stack_diff.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

namespace dcomm::build {

namespace {

constexpr const char* kSections[] = {"services", "configs", "secrets", "volumes"};

std::string text_of(const YAML::Node& node) {
  YAML::Emitter text;
  text << node;
  return text.c_str();
}

/// Each object of one section of a stack file as canonical text. A
/// service's text also holds the definitions of the configs and secrets
/// it mounts: a config that gets a new name (new content) updates the
/// service too.
using Section = std::map<std::string, std::string>;

Section section_of(const YAML::Node& root, const std::string& section) {
  Section objects;
  const YAML::Node entries = root[section];
  if (!entries || !entries.IsMap()) return objects;
  for (const auto& entry : entries) {
    std::string text = text_of(entry.second);
    if (section == "services") {
      for (const char* used : {"configs", "secrets"}) {
        if (!entry.second[used] || !entry.second[used].IsSequence()) continue;
        for (const auto& use : entry.second[used]) {
          const YAML::Node source = use.IsMap() ? use["source"] : use;
          if (source && source.IsScalar() && root[used]) text += "\n" + text_of(root[used][source.as<std::string>()]);
        }
      }
    }
    objects[entry.first.as<std::string>()] = std::move(text);
  }
  return objects;
}

/// Swarm names of a section's configs or secrets: their `name:`.
std::set<std::string> swarm_names(const YAML::Node& root, const char* section) {
  std::set<std::string> names;
  const YAML::Node entries = root[section];
  if (!entries || !entries.IsMap()) return names;
  for (const auto& entry : entries) {
    if (entry.second.IsMap() && entry.second["name"] && entry.second["name"].IsScalar()) {
      names.insert(entry.second["name"].as<std::string>());
    }
  }
  return names;
}

YAML::Node load(const std::string& stack) {
  try {
    YAML::Node root = YAML::Load(stack);
    if (root.IsMap()) return root;
  } catch (const YAML::Exception&) {
  }
  return YAML::Node(YAML::NodeType::Map);
}

std::vector<std::string> superseded(const YAML::Node& before, const YAML::Node& after, const char* section) {
  const std::set<std::string> now = swarm_names(after, section);
  std::vector<std::string> gone;
  for (const std::string& name : swarm_names(before, section)) {
    if (!now.contains(name)) gone.push_back(name);
  }
  return gone;
}

}  // namespace

StackDiff diff_stacks(const std::string& old_stack, const std::string& new_stack) {
  const YAML::Node before = load(old_stack);
  const YAML::Node after = load(new_stack);
  StackDiff diff;
  for (const std::string section : kSections) {
    const Section old_objects = section_of(before, section);
    const Section new_objects = section_of(after, section);
    std::set<std::string> names;
    for (const auto& [name, text] : old_objects) names.insert(name);
    for (const auto& [name, text] : new_objects) names.insert(name);
    const std::string singular = section.substr(0, section.size() - 1);
    for (const std::string& name : names) {
      const auto old_entry = old_objects.find(name);
      const auto new_entry = new_objects.find(name);
      if (old_entry == old_objects.end()) {
        diff.changes.push_back({SwarmObjectChange::Kind::added, singular, name});
      } else if (new_entry == new_objects.end()) {
        diff.changes.push_back({SwarmObjectChange::Kind::removed, singular, name});
      } else if (old_entry->second != new_entry->second) {
        diff.changes.push_back({SwarmObjectChange::Kind::updated, singular, name});
      } else {
        ++diff.unchanged;
      }
    }
  }
  diff.superseded_configs = superseded(before, after, "configs");
  diff.superseded_secrets = superseded(before, after, "secrets");
  return diff;
}

std::vector<std::string> StackDiff::services() const {
  std::vector<std::string> names;
  for (const SwarmObjectChange& change : changes) {
    if (change.section == "service") names.push_back(change.name);
  }
  return names;
}

std::vector<std::string> StackDiff::removed_volumes() const {
  std::vector<std::string> names;
  for (const SwarmObjectChange& change : changes) {
    if (change.section == "volume" && change.kind == SwarmObjectChange::Kind::removed) names.push_back(change.name);
  }
  return names;
}

std::string cleanup_commands(const StackDiff& diff, std::string_view indent) {
  std::string text;
  for (const std::string& name : diff.superseded_configs) {
    fmt::format_to(std::back_inserter(text), "{}docker config rm {}\n", indent, name);
  }
  for (const std::string& name : diff.superseded_secrets) {
    fmt::format_to(std::back_inserter(text), "{}docker secret rm {}\n", indent, name);
  }
  return text;
}

}  // namespace dcomm::build
