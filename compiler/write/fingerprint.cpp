#include "write/fingerprint.hpp"

#include <charconv>

#include "write/source_id.hpp"
#include "util/sha256.hpp"

namespace dcomm::build {

namespace {

/// Appends fields so that no two different models give the same bytes:
/// every string with its length, every list with its count.
class Writer {
 public:
  void text(std::string_view value) {
    number(static_cast<std::int64_t>(value.size()));
    out_ += value;
  }
  void number(std::int64_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out_.append(digits, end);
    out_ += ';';
  }
  void port(const model::Port& port) {
    number(port.number);
    number(static_cast<int>(port.protocol));
  }
  template <typename T, typename Each>
  void list(const std::vector<T>& items, Each each) {
    number(static_cast<std::int64_t>(items.size()));
    for (const T& item : items) each(item);
  }
  template <typename V, typename Each>
  void map(const std::map<std::string, V>& entries, Each each) {
    number(static_cast<std::int64_t>(entries.size()));
    for (const auto& [key, value] : entries) {
      text(key);
      each(value);
    }
  }
  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void write_value(Writer& out, const model::Value& value) {
  out.number(static_cast<int>(value.type));
  out.text(value.text);
  out.number(value.number);
  out.number(static_cast<int>(value.protocol));
  out.list(value.items, [&](const model::Value& item) { write_value(out, item); });
  out.map(value.entries, [&](const model::Value& entry) { write_value(out, entry); });
}

void write_container(Writer& out, const model::Container& container) {
  out.text(container.name);
  out.text(container.image);
  out.text(container.pinned);
  out.number(container.memory);
  out.list(container.ports, [&](const model::Port& port) { out.port(port); });
  out.list(container.publish, [&](const model::Port& port) { out.port(port); });
  out.list(container.volumes, [&](const model::Volume& volume) {
    out.text(volume.name);
    out.text(volume.target);
  });
  out.map(container.environment, [&](const std::string& value) { out.text(value); });
  out.list(container.entrypoint, [&](const std::string& word) { out.text(word); });
  out.list(container.host_network_command, [&](const std::string& word) { out.text(word); });
  // Absent (every secret of the service) is not the empty list (none).
  out.number(container.secrets ? 1 : 0);
  if (container.secrets) out.list(*container.secrets, [&](const std::string& name) { out.text(name); });
}

void write_kind(Writer& out, const model::Kind& kind) {
  // Its containers, attributes and secrets reach the model through each
  // service; emitters read only these of the kind itself (not its doc).
  out.text(kind.name);
  out.list(kind.needs, [&](const std::string& need) { out.text(need); });
  out.text(kind.beside);
  out.list(kind.routes, [&](const std::string& route) { out.text(route); });
}

void write_service(Writer& out, const model::Service& service) {
  out.text(service.name);
  write_kind(out, *service.kind);
  out.text(service.node);
  out.map(service.attributes, [&](const model::Value& value) { write_value(out, value); });
  out.list(service.containers, [&](const model::Container& container) { write_container(out, container); });
  out.list(service.routes, [&](const model::Route& route) {
    out.text(route.host);
    out.list(route.paths, [&](const std::string& path) { out.text(path); });
    out.number(route.port);
    out.number(route.strip_prefix);
  });
  out.list(service.secrets, [&](const model::Secret& secret) {
    out.text(secret.name);
    out.number(static_cast<int>(secret.format));
  });
  out.number(service.implicit);
}

void write_site(Writer& out, const model::Site& site) {
  out.text(site.name);
  out.text(site.domain);
  out.number(site.onion.has_value());
  out.text(site.onion.value_or(""));
  out.number(static_cast<int>(site.tls));
  out.text(site.acme_email);
  out.text(site.country);
  out.text(site.network);
  out.number(site.http_port);
  out.number(site.https_port);
  out.list(site.nodes, [&](const model::Node& node) {
    out.text(node.name);
    out.map(node.labels, [&](const std::string& value) { out.text(value); });
    out.list(node.addresses, [&](const std::string& address) { out.text(address); });
  });
  out.list(site.services, [&](const model::Service& service) { write_service(out, service); });
}

}  // namespace

Fingerprinter::Fingerprinter(const model::Federation& federation) {
  Writer out;
  // Element lists every other site's federating homeserver.
  out.list(federation.federating_homeservers, [&](const model::FederatingHomeserver& homeserver) {
    out.text(federation.sites[homeserver.site].name);
    out.text(homeserver.server_name);
  });
  federation_facts_ = util::sha256_hex(out.take());
}

std::string Fingerprinter::input(const model::Site& site) const {
  Writer out;
  out.reserve(16 * 1024);  // a typical site's model, written without regrowing
  out.text("dcommc " DCOMMC_VERSION);
  out.text(kSourceId);
  write_site(out, site);
  out.text(federation_facts_);
  return out.take();
}

std::string Fingerprinter::site(const model::Site& site) const { return util::sha256_hex(input(site)); }

std::string site_fingerprint(const model::Federation& federation, const model::Site& site) {
  return Fingerprinter(federation).site(site);
}

}  // namespace dcomm::build
