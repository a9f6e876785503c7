// The GitHub renderer: one workflow command per diagnostic, escaped so
// that no file name or message can end it or start another.

#include <catch2/catch.hpp>
#include <string>

#include "diag/render_test_support.hpp"

namespace {

using dcomm::Diagnostic;
using namespace dcomm::render_testing;

}  // namespace

TEST_CASE("github: one workflow command per diagnostic") {
  const Source site("specs/kyiv.dcomm", std::string(kSite));
  const Diagnostic warning = bare("W0501", "image tag is latest", site.at("domain"));
  // Data (after '::') escapes only %, CR and LF, so its ',' stays as it is.
  CHECK(github({duplicate_node(site, "E0304"), warning}, site.sources) ==
        "::error file=specs/kyiv.dcomm,line=4,col=8,endLine=4,endColumn=16,"
        "title=E0304 node 'worker' is declared twice::"
        "node 'worker' is declared twice (declared again here)"
        "%0Ahelp: rename one of the nodes, or merge their labels\n"
        "::warning file=specs/kyiv.dcomm,line=2,col=3,endLine=2,endColumn=9,"
        "title=W0501 image tag is latest::image tag is latest\n");
}

TEST_CASE("github: hostile file names and messages are escaped") {
  const Source odd("odd:dir,x/100%,a\r\nb.dcomm", "a = 1\n");
  Diagnostic d = bare("E0232", "50% of: a,b", odd.at("a"));
  d.primary.message = "line1\nline2";
  d.notes = {"cr\rhere"};
  d.help = "use ::set-output? no: 100%";
  const std::string out = github({d}, odd.sources);
  CHECK(out ==
        "::error file=odd%3Adir%2Cx/100%25%2Ca%0D%0Ab.dcomm,line=1,col=1,endLine=1,endColumn=2,"
        "title=E0232 50%25 of%3A a%2Cb::"
        "50%25 of: a,b (line1%0Aline2)%0Anote: cr%0Dhere%0Ahelp: use ::set-output? no: 100%25\n");
  // The command is one line whatever the input holds.
  CHECK(out.find('\n') == out.size() - 1);
  CHECK(out.find('\r') == std::string::npos);
}

TEST_CASE("github: nothing to report prints nothing") {
  const dcomm::SourceMap sources;
  CHECK(github({}, sources).empty());
}
