#include "build/build.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "build/out_folder.hpp"
#include "build/secret_store.hpp"
#include "emit/emitter.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

/// Appends `from` to `to`.
void append(std::vector<fs::path>& to, std::vector<fs::path>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

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

/// The files an earlier build wrote for this site and this one no longer
/// writes, from the old manifest. The manifest is not trusted to name what
/// to delete: an entry counts only if it stays inside the site's folder,
/// is not a secret or the manifest, and names a regular file whose content
/// is still what the manifest says dcommc wrote (so a hand-edited entry
/// can never delete a signing key); a file edited since is kept, in
/// `plan.kept`, for its owner to decide.
void find_stale_artifacts(const fs::path& dir, const std::vector<PlannedFile>& files, BuildPlan& plan) {
  std::string error;
  auto text = read_output_file(dir / "manifest.json", error);
  if (!text) return;
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object() || !doc.contains("artifacts") || !doc["artifacts"].is_array()) return;
  for (const auto& artifact : doc["artifacts"]) {
    if (!artifact.is_object() || !artifact.contains("path") || !artifact["path"].is_string() ||
        !artifact.contains("sha256") || !artifact["sha256"].is_string()) {
      continue;
    }
    const fs::path relative = fs::path(artifact["path"].get<std::string>()).lexically_normal();
    const std::string first = relative.empty() ? "" : relative.begin()->string();
    if (relative.is_absolute() || first == ".." || first == "." || first == "secrets" ||
        relative == "manifest.json") {
      continue;
    }
    const fs::path path = dir / relative;
    if (std::any_of(files.begin(), files.end(), [&](const PlannedFile& f) { return f.path == path; })) continue;
    auto content = read_output_file(path, error);
    if (!content) continue;
    auto& list = util::sha256_hex(*content) == artifact["sha256"].get<std::string>() ? plan.stale : plan.kept;
    list.push_back(path);
  }
}

/// A site's secrets as this build will write them: read from out/<site>/
/// where they exist, generated where not (or where rotation is asked for).
struct SiteSecrets {
  std::vector<SecretSpec> specs;
  SecretStore store;
};

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

/// What a build knows of a site before it writes anything: the state of
/// its folder, and its secrets.
struct PreparedSite {
  SiteFolderScan folder;
  SiteSecrets secrets;
};

/// Every site's folder scanned and secrets read (or generated), and the
/// top of the output folder checked: all that can fail before a write.
std::optional<std::vector<PreparedSite>> prepare_sites(const Compilation& compilation, const BuildOptions& options,
                                                       std::string& error) {
  if (!check_rotate(compilation, options, error)) return std::nullopt;
  if (!refuse_link(options.out / ".gitignore", error)) return std::nullopt;
  std::vector<PreparedSite> prepared;
  prepared.reserve(compilation.federation.sites.size());
  for (const model::Site& site : compilation.federation.sites) {
    const fs::path dir = options.out / site.name;
    auto folder = scan_site_folder(dir, error);
    if (!folder) return std::nullopt;
    SiteSecrets secrets{secrets_of(site), {}};
    if (!secrets.store.prepare(dir / "secrets", secrets.specs, options.rotate, folder->exists, error)) {
      return std::nullopt;
    }
    prepared.push_back({std::move(*folder), std::move(secrets)});
  }
  return prepared;
}

PlannedFile public_file(fs::path path, std::string content) {
  std::string digest = util::sha256_hex(content);
  return {std::move(path), std::move(content), std::move(digest), false};
}

/// Every file of one site, added to `plan`.
void plan_site(const Compilation& compilation, const model::Site& site, const nlohmann::json& spec,
               const PreparedSite& prepared, BuildPlan& plan) {
  const fs::path dir = plan.out / site.name;
  const SiteSecrets& secrets = prepared.secrets;
  const SecretStore& store = secrets.store;
  const emit::SiteContext context{compilation.federation, site,
                                  [&store](const std::string& name) { return store.generation(name); }};
  // Written in this order: the generation counts first, so that a build
  // killed during a rotation never leaves a new value under an old swarm
  // name (swarm secrets are immutable); then the raw secrets; then what
  // is made of them.
  std::vector<PlannedFile> files;
  if (!secrets.specs.empty()) files.push_back({dir / "secrets/generations.json", store.generations_json(), {}, true});
  for (const std::string& name : store.fresh()) files.push_back({dir / "secrets" / name, store.value(name), {}, true});
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
  files.push_back(public_file(dir / "manifest.json", manifest(site, spec, files, dir, secrets.specs)));

  if (prepared.folder.exists) find_stale_artifacts(dir, files, plan);
  plan.leftovers.insert(plan.leftovers.end(), prepared.folder.leftovers.begin(), prepared.folder.leftovers.end());
  plan.sites.push_back({site.name, store.fresh(), {}});
  std::move(files.begin(), files.end(), std::back_inserter(plan.files));
}

PlannedFile gitignore(const fs::path& out) {
  return public_file(out / ".gitignore",
                     "# Written by dcommc: generated secrets never go into git, nor the temporary\n"
                     "# files of a build that was killed (the next build removes them).\n"
                     "*/secrets/\n*.dcommc-*\n");
}

/// A file to be renamed into place once its temporary copy is on disk.
struct PendingRename {
  fs::path temporary;
  fs::path target;
};

