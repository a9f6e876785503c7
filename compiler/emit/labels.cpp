// PLACEHOLDER: being written; replaced before this lands.
#include "emit/emitter.hpp"

namespace dcomm::emit {

void emit_labels(const SiteContext&, ArtifactSet&) {}

}  // namespace dcomm::emit
