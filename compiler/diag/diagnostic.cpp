#include "diag/diagnostic.hpp"

#include <algorithm>

namespace dcomm {

std::string_view to_string(Severity severity) {
  return severity == Severity::error ? "error" : "warning";
}

void Diagnostics::report(Diagnostic diagnostic) {
  const bool seen = std::any_of(items_.begin(), items_.end(), [&](const Diagnostic& d) {
    return d.code == diagnostic.code && d.primary.span == diagnostic.primary.span;
  });
  if (seen) return;
  if (diagnostic.severity == Severity::error) ++errors_;
  items_.push_back(std::move(diagnostic));
}

void Diagnostics::promote_warnings() {
  for (auto& d : items_) {
    if (d.severity == Severity::warning) {
      d.severity = Severity::error;
      ++errors_;
    }
  }
}

}  // namespace dcomm
