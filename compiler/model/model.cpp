#include "model/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace dcomm::model {

namespace {

template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
  return it == items.end() ? nullptr : &*it;
}

/// Per thread, so the build's worker threads never see a test's hook.
thread_local void (*attribute_read_hook)(const Service&, const std::string&) = nullptr;

}  // namespace

void set_attribute_read_hook(void (*hook)(const Service& service, const std::string& attribute)) {
  attribute_read_hook = hook;
}

std::string to_string(const Port& port) {
  return fmt::format("{}/{}", port.number, port.protocol == Protocol::udp ? "udp" : "tcp");
}

const Value* Service::attribute(const std::string& name) const {
  if (attribute_read_hook) attribute_read_hook(*this, name);
  auto it = attributes.find(name);
  return it == attributes.end() ? nullptr : &it->second;
}

const Secret* Service::secret(std::string_view name) const {
  auto it = std::find_if(secrets.begin(), secrets.end(), [&](const Secret& s) { return s.name == name; });
  return it == secrets.end() ? nullptr : &*it;
}

const Node* Site::node(const std::string& name) const { return find_named(nodes, name); }

const Service* Site::service(const std::string& name) const { return find_named(services, name); }

std::vector<const Service*> Site::services_of_kind(const std::string& kind) const {
  std::vector<const Service*> out;
  for (const auto& service : services) {
    if (service.kind && service.kind->name == kind) out.push_back(&service);
  }
  return out;
}

bool Service::is_federating_homeserver() const {
  if (!kind || kind->name != "synapse") return false;
  const Value* federation = attribute("federation");
  return federation && federation->number != 0;
}

std::string node_variable(const Node& node) {
  std::string name = "NODE_";
  for (char c : node.name) {
    if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else {
      name += (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
    }
  }
  return name;
}

std::vector<HostName> host_names(const Site& site) {
  std::vector<HostName> names;
  auto add = [&](const std::string& host, const Service* service, Span span) {
    for (const bool onion : {false, true}) {
      const std::string& base = onion ? site.onion.value_or("") : site.domain;
      if (base.empty()) continue;
      std::string fqdn = host.empty() ? base : host + "." + base;
      std::transform(fqdn.begin(), fqdn.end(), fqdn.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const bool known = std::any_of(names.begin(), names.end(), [&](const HostName& n) { return n.fqdn == fqdn; });
      if (!known) names.push_back({std::move(fqdn), host, service, onion, span});
    }
  };
  add("", nullptr, site.domain_span.end != 0 ? site.domain_span : site.span);
  for (const Service& service : site.services) {
    for (const Route& route : service.routes) {
      if (!route.host.empty()) add(route.host, &service, service.span);
    }
    const Value* host = service.kind && service.kind->name == "synapse" ? service.attribute("host") : nullptr;
    if (host && !host->text.empty()) add(host->text, &service, service.span);
  }
  return names;
}

std::vector<std::string> volume_names(const Site& site) {
  std::set<std::string> names;
  for (const Service& service : site.services) {
    for (const Container& container : service.containers) {
      for (const Volume& volume : container.volumes) names.insert(service.name + "_" + volume.name);
    }
  }
  return {names.begin(), names.end()};
}

std::string server_name(const Site& site, const Service& synapse) {
  const Value* host = synapse.attribute("host");
  return host && !host->text.empty() ? host->text + "." + site.domain : site.domain;
}

std::size_t Site::federating_homeservers() const {
  return static_cast<std::size_t>(
      std::count_if(services.begin(), services.end(), [](const Service& s) { return s.is_federating_homeserver(); }));
}

const AttributeSpec* Kind::attribute(const std::string& name) const {
  return find_named(attributes, name);
}

const Kind* Federation::kind(const std::string& name) const { return find_named(kinds, name); }

}  // namespace dcomm::model
