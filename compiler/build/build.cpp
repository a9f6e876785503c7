#include "build/build.hpp"

#include <fmt/format.h>

#include <algorithm>
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
    artifacts.push_back({{"path", fs::relative(file.path, dir).generic_string()},
                         {"sha256", util::sha256_hex(file.content)}});
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

bool plan_site(const Compilation& compilation, const model::Site& site, const nlohmann::json& spec,
               const BuildOptions& options, BuildPlan& plan, std::string& error) {
  const fs::path dir = options.out / site.name;
  const std::vector<SecretSpec> secrets = secrets_of(site);
  SecretStore store;
  if (!store.prepare(dir / "secrets", secrets, options.rotate, error)) return false;

  const emit::SiteContext context{compilation.federation, site,
                                  [&store](const std::string& name) { return store.generation(name); }};
  const emit::ArtifactSet artifacts = emit::emit_site(context);

  std::vector<PlannedFile> files;
  for (const emit::Artifact& artifact : artifacts.all()) {
    if (!artifact.secret && emit::has_placeholder(artifact.content)) {
      throw std::logic_error("a secret placeholder reached the public file " + artifact.path);
    }
    std::string content =
        artifact.secret
            ? emit::replace_placeholders(artifact.content,
                                         [&store](std::string_view name) { return store.value(std::string(name)); })
            : artifact.content;
    files.push_back({dir / artifact.path, std::move(content), artifact.secret});
  }
  for (const std::string& name : store.fresh()) {
    files.push_back({dir / "secrets" / name, store.value(name), true});
  }
  if (!secrets.empty()) files.push_back({dir / "secrets/generations.json", store.generations_json(), true});
  files.push_back({dir / "manifest.json", manifest(site, spec, files, dir, secrets), false});

  for (const fs::path& old : previous_artifacts(dir)) {
    const bool kept = std::any_of(files.begin(), files.end(), [&](const PlannedFile& f) { return f.path == old; });
    if (!kept) plan.stale.push_back(old);
  }
  plan.sites.push_back({site.name, store.fresh(), {}});
  std::move(files.begin(), files.end(), std::back_inserter(plan.files));
  return true;
}

}  // namespace

std::optional<BuildPlan> plan_build(const Compilation& compilation, const SourceMap& sources,
                                    const BuildOptions& options, std::string& error) {
  BuildPlan plan;
  const nlohmann::json spec = spec_identity(compilation, sources);
  std::set<std::string> unknown = options.rotate;
  for (const model::Site& site : compilation.federation.sites) {
    for (const auto& secret : secrets_of(site)) unknown.erase(secret.name);
    if (!plan_site(compilation, site, spec, options, plan, error)) return std::nullopt;
  }
  if (!unknown.empty()) {
    error = fmt::format("no secret named '{}' in this spec; secret names look like synapse_macaroon_key "
                        "(see out/SITE/manifest.json)",
                        *unknown.begin());
    return std::nullopt;
  }
  plan.files.push_back({options.out / ".gitignore",
                        "# Written by dcommc: generated secrets never go into git.\n*/secrets/\n", false});
  return plan;
}

std::optional<WriteResult> write_plan(const BuildPlan& plan, std::string& error) {
  WriteResult result;
  for (const PlannedFile& file : plan.files) {
    std::string ignored;
    if (auto existing = util::read_file(file.path, ignored); existing && *existing == file.content) {
      result.unchanged.push_back(file.path);
      continue;
    }
    std::error_code ec;
    fs::create_directories(file.path.parent_path(), ec);
    if (file.secret) fs::permissions(file.path.parent_path(), fs::perms::owner_all, ec);
    if (ec) {
      error = fmt::format("cannot create {}: {}", file.path.parent_path().string(), ec.message());
      return std::nullopt;
    }
    if (!util::write_file_atomically(file.path, file.content, error, file.secret ? 0600 : 0644,
                                     /*durable=*/file.secret)) {
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
