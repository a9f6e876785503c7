// The typed site model the resolver builds: kinds and defaults applied,
// templates expanded, implicit services added, imports followed.

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "driver/pipeline.hpp"
#include "util/files.hpp"

namespace dcomm {

namespace {

namespace fs = std::filesystem;

/// A folder of spec files for one test, removed afterwards.
class SpecDir {
 public:
  SpecDir() : path_(fs::temp_directory_path() / ("dcommc-resolve-" + std::to_string(::getpid()) +
                                                 "-" + std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~SpecDir() { fs::remove_all(path_); }

  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

struct Checked {
  SourceMap sources;
  Diagnostics diags;
  Compilation result;

  explicit Checked(const fs::path& root, const resolve::LoadOptions& options = {}) {
    std::string error;
    auto text = util::read_file(root, error);
    REQUIRE(text);
    result = check_file(sources, sources.add(root.string(), std::move(*text)), diags, options);
  }

  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) out.push_back(d.code);
    return out;
  }
  const model::Site& site(std::size_t i = 0) const { return result.federation.sites.at(i); }
  std::string file_of(std::size_t diagnostic) const {
    return fs::path(sources.file(diags.all().at(diagnostic).primary.span.file).name()).filename();
  }
};

Checked check_text(const std::string& text) {
  static SpecDir dir;
  return Checked(dir.write("spec.dcomm", text));
}

const std::string kMinimalSite = R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" {
    labels = { dwebstackdomain = "kyiv.dcomm.net.ua" }
  }
)";

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("resolve: the kyiv example becomes the seed's deployment") {
  Checked c(fs::path(DCOMMC_SOURCE_DIR) / "examples/kyiv.dcomm");
  REQUIRE(c.codes().empty());
  const model::Site& site = c.site();
  CHECK(site.domain == "kyiv.dcomm.net.ua");
  CHECK(site.onion == "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion");
  CHECK(site.tls == model::TlsMode::acme);
  CHECK(site.acme_email == "ops@dcomm.net.ua");
  CHECK(site.country == "UA");
  CHECK(site.network == "host");
  REQUIRE(site.nodes.size() == 2);
  CHECK(site.node("bridge")->labels.at("dwebstackrole") == "bridge");

  // Written services, then the implicit ones their kinds need.
  std::vector<std::string> names;
  for (const auto& s : site.services) names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"synapse", "element", "mail", "bridge", "bots", "web",
                                          "postgres", "caddy"});
  CHECK(site.service("caddy")->implicit);
  CHECK(site.service("caddy")->node == "worker");
  CHECK(site.service("bridge")->node == "bridge");

  const model::Service& synapse = *site.service("synapse");
  CHECK(synapse.attribute("registration")->text == "token");
  CHECK(synapse.attribute("federation")->number == 1);
  CHECK(synapse.attribute("presence")->number == 0);
  CHECK(synapse.attribute("max_upload")->number == 50ll << 20);
  REQUIRE(synapse.containers.size() == 1);
  CHECK(synapse.containers[0].image.starts_with("matrixdotorg/synapse:v1."));
  CHECK(synapse.containers[0].ports == std::vector<model::Port>{{8008, model::Protocol::tcp}});
  REQUIRE(synapse.routes.size() == 1);
  CHECK(synapse.routes[0].host == "matrix");
  CHECK(synapse.routes[0].paths == std::vector<std::string>{"/_matrix/*", "/_synapse/client/*"});
  CHECK(synapse.secrets.size() == 4);

  CHECK(site.service("element")->attribute("homeserver")->text == "synapse");
  CHECK(site.service("bots")->attribute("homeserver")->text == "synapse");

  const model::Service& mail = *site.service("mail");
  REQUIRE(mail.containers.size() == 3);
  CHECK(mail.containers[0].name == "mail-postfix");
  CHECK(mail.containers[2].name == "mail-mailadm");
  REQUIRE(mail.routes.size() == 1);
  CHECK(mail.routes[0].host.empty());
  CHECK(mail.routes[0].strip_prefix);

  const model::Service& caddy = *site.service("caddy");
  REQUIRE(caddy.containers.size() == 1);
  CHECK(caddy.containers[0].ports ==
        std::vector<model::Port>{{80, model::Protocol::tcp}, {443, model::Protocol::tcp},
                                 {8448, model::Protocol::tcp}});
  CHECK(site.service("web")->containers.empty());
  CHECK(site.service("web")->attribute("root")->text == "/var/www/dcomms");
}

