#include "emit/emitter.hpp"

namespace dcomm::emit {

namespace {

constexpr Emitter kEmitters[] = {
    {"caddyfile", emit_caddyfile},
    {"synapse", emit_synapse},
    {"element", emit_element},
    {"mail", emit_mail},
    {"maubot", emit_maubot},
    {"torrc", emit_torrc},
    {"dns-zone", emit_dns_zone},
    {"nftables", emit_nftables},  // after the emitters that say which ports they serve
    {"labels", emit_labels},
    {"stack", emit_stack},  // last: it mounts what the others wrote
};

}  // namespace

std::span<const Emitter> all_emitters() { return kEmitters; }

ArtifactSet emit_site(const SiteContext& context) {
  ArtifactSet out;
  for (const Emitter& emitter : all_emitters()) emitter.emit(context, out);
  return out;
}

}  // namespace dcomm::emit
