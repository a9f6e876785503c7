#include "write/build.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <thread>

#include "write/dangers.hpp"
#include "write/departed.hpp"
#include "write/deploy_commands.hpp"
#include "write/federation_ca.hpp"
#include "write/fingerprint.hpp"
#include "write/manifest.hpp"
#include "write/out_folder.hpp"
#include "write/secret_store.hpp"
#include "write/up_to_date.hpp"
#include "write/write_batch.hpp"
#include "emit/emitter.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

/// OUT/.dcommc-pending names the sites a build is writing, while it writes
/// them: a build killed before its commit leaves temporary files in them,
/// and the next build must look there even if their inputs went back to
/// what the manifest says (it renders them, which removes the leftovers).
constexpr const char* kPendingFile = ".dcommc-pending";

std::vector<SecretSpec> secrets_of(const model::Site& site) {
  std::vector<SecretSpec> specs;
  for (const auto& service : site.services) {
    for (const auto& secret : service.secrets) {
      specs.push_back({emit::SiteContext::secret_name(service, secret.name), secret.format});
    }
  }
  return specs;
}

bool has_internal_tls(const model::Federation& federation) {
  return std::any_of(federation.sites.begin(), federation.sites.end(),
                     [](const model::Site& site) { return site.tls == model::TlsMode::internal; });
}

/// False, with `error`, if --rotate-secrets names a secret no site has.
bool check_rotate(const Compilation& compilation, const BuildOptions& options, std::string& error) {
  std::set<std::string> unknown = options.rotate;
  for (const model::Site& site : compilation.federation.sites) {
    for (const auto& secret : secrets_of(site)) unknown.erase(secret.name);
  }
  if (has_internal_tls(compilation.federation)) unknown.erase(std::string(kFederationCaSecret));
  if (unknown.empty()) return true;
  error = fmt::format("no secret named '{}' in this spec; secret names look like synapse_macaroon_key "
                      "(see out/SITE/manifest.json), and {} names the federation's root certificate "
                      "authority of sites with tls = internal",
                      *unknown.begin(), kFederationCaSecret);
  return false;
}

/// Gives a site with `tls = internal` an intermediate certificate the
/// federation's root issued for its domain and key: a new one if it has
/// none, its key was rotated, or the root changed.
bool prepare_intermediate(const model::Site& site, const FederationCa& ca, SecretStore& secrets, std::string& error) {
  if (site.tls != model::TlsMode::internal) return true;
  for (const model::Service& service : site.services) {
    for (const model::Secret& secret : service.secrets) {
      if (secret.format != model::Secret::Format::ca_certificate) continue;
      const std::string cert = emit::SiteContext::secret_name(service, secret.name);
      const std::string key = emit::SiteContext::secret_name(service, "ca_key");
      if (ca.issued(secrets.value(cert), secrets.value(key), site.domain)) continue;
      std::string issued = ca.issue(secrets.value(key), site.domain, error);
      if (issued.empty()) return false;
      secrets.replace(cert, std::move(issued));
    }
  }
  return true;
}

/// What a build knows of a site before it writes anything.
struct PreparedSite {
  const model::Site* site = nullptr;
  std::string fingerprint;
  const Manifest* manifest = nullptr;  ///< of the last build, if any
  bool render = true;                  ///< false: its output is current, leave it alone
  /// Rendered although its fingerprint matched (a file changed since, or
  /// a killed build was writing it): its manifest is written again even
  /// if nothing else is, so the next build finds it current.
  bool refresh_manifest = false;
  SiteFolderScan folder;
  std::vector<SecretSpec> secret_specs;
  SecretStore secrets;
};

std::set<std::string> pending_sites(const fs::path& out) {
  std::set<std::string> sites;
  std::string error;
  auto text = read_output_file(out / kPendingFile, error);
  if (!text) return sites;
  std::size_t start = 0;
  for (std::size_t end; (end = text->find('\n', start)) != std::string::npos; start = end + 1) {
    sites.insert(text->substr(start, end - start));
  }
  return sites;
}