TEST_CASE("resolve: a federation written once through a template") {
  Checked c(fs::path(DCOMMC_SOURCE_DIR) / "examples/federation.dcomm");
  REQUIRE(c.codes().empty());
  const auto& sites = c.result.federation.sites;
  REQUIRE(sites.size() == 3);
  for (const model::Site& site : sites) {
    INFO(site.name);
    CHECK(site.acme_email == "ops@dcomm.net.ua");
    // site.domain in the template's labels is each site's own domain.
    CHECK(site.node("worker")->labels.at("dwebstackdomain") == site.domain);
    CHECK(site.service("synapse") != nullptr);
  }
  // Declaration order: Element's room directories list the others in it.
  CHECK((sites[0].name == "kyiv" && sites[1].name == "lviv" && sites[2].name == "kharkiv"));
  CHECK(sites[2].service("bridge") != nullptr);
  CHECK(sites[0].service("bridge") == nullptr);
}

TEST_CASE("resolve: a site overrides one attribute of a template's service") {
  auto c = check_text(R"(
template "base" {
  tls = internal
  node "worker" {
    labels = { dwebstackdomain = site.domain }
  }
  service "synapse" {
    kind = synapse
  }
}
site "a" {
  extends = template.base
  domain  = "a.example.org"
  service "synapse" {
    federation = false
  }
}
)");
  REQUIRE(c.codes().empty());
  const model::Service& synapse = *c.site().service("synapse");
  CHECK(synapse.attribute("federation")->number == 0);
  CHECK(synapse.attribute("registration")->text == "token");
  CHECK(synapse.node == "worker");
}

TEST_CASE("resolve: templates extend templates, and a cycle is reported") {
  auto chain = check_text(R"(
template "tls" {
  tls = internal
}
template "base" {
  extends = template.tls
  node "w" {
    labels = { a = "b" }
  }
}
site "a" {
  extends = template.base
  domain  = "a.example.org"
}
)");
  CHECK(chain.codes().empty());
  CHECK(chain.site().tls == model::TlsMode::internal);

  auto cycle = check_text(R"(
template "x" {
  extends = template.y
}
template "y" {
  extends = template.x
}
site "a" {
  extends = template.x
  domain  = "a.example.org"
}
)");
  CHECK(cycle.codes() == Codes{"E0310"});
}

TEST_CASE("resolve: declaring an implicit kind changes it") {
  auto c = check_text(kMinimalSite + R"(
  service "web" {
    kind = website
  }
  service "proxy" {
    kind       = caddy
    http_port  = 8080/tcp
    https_port = 8443/tcp
  }
}
)");
  REQUIRE(c.codes().empty());
  const model::Site& site = c.site();
  CHECK(site.services.size() == 2);  // no second caddy
  CHECK(site.service("proxy")->containers.at(0).ports ==
        std::vector<model::Port>{{8080, model::Protocol::tcp}, {8443, model::Protocol::tcp},
                                 {8448, model::Protocol::tcp}});
}

TEST_CASE("resolve: image and memory overrides") {
  auto c = check_text(kMinimalSite + R"(
  service "bridge" {
    kind   = ceno
    image  = "registry.local:5000/ceno-client:v0.21.2"
    memory = 1G
  }
}
)");
  REQUIRE(c.codes().empty());
  const model::Container& ceno = c.site().service("bridge")->containers.at(0);
  CHECK(ceno.image == "registry.local:5000/ceno-client:v0.21.2");
  CHECK(ceno.memory == 1ll << 30);

  auto multi = check_text(kMinimalSite + R"(
  service "mail" {
    kind  = deltachat
    image = "x/y:1"
  }
}
)");
  CHECK(multi.codes() == Codes{"E0305"});
}

