// The resolver's kinds: implicit services, image and memory overrides,
// images = { ... } mirrors, a user's own kinds and their secrets, the
// stdlib replaced, and pinned days.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "resolve/resolve_test_support.hpp"

namespace dcomm {

using namespace resolve_testing;

namespace {

/// A kind "pad" whose image was pinned on `day`.
std::string pinned_pad(const std::string& day) {
  return "kind \"pad\" {\n  image  = \"etherpad/etherpad:2.2.6\"\n  pinned = \"" + day + "\"\n}\n";
}

}  // namespace

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

TEST_CASE("resolve: --stdlib replaces the built-in kinds") {
  SpecDir dir;
  dir.write("lib/tiny.dcomm", "kind \"echo\" {\n  image = \"busybox:1.36\"\n  ports = [7/tcp]\n}\n");
  const fs::path spec = dir.write("site.dcomm", kMinimalSite + "  service \"e\" {\n    kind = echo\n  }\n}\n");
  Checked c(spec, resolve::LoadOptions{.stdlib_dir = dir.path() / "lib"});
  CHECK(c.codes().empty());
  CHECK(c.site().service("e")->containers.at(0).image == "busybox:1.36");
  CHECK(c.result.federation.kind("synapse") == nullptr);
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
  auto c = check_text(pinned_pad("2026-11-26") + kMinimalSite + R"(
  service "notes" { kind = pad }
  service "wiki"  { kind = pad  image = "mirror.lan/etherpad:2.2.6" }
}
)");
  REQUIRE(c.codes().empty());
  CHECK(c.site(0).services.at(0).containers.at(0).pinned == "2026-11-26");
  CHECK(c.site(0).services.at(1).containers.at(0).pinned.empty());
}

TEST_CASE("resolve: a pinned day that is not a date is E0311") {
  auto c = check_text(pinned_pad("2026-02-30") + kMinimalSite + "  service \"notes\" { kind = pad }\n}\n");
  REQUIRE(c.codes() == Codes{"E0311"});
  CHECK(c.diags.all().at(0).message == "'pinned' must be a date, not \"2026-02-30\"");
}

}  // namespace dcomm
