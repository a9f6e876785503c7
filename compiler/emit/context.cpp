#include "emit/context.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "emit/artifacts.hpp"
#include "emit/contract.hpp"

namespace dcomm::emit {

std::string SiteContext::fqdn(std::string_view host) const {
  return host.empty() ? site.domain : std::string(host) + "." + site.domain;
}

std::string SiteContext::onion_fqdn(std::string_view host) const {
  if (!site.onion) return {};
  return host.empty() ? *site.onion : std::string(host) + "." + *site.onion;
}

std::string SiteContext::secret_name(const model::Service& service, std::string_view secret) {
  return service.name + "_" + std::string(secret);
}

// Both record the secret they name (emit/contract.hpp): what an emitter
// reads of a kind's secrets is checked against the stdlib.
std::string SiteContext::secret(const model::Service& service, std::string_view secret) {
  note_secret_read(service, secret);
  return secret_placeholder(secret_name(service, secret));
}

std::string SiteContext::secret_file(const model::Service& service, std::string_view secret) {
  note_secret_read(service, secret);
  const model::Secret* declared = service.secret(secret);
  if (!declared) throw std::logic_error(fmt::format("service '{}' has no secret '{}'", service.name, secret));
  return declared->file();
}

const model::Service* SiteContext::first_of_kind(std::string_view kind) const {
  auto services = site.services_of_kind(std::string(kind));
  return services.empty() ? nullptr : services.front();
}

int SiteContext::port_of(const model::Service& service) {
  if (service.containers.empty() || service.containers[0].ports.empty()) return 0;
  return service.containers[0].ports[0].number;
}

}  // namespace dcomm::emit