TEST_CASE("resolve: images = { ... } pulls images from elsewhere, multi-container kinds too") {
  auto c = check_text(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  images = {
    "keith/deltachat-mailadm-postfix:v0.0.3" = "registry.local:5000/postfix:v0.0.3"
    "caddy:2.11.4-alpine"                    = "registry.local:5000/caddy:2.11.4-alpine"
  }
  node "worker" {
    labels = { dwebstackdomain = "kyiv.dcomm.net.ua" }
  }
  service "mail" {
    kind = deltachat
  }
}
)");
  REQUIRE(c.codes().empty());
  CHECK(c.site().service("mail")->containers.at(0).image == "registry.local:5000/postfix:v0.0.3");
  CHECK(c.site().service("mail")->containers.at(1).image == "keith/deltachat-mailadm-dovecot:v0.0.1");
  CHECK(c.site().service("caddy")->containers.at(0).image == "registry.local:5000/caddy:2.11.4-alpine");

  auto bad = check_text(kMinimalSite + "  images = { \"caddy:2.11.4-alpine\" = \"Bad Image\" }\n"
                                       "  service \"web\" { kind = website }\n}\n");
  CHECK(bad.codes() == Codes{"E0404"});
}

TEST_CASE("resolve: a user's own kind flows into the model like a standard one") {
  auto c = check_text(R"(
kind "pad" {
  doc     = "Etherpad for meeting notes"
  image   = "etherpad/etherpad:2.2.6"
  memory  = 256M
  ports   = [9001/tcp]
  volumes = { data = "/opt/etherpad-lite/var" }
  env     = { TITLE = "Notes" }
  needs   = [caddy]
  route "web" {
    host = "pad"
    port = 9001/tcp
  }
}
)" + kMinimalSite + R"(
  service "notes" {
    kind = pad
  }
}
)");
  REQUIRE(c.codes().empty());
  const model::Service& notes = *c.site().service("notes");
  CHECK_FALSE(notes.kind->standard);
  CHECK(notes.kind->doc == "Etherpad for meeting notes");
  REQUIRE(notes.containers.size() == 1);
  CHECK(notes.containers[0].environment.at("TITLE") == "Notes");
  CHECK(notes.containers[0].volumes.at(0).target == "/opt/etherpad-lite/var");
  CHECK(notes.routes.at(0).host == "pad");
  CHECK(c.site().service("caddy") != nullptr);
}

TEST_CASE("resolve: a container lists the kind's secrets it mounts, and only those") {
  const std::string kind = R"(
kind "pair" {
  secrets = { own = token }
  container "a" {
    image   = "example/a:1"
    secrets = SECRETS
  }
}
)";
  auto with = [&](const std::string& secrets) {
    std::string text = kind;
    text.replace(text.find("SECRETS"), 7, secrets);
    return check_text(text + kMinimalSite + "  service \"p\" { kind = pair }\n}\n");
  };
  auto listed = with("[own]");
  REQUIRE(listed.codes().empty());
  CHECK(listed.site().service("p")->containers.at(0).secrets == std::vector<std::string>{"own"});
  auto none = with("[]");
  REQUIRE(none.codes().empty());
  CHECK(none.site().service("p")->containers.at(0).secrets == std::vector<std::string>{});
  CHECK(with("[other]").codes() == std::vector<std::string>{"E0315"});
  CHECK(with("[\"own\"]").codes() == std::vector<std::string>{"E0315"});
  CHECK(with("own").codes() == std::vector<std::string>{"E0307"});
}

