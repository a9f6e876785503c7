#pragma once
// Syntax trees -> the typed site model. Reads the top-level declarations
// of every loaded file (kinds, templates, sites), then builds each site.

#include <vector>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"
#include "resolve/loader.hpp"

namespace dcomm::resolve {

/// Always returns a model, as complete as the errors allow; `diags` says
/// whether it can be trusted.
model::Federation resolve(const std::vector<LoadedFile>& files, const SourceMap& sources,
                          Diagnostics& diags);

}  // namespace dcomm::resolve
