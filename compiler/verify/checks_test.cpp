// What `dcommc verify` checks, planned from the spec alone.

#include "verify/checks.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "driver/pipeline.hpp"
#include "util/files.hpp"

namespace dcomm::verify {

namespace {

/// The example `file`, with `from` replaced by `to` when given, checked by
/// the front end without errors.
struct Example {
  SourceMap sources;
  Diagnostics diags;
  Compilation compilation;

  explicit Example(const char* file, const std::string& from = "", const std::string& to = "") {
    std::string error;
    const auto path = std::filesystem::path(DCOMMC_SOURCE_DIR) / "examples" / file;
    auto text = util::read_file(path, error);
    REQUIRE(text);
    if (!from.empty()) {
      const auto at = text->find(from);
      REQUIRE(at != std::string::npos);
      text->replace(at, from.size(), to);
    }
    compilation = check_file(sources, sources.add(path.string(), std::move(*text)), diags);
    REQUIRE_FALSE(diags.has_errors());
  }
};

/// Each check of site `site` as "KIND URL [FIELD=EXPECT]".
std::vector<std::string> planned(const Example& example, const std::string& site) {
  std::vector<std::string> out;
  for (const auto& s : example.compilation.federation.sites) {
    if (s.name != site) continue;
    for (const Check& check : plan_checks(example.compilation.federation, s)) {
      static const char* kinds[] = {"page", "json", "contains", "starttls", "tls", "greeting"};
      std::string line = std::string(kinds[static_cast<int>(check.kind)]) + " " + check.url;
      if (!check.field.empty()) line += " " + check.field + "=" + check.expect;
      if (check.kind == Check::Kind::contains) line += " " + check.expect;
      out.push_back(line);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("verify plan: every name, Matrix, Element, mail and the onion of kyiv, in that order") {
  const std::string onion = "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion";
  CHECK(planned(Example("kyiv.dcomm"), "kyiv") ==
        std::vector<std::string>{
            "page https://kyiv.dcomm.net.ua/",
            "page https://matrix.kyiv.dcomm.net.ua/",
            "page https://chat.kyiv.dcomm.net.ua/",
            "contains https://matrix.kyiv.dcomm.net.ua/_matrix/client/versions \"versions\"",
            "json https://matrix.kyiv.dcomm.net.ua/.well-known/matrix/client "
            "m.homeserver/base_url=https://matrix.kyiv.dcomm.net.ua",
            "json https://matrix.kyiv.dcomm.net.ua/.well-known/matrix/server m.server=matrix.kyiv.dcomm.net.ua:8448",
            "contains https://matrix.kyiv.dcomm.net.ua:8448/_matrix/federation/v1/version \"server\"",
            "json https://chat.kyiv.dcomm.net.ua/config.json "
            "default_server_config/m.homeserver/base_url=https://matrix.kyiv.dcomm.net.ua",
            "starttls smtp://kyiv.dcomm.net.ua:25",
            "starttls smtp://kyiv.dcomm.net.ua:587",
            "starttls imap://kyiv.dcomm.net.ua:143",
            "tls imaps://kyiv.dcomm.net.ua:993",
            "page http://" + onion + "/",
            "page http://matrix." + onion + "/",
            "page http://chat." + onion + "/",
        });
}

TEST_CASE("verify plan: a site whose Synapse does not federate gets no federation checks") {
  const Example closed("kyiv.dcomm", "federation   = true", "federation   = false");
  const auto lines = planned(closed, "kyiv");
  CHECK(lines.size() == 13);
  for (const std::string& line : lines) CHECK(line.find("federation") == std::string::npos);
}

TEST_CASE("verify plan: an onion-only site is checked through Tor, Matrix included") {
  const Example onion_only("kyiv.dcomm", "tls     = acme(\"ops@dcomm.net.ua\")", "tls     = off");
  const auto& federation = onion_only.compilation.federation;
  const auto checks = plan_checks(federation, federation.sites.front());
  REQUIRE_FALSE(checks.empty());
  for (const Check& check : checks) {
    INFO(check.url);
    CHECK(check.onion == (check.url.find(".onion") != std::string::npos));
    CHECK(check.url.find("https://") == std::string::npos);
    CHECK(check.kind != Check::Kind::starttls);  // no certificate: its mail only greets
    CHECK(check.kind != Check::Kind::tls);
  }
}

}  // namespace dcomm::verify