TEST_CASE("resolve: imports") {
  SpecDir dir;
  dir.write("common.dcomm", "template \"base\" {\n  tls = internal\n}\n");
  dir.write("broken.dcomm", "site \"b\" {\n  domain = \"B.example.org\"\n  tls = internal\n}\n");
  dir.write("a.dcomm", "import \"b.dcomm\"\n");
  dir.write("b.dcomm", "import \"a.dcomm\"\n");
  dir.write("binary.dcomm", std::string("\x7f" "ELF\0\0", 6));
  fs::create_directories(dir.path() / "folder.dcomm");

  SECTION("a shared template") {
    Checked c(dir.write("site.dcomm", "import \"common.dcomm\"\nsite \"x\" {\n  extends = "
                                      "template.base\n  domain = \"x.example.org\"\n}\n"));
    CHECK(c.codes().empty());
    CHECK(c.site().tls == model::TlsMode::internal);
  }
  SECTION("errors in an imported file name that file") {
    Checked c(dir.write("site.dcomm", "import \"broken.dcomm\"\n"));
    CHECK(c.codes() == Codes{"E0401"});
    CHECK(c.file_of(0) == "broken.dcomm");
  }
  SECTION("a missing file") {
    Checked c(dir.write("site.dcomm", "import \"nowhere.dcomm\"\n"));
    CHECK(c.codes() == Codes{"E0301"});
  }
  SECTION("a cycle") {
    Checked c(dir.path() / "a.dcomm");
    CHECK(c.codes() == Codes{"E0302"});
  }
  SECTION("a directory") {
    Checked c(dir.write("site.dcomm", "import \"folder.dcomm\"\n"));
    CHECK(c.codes() == Codes{"E0301"});
  }
  SECTION("a binary file") {
    Checked c(dir.write("site.dcomm", "import \"binary.dcomm\"\n"));
    CHECK(c.codes() == Codes{"E0102"});
    CHECK(c.file_of(0) == "binary.dcomm");
  }
}

TEST_CASE("resolve: --stdlib replaces the built-in kinds") {
  SpecDir dir;
  dir.write("lib/tiny.dcomm", "kind \"echo\" {\n  image = \"busybox:1.36\"\n  ports = [7/tcp]\n}\n");
  const fs::path spec = dir.write("site.dcomm", kMinimalSite + "  service \"e\" {\n    kind = echo\n  }\n}\n");
  Checked c(spec, resolve::LoadOptions{.stdlib_dir = dir.path() / "lib"});
  CHECK(c.codes().empty());
  CHECK(c.site().service("e")->containers.at(0).image == "busybox:1.36");
  CHECK(c.result.federation.kind("synapse") == nullptr);
}

TEST_CASE("resolve: a federation of 50 generated sites checks in well under a second") {
  std::string spec = R"(
template "site" {
  tls = acme("ops@example.org")
  node "worker" {
    labels = { dwebstackdomain = site.domain }
  }
  service "synapse" {
    kind = synapse
  }
  service "element" {
    kind = element
  }
  service "mail" {
    kind = deltachat
  }
  service "web" {
    kind = website
  }
}
)";
  for (int i = 0; i < 50; ++i) {
    spec += "site \"s" + std::to_string(i) + "\" {\n  extends = template.site\n  domain  = \"s" +
            std::to_string(i) + ".example.org\"\n}\n";
  }
  const auto start = std::chrono::steady_clock::now();
  auto c = check_text(spec);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(c.codes().empty());
  CHECK(c.result.federation.sites.size() == 50);
  // Generous for sanitizer builds; a release build takes milliseconds.
  CHECK(elapsed < std::chrono::milliseconds(500));
}

