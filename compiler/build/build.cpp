#include "build/build.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "build/secret_store.hpp"
#include "emit/emitter.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

/// The spec's identity: the root file's digest, and each import's (named
/// relative to the root's folder, so the working directory does not matter).
nlohmann::json spec_identity(const Compilation& compilation, const SourceMap& sources) {
  std::vector<const SourceFile*> files;  // imports first, the root last (load order)
  for (const auto& file : compilation.files) {
    if (!file.stdlib) files.push_back(&sources.file(file.tree.file));
  }
  if (files.empty()) return nullptr;
  const SourceFile& root = *files.back();
  const fs::path folder = fs::path(root.name()).parent_path();
  nlohmann::json imports = nlohmann::json::array();
  for (auto it = files.begin(); it + 1 != files.end(); ++it) {
    imports.push_back({{"path", fs::path((*it)->name()).lexically_relative(folder).generic_string()},
                       {"sha256", util::sha256_hex((*it)->text())}});
  }
  return {{"sha256", util::sha256_hex(root.text())}, {"imports", imports}};
}

std::vector<SecretSpec> secrets_of(const model::Site& site) {
  std::vector<SecretSpec> specs;
  for (const auto& service : site.services) {
    for (const auto& secret : service.secrets) {
      specs.push_back({emit::SiteContext::secret_name(service, secret.name), secret.format});
    }
  }
  return specs;
}

std::string manifest(const model::Site& site, const nlohmann::json& spec,
                     const std::vector<PlannedFile>& files, const fs::path& dir,
                     const std::vector<SecretSpec>& secrets) {
  nlohmann::json artifacts = nlohmann::json::array();
  for (const auto& file : files) {
    if (file.secret) continue;
    artifacts.push_back({{"path", file.path.lexically_relative(dir).generic_string()}, {"sha256", file.sha256}});
  }
  nlohmann::json names = nlohmann::json::array();
  for (const auto& secret : secrets) names.push_back(secret.name);
  nlohmann::json doc = {{"compiler", "dcommc " DCOMMC_VERSION},
                        {"site", site.name},
                        {"spec", spec},
                        {"artifacts", artifacts},
                        {"secrets", names}};
  return doc.dump(2) + "\n";
}

/// The public files an earlier build wrote for this site, from its manifest.
std::vector<fs::path> previous_artifacts(const fs::path& dir) {
  std::string error;
  auto text = util::read_file(dir / "manifest.json", error);
  if (!text) return {};
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  std::vector<fs::path> paths;
  if (!doc.is_object() || !doc.contains("artifacts") || !doc["artifacts"].is_array()) return paths;
  for (const auto& artifact : doc["artifacts"]) {
    if (!artifact.is_object() || !artifact.contains("path") || !artifact["path"].is_string()) continue;
    const fs::path relative = artifact["path"].get<std::string>();
    // Never follow a hand-edited manifest out of the site's folder.
    if (relative.is_absolute() || relative.lexically_normal().string().starts_with("..")) continue;
    paths.push_back(dir / relative);
  }
  return paths;
}

/// A site's secrets as this build will write them: read from out/<site>/
/// where they exist, generated where not (or where rotation is asked for).
struct SiteSecrets {
  std::vector<SecretSpec> specs;
  SecretStore store;
};

std::optional<SiteSecrets> site_secrets(const model::Site& site, const BuildOptions& options,
                                        std::string& error) {
  SiteSecrets secrets{secrets_of(site), {}};
  if (!secrets.store.prepare(options.out / site.name / "secrets", secrets.specs, options.rotate, error)) {
    return std::nullopt;
  }
  return secrets;
}

/// False, with `error`, if --rotate-secrets names a secret no site has.
bool check_rotate(const Compilation& compilation, const BuildOptions& options, std::string& error) {
  std::set<std::string> unknown = options.rotate;
  for (const model::Site& site : compilation.federation.sites) {
    for (const auto& secret : secrets_of(site)) unknown.erase(secret.name);
  }
  if (unknown.empty()) return true;
  error = fmt::format("no secret named '{}' in this spec; secret names look like synapse_macaroon_key "
                      "(see out/SITE/manifest.json)",
                      *unknown.begin());
  return false;
}

PlannedFile public_file(fs::path path, std::string content) {
  std::string digest = util::sha256_hex(content);
  return {std::move(path), std::move(content), std::move(digest), false};
}

