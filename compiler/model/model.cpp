#include "model/model.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dcomm::model {

namespace {

template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::string to_string(const Port& port) {
  return fmt::format("{}/{}", port.number, port.protocol == Protocol::udp ? "udp" : "tcp");
}

const Value* Service::attribute(const std::string& name) const {
  auto it = attributes.find(name);
  return it == attributes.end() ? nullptr : &it->second;
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