/// Each site's fingerprint, on every core: on a fleet's rebuild it is
/// most of the work left once the survey has read the output folder. A
/// site with `tls = internal` is made of the federation's root too.
void fingerprint_sites(const model::Federation& federation, const FederationCa& ca,
                       std::vector<PreparedSite>& prepared) {
  const Fingerprinter fingerprinter(federation);
  const std::string root = ca.active() ? util::sha256_hex(ca.root_certificate()) : "";
  auto examine = [&](std::size_t i) {
    const model::Site& site = federation.sites[i];
    prepared[i].site = &site;
    prepared[i].fingerprint = fingerprinter.site(site);
    if (site.tls == model::TlsMode::internal) {
      prepared[i].fingerprint = util::sha256_hex(prepared[i].fingerprint + " " + root);
    }
  };
  const std::size_t threads =
      std::min<std::size_t>({std::max(1u, std::thread::hardware_concurrency()), 8, prepared.size() / 64 + 1});
  std::vector<std::jthread> workers;
  for (std::size_t t = 1; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = t; i < prepared.size(); i += threads) examine(i);
    });
  }
  for (std::size_t i = 0; i < prepared.size(); i += threads) examine(i);
}

/// Which sites to render: those whose output is not current (see
/// up_to_date.hpp), or every site with --full.
void find_sites_to_render(const BuildOptions& options, OutputSurvey& survey, std::vector<PreparedSite>& prepared) {
  const std::set<std::string> pending = pending_sites(options.out);
  for (PreparedSite& work : prepared) {
    const OutputSurvey::SiteState* last = survey.site(work.site->name);
    if (last) work.manifest = &last->manifest;
    const bool same_inputs = last && last->manifest.fingerprint == work.fingerprint;
    const bool rotating = last && std::any_of(last->manifest.secrets.begin(), last->manifest.secrets.end(),
                                              [&](const std::string& name) { return options.rotate.contains(name); });
    const bool current = same_inputs && last->files_unchanged && !rotating && !pending.contains(work.site->name);
    // Unused secrets are found while rendering: --prune-secrets looks at every site.
    work.render = options.full || options.prune_secrets || !current;
    work.refresh_manifest = same_inputs && !current;
  }
}

/// Every site's output compared with its inputs, and each site to render
/// scanned and its secrets read (or generated): all that can fail before
/// a write.
std::optional<std::vector<PreparedSite>> prepare_sites(const Compilation& compilation, const BuildOptions& options,
                                                       OutputSurvey& survey, FederationCa& ca, std::string& error) {
  if (!check_rotate(compilation, options, error)) return std::nullopt;
  if (!refuse_link(options.out / ".gitignore", error)) return std::nullopt;
  if (!refuse_link(options.out / kPendingFile, error)) return std::nullopt;
  if (!ca.prepare(options.out / "federation-ca", has_internal_tls(compilation.federation),
                  options.rotate.contains(std::string(kFederationCaSecret)), error)) {
    return std::nullopt;
  }
  std::vector<PreparedSite> prepared(compilation.federation.sites.size());
  fingerprint_sites(compilation.federation, ca, prepared);
  find_sites_to_render(options, survey, prepared);
  for (PreparedSite& work : prepared) {
    if (!work.render) continue;
    const fs::path dir = options.out / work.site->name;
    auto folder = scan_site_folder(dir, error);
    if (!folder) return std::nullopt;
    work.folder = std::move(*folder);
    work.secret_specs = secrets_of(*work.site);
    const std::vector<std::string> built = work.manifest ? work.manifest->secrets : std::vector<std::string>{};
    if (!work.secrets.prepare(dir / "secrets", work.secret_specs, options.rotate, work.folder.exists, built, error) ||
        !prepare_intermediate(*work.site, ca, work.secrets, error)) {
      return std::nullopt;
    }
  }
  return prepared;
}

PlannedFile public_file(fs::path path, std::string content) {
  std::string digest = util::sha256_hex(content);
  return {std::move(path), std::move(content), std::move(digest), false};
}

/// The files under the site's secrets/ that no service reads any more (a
/// service left the spec): removed with --prune --prune-secrets, else kept.
void find_unused_secrets(const fs::path& dir, const std::vector<SecretSpec>& wanted, const Manifest& manifest,
                         const BuildOptions& options, SitePlan& plan) {
  std::set<fs::path> used{dir / "secrets/generations.json"};
  for (const SecretSpec& secret : wanted) used.insert(dir / "secrets" / secret.name);
  for (const std::string& file : manifest.secret_files) used.insert(dir / file);
  for (const fs::path& file : files_under(dir / "secrets")) {
    if (used.contains(file) || file.filename().string().find(util::kTempSuffix) != std::string::npos) continue;
    (options.prune && options.prune_secrets ? plan.stale_secrets : plan.unused_secrets).push_back(file);
  }
}

