#pragma once
// The build: every artifact of a site, computed in memory, then written so
// that unchanged files are left alone and no reader ever sees a half-written
// file. A site whose inputs did not change since its last build (its
// fingerprint, see fingerprint.hpp) is not rendered at all. A build with
// errors writes nothing.

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "write/changes.hpp"
#include "write/up_to_date.hpp"
#include "driver/pipeline.hpp"

namespace dcomm::build {

struct BuildOptions {
  std::filesystem::path out;
  std::set<std::string> rotate;  ///< secrets to generate anew ("synapse_macaroon_key")
  /// Render every site, even those whose fingerprint says nothing changed.
  bool full = false;
  /// Remove the files dcommc wrote for sites that left the spec (see departed.hpp).
  bool prune = false;
  /// With prune: remove secrets no service reads any more, and departed sites' secrets.
  bool prune_secrets = false;
};

struct WriteResult {
  std::vector<std::filesystem::path> written;
  std::vector<std::filesystem::path> removed;
  std::vector<std::filesystem::path> kept;  ///< no longer built, but edited since: not removed
  /// Secrets no service reads any more, kept: removed only with --prune --prune-secrets.
  std::vector<std::filesystem::path> unused_secrets;
  std::vector<std::string> departed;  ///< sites that left the spec, their folders left alone
  std::vector<std::string> pruned;    ///< sites that left the spec, their files removed
  std::size_t unchanged = 0;                ///< files compared and found as they should be
  std::vector<std::string> rendered;        ///< sites rendered and compared
  std::vector<std::string> skipped;         ///< sites left alone: nothing they are made from changed
};

/// Writes every site under options.out. Every secret is read (or
/// generated) and every site folder checked before the first write, so a
/// failure there writes nothing. Sites are rendered one at a time, so
/// memory follows the largest site rather than the federation; their
/// writes are committed together (see write_batch.hpp): secrets and
/// artifacts are on disk when build returns.
std::optional<WriteResult> build(const Compilation& compilation, const BuildOptions& options, std::string& error);
/// The same, with the output folder's survey started before the spec was
/// compiled (see up_to_date.hpp).
std::optional<WriteResult> build(const Compilation& compilation, const BuildOptions& options, OutputSurvey& survey,
                                 std::string& error);

/// What build() would change, site by site, without writing. Sites it
/// would leave alone are not rendered; sites that left the spec are
/// listed with what --prune would remove.
std::optional<std::vector<SiteChanges>> plan_changes(const Compilation& compilation, const BuildOptions& options,
                                                     std::string& error);
std::optional<std::vector<SiteChanges>> plan_changes(const Compilation& compilation, const BuildOptions& options,
                                                     OutputSurvey& survey, std::string& error);

}  // namespace dcomm::build
