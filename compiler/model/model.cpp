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

std::vector<const Service*> Site::federating_homeservers() const {
  std::vector<const Service*> out;
  for (const Service* synapse : services_of_kind("synapse")) {
    const Value* federation = synapse->attribute("federation");
    if (federation && federation->number != 0) out.push_back(synapse);
  }
  return out;
}

const AttributeSpec* Kind::attribute(const std::string& name) const {
  return find_named(attributes, name);
}

const Kind* Federation::kind(const std::string& name) const { return find_named(kinds, name); }

}  // namespace dcomm::model