/// Every file of one site, in the order they must reach the disk: the
/// generation counts first, so that a build killed during a rotation never
/// leaves a new value under an old swarm name (swarm secrets are
/// immutable); then the raw secrets; then what is made of them; the
/// manifest last.
SitePlan render_site(const Compilation& compilation, const PreparedSite& work, const FederationCa& ca,
                     const BuildOptions& options) {
  const model::Site& site = *work.site;
  const fs::path dir = options.out / site.name;
  const SecretStore& store = work.secrets;
  const emit::SiteContext context{compilation.federation, site,
                                  [&store](const std::string& name) { return store.generation(name); },
                                  ca.root_certificate()};
  SitePlan plan{.site = site.name, .new_secrets = store.fresh()};
  Manifest manifest{.site = site.name,
                    .fingerprint = work.fingerprint,
                    .facts = site_facts(compilation.federation, site)};
  if (!work.secret_specs.empty()) {
    plan.files.push_back({dir / "secrets/generations.json", store.generations_json(), {}, true});
  }
  for (const std::string& name : store.fresh()) plan.files.push_back({dir / "secrets" / name, store.value(name), {}, true});
  for (const SecretSpec& secret : work.secret_specs) {
    manifest.secrets.push_back(secret.name);
    manifest.secret_sha256[secret.name] = util::sha256_hex(store.value(secret.name));
  }
  for (const model::Service& service : site.services) {
    for (const model::Container& container : service.containers) {
      manifest.images.push_back({container.name, container.image, container.pinned});
    }
  }
  for (emit::Artifact& artifact : emit::emit_site(context).take()) {
    if (!artifact.secret && emit::has_placeholder(artifact.content)) {
      throw std::logic_error("a secret placeholder reached the public file " + artifact.path);
    }
    if (artifact.secret) {
      std::string content = emit::replace_placeholders(
          artifact.content, [&store](std::string_view name) { return store.value(std::string(name)); });
      manifest.secret_files.push_back(artifact.path);
      manifest.secret_sha256[artifact.path] = util::sha256_hex(content);
      plan.files.push_back({dir / artifact.path, std::move(content), {}, true});
    } else {
      manifest.artifacts.push_back({artifact.path, artifact.sha256});
      plan.files.push_back({dir / artifact.path, std::move(artifact.content), std::move(artifact.sha256), false});
    }
  }
  plan.files.push_back(public_file(dir / "manifest.json", manifest.to_json()));
  if (work.manifest) {
    // What an earlier build wrote for this site and this one no longer writes.
    auto still_built = [&plan](const fs::path& path) {
      return std::any_of(plan.files.begin(), plan.files.end(), [&](const PlannedFile& f) { return f.path == path; });
    };
    find_listed_files(dir, *work.manifest, still_built, plan.stale, plan.kept);
  }
  plan.leftovers = work.folder.leftovers;
  if (work.folder.exists) find_unused_secrets(dir, work.secret_specs, manifest, options, plan);
  return plan;
}

/// The federation's CA (OUT/federation-ca/), with what a killed build left there.
SitePlan federation_ca_files(const FederationCa& ca, const fs::path& out) {
  return {.files = ca.files(), .leftovers = leftovers_in(out / "federation-ca")};
}

/// The files at the top of the output folder.
SitePlan top_of_out(const model::Federation& federation, const fs::path& out) {
  SitePlan plan;
  plan.files.push_back(public_file(out / "deploy.txt", deploy_file(federation)));
  plan.files.push_back(public_file(out / ".gitignore",
                                   "# Written by dcommc: generated secrets never go into git, nor the temporary\n"
                                   "# files of a build that was killed (the next build removes them).\n"
                                   "*/secrets/\nfederation-ca/root.key\n*.dcommc-*\n"));
  plan.leftovers = leftovers_in(out);
  return plan;
}

