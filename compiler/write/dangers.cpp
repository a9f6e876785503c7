#include "write/dangers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

#include "write/federation_ca.hpp"
#include "emit/context.hpp"

namespace dcomm::build {

namespace fs = std::filesystem;

namespace {

/// For what left the spec: there is no place in it to point at. Each such
/// diagnostic its own (`n`, its place in the list), as two at one place
/// would count as one.
Span nowhere(std::size_t n) {
  const auto offset = static_cast<std::uint32_t>(n);
  return {std::numeric_limits<FileId>::max(), offset, offset};
}

constexpr Code kCodes[] = {"E0601", "E0602", "E0603", "E0604", "E0605", "E0606"};

std::vector<std::string> missing_from(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  std::vector<std::string> gone;
  for (const std::string& item : before) {
    if (std::find(after.begin(), after.end(), item) == after.end()) gone.push_back(item);
  }
  return gone;
}

std::string allow_help(Code code) {
  return fmt::format("then build with --allow {} (dcommc explain {} says what breaks and how to do it safely)", code,
                     code);
}

/// Reports E0601 if the site's domain or a server name changed; says whether.
bool domain_changed(const model::Site& site, const SiteFacts& before, const SiteFacts& now,
                    std::vector<Diagnostic>& out) {
  if (before.domain != now.domain) {
    out.push_back({.code = "E0601",
                   .message = fmt::format("site {} changes its domain from {} to {}", site.name, before.domain,
                                          now.domain),
                   .primary = {site.domain_span, fmt::format("was \"{}\" in the last build", before.domain)},
                   .notes = {"a homeserver's server name is in every user ID, room ID and signed event of its "
                             "database: Synapse will not start on it under another name, and other servers "
                             "keep the old one",
                             fmt::format("mail to @{} and the DeltaChat accounts on it stop working", before.domain)},
                   .help = fmt::format("keep domain = \"{}\", or declare a new site for the new domain beside this "
                                       "one; if this site's data may be lost, remove its volumes first, {}",
                                       before.domain, allow_help("E0601"))});
    return true;
  }
  const auto renamed = missing_from(before.server_names, now.server_names);
  if (renamed.empty()) return false;
  const auto synapses = site.services_of_kind("synapse");
  out.push_back({.code = "E0601",
                 .message = fmt::format("site {}'s homeserver {} gets another server name", site.name, renamed.front()),
                 .primary = {synapses.empty() ? site.span : synapses.front()->span,
                             fmt::format("now {}", now.server_names.empty() ? "gone" : now.server_names.front())},
                 .notes = {"a homeserver's server name is in every user ID, room ID and signed event of its "
                           "database: Synapse will not start on it under another name"},
                 .help = fmt::format("keep its `host` as it was, so the server name stays {}; {}", renamed.front(),
                                     allow_help("E0601"))});
  return true;
}

/// Secrets that the last build of the site had on disk and --rotate-secrets names.
void rotations(const model::Site& site, const Manifest& last, const std::set<std::string>& rotate,
               std::vector<Diagnostic>& out) {
  for (const model::Service& service : site.services) {
    for (const model::Secret& secret : service.secrets) {
      const std::string name = emit::SiteContext::secret_name(service, secret.name);
      if (!rotate.contains(name) ||
          std::find(last.secrets.begin(), last.secrets.end(), name) == last.secrets.end()) {
        continue;
      }
      if (secret.format == model::Secret::Format::signing_key) {
        out.push_back({.code = "E0602",
                       .message = fmt::format("rotating {} gives site {}'s homeserver a new signing key", name,
                                              site.name),
                       .primary = {service.span, "its key signs every event it sends"},
                       .notes = {"the events it signed stay signed with the old key: a server that joins "
                                 "their rooms later must still find that key, and cannot once it is gone"},
                       .help = fmt::format("rotate it only if the key leaked; {}", allow_help("E0602"))});
      }
      // The image applies POSTGRES_PASSWORD only when it creates the database.
      if (service.kind && service.kind->name == "postgres" && secret.name == "password") {
        out.push_back({.code = "E0603",
                       .message = fmt::format("rotating {} does not change site {}'s database password", name,
                                              site.name),
                       .primary = {service.span, "its database exists: PostgreSQL keeps the old password"},
                       .notes = {"the postgres image sets the password only when it creates the database; "
                                 "Synapse would log in with the new one and be refused"},
                       .help = fmt::format("set the new password in the database as the build writes it (ALTER "
                                           "ROLE, see the explain page); {}",
                                           allow_help("E0603"))});
      }
    }
  }
}

void volumes_removed(const model::Site& site, const SiteFacts& before, const SiteFacts& now,
                     std::vector<Diagnostic>& out) {
  const auto gone = missing_from(before.volumes, now.volumes);
  if (gone.empty()) return;
  std::vector<std::string> swarm_names;
  for (const std::string& volume : gone) swarm_names.push_back(fmt::format("dcomms-{}_{}", site.name, volume));
  out.push_back({.code = "E0605",
                 .message = fmt::format("site {} no longer uses the volume{} {}", site.name, gone.size() == 1 ? "" : "s",
                                        fmt::join(swarm_names, ", ")),
                 .primary = {site.span, "the service that used it is gone or changed"},
                 .notes = {"swarm leaves a volume on its node when no service uses it: its data stays there, "
                           "unused, until someone runs docker volume rm, and a service that comes back under "
                           "the same name finds the old data"},
                 .help = fmt::format("back up its data first (the explain page shows how); {}", allow_help("E0605"))});
}

/// A homeserver joining or leaving, once however many sites list it.
struct MembershipChange {
  std::vector<std::string> sites;  ///< deployed sites whose room directory changes
  bool joins = false;
};

void federation_changed(const std::map<std::string, MembershipChange>& changes, const model::Federation& federation,
                        std::vector<Diagnostic>& out) {
  for (const auto& [server, change] : changes) {
    Span where = nowhere(out.size());
    for (const model::FederatingHomeserver& homeserver : federation.federating_homeservers) {
      if (homeserver.server_name != server) continue;
      for (const auto* synapse : federation.sites[homeserver.site].services_of_kind("synapse")) where = synapse->span;
    }
    out.push_back({.code = "E0606",
                   .message = fmt::format("{} {} the federation of {} deployed site{} ({})", server,
                                          change.joins ? "joins" : "leaves", change.sites.size(),
                                          change.sites.size() == 1 ? "" : "s", fmt::join(change.sites, ", ")),
                   .primary = {where, change.joins ? "their room directories and address allow-lists gain it" : ""},
                   .notes = {change.joins ? "their users will see its public rooms and it can reach their servers"
                                          : "their room directories stop listing it; rooms shared with it lose "
                                            "the messages it sends"},
                   .help = fmt::format("make sure the operators of every site agree; {}", allow_help("E0606"))});
  }
}

void site_departed(const DepartedSite& site, bool with_secrets, std::vector<Diagnostic>& out) {
  std::vector<std::string> volumes;
  for (const std::string& volume : site.volumes) volumes.push_back(fmt::format("dcomms-{}_{}", site.name, volume));
  Diagnostic diagnostic{
      .code = "E0604",
      .message = fmt::format("site {} is no longer in the spec, and --prune removes its {} from {}", site.name,
                             with_secrets ? "files and secrets" : "files", site.dir.string()),
      .primary = {nowhere(out.size()), ""},
      .notes = {fmt::format("its stack keeps running until `docker stack rm dcomms-{}`", site.name)},
      .help = fmt::format("if it should stay, put its site block back; if it is gone for good, remove its stack "
                          "and back up its volumes, {}",
                          allow_help("E0604"))};
  if (!volumes.empty()) {
    diagnostic.notes.push_back(fmt::format("its data is in the volume{} {} on its nodes",
                                           volumes.size() == 1 ? "" : "s", fmt::join(volumes, ", ")));
  }
  out.push_back(std::move(diagnostic));
}

}  // namespace

SiteFacts site_facts(const model::Federation& federation, const model::Site& site) {
  SiteFacts facts{.domain = site.domain, .volumes = model::volume_names(site)};
  for (const model::Service* synapse : site.services_of_kind("synapse")) {
    facts.server_names.push_back(model::server_name(site, *synapse));
  }
  if (site.federating_homeservers() == 0) return facts;
  for (const model::FederatingHomeserver& homeserver : federation.federating_homeservers) {
    if (&federation.sites[homeserver.site] != &site) facts.federation.push_back(homeserver.server_name);
  }
  return facts;
}

std::vector<Diagnostic> find_dangers(const DangerInputs& inputs) {
  std::vector<Diagnostic> out;
  std::map<std::string, MembershipChange> membership;
  std::set<std::string> renamed;  // their E0601 says it: not a member joining and another leaving
  for (const model::Site& site : inputs.federation.sites) {
    const OutputSurvey::SiteState* last = inputs.survey.site(site.name);
    if (!last) continue;  // new to OUT: nothing deployed to break
    rotations(site, last->manifest, inputs.rotate, out);
    if (!last->manifest.facts) continue;
    const SiteFacts& before = *last->manifest.facts;
    const SiteFacts now = site_facts(inputs.federation, site);
    if (domain_changed(site, before, now, out)) {
      renamed.insert(before.server_names.begin(), before.server_names.end());
      renamed.insert(now.server_names.begin(), now.server_names.end());
    }
    volumes_removed(site, before, now, out);
    if (now.federation.empty() && before.federation.empty()) continue;
    for (const std::string& server : missing_from(now.federation, before.federation)) {
      membership[server].joins = true;
      membership[server].sites.push_back(site.name);
    }
    for (const std::string& server : missing_from(before.federation, now.federation)) {
      membership[server].sites.push_back(site.name);
    }
  }
  for (const std::string& server : renamed) membership.erase(server);
  federation_changed(membership, inputs.federation, out);
  const bool root_exists = fs::exists(inputs.out / "federation-ca" / "root.crt");
  if (root_exists && inputs.rotate.contains(std::string(kFederationCaSecret))) {
    out.push_back({.code = "E0602",
                   .message = "rotating federation_ca replaces the root every site with tls = internal is trusted by",
                   .primary = {nowhere(out.size()), ""},
                   .notes = {"every homeserver, client and mail server that was given the old root.crt rejects "
                             "certificates under the new one until it is given the new root"},
                   .help = fmt::format("rotate it only if root.key leaked, and hand out the new root.crt at "
                                       "once; {}",
                                       allow_help("E0602"))});
  }
  for (const DepartedSite& site : inputs.departed) {
    if (inputs.prune && (!site.artifacts.empty() || inputs.prune_secrets)) site_departed(site, inputs.prune_secrets, out);
  }
  return out;
}

bool is_danger_code(std::string_view code) {
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

}  // namespace dcomm::build
