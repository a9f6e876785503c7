#pragma once
// The typed site model: what a federation of sites is, after imports,
// templates, kinds and defaults are resolved and every value is checked.
// Emitters read only this; nothing here points into the syntax tree (the
// spans are kept for diagnostics of later stages).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "source/source_file.hpp"

namespace dcomm::model {

enum class Protocol { tcp, udp };

struct Port {
  int number = 0;
  Protocol protocol = Protocol::tcp;

  bool operator==(const Port&) const = default;
};

std::string to_string(const Port& port);  // "28729/udp"

/// A named volume mounted into a container.
struct Volume {
  std::string name;    ///< e.g. "data"; the stack names it <service>_<name>
  std::string target;  ///< mount path inside the container
};

/// One container of a service. Most kinds run one; deltachat runs three.
struct Container {
  std::string name;   ///< unique within the site, e.g. "synapse", "mail-postfix"
  std::string image;  ///< pinned reference; --image overrides are applied
  std::string pinned;  ///< the day its kind chose the pin, YYYY-MM-DD; empty: not said
  std::int64_t memory = 0;  ///< limit in bytes
  std::vector<Port> ports;    ///< ports it listens on
  std::vector<Port> publish;  ///< of those, the ones people reach directly from outside the node
  std::vector<Volume> volumes;
  std::map<std::string, std::string> environment;
  std::vector<std::string> entrypoint;  ///< replaces the image's entrypoint when not empty
  /// Replaces the image's command under host networking, where the
  /// container shares the node's addresses (postgres: loopback only).
  std::vector<std::string> host_network_command;
  /// The kind's secrets this container mounts, when its `container` block
  /// lists them; every secret of the service when it does not.
  std::optional<std::vector<std::string>> secrets;
  Span span;  ///< where its image was written
};

/// A public HTTP route through Caddy.
struct Route {
  std::string host;                ///< subdomain label; empty for the apex
  std::vector<std::string> paths;  ///< empty: every path
  int port = 0;                    ///< upstream port on the node
  bool strip_prefix = false;       ///< Caddy handle_path instead of handle
};

/// A typed attribute value after checking, with references resolved.
struct Value {
  enum class Type { string, integer, boolean, size, duration, port, symbol, service, node, list, map };
  Type type = Type::string;
  std::string text;          ///< string, symbol (enum member) or referenced name
  std::int64_t number = 0;   ///< integer, boolean, bytes, milliseconds, port number
  Protocol protocol = Protocol::tcp;
  std::vector<Value> items;  ///< list
  std::map<std::string, Value> entries;  ///< map
  Span span;  ///< where the value was written (or the kind's default)
};

/// A secret the build generates once into out/<site>/secrets/.
struct Secret {
  std::string name;  ///< as its kind declares it, e.g. "macaroon_key"
  /// How the build generates it. ca_key and ca_certificate: a site's
  /// intermediate certificate authority under the federation's root
  /// (write/federation_ca.hpp), for `tls = internal`.
  enum class Format { token, password, signing_key, ca_key, ca_certificate } format = Format::token;

  /// The file every container that mounts it reads it from: swarm's own
  /// place for secrets, so a program pointed at it needs no other setting.
  std::string file() const { return "/run/secrets/" + name; }
};

/// The secrets of a site's Caddy under `tls = internal`, by short name:
/// its intermediate's private key and certificate.
inline constexpr std::string_view kCaKeySecret = "ca_key";
inline constexpr std::string_view kCaCertificateSecret = "ca_certificate";

struct Node {
  std::string name;
  std::map<std::string, std::string> labels;
  /// Where peers reach the node, IPv4 and IPv6, canonical and each once;
  /// empty when the spec does not say.
  std::vector<std::string> addresses;
  /// Where the operator's SSH server listens: nftables keeps it open.
  int ssh_port = 22;
  Span span;
};

/// The shell variable labels.sh takes the node's swarm ID in: NODE_ and
/// its name with letters in capitals, digits as they are, anything else
/// '_' ("work-er": NODE_WORK_ER). Validation (E0416) keeps it unique.
std::string node_variable(const Node& node);

struct Kind;

struct Service {
  std::string name;
  const Kind* kind = nullptr;
  std::string node;  ///< the node it is placed on
  std::map<std::string, Value> attributes;  ///< every attribute of its kind, defaults applied
  std::vector<Container> containers;
  std::vector<Route> routes;
  std::vector<Secret> secrets;
  bool implicit = false;  ///< added because another service needs it
  Span span;              ///< its block; for an implicit one, the block of the service needing it

