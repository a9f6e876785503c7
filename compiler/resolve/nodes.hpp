#pragma once
// A site's `node` block: the swarm labels that find the machine (E0406,
// E0311) and the addresses peers reach it on (E0417).

#include <string>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"
#include "resolve/body.hpp"
#include "resolve/types.hpp"

namespace dcomm::resolve {

/// Reads one node block; `site_domain` makes the help of a missing label.
model::Node read_node(const Block& block, const std::string& site_domain, const Scope& scope,
                      const SourceMap& sources, Diagnostics& diags);

}  // namespace dcomm::resolve
