// Element's web config (element/config.json) and the nginx server block that
// moves Element's bundled web server off port 80, which Caddy holds on the
// host network, to the port Caddy proxies chat.<domain> to.

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emit/emitter.hpp"
#include "emit/matrix.hpp"

namespace dcomm::emit {

namespace {

using nlohmann::json;

/// The element image (v1.11.x) renders /etc/nginx/templates/*.template into
/// /etc/nginx/conf.d/ when it starts. A file mounted straight at
/// conf.d/default.conf (as the seed did) would be read-only there and make
/// that step fail; mounted as the template, it becomes the server block.
constexpr const char* kNginxTarget = "/etc/nginx/templates/default.conf.template";

bool flag(const model::Service& service, const std::string& name) {
  const model::Value* value = service.attribute(name);
  return value && value->number != 0;
}

std::string text(const model::Service& service, const std::string& name) {
  const model::Value* value = service.attribute(name);
  return value ? value->text : std::string();
}

/// The homeservers of the other sites of the federation, in declaration
/// order; one that does not federate has no rooms this site could join.
std::vector<std::string> sibling_servers(const SiteContext& context) {
  std::vector<std::string> servers;
  servers.reserve(context.federation.sites.size());
  for (const model::FederatingHomeserver& homeserver : context.federation.federating_homeservers) {
    if (&context.federation.sites[homeserver.site] != &context.site) servers.push_back(homeserver.server_name);
  }
  return servers;
}

/// The servers the room directory offers besides the user's own (Element
/// always lists that one first). Written explicitly even when empty:
/// left out, Element would offer matrix.org, useless to an offline site.
std::vector<std::string> room_directory(const SiteContext& context, const model::Service& element,
                                        const model::Service& synapse) {
  const model::Value* written = element.attribute("room_directory");
  if (written && !written->items.empty()) {
    std::vector<std::string> servers;
    for (const auto& item : written->items) servers.push_back(item.text);
    return servers;
  }
  if (!flag(synapse, "federation")) return {};
  return sibling_servers(context);
}

/// Presence off for matrix.org, as the seed, and for this site's own
/// homeserver as its `presence` attribute says, so Element does not show
/// a presence Synapse does not track.
json presence_by_url(const std::string& own_url, const model::Service& synapse) {
  json presence = {{"https://matrix.org", false}, {"https://matrix-client.matrix.org", false}};
  presence[own_url] = flag(synapse, "presence");
  return presence;
}

/// Element's config.json. Keys are snake_case (Element deprecated the
/// seed's camelCase ones) and sorted, so the output is deterministic.
json config_json(const SiteContext& context, const model::Service& element) {
  const model::Service& synapse = matrix::homeserver_of(context.site, element);
  const std::string url = matrix::client_url(context, synapse);
  json config = {
      {"default_server_config",
       {{"m.homeserver", {{"base_url", url}, {"server_name", matrix::server_name(context.site, synapse)}}}}},
      {"brand", text(element, "brand")},
      {"disable_custom_urls", false},
      // Synapse's guest access stays off (its default; the seed never enabled
      // it), so Element must not try to register guests.
      {"disable_guests", true},
      {"disable_login_language_selector", false},
      // No identity server: accounts have no e-mail address or phone number.
      {"disable_3pid_login", true},
      {"default_federate", flag(synapse, "federation")},
      {"default_theme", "light"},
      {"show_labs_settings", false},
      {"room_directory", {{"servers", room_directory(context, element, synapse)}}},
      {"enable_presence_by_hs_url", presence_by_url(url, synapse)},
      {"setting_defaults", {{"breadcrumbs", true}}},
  };
  if (!context.site.country.empty()) config["default_country_code"] = context.site.country;
  return config;
}

/// Under host networking only Caddy, on the same node, talks to Element:
/// it listens on the loopback, both families, as Element's own template
/// listens on both (its health check may resolve localhost to ::1). On an
/// overlay network it listens in its own container, as the image does.
std::string listen_lines(const SiteContext& context, int port) {
  if (context.site.network == "overlay") {
    return fmt::format("    listen       {0};\n    listen       [::]:{0};\n", port);
  }
  return fmt::format("    listen       127.0.0.1:{0};\n    listen       [::1]:{0};\n", port);
}

/// The seed's server block on Element's port. It holds no `$`: the image
/// passes the template through envsubst.
std::string nginx_conf(const SiteContext& context, int port) {
  return "# Element's web server, generated by dcommc: edit the spec, not this file.\n"
         "# Port 80 belongs to Caddy; Element serves on the port Caddy proxies to.\n"
         "server {\n" +
         listen_lines(context, port) +
         "    server_name  localhost;\n"
         "\n"
         "    root   /usr/share/nginx/html;\n"
         "    index  index.html;\n"
         "\n"
         "    # Browsers always check for a new version, config and index.html.\n"
         "    location = /index.html {\n"
         "        add_header Cache-Control \"no-cache\";\n"
         "    }\n"
         "    location = /version {\n"
         "        add_header Cache-Control \"no-cache\";\n"
         "    }\n"
         "    # config.json and config.<hostname>.json\n"
         "    location /config {\n"
         "        add_header Cache-Control \"no-cache\";\n"
         "    }\n"
         "\n"
         "    error_page   500 502 503 504  /50x.html;\n"
         "}\n";
}

void emit_one(const SiteContext& context, const model::Service& element, ArtifactSet& out) {
  const matrix::Names names = matrix::names_for(context, element);
  const std::string& container = element.containers.at(0).name;
  out.add(names.folder + "/config.json", config_json(context, element).dump(4) + "\n", names.stem + "_config")
      .mounts.push_back({.container = container, .target = "/app/config.json"});
  out.add(names.folder + "/nginx.conf", nginx_conf(context, SiteContext::port_of(element)),
          names.stem + "_nginx")
      .mounts.push_back({.container = container, .target = kNginxTarget});
}

}  // namespace

void emit_element(const SiteContext& context, ArtifactSet& out) {
  for (const model::Service* element : context.site.services_of_kind("element")) {
    emit_one(context, *element, out);
  }
}

namespace {

// What emit_element reads, by kind (emitter.hpp; emit/contract_test.cpp checks
// it against the stdlib and against what the emitter really reads).
constexpr std::string_view kElementAttributes[] = {"homeserver", "brand", "room_directory"};
constexpr std::string_view kSynapseAttributes[] = {"host", "federation", "presence"};
constexpr KindReads kReads[] = {
    {"element", kElementAttributes},
    {"synapse", kSynapseAttributes},
};

}  // namespace

constinit const std::span<const KindReads> element_reads = kReads;

}  // namespace dcomm::emit