  const Value* attribute(const std::string& name) const;
  /// One of its kind's secrets, or nullptr when the kind declares none so named.
  const Secret* secret(std::string_view name) const;
  /// A synapse with federation = true: other sites' room directories list it.
  bool is_federating_homeserver() const;
};

/// Calls `hook` with each attribute read through Service::attribute on
/// this thread, until set back to nullptr (the default). Tests only:
/// emit/contract.hpp records what each emitter reads with it.
void set_attribute_read_hook(void (*hook)(const Service& service, const std::string& attribute));

enum class TlsMode { acme, internal, off };

struct Site {
  std::string name;
  std::string domain;
  Span domain_span;  ///< the value of `domain` in the spec
  std::optional<std::string> onion;
  TlsMode tls = TlsMode::acme;
  std::string acme_email;  ///< with TlsMode::acme
  std::string country;     ///< ISO 3166 alpha-2, for Element
  std::string network;     ///< "host" (as the seed) or "overlay"
  int http_port = 80;
  int https_port = 443;
  std::vector<Node> nodes;
  std::vector<Service> services;
  Span span;

  const Node* node(const std::string& name) const;
  const Service* service(const std::string& name) const;
  std::vector<const Service*> services_of_kind(const std::string& kind) const;
  /// How many of its services are federating homeservers.
  std::size_t federating_homeservers() const;
};

/// A name a site answers to (its Caddy serves it, its DNS zone holds it,
/// mail is addressed to it), and what the site uses it for.
struct HostName {
  std::string fqdn;                  ///< lower case, without a trailing dot
  std::string host;                  ///< the part before the domain or onion: "chat"; "" for either itself
  const Service* service = nullptr;  ///< served there; nullptr for the site's own domain (or onion)
  bool onion = false;                ///< under the site's onion address
  Span span;                         ///< where the spec gives it
};

/// Every name the site answers to: its domain (the website, mail and
/// Matrix delegation live there), each service's host under it, and the
/// same under its onion address. Each name once, the domain first, then
/// the hosts in the order their services are declared. The one list of a
/// site's names: Caddy's site blocks, dns.zone's records and E0415 all
/// come from it.
std::vector<HostName> host_names(const Site& site);

/// The named volumes of a site's stack, each once, sorted: a service's
/// volume NAME is "SERVICE_NAME" (swarm prefixes the stack's name).
std::vector<std::string> volume_names(const Site& site);

/// A synapse's server name: `host.domain` (the seed's matrix.<domain>), or
/// the domain itself when its host is empty.
std::string server_name(const Site& site, const Service& synapse);

/// An attribute a kind accepts, with its type and default.
struct AttributeSpec {
  std::string name;
  std::string type;  ///< as written: string, bool, enum(a, b), service(synapse), ...
  std::optional<Value> default_value;
  std::string doc;
  Span span;
};

struct Kind {
  std::string name;
  std::string doc;
  bool standard = false;  ///< from the stdlib
  bool implicit = false;  ///< added to a site when a service needs it and none exists
  std::vector<Container> containers;  ///< as declared, literal fields only (for the editor); names are suffixes
  std::vector<AttributeSpec> attributes;
  std::vector<std::string> needs;  ///< kinds that must be present in the same site
  std::string beside;              ///< a kind that must run on the same node
  std::vector<std::string> routes;  ///< the labels of its route blocks (values are per service)
  std::vector<Secret> secrets;
  Span span;

  const AttributeSpec* attribute(const std::string& name) const;
};

/// Move-only: services point at kinds, and moving keeps their addresses.
/// A homeserver the room directories of other sites list.
struct FederatingHomeserver {
  std::size_t site;         ///< its site, an index into Federation::sites
  std::string server_name;  ///< host.domain, as its homeserver.yaml says
};

struct Federation {
  Federation() = default;
  Federation(Federation&&) = default;
  Federation& operator=(Federation&&) = default;
  Federation(const Federation&) = delete;
  Federation& operator=(const Federation&) = delete;

  std::vector<Kind> kinds;  ///< standard and user kinds; complete before any site is built
  std::vector<Site> sites;  ///< in declaration order
  /// Every federating homeserver of every site, in declaration order:
  /// found once here rather than once per site by each room directory.
  std::vector<FederatingHomeserver> federating_homeservers;

  const Kind* kind(const std::string& name) const;
};

}  // namespace dcomm::model
