// libFuzzer target for the front end: any bytes go in; the parser, every
// diagnostic renderer and the formatter must neither crash nor trip a
// sanitizer. Where the input parses cleanly, the formatter's promises are
// checked too (abort() makes libFuzzer report a violation as a crash):
//   - the formatted text parses with no errors,
//   - it means the same as the input (syntax::same_meaning),
//   - formatting it again changes nothing (idempotence).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "diag/diagnostic.hpp"
#include "diag/render.hpp"
#include "format/formatter.hpp"
#include "source/source_file.hpp"
#include "syntax/ast.hpp"
#include "syntax/parser.hpp"

namespace {

[[noreturn]] void fail(const char* promise, const std::string& input, const std::string& output) {
  std::fprintf(stderr,
               "parse_fuzzer: the formatter broke its promise: %s\n"
               "--- input ---\n%s\n--- formatted ---\n%s\n--- end ---\n",
               promise, input.c_str(), output.c_str());
  std::abort();
}

/// Every renderer the CLI can use, exactly as it uses them.
void render_all(const dcomm::Diagnostics& diags, const dcomm::SourceMap& sources) {
  std::ostringstream sink;
  dcomm::render_human(diags.all(), sources, sink, {.color = false});
  dcomm::render_human(diags.all(), sources, sink, {.color = true});
  sink << dcomm::summary_line(diags.error_count(), diags.warning_count());
  sink << dcomm::render_json(diags.all(), sources).dump(2);
  sink << dcomm::render_sarif(diags.all(), sources).dump(2);
  dcomm::render_github(diags.all(), sources, sink);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dcomm;

  const std::string input(reinterpret_cast<const char*>(data), size);
  SourceMap sources;
  Diagnostics diags;
  const FileId id = sources.add("fuzz.dcomm", input);
  const syntax::File file = syntax::parse(sources, id, diags);
  render_all(diags, sources);
  if (diags.has_errors()) return 0;

  const std::string once = format::format_file(file, sources.file(id));
  Diagnostics again_diags;
  const FileId again_id = sources.add("formatted.dcomm", once);
  const syntax::File again = syntax::parse(sources, again_id, again_diags);
  if (again_diags.has_errors()) fail("formatted text has syntax errors", input, once);
  if (!syntax::same_meaning(file, again)) fail("formatting changed the meaning", input, once);
  const std::string twice = format::format_file(again, sources.file(again_id));
  if (twice != once) fail("formatting is not idempotent", once, twice);
  return 0;
}
