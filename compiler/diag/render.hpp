#pragma once
// Renderers: one Diagnostics list, four audiences.
//   human  - people at a terminal (rustc/Elm style: code, headline, the
//            source line as written, the span underlined, help)
//   json   - tools; versioned, documented in docs/diagnostics-json.md
//   sarif  - code-scanning services (SARIF 2.1.0)
//   github - GitHub Actions workflow-command annotations

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <vector>

#include "diag/diagnostic.hpp"
#include "source/source_file.hpp"

namespace dcomm {

struct HumanStyle {
  bool color = false;
};

void render_human(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources,
                  std::ostream& out, const HumanStyle& style);

/// The one-line summary printed after human output ("2 errors, 1 warning").
std::string summary_line(std::size_t errors, std::size_t warnings);

/// The version of the JSON shape below; bumped on any incompatible change.
inline constexpr const char* kJsonFormatVersion = "1.0";

nlohmann::json render_json(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources);

nlohmann::json render_sarif(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources);

void render_github(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources,
                   std::ostream& out);

}  // namespace dcomm
