// The resolver's sites: the examples as the seed deploys them, templates
// expanded and overridden, imports followed, node addresses made canonical,
// and a large federation resolved quickly.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "resolve/resolve_test_support.hpp"

namespace dcomm {

using namespace resolve_testing;

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
  // Site kyiv whose node lists `addresses`.
  const auto with_addresses = [](const std::string& addresses) {
    std::string text = kMinimalSite + "  service \"web\" { kind = website }\n}\n";
    const std::string labels = "labels = { dwebstackdomain = \"kyiv.dcomm.net.ua\" }\n";
    text.insert(text.find(labels) + labels.size(), "    addresses = " + addresses + "\n");
    return check_text(text);
  };
  auto good = with_addresses(R"(["10.77.0.2", "2001:DB8::0:7"])");
  CHECK(good.codes().empty());
  CHECK(good.site().nodes.at(0).addresses == std::vector<std::string>{"10.77.0.2", "2001:db8::7"});

  auto bad = with_addresses(R"(["kyiv.dcomm.net.ua", "10.77.0.0/24", "10.77.0.2", "10.77.0.2"])");
  CHECK(bad.codes() == Codes{"E0417", "E0417", "E0417"});
  CHECK(bad.diags.all().at(0).message == "'kyiv.dcomm.net.ua' is not an IP address");
  CHECK(bad.diags.all().at(1).message == "'10.77.0.0/24' is a network, not an address");
  CHECK(bad.diags.all().at(2).message == "node 'worker' lists the address 10.77.0.2 twice");
  // What was valid is kept, once.
  CHECK(bad.site().nodes.at(0).addresses == std::vector<std::string>{"10.77.0.2"});
}

TEST_CASE("resolve: a node's ssh_port, 22 unless written, and TCP only") {
  const auto with_ssh_port = [](const std::string& written) {
    std::string text = kMinimalSite + "  service \"web\" { kind = website }\n}\n";
    const std::string labels = "labels = { dwebstackdomain = \"kyiv.dcomm.net.ua\" }\n";
    if (!written.empty()) text.insert(text.find(labels) + labels.size(), "    ssh_port = " + written + "\n");
    return check_text(text);
  };
  auto unset = with_ssh_port("");
  CHECK(unset.codes().empty());
  CHECK(unset.site().nodes.at(0).ssh_port == 22);
  auto set = with_ssh_port("2222/tcp");
  CHECK(set.codes().empty());
  CHECK(set.site().nodes.at(0).ssh_port == 2222);
  auto udp = with_ssh_port("2222/udp");
  CHECK(udp.codes() == Codes{"E0311"});
  CHECK(udp.diags.all().at(0).help == "write ssh_port = 2222/tcp");
  CHECK(with_ssh_port("\"2222\"").codes() == Codes{"E0307"});
  CHECK(with_ssh_port("70000/tcp").codes() == Codes{"E0228"});
}

}  // namespace dcomm
