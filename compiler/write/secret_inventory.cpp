#include "write/secret_inventory.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "write/manifest.hpp"
#include "write/out_folder.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

/// stack.yml's view of the secrets: by file (./secrets/NAME), the swarm
/// name and the services that mount it.
struct Mounted {
  std::string swarm_name;
  std::vector<std::string> services;
};

std::map<std::string, Mounted> mounted_secrets(const fs::path& site_dir) {
  std::map<std::string, Mounted> by_file;
  std::string error;
  const auto text = read_output_file(site_dir / "stack.yml", error);
  if (!text) return by_file;
  try {
    const YAML::Node stack = YAML::Load(*text);
    std::map<std::string, std::string> file_of;  // stack key -> file
    for (const auto& secret : stack["secrets"]) {
      const std::string file = fs::path(secret.second["file"].as<std::string>("")).lexically_normal().generic_string();
      file_of[secret.first.as<std::string>()] = file;
      by_file[file].swarm_name = secret.second["name"].as<std::string>("");
    }
    for (const auto& service : stack["services"]) {
      for (const auto& use : service.second["secrets"]) {
        const std::string key = use.IsMap() ? use["source"].as<std::string>("") : use.as<std::string>("");
        if (file_of.contains(key)) by_file[file_of[key]].services.push_back(service.first.as<std::string>());
      }
    }
  } catch (const YAML::Exception&) {
    // A stack someone broke by hand: nothing is known to be mounted.
  }
  return by_file;
}

std::string modified_time(const struct stat& info) {
  std::tm utc{};
  ::gmtime_r(&info.st_mtim.tv_sec, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &utc);
  return text;
}

/// Reads the file of `entry` and says what is wrong with it; `content` gets its text.
void examine(SecretEntry& entry, std::string& content) {
  struct stat info {};
  if (::lstat(entry.file.c_str(), &info) != 0) {
    entry.problems.push_back("missing: restore it from the bundle its operator sealed (dcommc secrets unseal) or "
                             "from a backup");
    return;
  }
  entry.modified = modified_time(info);
  if (S_ISLNK(info.st_mode) || !S_ISREG(info.st_mode)) {
    entry.problems.push_back("not a regular file (a link?): put the file itself there");
    return;
  }
  std::string error;
  auto text = util::read(entry.file, error, {.regular_only = true, .no_follow = true});
  if (!text) {
    entry.problems.push_back("cannot be read: " + error);
    return;
  }
  content = std::move(text->text);
  entry.sha256 = util::sha256_hex(content);
  if (content.empty()) entry.problems.push_back("empty: restore it, or rotate it (dcommc secrets rotate)");
  if ((info.st_mode & 077) != 0) {
    entry.problems.push_back(fmt::format("mode {:04o}, readable by others: chmod 600 it, and rotate it if someone "
                                         "may have read it",
                                         info.st_mode & 07777));
  }
  if (info.st_uid != ::geteuid()) {
    entry.problems.push_back(fmt::format("owned by user {}, not by you ({}): chown it", info.st_uid, ::geteuid()));
  }
  if (!entry.expected_sha256.empty() && entry.sha256 != entry.expected_sha256) {
    entry.problems.push_back("not the value the last build wrote (its SHA-256 differs from manifest.json's): "
                             "restore the deployed one, or build again if it was changed on purpose");
  }
}

void site_inventory(const fs::path& site_dir, const Manifest& manifest, std::vector<SecretEntry>& out) {
  const auto mounted = mounted_secrets(site_dir);
  auto expected = [&manifest](const std::string& key) {
    auto it = manifest.secret_sha256.find(key);
    return it == manifest.secret_sha256.end() ? std::string() : it->second;
  };
  const std::size_t first = out.size();
  std::vector<std::string> contents;
  auto add = [&](const std::string& name, bool raw, const std::string& relative) {
    SecretEntry entry{.site = manifest.site, .name = name, .raw = raw, .file = site_dir / relative};
    if (auto it = mounted.find(relative); it != mounted.end()) {
      entry.swarm_name = it->second.swarm_name;
      entry.readers = it->second.services;
    }
    entry.expected_sha256 = expected(name);
    contents.emplace_back();
    examine(entry, contents.back());
    out.push_back(std::move(entry));
  };
  for (const std::string& name : manifest.secrets) add(name, true, "secrets/" + name);
  for (const std::string& path : manifest.secret_files) add(path, false, path);
  // A raw secret is also read by whoever mounts a file made from it.
  for (std::size_t r = first; r < out.size(); ++r) {
    if (!out[r].raw || contents[r - first].empty()) continue;
    for (std::size_t f = first; f < out.size(); ++f) {
      if (out[f].raw || contents[f - first].find(contents[r - first]) == std::string::npos) continue;
      for (const std::string& service : out[f].readers) {
        out[r].readers.push_back(fmt::format("{} (in {})", service, out[f].name));
      }
    }
  }
}

}  // namespace

std::vector<SecretEntry> secret_inventory(const fs::path& out) {
  std::vector<fs::path> sites;
  std::error_code ec;
  for (auto it = fs::directory_iterator(out, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (!it->is_symlink(ec) && it->is_directory(ec)) sites.push_back(it->path());
  }
  std::sort(sites.begin(), sites.end());
  std::vector<SecretEntry> entries;
  for (const fs::path& site : sites) {
    if (const auto manifest = read_manifest(site)) site_inventory(site, *manifest, entries);
  }
  return entries;
}

}  // namespace dcomm::build
