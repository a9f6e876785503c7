#include "write/secret_store.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "write/random_secrets.hpp"
#include "util/files.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

constexpr util::ReadRules kSecretRules{.regular_only = true, .no_follow = true, .missing_ok = true};

std::string missing_secret(const fs::path& file) {
  return fmt::format(
      "{} is missing, but the site's last build (its manifest.json) had it: the deployed site may hold its "
      "value, and a new one under the same swarm name would split the site. Restore the site's secrets from "
      "the operator who built it (`dcommc secrets unseal -o OUT -i KEY` with the bundle they sealed) or from a "
      "backup; if it must get a new value, name it in --rotate-secrets {}",
      file.string(), file.filename().string());
}

}  // namespace

std::string secret_file_damage(const fs::path& file, const util::FileText& secret) {
  if (secret.text.empty()) {
    return fmt::format(
        "{} is empty (a build was interrupted by an older dcommc, or it was emptied by hand). Restore it "
        "from a backup, or generate a new value with --rotate-secrets {} (the swarm never gives a secret's "
        "value back)",
        file.string(), file.filename().string());
  }
  if ((secret.mode & 077) != 0) {
    return fmt::format(
        "{} can be read by other users (mode {:04o}). Run `chmod 600 {}`; if someone may have read it, also "
        "rotate it with --rotate-secrets {}",
        file.string(), secret.mode, file.string(), file.filename().string());
  }
  return "";
}

bool SecretStore::prepare(const fs::path& dir, const std::vector<SecretSpec>& wanted,
                          const std::set<std::string>& rotate, bool folder_exists,
                          const std::vector<std::string>& built, std::string& error) {
  if (folder_exists && !read_generations(dir / "generations.json", error)) return false;
  for (const SecretSpec& spec : wanted) {
    const fs::path file = dir / spec.name;
    const bool rotating = rotate.count(spec.name) != 0;
    std::optional<util::FileText> existing;
    // A first build: no folder, nothing to read (and no open per secret).
    if (folder_exists) {
      existing = util::read(file, error, kSecretRules);
      if (!existing && !error.empty()) {
        error = fmt::format("cannot read the secret {}: {}", file.string(), error);
        return false;
      }
      // A secret being rotated is replaced whatever its state.
      if (existing && !rotating) error = secret_file_damage(file, *existing);
      if (!error.empty()) return false;
    }
    if (existing) on_disk_.insert(spec.name);
    const bool made_by_ca = spec.format == model::Secret::Format::ca_key ||
                            spec.format == model::Secret::Format::ca_certificate;  // re-issued under the same root
    if (!existing && !rotating && !made_by_ca && std::find(built.begin(), built.end(), spec.name) != built.end()) {
      error = missing_secret(file);
      return false;
    }
    if (existing && !rotating) {
      values_[spec.name] = std::move(existing->text);
      continue;
    }
    if (spec.format == model::Secret::Format::ca_certificate) {
      values_[spec.name] = "";
      continue;
    }
    values_[spec.name] = generate_secret(spec.format);
    // A value new under a name that had one (rotated, or its file pruned
    // or lost) gets the next swarm name: the old one may still exist.
    if (existing || generations_.contains(spec.name)) generations_[spec.name] = generation(spec.name) + 1;
    fresh_.push_back(spec.name);
  }
  return true;
}

void SecretStore::replace(const std::string& name, std::string value) {
  values_[name] = std::move(value);
  if (std::find(fresh_.begin(), fresh_.end(), name) != fresh_.end()) return;
  if (on_disk_.contains(name)) generations_[name] = generation(name) + 1;
  fresh_.push_back(name);
}

bool SecretStore::read_generations(const fs::path& file, std::string& error) {
  auto text = util::read(file, error, kSecretRules);
  if (!text) {
    if (!error.empty()) error = fmt::format("cannot read {}: {}", file.string(), error);
    return error.empty();
  }
  auto json = nlohmann::json::parse(text->text, nullptr, false);
  if (!json.is_object()) {
    error = fmt::format(
        "{} is damaged (not a JSON object). It counts each secret's rotations, which name the swarm secrets "
        "(NAME_v2, ...). If no secret of this site was ever rotated, delete it and build again; otherwise "
        "write it back as {{\"NAME\": GENERATION, ...}} from the names in the deployed stack.yml",
        file.string());
    return false;
  }
  for (const auto& [name, generation] : json.items()) {
    if (generation.is_number_integer()) generations_[name] = generation.get<int>();
  }
  return true;
}

int SecretStore::generation(const std::string& name) const {
  auto it = generations_.find(name);
  return it == generations_.end() ? 1 : std::max(1, it->second);
}

std::string SecretStore::generations_json() const {
  // Secrets no service reads any more keep their count, for the day one does again.
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, count] : generations_) json[name] = generation(name);
  for (const auto& [name, value] : values_) json[name] = generation(name);
  return json.dump(2) + "\n";
}

}  // namespace dcomm::build
