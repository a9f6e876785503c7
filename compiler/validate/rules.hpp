#pragma once
// The checks that look across a whole site: what shares a node, a port,
// a subdomain; which images are pinned; risky combinations of settings.
// Per-value checks (domains, onions, types) happen while resolving.

#include "diag/diagnostic.hpp"
#include "model/model.hpp"

namespace dcomm::validate {

void check_federation(const model::Federation& federation, Diagnostics& diags);

}  // namespace dcomm::validate
