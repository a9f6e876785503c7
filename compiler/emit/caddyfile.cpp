// PLACEHOLDER: being written; replaced before this lands.
#include "emit/emitter.hpp"

namespace dcomm::emit {

void emit_caddyfile(const SiteContext&, ArtifactSet&) {}

}  // namespace dcomm::emit
