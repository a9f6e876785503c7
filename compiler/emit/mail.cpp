// PLACEHOLDER: being written; replaced before this lands.
#include "emit/emitter.hpp"

namespace dcomm::emit {

void emit_mail(const SiteContext&, ArtifactSet&) {}

}  // namespace dcomm::emit
