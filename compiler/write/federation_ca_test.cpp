// The offline federation's certificate authority: real X.509 made by
// OpenSSL, kept like a secret, never regenerated unless asked, and each
// site's intermediate issued, kept and re-issued when it must be.

#include "write/federation_ca.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "write/build_test_support.hpp"
#include "write/certificates.hpp"

namespace dcomm::build {

namespace {

namespace fs = std::filesystem;
using testing::Compiled;
using testing::OutDir;
using testing::read;

fs::path offline_spec() { return fs::path(DCOMMC_SOURCE_DIR) / "tests/validate/specs/offline.dcomm"; }

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

/// The site's intermediate: certificate and key, as the build kept them.
struct Intermediate {
  std::string certificate;
  std::string key;
};

Intermediate intermediate_of(const fs::path& out, const std::string& site) {
  return {read(out / site / "secrets/caddy_ca_certificate"), read(out / site / "secrets/caddy_ca_key")};
}

int generation(const fs::path& out, const std::string& site, const std::string& secret) {
  return nlohmann::json::parse(read(out / site / "secrets/generations.json")).at(secret).get<int>();
}

}  // namespace

TEST_CASE("federation CA: a root and a name-constrained intermediate, checked by OpenSSL") {
  const std::string root_key = new_private_key();
  const std::string root = new_root_certificate(root_key, "test root");
  CHECK(key_matches(root_key, root));
  const std::string key = new_private_key();
  const std::string cert = issue_intermediate(root_key, root, key, "north.mesh");
  CHECK(is_intermediate_for(cert, key, root, "north.mesh"));

  SECTION("not for another domain, key or root") {
    CHECK_FALSE(is_intermediate_for(cert, key, root, "south.mesh"));
    CHECK_FALSE(is_intermediate_for(cert, new_private_key(), root, "north.mesh"));
    const std::string other_key = new_private_key();
    CHECK_FALSE(is_intermediate_for(cert, key, new_root_certificate(other_key, "other"), "north.mesh"));
    CHECK_FALSE(key_matches(other_key, root));
  }
  SECTION("nothing readable is nothing issued") {
    CHECK_FALSE(is_intermediate_for("", key, root, "north.mesh"));
    CHECK_FALSE(is_intermediate_for("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n", key, root,
                                    "north.mesh"));
    CHECK_THROWS_AS(issue_intermediate(root_key, root, "not a key", "north.mesh"), std::runtime_error);
  }
  SECTION("every draw is new") {
    CHECK(new_private_key() != new_private_key());
    CHECK(issue_intermediate(root_key, root, key, "north.mesh") != cert);  // serial, signature
  }
}

TEST_CASE("federation CA: built once for every tls = internal site, and kept") {
  const Compiled spec(offline_spec());
  OutDir out;
  spec.build({.out = out.path});
  const fs::path root_crt = out.path / "federation-ca/root.crt";
  const fs::path root_key = out.path / "federation-ca/root.key";
  const std::string root = read(root_crt);
  REQUIRE(!root.empty());
  CHECK(mode_of(root_crt) == 0644);
  CHECK(mode_of(root_key) == 0600);
  CHECK(key_matches(read(root_key), root));
  CHECK(read(out.path / ".gitignore").find("\nfederation-ca/root.key\n") != std::string::npos);
  for (const std::string site : {"north", "south"}) {
    INFO(site);
    const Intermediate ca = intermediate_of(out.path, site);
    CHECK(is_intermediate_for(ca.certificate, ca.key, root, site + ".mesh"));
    CHECK(mode_of(out.path / site / "secrets/caddy_ca_key") == 0600);
    CHECK(read(out.path / site / "caddy/federation-ca.crt") == root);
    CHECK(read(out.path / site / "synapse/federation-ca.crt") == root);
  }
  const Intermediate north = intermediate_of(out.path, "north");

  SECTION("a rebuild keeps the root and every intermediate") {
    const WriteResult again = spec.build({.out = out.path, .full = true});
    CHECK(again.written.empty());
    CHECK(read(root_crt) == root);
    CHECK(intermediate_of(out.path, "north").certificate == north.certificate);
  }
  SECTION("the root key may be kept offline while nothing needs signing") {
    fs::remove(root_key);
    CHECK(spec.build({.out = out.path, .full = true}).written.empty());
    CHECK_FALSE(fs::exists(root_key));
    // A rotated intermediate needs it: the build says where it must be, and writes nothing.
    const std::string error = spec.build_error({.out = out.path, .rotate = {"caddy_ca_key"}});
    CHECK(error.find("north.mesh needs a new intermediate certificate") != std::string::npos);
    CHECK(error.find(root_key.string()) != std::string::npos);
    CHECK(intermediate_of(out.path, "north").key == north.key);
  }
  SECTION("a rotated intermediate key gets a certificate of its own, under new swarm names") {
    spec.build({.out = out.path, .rotate = {"caddy_ca_key"}});
    const Intermediate rotated = intermediate_of(out.path, "north");
    CHECK(rotated.key != north.key);
    CHECK(is_intermediate_for(rotated.certificate, rotated.key, root, "north.mesh"));
    CHECK(generation(out.path, "north", "caddy_ca_key") == 2);
    CHECK(generation(out.path, "north", "caddy_ca_certificate") == 2);
    CHECK(read(out.path / "north/stack.yml").find("dcomms-north_caddy_ca_certificate_v2") != std::string::npos);
  }
  SECTION("--rotate-secrets federation_ca: a new root, every intermediate issued again under it") {
    spec.build({.out = out.path, .rotate = {std::string(kFederationCaSecret)}});
    const std::string new_root = read(root_crt);
    CHECK(new_root != root);
    CHECK(key_matches(read(root_key), new_root));
    for (const std::string site : {"north", "south"}) {
      INFO(site);
      const Intermediate ca = intermediate_of(out.path, site);
      CHECK(is_intermediate_for(ca.certificate, ca.key, new_root, site + ".mesh"));
      CHECK(generation(out.path, site, "caddy_ca_certificate") == 2);
      CHECK(read(out.path / site / "synapse/federation-ca.crt") == new_root);
    }
  }
  SECTION("root.key holds the certificate too: a lost root.crt is written again from it") {
    CHECK(certificate_in(read(root_key)) == root);
    fs::remove(root_crt);
    spec.build({.out = out.path, .full = true});
    CHECK(read(root_crt) == root);
    CHECK(intermediate_of(out.path, "north").certificate == north.certificate);
  }
  SECTION("a damaged root.key stops the build, saying how to recover") {
    std::ofstream(root_key, std::ios::trunc) << "-----BEGIN PRIVATE KEY-----\nnot a key\n";
    const std::string error = spec.build_error({.out = out.path, .full = true});
    CHECK(error.find("does not hold the federation's private key followed by its certificate") !=
          std::string::npos);
    CHECK(error.find("--rotate-secrets federation_ca") != std::string::npos);
  }
  SECTION("a root key readable by others stops the build") {
    fs::permissions(root_key, fs::perms::others_read, fs::perm_options::add);
    CHECK(spec.build_error({.out = out.path, .full = true}).find("can be read by other users") !=
          std::string::npos);
  }
}

TEST_CASE("federation CA: none without a tls = internal site") {
  const Compiled spec(fs::path(DCOMMC_SOURCE_DIR) / "examples/kyiv.dcomm");
  OutDir out;
  spec.build({.out = out.path});
  CHECK_FALSE(fs::exists(out.path / "federation-ca"));
  CHECK(spec.build_error({.out = out.path, .rotate = {std::string(kFederationCaSecret)}})
            .find("no secret named 'federation_ca'") != std::string::npos);
}

}  // namespace dcomm::build