/// A site new to the output folder: every file written in place into a
/// temporary folder, which commit() renames into place whole.
bool stage_new_site(const SitePlan& plan, const fs::path& out, WriteBatch& batch, std::string& error) {
  const fs::path dir = out / plan.site;
  auto temporary = batch.new_folder(dir, error);
  if (!temporary) return false;
  std::set<fs::path> folders{*temporary};
  for (const PlannedFile& file : plan.files) {
    const fs::path path = *temporary / file.path.lexically_relative(dir);
    const fs::path folder = path.parent_path();
    if (!folders.contains(folder)) {
      if (!make_folder(*temporary, folder, error)) return false;
      folders.insert(folder);
    }
    if (!batch.write_in_place(path, file.content, file.secret ? 0600 : 0644, error, file.path)) return false;
  }
  return true;
}

/// Stages the files of `plan` that differ from the disk into `batch`, and
/// its stale and leftover files for removal. `refresh_manifest`: stage the
/// manifest even if it is all that is left.
bool stage_site(const SitePlan& plan, const fs::path& out, bool refresh_manifest, WriteBatch& batch,
                WriteResult& result, std::string& error) {
  // Each folder once: created (with its mode, whatever the umask) if
  // missing, and remembered as new, where no file can be unchanged.
  std::map<fs::path, bool> folder_is_new;
  bool staged = !plan.stale.empty();
  for (const PlannedFile& file : plan.files) {
    const fs::path folder = file.path.parent_path();
    if (!folder_is_new.contains(folder)) {
      auto existed = make_folder(out, folder, error);
      if (!existed) return false;
      folder_is_new[folder] = !*existed;
    }
    const bool is_manifest = &file == &plan.files.back() && !plan.site.empty();
    const int mode = file.secret ? 0600 : 0644;
    // In a new folder (a service added to a site) there is nothing to
    // keep, but a raw secret is never seen partly written, and the
    // manifest reaches the disk only after the site's every other file.
    // The federation's root.crt too: renamed after root.key, never on disk
    // without it, or the next build would take the key for kept offline.
    const bool in_order = (file.secret && folder.filename() == "secrets") || folder.filename() == "federation-ca";
    if (folder_is_new[folder] && !is_manifest && !in_order) {
      if (!batch.write_in_place(file.path, file.content, mode, error)) return false;
      staged = true;
      continue;
    }
    auto existing = folder_is_new[folder] ? std::nullopt : read_output_file(file.path, error);
    if (!error.empty()) return false;
    const bool same = existing && *existing == file.content;
    if (same && !(is_manifest && (staged || refresh_manifest))) {
      ++result.unchanged;
      continue;
    }
    if (!batch.stage(file.path, file.content, mode, error)) return false;
    staged = true;
  }
  for (const fs::path& leftover : plan.leftovers) batch.remove(leftover);
  for (const fs::path& stale : plan.stale) batch.remove(stale);
  for (const fs::path& stale : plan.stale_secrets) batch.remove(stale);
  result.kept.insert(result.kept.end(), plan.kept.begin(), plan.kept.end());
  result.unused_secrets.insert(result.unused_secrets.end(), plan.unused_secrets.begin(), plan.unused_secrets.end());
  return true;
}

/// A site that left the spec: with --prune, the files dcommc wrote there
/// (and with --prune-secrets its secrets) are removed; without, its folder
/// is left alone, and secrets a prune left are listed as kept.
void stage_departed(const DepartedSite& site, const BuildOptions& options, WriteBatch& batch, WriteResult& result) {
  const bool has_files = !site.artifacts.empty();
  if (options.prune && (has_files || options.prune_secrets)) {
    result.pruned.push_back(site.name);
  } else if (has_files) {
    result.departed.push_back(site.name);
    return;
  }
  // Here either --prune is given or only secrets are left.
  for (const fs::path& file : site.artifacts) batch.remove(file);
  result.kept.insert(result.kept.end(), site.edited.begin(), site.edited.end());
  if (options.prune && options.prune_secrets) {
    for (const fs::path& file : site.secrets) batch.remove(file);
  } else {
    result.unused_secrets.insert(result.unused_secrets.end(), site.secrets.begin(), site.secrets.end());
  }
}

