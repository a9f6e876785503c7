#include "write/manifest.hpp"

#include <nlohmann/json.hpp>

#include "write/out_folder.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

/// Reads a manifest without building a JSON tree: a fleet's rebuild reads
/// one per site. Takes the strings it knows where it expects them and
/// skips anything else; a document that is not JSON is refused.
class ManifestReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit ManifestReader(Manifest& manifest) : manifest_(manifest) {}

  bool key(string_t& name) override {
    if (depth_ == 1) top_key_ = name;
    if (depth_ == 2) field_ = name;
    if (depth_ == 3) field_ = name;
    return true;
  }
  bool string(string_t& value) override {
    if (depth_ == 1 && top_key_ == "fingerprint") manifest_.fingerprint = value;
    if (depth_ == 1 && top_key_ == "site") manifest_.site = value;
    if (depth_ == 2 && top_key_ == "secrets") manifest_.secrets.push_back(value);
    if (depth_ == 2 && top_key_ == "secret_files") manifest_.secret_files.push_back(value);
    if (depth_ == 3 && top_key_ == "artifacts") (field_ == "path" ? path_ : sha256_) = value;
    if (top_key_ == "facts" && manifest_.facts) read_fact(*manifest_.facts, value);
    if (depth_ == 2 && top_key_ == "secret_sha256") manifest_.secret_sha256[field_] = value;
    return true;
  }
  bool start_object(std::size_t) override {
    if (depth_ == 2 && top_key_ == "artifacts") path_.clear(), sha256_.clear();
    if (depth_ == 1 && top_key_ == "facts") manifest_.facts.emplace();
    return enter();
  }
  bool end_object() override {
    if (depth_ == 3 && top_key_ == "artifacts" && !path_.empty() && !sha256_.empty()) {
      manifest_.artifacts.push_back({path_, sha256_});
    }
    return leave();
  }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override { return leave(); }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool enter() {
    ++depth_;
    return depth_ <= 8;  // a manifest is three deep; refuse a deeper document
  }
  bool leave() {
    --depth_;
    return true;
  }

  void read_fact(SiteFacts& facts, const std::string& value) const {
    if (depth_ == 2 && field_ == "domain") facts.domain = value;
    if (depth_ != 3) return;
    if (field_ == "server_names") facts.server_names.push_back(value);
    if (field_ == "volumes") facts.volumes.push_back(value);
    if (field_ == "federation") facts.federation.push_back(value);
  }

  Manifest& manifest_;
  int depth_ = 0;
  std::string top_key_, field_, path_, sha256_;
};

}  // namespace

std::string Manifest::to_json() const {
  nlohmann::json listed = nlohmann::json::array();
  for (const ManifestArtifact& artifact : artifacts) {
    listed.push_back({{"path", artifact.path}, {"sha256", artifact.sha256}});
  }
  nlohmann::json pins = nlohmann::json::array();
  for (const ManifestImage& image : images) {
    nlohmann::json entry = {{"container", image.container}, {"image", image.image}};
    if (!image.pinned.empty()) entry["pinned"] = image.pinned;
    pins.push_back(std::move(entry));
  }
  nlohmann::json doc = {{"compiler", "dcommc " DCOMMC_VERSION},
                        {"site", site},
                        {"fingerprint", fingerprint},
                        {"artifacts", listed},
                        {"images", pins},
                        {"secrets", secrets},
                        {"secret_files", secret_files},
                        {"secret_sha256", secret_sha256}};
  if (facts) {
    doc["facts"] = {{"domain", facts->domain},
                    {"server_names", facts->server_names},
                    {"volumes", facts->volumes},
                    {"federation", facts->federation}};
  }
  return doc.dump(2) + "\n";
}

std::optional<Manifest> read_manifest(const fs::path& site_dir) {
  std::string error;
  auto text = read_output_file(site_dir / "manifest.json", error);
  if (!text || text->empty() || text->front() != '{') return std::nullopt;
  Manifest manifest;
  ManifestReader reader(manifest);
  if (!nlohmann::json::sax_parse(*text, &reader)) return std::nullopt;
  return manifest;
}

bool is_removable_artifact(const fs::path& relative) {
  const fs::path normal = relative.lexically_normal();
  const std::string first = normal.empty() ? "" : normal.begin()->string();
  return !normal.is_absolute() && first != ".." && first != "." && first != "secrets" && normal != "manifest.json";
}

void find_listed_files(const fs::path& site_dir, const Manifest& manifest,
                       const std::function<bool(const fs::path&)>& still_built, std::vector<fs::path>& unchanged,
                       std::vector<fs::path>& edited) {
  for (const ManifestArtifact& artifact : manifest.artifacts) {
    const fs::path relative = fs::path(artifact.path).lexically_normal();
    if (!is_removable_artifact(relative)) continue;
    const fs::path path = site_dir / relative;
    if (still_built(path)) continue;
    std::string error;
    auto content = read_output_file(path, error);
    if (!content) continue;
    (util::sha256_hex(*content) == artifact.sha256 ? unchanged : edited).push_back(path);
  }
}

}  // namespace dcomm::build