/// Every file of one site, added to `plan`.
void plan_site(const Compilation& compilation, const model::Site& site, const nlohmann::json& spec,
               const SiteSecrets& secrets, BuildPlan& plan) {
  const fs::path dir = plan.out / site.name;
  const SecretStore& store = secrets.store;
  const emit::SiteContext context{compilation.federation, site,
                                  [&store](const std::string& name) { return store.generation(name); }};
  std::vector<PlannedFile> files;
  for (emit::Artifact& artifact : emit::emit_site(context).take()) {
    if (!artifact.secret && emit::has_placeholder(artifact.content)) {
      throw std::logic_error("a secret placeholder reached the public file " + artifact.path);
    }
    if (artifact.secret) {
      std::string content = emit::replace_placeholders(
          artifact.content, [&store](std::string_view name) { return store.value(std::string(name)); });
      files.push_back({dir / artifact.path, std::move(content), {}, true});
    } else {
      files.push_back({dir / artifact.path, std::move(artifact.content), std::move(artifact.sha256), false});
    }
  }
  for (const std::string& name : store.fresh()) files.push_back({dir / "secrets" / name, store.value(name), {}, true});
  if (!secrets.specs.empty()) files.push_back({dir / "secrets/generations.json", store.generations_json(), {}, true});
  files.push_back(public_file(dir / "manifest.json", manifest(site, spec, files, dir, secrets.specs)));

  for (const fs::path& old : previous_artifacts(dir)) {
    const bool kept = std::any_of(files.begin(), files.end(), [&](const PlannedFile& f) { return f.path == old; });
    if (!kept) plan.stale.push_back(old);
  }
  plan.sites.push_back({site.name, store.fresh(), {}});
  std::move(files.begin(), files.end(), std::back_inserter(plan.files));
}

PlannedFile gitignore(const fs::path& out) {
  return public_file(out / ".gitignore", "# Written by dcommc: generated secrets never go into git.\n*/secrets/\n");
}

/// Appends `from` to `to`.
void append(std::vector<fs::path>& to, std::vector<fs::path>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

std::optional<BuildPlan> plan_build(const Compilation& compilation, const SourceMap& sources,
                                    const BuildOptions& options, std::string& error) {
  if (!check_rotate(compilation, options, error)) return std::nullopt;
  BuildPlan plan{.out = options.out};
  const nlohmann::json spec = spec_identity(compilation, sources);
  for (const model::Site& site : compilation.federation.sites) {
    auto secrets = site_secrets(site, options, error);
    if (!secrets) return std::nullopt;
    plan_site(compilation, site, spec, *secrets, plan);
  }
  plan.files.push_back(gitignore(options.out));
  return plan;
}

std::optional<WriteResult> build(const Compilation& compilation, const SourceMap& sources,
                                 const BuildOptions& options, std::string& error) {
  // Everything that can fail before writing is done first, for every site.
  auto nothing_written = [&error] {
    error += "; nothing was written";
    return std::nullopt;
  };
  if (!check_rotate(compilation, options, error)) return nothing_written();
  std::vector<SiteSecrets> secrets;
  for (const model::Site& site : compilation.federation.sites) {
    auto site_secret = site_secrets(site, options, error);
    if (!site_secret) return nothing_written();
    secrets.push_back(std::move(*site_secret));
  }
  const nlohmann::json spec = spec_identity(compilation, sources);
  WriteResult result;
  for (std::size_t i = 0; i <= secrets.size(); ++i) {
    BuildPlan plan{.out = options.out};
    if (i < secrets.size()) {
      plan_site(compilation, compilation.federation.sites[i], spec, secrets[i], plan);
    } else {
      plan.files.push_back(gitignore(options.out));
    }
    auto written = write_plan(plan, error);
    if (!written) return std::nullopt;
    append(result.written, std::move(written->written));
    append(result.unchanged, std::move(written->unchanged));
    append(result.removed, std::move(written->removed));
  }
  return result;
}

std::optional<WriteResult> write_plan(const BuildPlan& plan, std::string& error) {
  WriteResult result;
  // Each folder once: whether it existed (if not, none of its files can
  // be unchanged, and reading them would only fail), then created.
  std::map<fs::path, bool> folder_is_new;
  for (const PlannedFile& file : plan.files) {
    const fs::path folder = file.path.parent_path();
    auto [entry, first] = folder_is_new.try_emplace(folder, false);
    if (first) {
      std::error_code ec;
      entry->second = !fs::exists(folder, ec);
      fs::create_directories(folder, ec);
      if (file.secret && !ec) fs::permissions(folder, fs::perms::owner_all, ec);
      if (ec) {
        error = fmt::format("cannot create {}: {}", folder.string(), ec.message());
        return std::nullopt;
      }
    }
    const int mode = file.secret ? 0600 : 0644;
    std::string ignored;
    if (entry->second) {
      // A folder this build created: nothing to compare with or replace.
      if (util::write_new_file(file.path, file.content, ignored, mode, /*durable=*/file.secret)) {
        result.written.push_back(file.path);
        continue;
      }
    } else if (auto existing = util::read_file(file.path, ignored); existing && *existing == file.content) {
      result.unchanged.push_back(file.path);
      continue;
    }
    if (!util::write_file_atomically(file.path, file.content, error, mode, /*durable=*/file.secret)) {
      error = fmt::format("cannot write {}: {}", file.path.string(), error);
      return std::nullopt;
    }
    result.written.push_back(file.path);
  }
  for (const fs::path& stale : plan.stale) {
    std::error_code ec;
    if (fs::remove(stale, ec)) result.removed.push_back(stale);
  }
  return result;
}

}  // namespace dcomm::build
