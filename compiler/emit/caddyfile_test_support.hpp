#pragma once
// For the Caddyfile tests (caddyfile_*_test.cpp): spec variants of one test
// site, the Caddyfile emitted for them, and that file cut into its blocks.

#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "emit/emit_test_fixture.hpp"

namespace dcomm::emit::caddy_testing {

using testing::contains;

inline const std::string kOnion = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion";

/// What one spec variant says: the test site "test" with every standard
/// web service and a user kind "pad" at pad.<domain>.
struct Variant {
  std::string tls = R"(acme("ops@example.org"))";
  bool onion = true;
  std::string network = "host";
  bool federation = true;
  std::string caddy;  ///< attributes of the site's caddy service
};

inline std::string spec(const Variant& v) {
  return R"(
kind "pad" {
  doc    = "Etherpad for meeting notes"
  image  = "etherpad/etherpad:2.2.6"
  memory = 256M
  ports  = [9001/tcp]
  needs  = [caddy]
  route "web" {
    host  = "pad"
    paths = ["/p/*", "/static/*"]
    port  = 9001/tcp
  }
}

site "test" {
  domain  = "example.org"
  tls     = )" + v.tls + "\n" +
         (v.onion ? "  onion   = \"" + kOnion + "\"\n" : "") + "  network = " + v.network + R"(
  node "worker" {
    labels = { dwebstackdomain = "example.org" }
  }
  service "synapse" {
    kind       = synapse
    federation = )" + (v.federation ? "true" : "false") + R"(
  }
  service "element" { kind = element }
  service "mail" { kind = deltachat }
  service "web" {
    kind = website
    root = "/var/www/test"
  }
  service "notes" { kind = pad }
  service "caddy" {
    kind = caddy
    )" + v.caddy + R"(
  }
}
)";
}

/// Site "test" at example.org with internal certificates, one node
/// (`node`, its name and labels) and `services`.
inline std::string internal_site(const std::string& node, const std::string& services) {
  return "site \"test\" {\n  domain = \"example.org\"\n  tls    = internal\n"
         "  node " + node + "\n" + services + "}\n";
}

/// A Caddyfile cut into its blocks: the global options under "{", each
/// site block under its address, each body as written.
using Blocks = std::map<std::string, std::string>;

inline Blocks blocks_of(const std::string& text) {
  Blocks blocks;
  std::optional<std::string> address;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (address && line == "}") {
      address.reset();
    } else if (address) {
      blocks[*address] += line + "\n";
    } else if (line == "{") {
      address = "{";
    } else if (line.ends_with(" {") && !line.starts_with("#")) {
      address = line.substr(0, line.size() - 2);
    }
  }
  return blocks;
}

inline std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

/// A spec compiled by the front end and the Caddyfile of one of its sites.
struct Emitted {
  testing::CompiledSpec spec;
  ArtifactSet out;

  explicit Emitted(std::string text, const std::string& site = "test")
      : spec(std::move(text)), out(spec.emit(emit_caddyfile, site)) {}
  explicit Emitted(const Variant& variant) : Emitted(caddy_testing::spec(variant)) {}

  const Artifact& artifact() const { return testing::artifact(out, "caddy/Caddyfile"); }
  std::string text() const { return artifact().content; }
  Blocks blocks() const { return blocks_of(text()); }
};

/// Expected text written with two spaces per level, as read here; Caddy
/// (and `caddy fmt`) indent with tabs.
inline std::string tabs(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::size_t spaces = line.find_first_not_of(' ');
    if (spaces == std::string::npos) spaces = line.size();
    out += std::string(spaces / 2, '\t') + line.substr(spaces) + "\n";
  }
  return out;
}

inline std::string with_onion(std::string text) {
  for (auto at = text.find("ONION"); at != std::string::npos; at = text.find("ONION", at)) {
    text.replace(at, 5, kOnion);
  }
  return text;
}

/// The global options of a site with ACME certificates, as `tabs` reads
/// them: the admin socket and the ACME account.
inline const std::string kAcmeOptions =
    R"(  # The admin API on a socket inside Caddy's container: on its TCP port,
  # every process of the node (host networking) could reconfigure Caddy.
  admin unix//run/caddy-admin.sock
  # The ACME account. Let's Encrypt only (Caddy would fall back to ZeroSSL),
  # so the mail containers find the certificates at a fixed path in /data.
  email "ops@example.org"
  acme_ca https://acme-v02.api.letsencrypt.org/directory
)";

}  // namespace dcomm::emit::caddy_testing
