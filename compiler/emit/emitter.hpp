#pragma once
// One emitter per artifact, behind the smallest interface that works (as
// protoc's code generators): a name and a function that reads the typed
// model and adds files. To add an artifact, write emit/NAME.cpp with its
// emit function and add one line to the table in emit/registry.cpp.

#include <span>
#include <string_view>

#include "emit/artifacts.hpp"
#include "emit/context.hpp"

namespace dcomm::emit {

struct Emitter {
  std::string_view name;  ///< for logs and tests: "caddyfile"
  void (*emit)(const SiteContext& context, ArtifactSet& out);
};

/// In run order: the stack runs after every file it mounts.
std::span<const Emitter> all_emitters();

/// Runs every emitter for one site.
ArtifactSet emit_site(const SiteContext& context);

// The emitters (each in emit/NAME.cpp).
void emit_caddyfile(const SiteContext& context, ArtifactSet& out);
void emit_synapse(const SiteContext& context, ArtifactSet& out);
void emit_element(const SiteContext& context, ArtifactSet& out);
void emit_mail(const SiteContext& context, ArtifactSet& out);
void emit_maubot(const SiteContext& context, ArtifactSet& out);
void emit_torrc(const SiteContext& context, ArtifactSet& out);
void emit_dns_zone(const SiteContext& context, ArtifactSet& out);
void emit_nftables(const SiteContext& context, ArtifactSet& out);
void emit_labels(const SiteContext& context, ArtifactSet& out);
void emit_stack(const SiteContext& context, ArtifactSet& out);

}  // namespace dcomm::emit
