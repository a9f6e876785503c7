#include "write/secret_bundle.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "write/departed.hpp"
#include "write/out_folder.hpp"
#include "util/files.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRootKey = "federation-ca/root.key";

std::string to_base64(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(n));
  return text;
}

std::optional<std::string> from_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string bytes(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  bytes.resize(static_cast<std::size_t>(n) - padding);
  return bytes;
}

/// Whether a bundle may hold `relative`: SITE/secrets/... or the
/// federation's root.key, and nothing that climbs out or hides.
bool is_secret_path(const fs::path& relative) {
  if (relative.generic_string() == kRootKey) return true;
  if (relative.is_absolute() || relative != relative.lexically_normal()) return false;
  std::vector<std::string> parts;
  for (const auto& part : relative) parts.push_back(part.string());
  if (parts.size() < 3 || parts[1] != "secrets") return false;
  return std::none_of(parts.begin(), parts.end(), [](const std::string& part) {
    return part.empty() || part.front() == '.' || part.find(util::kTempSuffix) != std::string::npos;
  });
}

}  // namespace

std::optional<std::string> pack_secrets(const fs::path& out, std::size_t& count, std::string& error) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::directory_iterator(out, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_directory(ec)) continue;
    for (const fs::path& file : files_under(it->path() / "secrets")) files.push_back(file);
  }
  if (fs::is_regular_file(fs::symlink_status(out / kRootKey, ec))) files.push_back(out / kRootKey);
  std::sort(files.begin(), files.end());
  nlohmann::json listed = nlohmann::json::array();
  for (const fs::path& file : files) {
    const fs::path relative = file.lexically_relative(out);
    if (!is_secret_path(relative)) continue;  // a build's temporary file
    auto content = read_output_file(file, error);
    if (!content) {
      error = fmt::format("cannot read the secret {}: {}", file.string(), error);
      return std::nullopt;
    }
    if (content->empty()) {
      error = fmt::format("{} is empty: restore it before sealing (dcommc secrets verify -o {})", file.string(),
                          out.string());
      return std::nullopt;
    }
    listed.push_back({{"path", relative.generic_string()}, {"base64", to_base64(*content)}});
  }
  if (listed.empty()) {
    error = fmt::format("{} holds no secrets: build it first", out.string());
    return std::nullopt;
  }
  count = listed.size();
  return nlohmann::json{{"dcommc_secrets", 1}, {"files", listed}}.dump() + "\n";
}

bool unpack_secrets(const fs::path& out, std::string_view bundle, std::vector<fs::path>& written,
                    std::vector<fs::path>& same, std::string& error) {
  const auto doc = nlohmann::json::parse(bundle, nullptr, false);
  if (!doc.is_object() || doc.value("dcommc_secrets", 0) != 1 || !doc.contains("files") || !doc["files"].is_array()) {
    error = "this is not a bundle of dcommc secrets (dcommc secrets seal writes them)";
    return false;
  }
  std::vector<std::pair<fs::path, std::string>> files;
  for (const auto& entry : doc["files"]) {
    const std::string path = entry.is_object() ? entry.value("path", "") : "";
    const auto content = from_base64(entry.is_object() ? entry.value("base64", "") : "");
    if (!is_secret_path(path) || !content || content->empty()) {
      error = fmt::format("the bundle holds '{}', which is not a secret's place or has no value: nothing was "
                          "written",
                          path);
      return false;
    }
    files.emplace_back(out / path, std::move(*content));
  }
  // Every check before the first write: a bundle is restored whole or not at all.
  for (const auto& [file, content] : files) {
    auto existing = read_output_file(file, error);
    if (!error.empty()) return false;
    if (existing && *existing != content) {
      error = fmt::format("{} exists and holds another value than the bundle's. Move it away if the bundle's "
                          "is the one deployed, then unseal again; nothing was written",
                          file.string());
      return false;
    }
    (existing ? same : written).push_back(file);
  }
  for (const auto& [file, content] : files) {
    if (std::find(same.begin(), same.end(), file) != same.end()) continue;
    if (!make_folder(out, file.parent_path(), error) || !util::write_file_atomically(file, content, error, 0600, true)) {
      error = fmt::format("cannot write {}: {}", file.string(), error);
      return false;
    }
  }
  return true;
}

}  // namespace dcomm::build
