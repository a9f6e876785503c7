#pragma once
// For the renderer tests (render_*_test.cpp): hand-built diagnostics over
// small sources. The tests make up their codes (E9xxx/W9xxx, never in the
// catalogue); none is written here, where codes_test would look for it.

#include <catch2/catch.hpp>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "diag/render.hpp"

namespace dcomm::render_testing {

/// The span of the `occurrence`-th (0-based) `needle` in file `id`.
inline Span find(const SourceMap& sources, FileId id, std::string_view needle, int occurrence = 0) {
  const std::string& text = sources.file(id).text();
  std::size_t at = text.find(needle);
  for (int i = 0; i < occurrence && at != std::string::npos; ++i) at = text.find(needle, at + 1);
  INFO("looking for " << needle);
  REQUIRE(at != std::string::npos);
  return {id, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

inline std::string human(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources,
                         bool color = false) {
  std::ostringstream out;
  render_human(diagnostics, sources, out, {.color = color});
  return out.str();
}

inline std::string github(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources) {
  std::ostringstream out;
  render_github(diagnostics, sources, out);
  return out.str();
}

/// A source map holding one file, which most tests are about.
struct Source {
  SourceMap sources;
  FileId id;

  Source(std::string name, std::string text) : id(sources.add(std::move(name), std::move(text))) {}

  /// The span of the `occurrence`-th (0-based) `needle` in the file.
  Span at(std::string_view needle, int occurrence = 0) const { return find(sources, id, needle, occurrence); }

  /// An empty span just before `needle` (or just after it, with `after`).
  Span point(std::string_view needle, bool after = false) const {
    const Span s = at(needle);
    const std::uint32_t offset = after ? s.end : s.begin;
    return {id, offset, offset};
  }

  std::string human(const std::vector<Diagnostic>& diagnostics, bool color = false) const {
    return render_testing::human(diagnostics, sources, color);
  }
};

/// A site that declares node "worker" twice, on lines 3 and 4.
constexpr std::string_view kSite =
    "site \"kyiv\" {\n"
    "  domain = \"kyiv.dcomm.net.ua\"\n"
    "  node \"worker\" { labels = { dwebstackdomain = \"kyiv.dcomm.net.ua\" } }\n"
    "  node \"worker\" { labels = { dwebstackrole = \"bridge\" } }\n"
    "}\n";

/// Two declarations of one name in `kSite` (or a text like it), reported
/// as `code`: a primary label and a secondary one.
inline Diagnostic duplicate_node(const Source& site, Code code) {
  return {.code = code,
          .message = "node 'worker' is declared twice",
          .primary = {site.at("\"worker\"", 1), "declared again here"},
          .secondary = {{site.at("\"worker\"", 0), "first declared here"}},
          .help = "rename one of the nodes, or merge their labels"};
}

/// A diagnostic with nothing but a code, a message and its primary label.
inline Diagnostic diagnostic(Code code, std::string message, Label primary) {
  return {.code = code,
          .message = std::move(message),
          .primary = std::move(primary)};
}

/// The same with an empty label.
inline Diagnostic bare(Code code, std::string message, Span at) {
  return diagnostic(code, std::move(message), {at, ""});
}

}  // namespace dcomm::render_testing
