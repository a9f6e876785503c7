// dcommc verify SPEC: after `docker stack deploy`, checks each site from
// the outside as its users reach it (verify/checks.hpp, verify/probe.hpp).
// Exit 1 on any failure, with a hint for each.

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/load_spec.hpp"
#include "cli/output.hpp"
#include "verify/checks.hpp"
#include "verify/probe.hpp"

namespace dcomm::cli {

namespace {

struct VerifyOptions {
  std::string spec;
  std::vector<std::string> sites;
  std::string format = "text";
  bool quiet = false;  ///< text: failures only
  verify::ProbeOptions probe;
  SpecReading reading;
};

const char* word(verify::Outcome::Status status) {
  switch (status) {
    case verify::Outcome::Status::ok: return "ok";
    case verify::Outcome::Status::failed: return "FAIL";
    case verify::Outcome::Status::skipped: return "skip";
  }
  return "?";
}

struct Tally {
  std::size_t ok = 0, failed = 0, skipped = 0;
  void count(verify::Outcome::Status status) {
    (status == verify::Outcome::Status::ok ? ok : status == verify::Outcome::Status::failed ? failed : skipped)++;
  }
};

int run_verify(const VerifyOptions& options) {
  const CheckedSpec checked = check_spec(options.spec, options.reading);
  if (checked.status != kExitOk) return checked.status;
  const auto& sites = checked.compilation.federation.sites;
  for (const std::string& name : options.sites) {
    if (std::none_of(sites.begin(), sites.end(), [&](const model::Site& site) { return site.name == name; })) {
      print_run_error(fmt::format("{} declares no site '{}'", options.spec, name));
      return kExitFailure;
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Tally tally;
  nlohmann::json report = nlohmann::json::array();
  for (const model::Site& site : sites) {
    if (!options.sites.empty() &&
        std::find(options.sites.begin(), options.sites.end(), site.name) == options.sites.end()) {
      continue;
    }
    const auto checks = verify::plan_checks(checked.compilation.federation, site);
    std::size_t what_width = 0, url_width = 0;
    for (const auto& check : checks) {
      what_width = std::max(what_width, check.what.size());
      url_width = std::max(url_width, check.url.size());
    }
    const bool text = options.format == "text";
    if (text && !options.quiet) std::cout << fmt::format("site {}\n", site.name);
    nlohmann::json listed = nlohmann::json::array();
    for (const auto& check : checks) {
      const verify::Outcome outcome = verify::probe(check, options.probe, site.name);
      tally.count(outcome.status);
      if (text && !options.quiet) {
        std::cout << fmt::format("  {:<4}  {:<{}}  {:<{}}  {}\n", word(outcome.status), check.what, what_width,
                                 check.url, url_width, outcome.detail);
        if (!outcome.hint.empty()) std::cout << fmt::format("        {}\n", outcome.hint);
      } else if (text && outcome.status == verify::Outcome::Status::failed) {
        std::cout << fmt::format("{}: {} {}: {}\n  {}\n", site.name, check.what, check.url, outcome.detail,
                                 outcome.hint);
      }
      listed.push_back({{"what", check.what},
                        {"url", check.url},
                        {"status", word(outcome.status)},
                        {"detail", outcome.detail},
                        {"hint", outcome.hint}});
    }
    report.push_back({{"site", site.name}, {"checks", listed}});
    if (text && !options.quiet) std::cout << '\n';
  }
  curl_global_cleanup();
  if (options.format == "json") {
    std::cout << nlohmann::json{{"sites", report}, {"ok", tally.ok}, {"failed", tally.failed}, {"skipped", tally.skipped}}
                     .dump(2)
              << '\n';
  } else if (!options.quiet) {
    std::cout << fmt::format("{} checks: {} ok, {} failed, {} skipped\n", tally.ok + tally.failed + tally.skipped,
                             tally.ok, tally.failed, tally.skipped);
  }
  return tally.failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void add_verify_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* command =
      app.add_subcommand("verify", "Check deployed sites from the outside, as their users reach them");
  command->add_option("spec", options->spec, "The .dcomm spec the sites were built from")->required();
  command->add_option("--site", options->sites, "Check only this site (repeatable)");
  command->add_option("--cacert", options->probe.cacert,
                      "Trust this root too: OUT/federation-ca/root.crt for sites with tls = internal")
      ->check(CLI::ExistingFile);
  // A malformed entry would be ignored by libcurl without a word: refuse it here.
  const CLI::Validator host_port_address(
      [](std::string& entry) -> std::string {
        const auto first = entry.find(':'), second = entry.find(':', first + 1);
        if (first == 0 || first == std::string::npos || second == std::string::npos || second == first + 1 ||
            second + 1 == entry.size()) {
          return entry + " is not HOST:PORT:ADDRESS (e.g. matrix.kyiv.example:443:203.0.113.7)";
        }
        return "";
      },
      "HOST:PORT:ADDRESS");
  const CLI::Validator host_port(
      [](std::string& entry) -> std::string {
        const auto colon = entry.rfind(':');
        if (colon == 0 || colon == std::string::npos || colon + 1 == entry.size()) {
          return entry + " is not HOST:PORT (e.g. 127.0.0.1:9050)";
        }
        return "";
      },
      "HOST:PORT");
  command
      ->add_option("--resolve", options->probe.resolve,
                   "Reach HOST there instead of asking DNS, as curl's --resolve (repeatable)")
      ->check(host_port_address);
  command
      ->add_option("--tor-socks", options->probe.tor_socks,
                   "A Tor SOCKS port, to check the onion addresses (e.g. 127.0.0.1:9050)")
      ->check(host_port);
  command->add_option("--timeout", options->probe.timeout_seconds, "Seconds each check may take (default 10)")
      ->check(CLI::Range(1, 600));
  command->add_option("--format", options->format, "text (the default) or json")->check(CLI::IsMember({"text", "json"}));
  add_quiet_option(*command, options->quiet);
  add_spec_reading_options(*command, options->reading, /*diagnostics_format=*/false);
  command->footer(
      "Checks, per site: HTTPS on every name it answers to (the certificate valid for it), the\n"
      "Matrix client API and the delegation files, the federation API, Element's config.json\n"
      "(that it names this spec's homeserver), the mail ports with TLS (STARTTLS on 25 and 587,\n"
      "TLS on 993), and the onion address through --tor-socks. Nothing is logged in to, and no\n"
      "mail is sent. Exit status: 0 every check passed, 1 a check failed (each with a hint).\n\n"
      "Examples:\n"
      "  dcommc verify site.dcomm\n"
      "  dcommc verify site.dcomm --site kyiv --tor-socks 127.0.0.1:9050 --format json\n"
      "  dcommc verify site.dcomm --cacert out/federation-ca/root.crt");
  command->callback([options, &exit_code] { exit_code = run_verify(*options); });
}

}  // namespace dcomm::cli
