#pragma once
// Builds one typed model::Site from a `site` block: templates applied,
// attributes checked, nodes and services resolved, implicit services
// added for what the kinds need.

#include <string>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"
#include "resolve/body.hpp"
#include "resolve/image_entries.hpp"
#include "resolve/kinds.hpp"
#include "resolve/templates.hpp"

namespace dcomm::resolve {

model::Site build_site(const syntax::Item& block, const Templates& templates,
                       const KindTable& kinds, const SourceMap& sources, Diagnostics& diags,
                       ImageEntries& image_entries);

}  // namespace dcomm::resolve