/// The folders a build's removals left empty, up to (not including) `out`.
void remove_emptied_folders(const std::vector<fs::path>& removed, const fs::path& out) {
  std::error_code ec;
  for (const fs::path& file : removed) {
    // fs::remove refuses a folder that still holds something: there the walk up stops.
    for (fs::path folder = file.parent_path(); folder != out && folder.native().starts_with(out.native());
         folder = folder.parent_path()) {
      if (!fs::is_directory(fs::symlink_status(folder, ec)) || !fs::remove(folder, ec)) break;
    }
  }
}

}  // namespace

std::optional<WriteResult> build(const Compilation& compilation, const BuildOptions& options, std::string& error) {
  OutputSurvey survey(options.out);
  return build(compilation, options, survey, error);
}

std::optional<WriteResult> build(const Compilation& compilation, const BuildOptions& options, OutputSurvey& survey,
                                 std::string& error) {
  FederationCa ca;
  auto prepared = prepare_sites(compilation, options, survey, ca, error);
  if (!prepared) {
    error += "\n  nothing was written";
    return std::nullopt;
  }
  WriteResult result;
  std::string pending;
  for (const PreparedSite& work : *prepared) {
    (work.render ? result.rendered : result.skipped).push_back(work.site->name);
    if (work.render) pending += work.site->name + "\n";
  }
  if (!pending.empty()) {
    if (!make_folder(options.out, options.out, error) ||
        !util::write_file_atomically(options.out / kPendingFile, pending, error, 0644)) {
      error = fmt::format("cannot write {}: {}", (options.out / kPendingFile).string(), error);
      return std::nullopt;
    }
  }
  // Before anything is staged: a new site's staging folder is no departed site.
  const std::vector<DepartedSite> departed = find_departed_sites(compilation.federation, survey, options.out);
  WriteBatch batch(options.out);
  // The federation's root before the intermediates it signs: a build killed
  // between them leaves intermediates the next build re-issues, never a
  // root it cannot read.
  if (!stage_site(federation_ca_files(ca, options.out), options.out, false, batch, result, error)) {
    return std::nullopt;
  }
  for (const PreparedSite& work : *prepared) {
    if (!work.render) continue;
    const SitePlan plan = render_site(compilation, work, ca, options);
    const bool staged = work.folder.exists
                            ? stage_site(plan, options.out, work.refresh_manifest, batch, result, error)
                            : stage_new_site(plan, options.out, batch, error);
    if (!staged) return std::nullopt;
  }
  if (!stage_site(top_of_out(compilation.federation, options.out), options.out, false, batch, result, error)) {
    return std::nullopt;
  }
  for (const DepartedSite& site : departed) stage_departed(site, options, batch, result);
  if (!pending.empty()) batch.remove(options.out / kPendingFile);
  if (!batch.commit(error)) return std::nullopt;
  remove_emptied_folders(batch.removed(), options.out);
  result.written = batch.take_written();
  for (const fs::path& removed : batch.removed()) {
    if (removed.filename() != kPendingFile) result.removed.push_back(removed);
  }
  return result;
}

std::optional<std::vector<SiteChanges>> plan_changes(const Compilation& compilation, const BuildOptions& options,
                                                     std::string& error) {
  OutputSurvey survey(options.out);
  return plan_changes(compilation, options, survey, error);
}

std::optional<std::vector<SiteChanges>> plan_changes(const Compilation& compilation, const BuildOptions& options,
                                                     OutputSurvey& survey, std::string& error) {
  FederationCa ca;
  auto prepared = prepare_sites(compilation, options, survey, ca, error);
  if (!prepared) return std::nullopt;
  std::vector<SiteChanges> changes;
  for (const PreparedSite& work : *prepared) {
    if (!work.render) continue;
    SiteChanges site = compare_with_disk(render_site(compilation, work, ca, options));
    if (!site.files.empty() || !site.new_secrets.empty()) changes.push_back(std::move(site));
  }
  SiteChanges top = compare_with_disk(federation_ca_files(ca, options.out));
  for (FileChange& file : compare_with_disk(top_of_out(compilation.federation, options.out)).files) {
    top.files.push_back(std::move(file));
  }
  if (!top.files.empty()) changes.push_back(std::move(top));
  return changes;
}

}  // namespace dcomm::build
