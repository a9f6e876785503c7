// maubot's config.yaml. It holds the admin password, maubot's token signing
// secret and Synapse's registration secret, so it is a secret artifact: the
// emitter writes placeholders, the build fills them in under secrets/.

#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>

#include "emit/emitter.hpp"
#include "emit/matrix.hpp"

namespace dcomm::emit {

namespace {

/// The user the maubot image drops to (its UID/GID variables): the secret
/// is mounted readable by it alone.
constexpr const char* kMaubotUid = "1337";
/// Where the image keeps the management UI; its start script would write
/// this into the config, which is read-only as a swarm secret.
constexpr const char* kFrontend = "/opt/maubot/frontend";

/// The folder of the container's `data` volume ("/data").
std::string data_dir(const model::Container& container) {
  for (const auto& volume : container.volumes) {
    if (volume.name == "data") return volume.target;
  }
  throw std::logic_error("maubot container " + container.name + " has no data volume");
}

/// How maubot reaches Synapse: on the loopback when both share a node on
/// the host network, by container name on an overlay network, else through
/// Caddy like any other client.
std::string synapse_url(const SiteContext& context, const model::Service& maubot,
                        const model::Service& synapse) {
  const std::string port = std::to_string(SiteContext::port_of(synapse));
  if (context.site.network == "overlay") return "http://" + synapse.containers.at(0).name + ":" + port;
  if (maubot.node == synapse.node) return "http://localhost:" + port;
  return matrix::client_url(context, synapse);
}

void key_text(YAML::Emitter& out, const std::string& key, const std::string& value) {
  out << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
}

void storage(YAML::Emitter& out, const std::string& data) {
  key_text(out, "database", "sqlite:" + data + "/maubot.db");
  out << YAML::Key << "plugin_directories" << YAML::Value << YAML::BeginMap;
  key_text(out, "upload", data + "/plugins");
  out << YAML::Key << "load" << YAML::Value << YAML::BeginSeq << YAML::DoubleQuoted << data + "/plugins"
      << YAML::EndSeq;
  key_text(out, "trash", data + "/trash");
  out << YAML::EndMap;
  out << YAML::Key << "plugin_databases" << YAML::Value << YAML::BeginMap;
  key_text(out, "sqlite", data + "/dbs");
  out << YAML::EndMap;
}

/// The management API and UI have no public route: under host networking
/// they listen on the node's loopback (reach them with `ssh -L`).
void server(YAML::Emitter& out, const SiteContext& context, const model::Service& maubot) {
  const int port = SiteContext::port_of(maubot);
  out << YAML::Key << "server" << YAML::Value << YAML::BeginMap;
  key_text(out, "hostname", context.site.network == "overlay" ? "0.0.0.0" : "127.0.0.1");
  out << YAML::Key << "port" << YAML::Value << port;
  key_text(out, "public_url", "http://localhost:" + std::to_string(port));
  key_text(out, "override_resource_path", kFrontend);
  key_text(out, "unshared_secret", SiteContext::secret(maubot, "unshared_secret"));
  out << YAML::EndMap;
}

/// The homeserver the bots live on, with Synapse's registration secret so
/// `mbc auth --register` can create bot accounts.
void homeservers(YAML::Emitter& out, const SiteContext& context, const model::Service& maubot) {
  const model::Service& synapse = matrix::homeserver_of(context.site, maubot);
  out << YAML::Key << "homeservers" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << YAML::DoubleQuoted << matrix::server_name(context.site, synapse) << YAML::Value
      << YAML::BeginMap;
  key_text(out, "url", synapse_url(context, maubot, synapse));
  key_text(out, "secret", SiteContext::secret(synapse, "registration_secret"));
  out << YAML::EndMap << YAML::EndMap;
}

/// One admin, "admin"; maubot bcrypts the password when it starts.
void admins(YAML::Emitter& out, const model::Service& maubot) {
  out << YAML::Key << "admins" << YAML::Value << YAML::BeginMap;
  key_text(out, "admin", SiteContext::secret(maubot, "admin_password"));
  out << YAML::EndMap;
}

/// Python logging to stdout only, for `docker service logs`.
void logging(YAML::Emitter& out) {
  out << YAML::Key << "logging" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "version" << YAML::Value << 1;
  out << YAML::Key << "formatters" << YAML::Value << YAML::BeginMap << YAML::Key << "normal" << YAML::Value
      << YAML::BeginMap;
  key_text(out, "format", "[%(asctime)s] [%(levelname)s@%(name)s] %(message)s");
  out << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "handlers" << YAML::Value << YAML::BeginMap << YAML::Key << "console" << YAML::Value
      << YAML::BeginMap;
  key_text(out, "class", "logging.StreamHandler");
  key_text(out, "formatter", "normal");
  key_text(out, "stream", "ext://sys.stdout");
  out << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "root" << YAML::Value << YAML::BeginMap;
  key_text(out, "level", "INFO");
  out << YAML::Key << "handlers" << YAML::Value << YAML::Flow << YAML::BeginSeq << YAML::DoubleQuoted
      << "console" << YAML::EndSeq;
  out << YAML::EndMap << YAML::EndMap;
}

std::string config_yaml(const SiteContext& context, const model::Service& maubot) {
  YAML::Emitter out;
  out << YAML::Comment("Generated by dcommc from the site's spec: edit the spec, not this file.");
  out << YAML::BeginMap;
  storage(out, data_dir(maubot.containers.at(0)));
  server(out, context, maubot);
  homeservers(out, context, maubot);
  admins(out, maubot);
  logging(out);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void emit_one(const SiteContext& context, const model::Service& maubot, ArtifactSet& out) {
  const matrix::Names names = matrix::names_for(context, maubot);
  const model::Container& container = maubot.containers.at(0);
  out.add_secret(names.folder + "/config.yaml", config_yaml(context, maubot), names.stem + "_config")
      .mounts.push_back({container.name, data_dir(container) + "/config.yaml", kMaubotUid, kMaubotUid, 0400});
}

}  // namespace

void emit_maubot(const SiteContext& context, ArtifactSet& out) {
  for (const model::Service* maubot : context.site.services_of_kind("maubot")) {
    emit_one(context, *maubot, out);
  }
}

}  // namespace dcomm::emit
