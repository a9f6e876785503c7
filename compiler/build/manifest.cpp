#include "build/manifest.hpp"

#include <nlohmann/json.hpp>

#include "build/out_folder.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> strings(const nlohmann::json& doc, const char* key) {
  std::vector<std::string> found;
  if (!doc.contains(key) || !doc[key].is_array()) return found;
  for (const auto& item : doc[key]) {
    if (item.is_string()) found.push_back(item.get<std::string>());
  }
  return found;
}

}  // namespace

std::string Manifest::to_json() const {
  nlohmann::json listed = nlohmann::json::array();
  for (const ManifestArtifact& artifact : artifacts) {
    listed.push_back({{"path", artifact.path}, {"sha256", artifact.sha256}});
  }
  const nlohmann::json doc = {{"compiler", "dcommc " DCOMMC_VERSION},
                              {"site", site},
                              {"fingerprint", fingerprint},
                              {"artifacts", listed},
                              {"secrets", secrets},
                              {"secret_files", secret_files}};
  return doc.dump(2) + "\n";
}

std::optional<Manifest> read_manifest(const fs::path& site_dir) {
  std::string error;
  auto text = read_output_file(site_dir / "manifest.json", error);
  if (!text) return std::nullopt;
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  Manifest manifest;
  if (doc.contains("site") && doc["site"].is_string()) manifest.site = doc["site"].get<std::string>();
  if (doc.contains("fingerprint") && doc["fingerprint"].is_string()) {
    manifest.fingerprint = doc["fingerprint"].get<std::string>();
  }
  if (doc.contains("artifacts") && doc["artifacts"].is_array()) {
    for (const auto& artifact : doc["artifacts"]) {
      if (artifact.is_object() && artifact.contains("path") && artifact["path"].is_string() &&
          artifact.contains("sha256") && artifact["sha256"].is_string()) {
        manifest.artifacts.push_back({artifact["path"].get<std::string>(), artifact["sha256"].get<std::string>()});
      }
    }
  }
  manifest.secrets = strings(doc, "secrets");
  manifest.secret_files = strings(doc, "secret_files");
  return manifest;
}

bool is_removable_artifact(const fs::path& relative) {
  const fs::path normal = relative.lexically_normal();
  const std::string first = normal.empty() ? "" : normal.begin()->string();
  return !normal.is_absolute() && first != ".." && first != "." && first != "secrets" && normal != "manifest.json";
}

}  // namespace dcomm::build
