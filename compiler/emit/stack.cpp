// stack.yml: the Docker Swarm stack of a site. One swarm service per
// container, placed by its node's labels, with every file the other
// emitters wrote mounted as a swarm config or secret.
//
// Swarm configs and secrets are immutable, so each is named after what it
// holds (a digest of its content; for raw secrets, their rotation count):
// after a spec change a plain `docker stack deploy` creates the new objects
// and updates the services in place. No secret value reaches this file.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <stdexcept>

#include "emit/emitter.hpp"
#include "emit/yaml_writer.hpp"
#include "util/sha256.hpp"

namespace dcomm::emit {

namespace {

// Every feature used (max_replicas_per_node, named configs, long volume
// syntax) exists since 3.8, which Debian's docker 20.10 reads as well.
constexpr const char* kComposeVersion = "3.8";
// Swarm refuses longer config and secret names.
constexpr std::size_t kSwarmNameMax = 64;
constexpr std::size_t kDigestLength = 12;
constexpr int kRawSecretMode = 0400;
// The key of the one network every service joins.
constexpr const char* kHostNetwork = "host";
constexpr const char* kOverlayNetwork = "site";

/// Capabilities Docker grants every container that none of the programs
/// the stack runs uses: raw sockets (on the host network, a container
/// holding NET_RAW could sniff and spoof the node's traffic), device nodes,
/// and changing file or process capability sets. Swarm applies cap_drop
/// since Docker 20.10.
constexpr std::array<const char*, 4> kDroppedCapabilities = {"MKNOD", "NET_RAW", "SETFCAP", "SETPCAP"};

// ------------------------------------------------------------------ names

std::string short_digest(std::string_view text) { return util::sha256_hex(text).substr(0, kDigestLength); }

/// A config or secret name swarm accepts: a long one keeps its start and
/// ends with a digest of the whole, so it stays unique.
std::string swarm_name(const std::string& name) {
  if (name.size() <= kSwarmNameMax) return name;
  const std::string tail = "_" + short_digest(name);
  return name.substr(0, kSwarmNameMax - tail.size()) + tail;
}

/// The secret names a file's placeholders refer to, sorted, each once.
std::set<std::string> placeholders_in(std::string_view text) {
  std::set<std::string> names;
  replace_placeholders(text, [&names](std::string_view name) {
    names.emplace(name);
    return std::string();
  });
  return names;
}

/// What a secret file's swarm name depends on: its text with placeholders,
/// and the rotation count of each secret it embeds, never their values.
std::string secret_file_digest(const SiteContext& context, const Artifact& artifact) {
  std::string identity = artifact.content;
  identity += '\0';
  for (const std::string& name : placeholders_in(artifact.content)) {
    identity += name + "=" + std::to_string(context.generation(name)) + "\n";
  }
  return short_digest(identity);
}

// ------------------------------------------------------------------ what the stack mounts

/// A top-level config or secret.
struct Object {
  std::string key;
  std::string file;  ///< relative to stack.yml
  std::string name;  ///< the swarm object's name
};

/// A config or secret mounted into a container.
struct FileMount {
  std::string source;  ///< the Object's key
  Mount mount;
};

struct ContainerFiles {
  std::vector<FileMount> configs;
  std::vector<FileMount> secrets;
  /// The secrets whose values its mounted files hold (site-wide names).
  std::set<std::string> embedded;
};

struct Objects {
  std::vector<Object> configs;
  std::vector<Object> secrets;
  std::map<std::string, ContainerFiles> by_container;
};

std::set<std::string> container_names(const model::Site& site) {
  std::set<std::string> names;
  for (const auto& service : site.services) {
    for (const auto& container : service.containers) names.insert(container.name);
  }
  return names;
}

void add_object(std::vector<Object>& objects, Object object) {
  const bool taken =
      std::any_of(objects.begin(), objects.end(), [&](const Object& o) { return o.key == object.key; });
  if (taken) throw std::logic_error("two stack objects are keyed " + object.key);
  objects.push_back(std::move(object));
}

void add_artifact(const SiteContext& context, const Artifact& artifact,
                  const std::set<std::string>& containers, Objects& objects) {
  const std::string digest =
      artifact.secret ? secret_file_digest(context, artifact) : artifact.sha256.substr(0, kDigestLength);
  add_object(
      artifact.secret ? objects.secrets : objects.configs,
      {artifact.key, "./" + artifact.path, swarm_name(context.stack() + "_" + artifact.key + "_" + digest)});
  const std::set<std::string> embedded = placeholders_in(artifact.content);
  for (const Mount& mount : artifact.mounts) {
    if (!containers.contains(mount.container)) {
      throw std::logic_error(artifact.path + " is mounted into " + mount.container +
                             ", which the stack lacks");
    }
    ContainerFiles& files = objects.by_container[mount.container];
    (artifact.secret ? files.secrets : files.configs).push_back({artifact.key, mount});
    files.embedded.insert(embedded.begin(), embedded.end());
  }
}

/// The owner of the files mounted into a container is the user it runs
/// as (synapse: 991); raw secrets get the same, so the process can read
/// them at mode 0400. Root when nothing else is mounted.
std::pair<std::string, std::string> owner_of(const ContainerFiles& files) {
  for (const auto* list : {&files.configs, &files.secrets}) {
    if (!list->empty()) return {list->front().mount.uid, list->front().mount.gid};
  }
  return {"0", "0"};
}

/// A container mounts the secrets its `container` block lists, or, when
/// it lists none, each secret of its service that no file mounted into it
/// holds already (Synapse reads its signing key as a file, and the other
/// three in homeserver.yaml).
bool mounts(const model::Container& container, const ContainerFiles& files, const std::string& key,
            const model::Secret& secret) {
  if (container.secrets) {
    return std::find(container.secrets->begin(), container.secrets->end(), secret.name) != container.secrets->end();
  }
  return !files.embedded.contains(key);
}

void add_raw_secrets(const SiteContext& context, const model::Service& service, Objects& objects) {
  std::map<std::string, std::pair<std::string, std::string>> owners;
  for (const auto& container : service.containers)
    owners[container.name] = owner_of(objects.by_container[container.name]);
  for (const model::Secret& secret : service.secrets) {
    const std::string key = SiteContext::secret_name(service, secret.name);
    bool mounted = false;
    for (const auto& container : service.containers) {
      if (!mounts(container, objects.by_container[container.name], key, secret)) continue;
      const auto& [uid, gid] = owners[container.name];
      objects.by_container[container.name].secrets.push_back(
          {key, {container.name, secret.file(), uid, gid, kRawSecretMode}});
      mounted = true;
    }
    // A secret only embedded in configuration files needs no swarm object.
    if (!mounted) continue;
    const std::string version = std::to_string(context.generation(key));
    add_object(objects.secrets,
               {key, "./secrets/" + key, swarm_name(context.stack() + "_" + key + "_v" + version)});
  }
}

Objects collect_objects(const SiteContext& context, const ArtifactSet& artifacts) {
  Objects objects;
  const std::set<std::string> containers = container_names(context.site);
  for (const Artifact& artifact : artifacts.all()) {
    if (!artifact.key.empty()) add_artifact(context, artifact, containers, objects);
  }
  for (const auto& service : context.site.services) add_raw_secrets(context, service, objects);
  return objects;
}

// ------------------------------------------------------------------ placement and ports

std::vector<std::string> constraints(const model::Site& site, const model::Service& service) {
  std::vector<std::string> out;
  if (const model::Node* node = site.node(service.node)) {
    for (const auto& [key, value] : node->labels) out.push_back("node.labels." + key + " == " + value);
  }
  return out;  // a std::map: sorted by key
}

/// "1G", "512M", "64K" or plain bytes, as Docker reads memory sizes.
std::string memory_text(std::int64_t bytes) {
  constexpr std::array<std::pair<const char*, std::int64_t>, 3> units{
      {{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}}};
  for (const auto& [unit, size] : units) {
    if (bytes >= size && bytes % size == 0) return std::to_string(bytes / size) + unit;
  }
  return std::to_string(bytes);
}

// ------------------------------------------------------------------ YAML

/// Compose files interpolate `$`: `$$` is a literal dollar, so no spec
/// value can become a variable the operator must fill.
std::string literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

/// A string value: plain where that reads back as the same string.
std::string text(std::string_view value) { return yaml::plain_or_quoted(literal(value)); }

void put_mounts(yaml::Writer& out, const char* section, const std::vector<FileMount>& mounts) {
  if (mounts.empty()) return;
  out.begin_seq(section);
  for (const FileMount& file : mounts) {
    out.begin_item_map();
    out.entry("source", text(file.source));
    out.entry("target", text(file.mount.target));
    out.entry("uid", text(file.mount.uid));
    out.entry("gid", text(file.mount.gid));
    // Decimal, which every YAML reader takes alike; the octal for people.
    out.entry("mode", fmt::format("{}  # 0{:o}", file.mount.mode, file.mount.mode));
    out.end();
  }
  out.end();
}

void put_words(yaml::Writer& out, const char* key, const std::vector<std::string>& words) {
  if (words.empty()) return;
  out.begin_seq(key);
  for (const auto& word : words) out.item(yaml::quoted(literal(word)));
  out.end();
}

/// The entrypoint that replaces the image's, when the kind gives one, and
/// under host networking the command, when the kind gives one for it.
void put_entrypoint(yaml::Writer& out, const SiteContext& context, const model::Container& container) {
  put_words(out, "entrypoint", container.entrypoint);
  if (context.site.network != "overlay") put_words(out, "command", container.host_network_command);
}

void put_dropped_capabilities(yaml::Writer& out) {
  out.begin_seq("cap_drop");
  for (const char* capability : kDroppedCapabilities) out.item(capability);
  out.end();
}

void put_environment(yaml::Writer& out, const model::Container& container) {
  if (container.environment.empty()) return;
  out.begin_map("environment");
  for (const auto& [name, value] : container.environment) out.entry(name, yaml::quoted(literal(value)));
  out.end();
}

struct VolumeMount {
  const char* type;  ///< "volume" or "bind"
  std::string source;
  std::string target;
  bool read_only = false;
};

/// Its own volumes; Caddy's certificate storage for kinds that run beside
/// Caddy (mail reads its TLS certificates there); the website folders for
/// Caddy to serve.
std::vector<VolumeMount> volumes_of(const SiteContext& context, const model::Service& service,
                                    const model::Container& container) {
  std::vector<VolumeMount> out;
  for (const model::Volume& volume : container.volumes) {
    out.push_back({"volume", service.name + "_" + volume.name, volume.target});
  }
  const model::Service* caddy = context.first_of_kind("caddy");
  if (!caddy || caddy->containers.empty()) return out;
  if (service.kind->beside == "caddy") {
    for (const model::Volume& volume : caddy->containers.front().volumes) {
      if (volume.name == "data") out.push_back({"volume", caddy->name + "_data", "/caddy", true});
    }
  }
  if (&service == caddy) {
    for (const model::Service* website : context.site.services_of_kind("website")) {
      if (const model::Value* root = website->attribute("root")) {
        out.push_back({"bind", root->text, "/srv/" + website->name, true});
      }
    }
  }
  return out;
}

void put_volumes(yaml::Writer& out, const std::vector<VolumeMount>& volumes) {
  if (volumes.empty()) return;
  out.begin_seq("volumes");
  for (const VolumeMount& volume : volumes) {
    out.begin_item_map();
    out.entry("type", volume.type);
    out.entry("source", text(volume.source));
    out.entry("target", text(volume.target));
    if (volume.read_only) out.entry("read_only", "true");
    out.end();
  }
  out.end();
}

/// On an overlay network the node publishes the ports people reach directly
/// (Caddy's, mail's, CENO's); Caddy reaches routed ports, and services
/// their backends, inside the network.
void put_ports(yaml::Writer& out, const std::vector<model::Port>& published) {
  if (published.empty()) return;
  out.begin_seq("ports");
  for (const model::Port& port : published) {
    out.begin_item_map();
    out.entry("target", std::to_string(port.number));
    out.entry("published", std::to_string(port.number));
    out.entry("protocol", port.protocol == model::Protocol::udp ? "udp" : "tcp");
    out.entry("mode", "host");
    out.end();
  }
  out.end();
}

void put_network(yaml::Writer& out, const SiteContext& context, const ArtifactSet& artifacts,
                 const model::Container& container) {
  const bool overlay = context.site.network == "overlay";
  out.begin_seq("networks");
  out.item(overlay ? kOverlayNetwork : kHostNetwork);
  out.end();
  if (overlay) put_ports(out, artifacts.published(container));
}

void put_deploy(yaml::Writer& out, const model::Site& site, const model::Service& service,
                const model::Container& container) {
  out.begin_map("deploy");
  out.entry("mode", "replicated");
  out.entry("replicas", "1");
  out.begin_map("placement");
  const std::vector<std::string> rules = constraints(site, service);
  if (!rules.empty()) {
    out.begin_seq("constraints");
    for (const std::string& rule : rules) out.item(text(rule));
    out.end();
  }
  out.entry("max_replicas_per_node", "1");
  out.end();
  if (container.memory > 0) {  // Docker reads 0 as no limit: say nothing rather
    out.begin_map("resources");
    out.begin_map("limits");
    out.entry("memory", text(memory_text(container.memory)));
    out.end();
    out.end();
  }
  out.begin_map("restart_policy");
  out.entry("condition", "on-failure");
  out.end();
  out.end();
}

void put_service(yaml::Writer& out, const SiteContext& context, const ArtifactSet& artifacts,
                 const Objects& objects, const model::Service& service, const model::Container& container) {
  out.begin_map(container.name);
  out.entry("image", text(container.image));
  put_entrypoint(out, context, container);
  put_dropped_capabilities(out);
  put_environment(out, container);
  put_volumes(out, volumes_of(context, service, container));
  put_network(out, context, artifacts, container);
  if (auto files = objects.by_container.find(container.name); files != objects.by_container.end()) {
    put_mounts(out, "configs", files->second.configs);
    put_mounts(out, "secrets", files->second.secrets);
  }
  put_deploy(out, context.site, service, container);
  out.end();
}

void put_networks(yaml::Writer& out, const model::Site& site) {
  out.begin_map("networks");
  if (site.network == "overlay") {
    out.begin_map(kOverlayNetwork);
    out.entry("driver", "overlay");
    out.end();
  } else {
    // The node's own network stack, as the seed ran: services listen on the
    // node's addresses, and reach each other on localhost.
    out.begin_map(kHostNetwork);
    out.entry("external", "true");
    out.entry("name", "host");
    out.end();
  }
  out.end();
}

void put_named_volumes(yaml::Writer& out, const model::Site& site) {
  const std::vector<std::string> names = model::volume_names(site);
  if (names.empty()) return;
  out.begin_map("volumes");
  for (const std::string& name : names) out.entry(name, "{}");
  out.end();
}

void put_objects(yaml::Writer& out, const char* section, const std::vector<Object>& objects) {
  if (objects.empty()) return;
  out.begin_map(section);
  for (const Object& object : objects) {
    out.begin_map(object.key);
    out.entry("file", text(object.file));
    out.entry("name", text(object.name));
    out.end();
  }
  out.end();
}

std::string render(const SiteContext& context, const ArtifactSet& artifacts, const Objects& objects) {
  yaml::Writer out;
  out.comment(
      fmt::format("The swarm stack of site {}, written by dcommc: do not edit.\n"
                  "Deploy, and after a change update in place (--prune removes the services\n"
                  "the spec no longer has), with:\n"
                  "  docker stack deploy --prune -c stack.yml {}",
                  context.site.name, context.stack()));
  out.entry("version", yaml::quoted(kComposeVersion));
  out.begin_map("services");
  for (const auto& service : context.site.services) {
    for (const auto& container : service.containers) {
      put_service(out, context, artifacts, objects, service, container);
    }
  }
  out.end();
  put_networks(out, context.site);
  put_named_volumes(out, context.site);
  put_objects(out, "configs", objects.configs);
  put_objects(out, "secrets", objects.secrets);
  return out.take();
}

}  // namespace

void emit_stack(const SiteContext& context, ArtifactSet& out) {
  out.add("stack.yml", render(context, out, collect_objects(context, out)));
}

namespace {

// What emit_stack reads, by kind (emitter.hpp; emit/contract_test.cpp checks
// it against the stdlib and against what the emitter really reads).
constexpr std::string_view kWebsiteAttributes[] = {"root"};
constexpr KindReads kReads[] = {
    {"website", kWebsiteAttributes},
};

}  // namespace

constinit const std::span<const KindReads> stack_reads = kReads;

}  // namespace dcomm::emit
