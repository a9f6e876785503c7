#include "build/secret_store.hpp"

#include <nlohmann/json.hpp>

#include "build/random_secrets.hpp"
#include "util/files.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

bool SecretStore::prepare(const fs::path& dir, const std::vector<SecretSpec>& wanted,
                          const std::set<std::string>& rotate, std::string& error) {
  std::error_code ec;
  // A first build: no folder, nothing to read (and no stat per secret).
  const bool first = !fs::exists(dir, ec);
  if (!first && fs::exists(dir / "generations.json", ec)) {
    auto text = util::read_file(dir / "generations.json", error);
    if (!text) return false;
    auto json = nlohmann::json::parse(*text, nullptr, false);
    if (!json.is_object()) {
      error = (dir / "generations.json").string() + " is not a JSON object";
      return false;
    }
    for (const auto& [name, generation] : json.items()) {
      if (generation.is_number_integer()) generations_[name] = generation.get<int>();
    }
  }
  for (const SecretSpec& spec : wanted) {
    const fs::path file = dir / spec.name;
    const bool rotating = rotate.count(spec.name) != 0;
    if (!first && !rotating && fs::exists(file, ec)) {
      auto text = util::read_file(file, error);
      if (!text) {
        error = file.string() + ": " + error;
        return false;
      }
      values_[spec.name] = std::move(*text);
      continue;
    }
    values_[spec.name] = generate_secret(spec.format);
    if (!first && rotating && fs::exists(file, ec)) generations_[spec.name] = generation(spec.name) + 1;
    fresh_.push_back(spec.name);
  }
  return true;
}

int SecretStore::generation(const std::string& name) const {
  auto it = generations_.find(name);
  return it == generations_.end() ? 1 : std::max(1, it->second);
}

std::string SecretStore::generations_json() const {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, value] : values_) json[name] = generation(name);
  return json.dump(2) + "\n";
}

}  // namespace dcomm::build
