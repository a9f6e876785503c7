#pragma once
// What emitters produce: files for one site, held in memory until the
// whole build has succeeded. Emitters never see a secret's value: where
// one belongs they write a placeholder (SiteContext::secret), which only
// the writer replaces, and only in files under secrets/.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace dcomm::emit {

/// Where a file is mounted, as a swarm config or secret.
struct Mount {
  std::string container;  ///< a container name of the site's stack
  std::string target;     ///< absolute path inside the container
  std::string uid = "0";
  std::string gid = "0";
  int mode = 0444;
};

struct Artifact {
  std::string path;     ///< relative to out/<site>/, e.g. "caddy/Caddyfile"
  std::string content;  ///< secret files hold placeholders, never values
  std::string sha256;   ///< of content, for public files: hashed once, for the stack and the manifest
  bool secret = false;  ///< lives under secrets/ and becomes a swarm secret
  std::string key;      ///< its key under configs:/secrets: in stack.yml
  std::vector<Mount> mounts;
};

class ArtifactSet {
 public:
  /// A public, reviewable file. `key` names it in the stack (empty: not
  /// mounted anywhere, e.g. labels.sh).
  Artifact& add(std::string path, std::string content, std::string key = {});
  /// A file that embeds secrets: written under secrets/, mode 0600.
  Artifact& add_secret(std::string path, std::string content, std::string key);

  const std::vector<Artifact>& all() const { return artifacts_; }
  const Artifact* find(std::string_view path) const;
  /// The artifacts, moved out (the build writes them without a copy).
  std::vector<Artifact> take() && { return std::move(artifacts_); }

  /// Said by the emitter that configures a container's program: the ports
  /// its configuration serves (Caddy serves no HTTPS port without TLS).
  void serve(const std::string& container, std::vector<model::Port> ports);
  /// The ports a container publishes (its kind's `publish`) that are
  /// served: all of them when no emitter speaks for the container. The
  /// node's firewall and an overlay network's stack open these only.
  std::vector<model::Port> published(const model::Container& container) const;

 private:
  Artifact& push(std::string path, std::string content, std::string key, bool secret);

  std::vector<Artifact> artifacts_;
  std::map<std::string, std::vector<model::Port>> served_;
};

/// The text an emitter writes where the value of secret `name` belongs.
std::string secret_placeholder(std::string_view name);

/// `text` with each placeholder replaced by `value(name)`.
std::string replace_placeholders(std::string_view text,
                                 const std::function<std::string(std::string_view)>& value);

/// True if `text` holds a placeholder: public files must not.
bool has_placeholder(std::string_view text);

}  // namespace dcomm::emit
