#include "language/builtins.hpp"

#include <algorithm>

namespace dcomm::language {

namespace {

constexpr std::string_view kTlsModes[] = {"acme(\"\")", "internal", "off"};
constexpr std::string_view kNetworks[] = {"host", "overlay"};
constexpr std::string_view kBooleans[] = {"true", "false"};

constexpr Field kSiteFields[] = {
    {"domain", "string",
     "The apex domain, e.g. `\"kyiv.dcomm.net.ua\"`. Services live on it and its subdomains (`matrix.`, `chat.`).",
     true},
    {"tls", "`acme(\"EMAIL\")`, `internal` or `off`",
     "How Caddy gets certificates: `acme(\"ops@example.org\")` from Let's Encrypt, with that contact address", true,
     {}, kTlsModes},
    {"onion", "string", "The site's Tor v3 onion address: 56 base32 characters and `.onion`, version 3"},
    {"country", "string", "An ISO 3166 alpha-2 code in capitals, such as `\"UA\"`, for Element"},
    {"network", "`host` or `overlay`",
     "`host`: containers use the node's network, as the seed deployment does, so every port a service "
     "listens on is a port of its node", false, "host", kNetworks},
    {"images", "map of image references", "Pull images from elsewhere"},
    {"extends", "`template.NAME`", "Applies a template beneath the site's own statements"},
};

constexpr Field kNodeFields[] = {
    {"labels", "map of strings",
     "The swarm node labels that find this machine: its services are placed with constraints on them.", true},
    {"addresses", "list of IP addresses, as strings",
     "Where the machine is reached, IPv4 and IPv6: `[\"203.0.113.7\", \"2001:db8::7\"]`."},
    {"ssh_port", "port, TCP: `2222/tcp`",
     "The port the machine's SSH server listens on, which its firewall keeps open for the operator.", false,
     "22/tcp"},
};

constexpr Field kServiceFields[] = {
    {"kind", "the name of a kind, bare: `kind = synapse`", "What the service runs", true},
    {"on", "`node.NAME`", "The node it runs on."},
    {"image", "string", "Replaces the image of the kind's container, for kinds with exactly one container"},
    {"memory", "size", "Replaces the memory limit of the kind's container, on the same condition."},
};

// A kind's container fields, written at its top or in a `container` block;
// the last, `secrets`, is a container's alone (a kind's `secrets` declares them).
constexpr Field kContainerFields[] = {
    {"image", "string", "The image of the kind's container: a Docker image reference"},
    {"pinned", "string, a date `YYYY-MM-DD`", "The day the image's version was chosen"},
    {"memory", "size", "The container's memory limit."},
    {"ports", "list of ports", "The ports the container listens on."},
    {"publish", "list of ports", "Of those, the ones people reach directly from outside the node"},
    {"volumes", "map of strings", "Named volumes and where they are mounted: `{ data = \"/data\" }`."},
    {"env", "map of strings", "The container's environment."},
    {"entrypoint", "list of strings", "Replaces the image's entrypoint, e.g. `entrypoint = [\"postfix\", \"start-fg\"]`."},
    {"host_network_command", "list of strings",
     "Replaces the image's command when the site uses host networking, where the container shares the node's "
     "addresses"},
    {"secrets", "list of secret names, bare: `[mailadm_token]`",
     "The secrets of its service this container reads, as files in `/run/secrets/`; `[]` for none."},
};
constexpr std::size_t kSharedContainerFields = std::size(kContainerFields) - 1;

constexpr Field kKindFields[] = {
    {"doc", "string", "What the kind runs, in one line."},
    {"needs", "list of kind names, bare: `[synapse, caddy]`", "Kinds that must be present in the same site"},
    {"beside", "a kind name, bare: `caddy`", "A kind whose node this one must share."},
    {"secrets", "map of `token`, `password` or `signing_key`", "Secrets the build generates for each service"},
    {"implicit", "bool", "Added to a site that needs it and has none.", false, {}, kBooleans},
};

constexpr Field kAttributeFields[] = {
    {"type", "a type: `string`, `port`, `enum(a, b)`, `list(T)`, ...",
     "What values the attribute takes", true},
    {"default", "a value of that type", "The value of a service that leaves the attribute out"},
    {"doc", "string", "One line saying what the attribute does, shown in hovers and in the docs."},
};

constexpr Field kRouteFields[] = {
    {"host", "subdomain", "The route is on `HOST.<domain>`; on the apex domain when left out."},
    {"paths", "list of paths", "URL paths, each of which may end in `*`; every path when left out."},
    {"port", "port", "The container port Caddy forwards to."},
    {"strip_prefix", "bool", "Whether the matched path prefix is removed before forwarding.", false, {}, kBooleans},
};

constexpr std::string_view kSiteBlocks[] = {"node", "service"};
constexpr std::string_view kKindBlocks[] = {"attribute", "container", "route"};

constexpr BlockSpec kBlocks[] = {
    {.name = "site",
     .written = "`site \"kyiv\" { ... }`",
     .doc = "one community server; a file may hold several (a federation)",
     .what = "a site",
     .fields = kSiteFields,
     .blocks = kSiteBlocks},
    {.name = "node",
     .written = "`node \"worker\" { ... }` inside a site",
     .doc = "a Docker Swarm node, by its labels",
     .what = "a node",
     .fields = kNodeFields,
     .help = "a node says how swarm finds it (labels = { ... }) and where peers reach it "
             "(addresses = [\"203.0.113.7\"])"},
    {.name = "service",
     .written = "`service \"synapse\" { ... }` inside a site",
     .doc = "a service of the site, of a `kind`",
     .what = "a service",
     .fields = kServiceFields},
    {.name = "template",
     .written = "`template \"ua-site\" { ... }`",
     .doc = "shared declarations that sites reuse, so that a federation of many similar sites is not many copies",
     .what = "a template",
     .fields = kSiteFields,
     .blocks = kSiteBlocks},
    {.name = "kind",
     .written = "`kind \"synapse\" { ... }`",
     .doc = "a kind of service: its image, ports, memory and attributes",
     .what = "a kind",
     .fields = kKindFields,
     .shared_fields = std::span(kContainerFields).first(kSharedContainerFields),
     .blocks = kKindBlocks,
     .help = "a kind declares a container (image, memory, ports, volumes, env), the attributes its "
             "services take, and its routes; see docs/language.md"},
    {.name = "attribute",
     .written = "`attribute \"host\" { ... }` inside a kind",
     .doc = "an attribute the kind's services take: its type, default and doc",
     .what = "an attribute declaration",
     .fields = kAttributeFields},
    {.name = "container",
     .written = "`container \"postfix\" { ... }` inside a kind",
     .doc = "one more container of the kind's services",
     .what = "a container",
     .fields = kContainerFields},
    {.name = "route",
     .written = "`route \"web\" { ... }` inside a kind",
     .doc = "a public HTTP route through Caddy to the kind's services",
     .what = "a route",
     .fields = kRouteFields},
};

constexpr std::string_view kTopLevel[] = {"site", "template", "kind", "import"};

constexpr Field kImport{"import", "`import \"PATH\"`", "another file whose declarations join this one's"};

constexpr TypeSpec kTypes[] = {
    {"string", "a string on one line"},
    {"subdomain", "a string that is one DNS label, the part before the site's domain"},
    {"path", "a string that is an absolute path"},
    {"integer", "an integer"},
    {"bool", "`true` or `false`"},
    {"size", "a size"},
    {"duration", "a duration"},
    {"port", "a port and its protocol"},
    {"node", "`node.NAME`"},
    {"service", "`service.NAME`, a service of any kind"},
    {"service(KIND)", "`service.NAME`, a service of kind KIND", "service(${1:synapse})"},
    {"enum(a, b, ...)", "one of the members, as a bare name", "enum(${1:a}, ${2:b})"},
    {"list(T)", "a list of values of type T", "list(${1:string})"},
    {"map(T)", "a map whose values are of type T", "map(${1:string})"},
};

}  // namespace

std::span<const BlockSpec> blocks() { return kBlocks; }

const BlockSpec* find_block(std::string_view name) {
  auto it = std::find_if(std::begin(kBlocks), std::end(kBlocks), [&](const BlockSpec& b) { return b.name == name; });
  return it == std::end(kBlocks) ? nullptr : &*it;
}

std::vector<const Field*> fields_of(const BlockSpec& block) {
  std::vector<const Field*> out;
  for (const Field& f : block.fields) out.push_back(&f);
  for (const Field& f : block.shared_fields) out.push_back(&f);
  return out;
}

const Field* find_field(const BlockSpec& block, std::string_view name) {
  for (const Field* f : fields_of(block))
    if (f->name == name) return f;
  return nullptr;
}

std::vector<std::string_view> field_names(const BlockSpec& block) {
  std::vector<std::string_view> out;
  for (const Field* f : fields_of(block)) out.push_back(f->name);
  return out;
}

std::span<const std::string_view> top_level() { return kTopLevel; }

const Field& import_statement() { return kImport; }

std::span<const TypeSpec> types() { return kTypes; }

}  // namespace dcomm::language
