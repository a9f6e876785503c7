#pragma once
// The catalogue of diagnostic codes. Codes are stable: once released, a
// code keeps its meaning forever. Each has a page in docs/explain/CODE.md
// that `dcommc explain CODE` prints, and a row in docs/diagnostics.md;
// codes_test.cpp holds the three to each other.
//
// It is a constexpr table so that a Code (code.hpp) written in a source
// file is looked up here while the compiler compiles: an unknown code is a
// build error, not a diagnostic nobody can explain.

#include <array>
#include <string_view>

#include "diag/severity.hpp"

namespace dcomm {

struct CodeInfo {
  std::string_view code;
  Severity severity;
  std::string_view title;  ///< a one-line summary, used by SARIF and docs
};

namespace catalogue {

inline constexpr auto E = Severity::error;
inline constexpr auto W = Severity::warning;

// E01xx: the input itself. E02xx: syntax. E03xx: names, types and
// references (resolution). E04xx: values and the site as a whole
// (validation). W05xx: warnings.
inline constexpr std::array kCodes = {
    CodeInfo{"E0101", E, "source is not valid UTF-8"},
    CodeInfo{"E0102", E, "source contains a NUL byte"},
    CodeInfo{"E0103", E, "source file is too large"},
    CodeInfo{"E0104", E, "nesting is too deep"},
    CodeInfo{"E0105", E, "file declares nothing"},
    CodeInfo{"E0106", E, "too many errors"},
    CodeInfo{"E0107", E, "inputs too large in total"},
    CodeInfo{"E0201", E, "expected a declaration"},
    CodeInfo{"E0202", E, "unterminated string"},
    CodeInfo{"E0203", E, "unknown escape sequence"},
    CodeInfo{"E0204", E, "invalid unicode escape"},
    CodeInfo{"E0205", E, "expected '=' or a block after a name"},
    CodeInfo{"E0206", E, "':' used instead of '='"},
    CodeInfo{"E0207", E, "block label is not quoted"},
    CodeInfo{"E0208", E, "expected a value after '='"},
    CodeInfo{"E0209", E, "expected '{' to open a block"},
    CodeInfo{"E0210", E, "block is never closed"},
    CodeInfo{"E0211", E, "'}' with no open block"},
    CodeInfo{"E0212", E, "expected a list item"},
    CodeInfo{"E0213", E, "expected ',' or ']' in a list"},
    CodeInfo{"E0214", E, "expected a key or '}' in a map"},
    CodeInfo{"E0215", E, "expected '=' after a map key"},
    CodeInfo{"E0216", E, "expected a value for a map key"},
    CodeInfo{"E0217", E, "expected ',' or ')' in call arguments"},
    CodeInfo{"E0218", E, "expected a call argument"},
    CodeInfo{"E0219", E, "expected a name after '.'"},
    CodeInfo{"E0220", E, "expected a quoted path after import"},
    CodeInfo{"E0221", E, "import inside a block"},
    CodeInfo{"E0222", E, "comments start with '#'"},
    CodeInfo{"E0223", E, "unexpected ';'"},
    CodeInfo{"E0224", E, "strings use double quotes"},
    CodeInfo{"E0225", E, "decimal numbers are not supported"},
    CodeInfo{"E0226", E, "unknown unit"},
    CodeInfo{"E0227", E, "number is too large"},
    CodeInfo{"E0228", E, "port number out of range"},
    CodeInfo{"E0229", E, "unknown port protocol"},
    CodeInfo{"E0230", E, "number has leading zeros"},
    CodeInfo{"E0231", E, "negative quantity"},
    CodeInfo{"E0232", E, "attribute outside a block"},
    CodeInfo{"E0233", E, "declaration name cannot be quoted"},
    CodeInfo{"E0301", E, "cannot import a file"},
    CodeInfo{"E0302", E, "imports form a cycle"},
    CodeInfo{"E0303", E, "unknown block"},
    CodeInfo{"E0304", E, "declared twice"},
    CodeInfo{"E0305", E, "unknown attribute"},
    CodeInfo{"E0306", E, "missing required attribute"},
    CodeInfo{"E0307", E, "wrong type"},
    CodeInfo{"E0308", E, "undefined reference"},
    CodeInfo{"E0309", E, "unknown kind"},
    CodeInfo{"E0310", E, "template extends itself"},
    CodeInfo{"E0311", E, "invalid value"},
    CodeInfo{"E0312", E, "wrong number of block labels"},
    CodeInfo{"E0313", E, "import outside the spec's folder"},
    CodeInfo{"E0314", E, "import is not a .dcomm file"},
    CodeInfo{"E0315", E, "a container mounts a secret its kind does not declare"},
    CodeInfo{"E0316", E, "a container publishes a port it does not listen on"},
    CodeInfo{"E0401", E, "invalid domain name"},
    CodeInfo{"E0402", E, "invalid email address"},
    CodeInfo{"E0403", E, "invalid onion address"},
    CodeInfo{"E0404", E, "invalid image reference"},
    CodeInfo{"E0405", E, "port used twice on a node"},
    CodeInfo{"E0406", E, "placement no node satisfies"},
    CodeInfo{"E0407", E, "service placed away from its partner"},
    CodeInfo{"E0408", E, "route served twice"},
    CodeInfo{"E0409", E, "missing dependency"},
    CodeInfo{"E0410", E, "secret written in the spec"},
    CodeInfo{"E0411", E, "more than one homeserver in a site"},
    CodeInfo{"E0412", E, "invalid name"},
    CodeInfo{"E0413", E, "room directory too large"},
    CodeInfo{"E0414", E, "too many sites"},
    CodeInfo{"E0415", E, "host name claimed twice"},
    CodeInfo{"E0416", E, "node names collide"},
    CodeInfo{"E0417", E, "invalid node address"},
    CodeInfo{"W0501", W, "image tagged latest"},
    CodeInfo{"W0502", W, "image without a tag"},
    CodeInfo{"W0503", W, "open registration on a federating homeserver"},
    CodeInfo{"W0504", W, "site without TLS or onion address"},
    CodeInfo{"W0505", W, "images entry matches no image"},
    CodeInfo{"W0506", W, "image pinned long ago"},
    CodeInfo{"W0507", W, "node without addresses among nodes with them"},
    // Found by build and plan against the last build in the output folder.
    CodeInfo{"E0601", E, "domain or server name of a deployed site changed"},
    CodeInfo{"E0602", E, "signing key or federation root rotated"},
    CodeInfo{"E0603", E, "database password rotated"},
    CodeInfo{"E0604", E, "deployed site pruned"},
    CodeInfo{"E0605", E, "volume of a deployed site dropped"},
    CodeInfo{"E0606", E, "federation membership changed"},
};


}  // namespace catalogue

}  // namespace dcomm