/// Writes `secrets` durably and all or nothing per file: each to a
/// temporary file, then one sync of the disk, then the renames, then a
/// sync of each folder so the new names survive a power cut too. A kill
/// at any instant leaves each secret either as it was or complete.
bool write_secrets(const std::vector<const PlannedFile*>& secrets, WriteResult& result, std::string& error) {
  if (secrets.empty()) return true;
  std::vector<PendingRename> pending;
  auto discard = [&pending] {
    for (const PendingRename& file : pending) ::unlink(file.temporary.c_str());
    return false;
  };
  for (const PlannedFile* file : secrets) {
    auto temporary = util::write_temporary(file->path, file->content, 0600, error);
    if (!temporary) {
      error = fmt::format("cannot write {}: {}", file->path.string(), error);
      return discard();
    }
    pending.push_back({std::move(*temporary), file->path});
  }
  if (!util::sync(pending.front().target.parent_path(), util::SyncScope::filesystem, error)) return discard();
  std::set<fs::path> folders;
  for (const PendingRename& file : pending) {
    if (std::rename(file.temporary.c_str(), file.target.c_str()) != 0) {
      error = fmt::format("cannot write {}: {}", file.target.string(), std::strerror(errno));
      return discard();
    }
    folders.insert(file.target.parent_path());
    result.written.push_back(file.target);
  }
  for (const fs::path& folder : folders) {
    if (!util::sync(folder, util::SyncScope::folder, error)) return false;
  }
  return true;
}

/// A public file: in a folder this build created there is nothing to
/// compare with or replace, so it is written in place (a killed build
/// leaves it partial, and the next build, finding it different, replaces
/// it); elsewhere it is replaced atomically if its content changed.
bool write_public(const PlannedFile& file, bool new_folder, WriteResult& result, std::string& error) {
  if (new_folder) {
    if (!util::write_new_file(file.path, file.content, error, 0644)) {
      error = fmt::format("cannot write {}: {}", file.path.string(), error);
      return false;
    }
    result.written.push_back(file.path);
    return true;
  }
  auto existing = read_output_file(file.path, error);
  if (!error.empty()) return false;
  if (existing && *existing == file.content) {
    result.unchanged.push_back(file.path);
    return true;
  }
  if (!util::write_file_atomically(file.path, file.content, error, 0644)) {
    error = fmt::format("cannot write {}: {}", file.path.string(), error);
    return false;
  }
  result.written.push_back(file.path);
  return true;
}

}  // namespace

std::optional<BuildPlan> plan_build(const Compilation& compilation, const SourceMap& sources,
                                    const BuildOptions& options, std::string& error) {
  auto prepared = prepare_sites(compilation, options, error);
  if (!prepared) return std::nullopt;
  BuildPlan plan{.out = options.out};
  const nlohmann::json spec = spec_identity(compilation, sources);
  for (std::size_t i = 0; i < prepared->size(); ++i) {
    plan_site(compilation, compilation.federation.sites[i], spec, (*prepared)[i], plan);
  }
  plan.files.push_back(gitignore(options.out));
  append(plan.leftovers, leftovers_in(options.out));
  return plan;
}

std::optional<WriteResult> build(const Compilation& compilation, const SourceMap& sources,
                                 const BuildOptions& options, std::string& error) {
  // Everything that can fail before writing is done first, for every site.
  auto prepared = prepare_sites(compilation, options, error);
  if (!prepared) {
    error += "\n  nothing was written";
    return std::nullopt;
  }
  const nlohmann::json spec = spec_identity(compilation, sources);
  WriteResult result;
  for (std::size_t i = 0; i <= prepared->size(); ++i) {
    BuildPlan plan{.out = options.out};
    if (i < prepared->size()) {
      plan_site(compilation, compilation.federation.sites[i], spec, (*prepared)[i], plan);
    } else {
      plan.files.push_back(gitignore(options.out));
      plan.leftovers = leftovers_in(options.out);
    }
    auto written = write_plan(plan, error);
    if (!written) return std::nullopt;
    append(result.written, std::move(written->written));
    append(result.unchanged, std::move(written->unchanged));
    append(result.removed, std::move(written->removed));
    append(result.kept, std::move(written->kept));
  }
  return result;
}

std::optional<WriteResult> write_plan(const BuildPlan& plan, std::string& error) {
  WriteResult result;
  // Each folder once: created (with its mode, whatever the umask) if
  // missing, and remembered as new, where no file can be unchanged.
  std::map<fs::path, bool> folder_is_new;
  std::vector<const PlannedFile*> secrets;
  for (const PlannedFile& file : plan.files) {
    const fs::path folder = file.path.parent_path();
    if (!folder_is_new.contains(folder)) {
      auto existed = make_folder(plan.out, folder, error);
      if (!existed) return std::nullopt;
      folder_is_new[folder] = !*existed;
    }
    if (!file.secret) continue;
    auto existing = read_output_file(file.path, error);
    if (!error.empty()) return std::nullopt;
    if (existing && *existing == file.content) {
      result.unchanged.push_back(file.path);
    } else {
      secrets.push_back(&file);
    }
  }
  for (const fs::path& leftover : plan.leftovers) {
    if (::unlink(leftover.c_str()) == 0) result.removed.push_back(leftover);
  }
  if (!write_secrets(secrets, result, error)) return std::nullopt;
  for (const PlannedFile& file : plan.files) {
    if (!file.secret && !write_public(file, folder_is_new[file.path.parent_path()], result, error)) {
      return std::nullopt;
    }
  }
  for (const fs::path& stale : plan.stale) {
    if (::unlink(stale.c_str()) == 0) result.removed.push_back(stale);
  }
  result.kept = plan.kept;
  return result;
}

}  // namespace dcomm::build
