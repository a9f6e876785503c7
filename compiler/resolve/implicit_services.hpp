#pragma once
// Implicit services: a kind marked `implicit` (caddy, postgres) is added to
// a site that needs it and does not declare one, on the node it belongs.

#include "diag/diagnostic.hpp"
#include "model/model.hpp"
#include "resolve/kinds.hpp"

namespace dcomm::resolve {

/// The kind whose service routes public traffic (see validate/rules.cpp).
inline constexpr const char* kProxyKind = "caddy";

/// Adds a service of each implicit kind that a service of `site` needs and
/// the site lacks; reports (E0409) each need nothing can fill.
void add_implicit_services(model::Site& site, const KindTable& kinds, Diagnostics& diags);

}  // namespace dcomm::resolve
