#pragma once
// Where the federation's certificate authority (write/federation_ca.hpp)
// meets the artifacts of a site with `tls = internal`: Caddy issues from
// the site's intermediate under it, Synapse and the mail servers trust it.

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "emit/artifacts.hpp"
#include "emit/context.hpp"

namespace dcomm::emit::federation_ca {

/// The CA's name in Caddy's pki options; Caddy keeps the certificates it
/// issues under certificates/<this name>/ in its data folder.
inline constexpr std::string_view kCaddyName = "federation";

/// True if the site's certificates come from the federation's CA.
inline bool used_by(const SiteContext& context) { return context.site.tls == model::TlsMode::internal; }

/// Adds the root certificate as a public file of the site (`path` under
/// out/<site>/, `key` in the stack), for the caller to mount.
inline Artifact& add_root(const SiteContext& context, ArtifactSet& out, std::string path, std::string key) {
  if (context.federation_ca.empty()) throw std::logic_error("a site with tls = internal has no federation CA");
  return out.add(std::move(path), std::string(context.federation_ca), std::move(key));
}

}  // namespace dcomm::emit::federation_ca
