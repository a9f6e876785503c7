#pragma once
// A span resolved to file name, lines and columns, for the machine
// renderers (JSON, SARIF, GitHub).

#include <string_view>

#include "source/source_file.hpp"

namespace dcomm {

struct SpanLocation {
  std::string_view file;
  LineColumn start;
  LineColumn end;
};

inline SpanLocation locate(const SourceMap& sources, const Span& span) {
  const SourceFile& file = sources.file(span.file);
  return {file.name(), file.locate(span.begin), file.locate(span.end)};
}

}  // namespace dcomm
