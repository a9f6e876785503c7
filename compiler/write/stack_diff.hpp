#pragma once
// What a redeploy changes in the swarm, read from the stack file a site
// was deployed with and the one a build writes: each service, config,
// secret and volume added, updated, removed or unchanged, and the commands
// `docker stack deploy --prune` leaves to the operator (it removes
// services, never the configs, secrets and volumes they used).

#include <string>
#include <vector>

namespace dcomm::build {

struct SwarmObjectChange {
  enum class Kind { added, updated, removed };
  Kind kind;
  std::string section;  ///< "service", "config", "secret" or "volume"
  std::string name;     ///< its key in the stack file: "synapse", "synapse_config"
};

struct StackDiff {
  /// Services first, then configs, secrets and volumes; by name in each.
  std::vector<SwarmObjectChange> changes;
  std::size_t unchanged = 0;  ///< objects in both files, the same
  /// Swarm names of configs and secrets the old file used and the new one
  /// does not (superseded by new content, or left with their service):
  /// once the new stack is deployed, nothing uses them.
  std::vector<std::string> superseded_configs;
  std::vector<std::string> superseded_secrets;

  /// The services a redeploy updates (restarts), adds or removes.
  std::vector<std::string> services() const;
  /// The volume keys the new file no longer has.
  std::vector<std::string> removed_volumes() const;
};

/// Compares two stack files. A service counts as updated when its own
/// definition or that of a config or secret it mounts differs; an empty or
/// unreadable old file (a stack someone broke by hand) has nothing in it.
StackDiff diff_stacks(const std::string& old_stack, const std::string& new_stack);

/// The commands that finish a redeploy once `docker stack deploy --prune`
/// has run: `docker config rm` and `docker secret rm` of what it superseded,
/// each line indented by `indent`.
std::string cleanup_commands(const StackDiff& diff, std::string_view indent);

}  // namespace dcomm::build
