#pragma once
// One emitter per artifact, behind the smallest interface that works (as
// protoc's code generators): a name, a function that reads the typed model
// and adds files, and what that function reads of each kind. To add an
// artifact, write emit/NAME.cpp with its emit function and its reads,
// declare both below, and add one line to the table in emit/registry.cpp.

#include <span>
#include <string_view>

#include "emit/artifacts.hpp"
#include "emit/context.hpp"

namespace dcomm::emit {

/// What an emitter reads of the services of one kind, by name: the
/// attributes (Service::attribute) and the secrets (SiteContext::secret,
/// secret_file). The contract between stdlib/*.dcomm and the emitters,
/// checked by emit/contract_test.cpp: a renamed attribute fails a test
/// instead of a build.
struct KindReads {
  std::string_view kind;
  std::span<const std::string_view> attributes;
  std::span<const std::string_view> secrets = {};
};

struct Emitter {
  std::string_view name;  ///< for logs and tests: "caddyfile"
  void (*emit)(const SiteContext& context, ArtifactSet& out);
  std::span<const KindReads> reads;  ///< everything emit reads of any kind
};

/// In run order: the stack runs after every file it mounts.
std::span<const Emitter> all_emitters();

/// Runs every emitter for one site.
ArtifactSet emit_site(const SiteContext& context);

// The emitters and their reads (each in emit/NAME.cpp).
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
extern const std::span<const KindReads> caddyfile_reads;
extern const std::span<const KindReads> synapse_reads;
extern const std::span<const KindReads> element_reads;
extern const std::span<const KindReads> mail_reads;
extern const std::span<const KindReads> maubot_reads;
extern const std::span<const KindReads> torrc_reads;
extern const std::span<const KindReads> dns_zone_reads;
extern const std::span<const KindReads> nftables_reads;
extern const std::span<const KindReads> labels_reads;
extern const std::span<const KindReads> stack_reads;

}  // namespace dcomm::emit
