#pragma once
// One name, one site. Two sites that answer to the same name (two sites on
// one domain, or a site whose domain is another site's service host) would
// each get a Caddyfile and a DNS zone for it: certificates, DNS records,
// mail and Matrix federation would go to whichever answered first (E0415).

#include "diag/diagnostic.hpp"
#include "model/model.hpp"

namespace dcomm::validate {

/// Reports each pair of sites that share a name, once per pair, at the
/// later site, in time linear in the number of names.
void check_host_names(const model::Federation& federation, Diagnostics& diags);

}  // namespace dcomm::validate
