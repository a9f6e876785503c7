// stack.yml: the Docker Swarm stack of a site. One swarm service per
// container, placed by its node's labels, with every file the other
// emitters wrote mounted as a swarm config or secret.
//
// Swarm configs and secrets are immutable, so each is named after what it
// holds (a digest of its content; for raw secrets, their rotation count):
// after a spec change a plain `docker stack deploy` creates the new objects
// and updates the services in place. No secret value reaches this file.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>

#include "emit/emitter.hpp"
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
      artifact.secret ? secret_file_digest(context, artifact) : short_digest(artifact.content);
  add_object(
      artifact.secret ? objects.secrets : objects.configs,
      {artifact.key, "./" + artifact.path, swarm_name(context.stack() + "_" + artifact.key + "_" + digest)});
  for (const Mount& mount : artifact.mounts) {
    if (!containers.contains(mount.container)) {
      throw std::logic_error(artifact.path + " is mounted into " + mount.container +
                             ", which the stack lacks");
    }
    ContainerFiles& files = objects.by_container[mount.container];
    (artifact.secret ? files.secrets : files.configs).push_back({artifact.key, mount});
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

void add_raw_secrets(const SiteContext& context, const model::Service& service, Objects& objects) {
  std::map<std::string, std::pair<std::string, std::string>> owners;
  for (const auto& container : service.containers)
    owners[container.name] = owner_of(objects.by_container[container.name]);
  for (const model::Secret& secret : service.secrets) {
    const std::string key = SiteContext::secret_name(service, secret.name);
    const std::string version = std::to_string(context.generation(key));
    add_object(objects.secrets,
               {key, "./secrets/" + key, swarm_name(context.stack() + "_" + key + "_v" + version)});
    for (const auto& container : service.containers) {
      const auto& [uid, gid] = owners[container.name];
      objects.by_container[container.name].secrets.push_back(
          {key, {container.name, "/run/secrets/" + secret.name, uid, gid, kRawSecretMode}});
    }
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

/// A service other kinds need (postgres for synapse) is their backend.
/// Caddy is needed by most kinds too, but as their front door.
bool is_backend(const model::Site& site, const model::Service& service) {
  return std::any_of(site.services.begin(), site.services.end(), [&](const model::Service& other) {
    const auto& needs = other.kind->needs;
    return &other != &service && std::find(needs.begin(), needs.end(), service.kind->name) != needs.end();
  });
}

bool is_routed(const model::Service& service, const model::Port& port) {
  return port.protocol == model::Protocol::tcp &&
         std::any_of(service.routes.begin(), service.routes.end(),
                     [&](const model::Route& route) { return route.port == port.number; });
}

/// On an overlay network only the front door (Caddy) and the ports people
/// reach directly (mail, CENO) are published on the node; Caddy reaches
/// routed ports, and services reach their backends, inside the network.
bool publishes(const model::Site& site, const model::Service& service, const model::Port& port) {
  if (service.kind->name == "caddy") return true;
  return !is_backend(site, service) && !is_routed(service, port);
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

/// True if a YAML reader could take the plain scalar for a number, bool
/// or null (YAML 1.1 readers take `yes`, `on`, `0x1F`, `1:20`).
bool looks_typed(std::string_view text) {
  static const std::set<std::string> words = {"y",    "n",     "yes",  "no", "on",   "off",
                                              "true", "false", "null", "~",  ".inf", ".nan"};
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) lower.erase(0, 1);  // -1, +.5, -.inf
  if (lower.starts_with('.') && lower.size() > 1 && std::isdigit(static_cast<unsigned char>(lower[1])))
    return true;
  return lower.empty() || std::isdigit(static_cast<unsigned char>(lower[0])) || words.contains(lower);
}

/// A string value: yaml-cpp quotes what YAML syntax needs; values a reader
/// could take for another type are quoted too.
void put(YAML::Emitter& out, std::string_view text) {
  const std::string value = literal(text);
  if (looks_typed(value)) out << YAML::DoubleQuoted;
  out << value;
}

void put_entry(YAML::Emitter& out, const char* key, std::string_view value) {
  out << YAML::Key << key << YAML::Value;
  put(out, value);
}

void put_mounts(YAML::Emitter& out, const char* section, const std::vector<FileMount>& mounts) {
  if (mounts.empty()) return;
  out << YAML::Key << section << YAML::Value << YAML::BeginSeq;
  for (const FileMount& file : mounts) {
    out << YAML::BeginMap;
    put_entry(out, "source", file.source);
    put_entry(out, "target", file.mount.target);
    put_entry(out, "uid", file.mount.uid);
    put_entry(out, "gid", file.mount.gid);
    // Decimal, which every YAML reader takes alike; the octal for people.
    out << YAML::Key << "mode" << YAML::Value << file.mount.mode
        << YAML::Comment(fmt::format("0{:o}", file.mount.mode));
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

/// The entrypoint that replaces the image's, when the kind gives one.
void put_entrypoint(YAML::Emitter& out, const model::Container& container) {
  if (container.entrypoint.empty()) return;
  out << YAML::Key << "entrypoint" << YAML::Value << YAML::BeginSeq;
  for (const auto& word : container.entrypoint) out << YAML::DoubleQuoted << literal(word);
  out << YAML::EndSeq;
}

void put_environment(YAML::Emitter& out, const model::Container& container) {
  if (container.environment.empty()) return;
  out << YAML::Key << "environment" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, value] : container.environment) {
    out << YAML::Key;
    if (looks_typed(name)) out << YAML::DoubleQuoted;
    out << name << YAML::Value << YAML::DoubleQuoted << literal(value);
  }
  out << YAML::EndMap;
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

void put_volumes(YAML::Emitter& out, const std::vector<VolumeMount>& volumes) {
  if (volumes.empty()) return;
  out << YAML::Key << "volumes" << YAML::Value << YAML::BeginSeq;
  for (const VolumeMount& volume : volumes) {
    out << YAML::BeginMap;
    put_entry(out, "type", volume.type);
    put_entry(out, "source", volume.source);
    put_entry(out, "target", volume.target);
    if (volume.read_only) out << YAML::Key << "read_only" << YAML::Value << true;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void put_ports(YAML::Emitter& out, const model::Site& site, const model::Service& service,
               const model::Container& container) {
  std::vector<model::Port> published;
  for (const model::Port& port : container.ports) {
    if (publishes(site, service, port)) published.push_back(port);
  }
  if (published.empty()) return;
  out << YAML::Key << "ports" << YAML::Value << YAML::BeginSeq;
  for (const model::Port& port : published) {
    out << YAML::BeginMap << YAML::Key << "target" << YAML::Value << port.number << YAML::Key << "published"
        << YAML::Value << port.number << YAML::Key << "protocol" << YAML::Value
        << (port.protocol == model::Protocol::udp ? "udp" : "tcp") << YAML::Key << "mode" << YAML::Value
        << "host" << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void put_network(YAML::Emitter& out, const SiteContext& context, const model::Service& service,
                 const model::Container& container) {
  const bool overlay = context.site.network == "overlay";
  out << YAML::Key << "networks" << YAML::Value << YAML::BeginSeq
      << (overlay ? kOverlayNetwork : kHostNetwork) << YAML::EndSeq;
  if (overlay) put_ports(out, context.site, service, container);
}

void put_deploy(YAML::Emitter& out, const model::Site& site, const model::Service& service,
                const model::Container& container) {
  out << YAML::Key << "deploy" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "mode" << YAML::Value << "replicated" << YAML::Key << "replicas" << YAML::Value << 1;
  out << YAML::Key << "placement" << YAML::Value << YAML::BeginMap;
  const std::vector<std::string> rules = constraints(site, service);
  if (!rules.empty()) {
    out << YAML::Key << "constraints" << YAML::Value << YAML::BeginSeq;
    for (const std::string& rule : rules) put(out, rule);
    out << YAML::EndSeq;
  }
  out << YAML::Key << "max_replicas_per_node" << YAML::Value << 1 << YAML::EndMap;
  if (container.memory > 0) {  // Docker reads 0 as no limit: say nothing rather
    out << YAML::Key << "resources" << YAML::Value << YAML::BeginMap << YAML::Key << "limits" << YAML::Value
        << YAML::BeginMap;
    put_entry(out, "memory", memory_text(container.memory));
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::Key << "restart_policy" << YAML::Value << YAML::BeginMap << YAML::Key << "condition"
      << YAML::Value << "on-failure" << YAML::EndMap;
  out << YAML::EndMap;
}

void put_service(YAML::Emitter& out, const SiteContext& context, const Objects& objects,
                 const model::Service& service, const model::Container& container) {
  out << YAML::Key << container.name << YAML::Value << YAML::BeginMap;
  put_entry(out, "image", container.image);
  put_entrypoint(out, container);
  put_environment(out, container);
  put_volumes(out, volumes_of(context, service, container));
  put_network(out, context, service, container);
  if (auto files = objects.by_container.find(container.name); files != objects.by_container.end()) {
    put_mounts(out, "configs", files->second.configs);
    put_mounts(out, "secrets", files->second.secrets);
  }
  put_deploy(out, context.site, service, container);
  out << YAML::EndMap;
}

void put_networks(YAML::Emitter& out, const model::Site& site) {
  out << YAML::Key << "networks" << YAML::Value << YAML::BeginMap;
  if (site.network == "overlay") {
    out << YAML::Key << kOverlayNetwork << YAML::Value << YAML::BeginMap << YAML::Key << "driver"
        << YAML::Value << "overlay" << YAML::EndMap;
  } else {
    // The node's own network stack, as the seed ran: services listen on the
    // node's addresses, and reach each other on localhost.
    out << YAML::Key << kHostNetwork << YAML::Value << YAML::BeginMap << YAML::Key << "external"
        << YAML::Value << true << YAML::Key << "name" << YAML::Value << "host" << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void put_named_volumes(YAML::Emitter& out, const model::Site& site) {
  std::set<std::string> names;
  for (const auto& service : site.services) {
    for (const auto& container : service.containers) {
      for (const auto& volume : container.volumes) names.insert(service.name + "_" + volume.name);
    }
  }
  if (names.empty()) return;
  out << YAML::Key << "volumes" << YAML::Value << YAML::BeginMap;
  for (const std::string& name : names) {
    out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void put_objects(YAML::Emitter& out, const char* section, const std::vector<Object>& objects) {
  if (objects.empty()) return;
  out << YAML::Key << section << YAML::Value << YAML::BeginMap;
  for (const Object& object : objects) {
    out << YAML::Key << object.key << YAML::Value << YAML::BeginMap;
    put_entry(out, "file", object.file);
    put_entry(out, "name", object.name);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

std::string render(const SiteContext& context, const Objects& objects) {
  YAML::Emitter out;
  out << YAML::Comment(
      fmt::format("The swarm stack of site {}, written by dcommc: do not edit.\n"
                  "Deploy, and after a change update in place, with:\n"
                  "  docker stack deploy -c stack.yml {}",
                  context.site.name, context.stack()));
  out << YAML::BeginMap;
  put_entry(out, "version", kComposeVersion);
  out << YAML::Key << "services" << YAML::Value << YAML::BeginMap;
  for (const auto& service : context.site.services) {
    for (const auto& container : service.containers) put_service(out, context, objects, service, container);
  }
  out << YAML::EndMap;
  put_networks(out, context.site);
  put_named_volumes(out, context.site);
  put_objects(out, "configs", objects.configs);
  put_objects(out, "secrets", objects.secrets);
  out << YAML::EndMap;
  if (!out.good()) throw std::logic_error("stack.yml: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

}  // namespace

void emit_stack(const SiteContext& context, ArtifactSet& out) {
  out.add("stack.yml", render(context, collect_objects(context, out)));
}

}  // namespace dcomm::emit
