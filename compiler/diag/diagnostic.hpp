#pragma once
// One Diagnostic type for every stage of the compiler. Stages report into
// a Diagnostics collection; renderers (render.hpp) turn it into text for
// people, JSON, SARIF or GitHub annotations.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "diag/code.hpp"
#include "diag/severity.hpp"
#include "source/source_file.hpp"

namespace dcomm {

/// A span with a short message shown next to its underline.
struct Label {
  Span span;
  std::string message;
};

/// Replace `span` with `replacement` (an insertion when the span is empty).
/// Only offered when it almost certainly matches what the author meant.
struct FixIt {
  Span span;
  std::string replacement;
};

struct Diagnostic {
  Code code;  ///< stable, e.g. "E0208"; see catalogue.hpp
  /// The code's own (W codes warn), unless a command says otherwise:
  /// --werror promotes warnings, plan shows refusals as warnings.
  Severity severity = code.severity();
  std::string message;  ///< the headline; makes sense on its own
  Label primary;
  std::vector<Label> secondary;  ///< other places involved ("first declared here")
  std::vector<std::string> notes;
  std::string help;  ///< what to write instead
  std::vector<FixIt> fixes;
};

/// The diagnostics of one run, in the order they were reported. A second
/// report with the same code at the same place is dropped: error recovery
/// may see one mistake twice.
class Diagnostics {
 public:
  void report(Diagnostic diagnostic);

  const std::vector<Diagnostic>& all() const { return items_; }
  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return items_.size() - errors_; }
  bool has_errors() const { return errors_ > 0; }

  /// Turns every warning reported so far into an error (`--werror`).
  void promote_warnings();

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
};

}  // namespace dcomm
