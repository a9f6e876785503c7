#include "emit/emitter.hpp"

namespace dcomm::emit {

namespace {

// Not constexpr: the reads live in the emitters' files. Each is constant-
// initialized there (constinit), so this table copies them safely.
const Emitter kEmitters[] = {
    {"caddyfile", emit_caddyfile, caddyfile_reads},
    {"synapse", emit_synapse, synapse_reads},
    {"element", emit_element, element_reads},
    {"mail", emit_mail, mail_reads},
    {"maubot", emit_maubot, maubot_reads},
    {"torrc", emit_torrc, torrc_reads},
    {"dns-zone", emit_dns_zone, dns_zone_reads},
    {"nftables", emit_nftables, nftables_reads},  // after the emitters that say which ports they serve
    {"labels", emit_labels, labels_reads},
    {"stack", emit_stack, stack_reads},  // last: it mounts what the others wrote
};

}  // namespace

std::span<const Emitter> all_emitters() { return kEmitters; }

ArtifactSet emit_site(const SiteContext& context) {
  ArtifactSet out;
  for (const Emitter& emitter : all_emitters()) emitter.emit(context, out);
  return out;
}

}  // namespace dcomm::emit