TEST_CASE("resolve: a node's addresses, canonical, and what is not one") {
  auto good = check_text(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" {
    labels    = { dwebstackdomain = "kyiv.dcomm.net.ua" }
    addresses = ["10.77.0.2", "2001:DB8::0:7"]
  }
  service "web" { kind = website }
}
)");
  CHECK(good.codes().empty());
  CHECK(good.site().nodes.at(0).addresses == std::vector<std::string>{"10.77.0.2", "2001:db8::7"});

  auto bad = check_text(R"(
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = internal
  node "worker" {
    labels    = { dwebstackdomain = "kyiv.dcomm.net.ua" }
    addresses = ["kyiv.dcomm.net.ua", "10.77.0.0/24", "10.77.0.2", "10.77.0.2"]
  }
  service "web" { kind = website }
}
)");
  CHECK(bad.codes() == Codes{"E0417", "E0417", "E0417"});
  CHECK(bad.diags.all().at(0).message == "'kyiv.dcomm.net.ua' is not an IP address");
  CHECK(bad.diags.all().at(1).message == "'10.77.0.0/24' is a network, not an address");
  CHECK(bad.diags.all().at(2).message == "node 'worker' lists the address 10.77.0.2 twice");
  // What was valid is kept, once.
  CHECK(bad.site().nodes.at(0).addresses == std::vector<std::string>{"10.77.0.2"});
}

TEST_CASE("resolve: an images entry no site's container uses is W0505, with the nearest image") {
  auto c = check_text(R"(
template "t" {
  tls    = internal
  images = {
    "matrixdotorg/synapse:v1.163.0" = "mirror.lan/synapse:v1.163.0"
    "matrixdotorg/synapse:v1.16.3"  = "mirror.lan/synapse:v1.16.3"
    "equalitie/ceno-client:v0.21.2" = "mirror.lan/ceno:v0.21.2"
  }
  node "worker" { labels = { dwebstackdomain = site.domain } }
  node "bridge" { labels = { role = "bridge" } }
  service "synapse" { kind = synapse  on = node.worker }
}
site "a" {
  extends = template.t
  domain  = "a.dcomm.net.ua"
}
site "b" {
  extends = template.t
  domain  = "b.dcomm.net.ua"
  service "bridge" { kind = ceno  on = node.bridge }
}
)");
  // CENO's entry is used by site b only, which is enough; the misspelt
  // Synapse tag is reported once, not once per site.
  REQUIRE(c.codes() == Codes{"W0505"});
  const Diagnostic& warning = c.diags.all().at(0);
  CHECK(warning.severity == Severity::warning);
  CHECK(warning.message == "no container's image is 'matrixdotorg/synapse:v1.16.3': this images entry replaces nothing");
  CHECK(warning.help == "did you mean \"matrixdotorg/synapse:v1.163.0\"?");
  CHECK(c.site(0).services.at(0).containers.at(0).image == "mirror.lan/synapse:v1.163.0");
}

TEST_CASE("resolve: a kind's pinned day reaches its containers; a service's own image has none") {
  auto c = check_text(R"(
kind "pad" {
  image  = "etherpad/etherpad:2.2.6"
  pinned = "2026-11-26"
}
site "a" {
  domain = "a.dcomm.net.ua"
  tls    = internal
  node "worker" { labels = { dwebstackdomain = site.domain } }
  service "notes" { kind = pad }
  service "wiki"  { kind = pad  image = "mirror.lan/etherpad:2.2.6" }
}
)");
  REQUIRE(c.codes().empty());
  CHECK(c.site(0).services.at(0).containers.at(0).pinned == "2026-11-26");
  CHECK(c.site(0).services.at(1).containers.at(0).pinned.empty());
}

TEST_CASE("resolve: a pinned day that is not a date is E0311") {
  auto c = check_text(R"(
kind "pad" {
  image  = "etherpad/etherpad:2.2.6"
  pinned = "2026-02-30"
}
site "a" {
  domain = "a.dcomm.net.ua"
  tls    = internal
  node "worker" { labels = { dwebstackdomain = site.domain } }
  service "notes" { kind = pad }
}
)");
  REQUIRE(c.codes() == Codes{"E0311"});
  CHECK(c.diags.all().at(0).message == "'pinned' must be a date, not \"2026-02-30\"");
}

}  // namespace dcomm
