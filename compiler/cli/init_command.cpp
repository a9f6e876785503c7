// dcommc init: a new site spec from a few answers. Asks on a terminal,
// takes flags in scripts, and reads the seed scripts' DWEB_DOMAIN and
// DWEB_ONION, so an operator of the old scripts migrates in one command.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <set>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "driver/pipeline.hpp"
#include "format/formatter.hpp"
#include "source/utf8.hpp"
#include "syntax/parser.hpp"
#include "util/files.hpp"
#include "validate/names.hpp"
#include "validate/onion.hpp"

namespace dcomm::cli {

namespace {

const std::vector<std::string> kServices = {"matrix", "mail", "bridge", "bots", "web"};

struct InitOptions {
  std::string title;  ///< the community's name as people write it, from --name
  std::string name;   ///< the site's identifier, derived from the title or the domain
  std::string domain;
  std::string onion;
  std::string tls;  ///< acme, internal or off
  std::string email;
  std::vector<std::string> services;
  std::string out;  ///< file to write; "-" for standard output
  bool force = false;
};

std::string from_env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

/// The site's identifier from the name people use: lower-case ASCII
/// letters and digits kept, every other run of characters one '-', at most
/// 24 characters (validate::check_name); "Kyiv Mesh #2" is "kyiv-mesh-2".
/// The domain's first label when nothing is left ("Київ").
std::string site_identifier(std::string_view title, std::string_view domain) {
  auto slug = [](std::string_view text) {
    std::string out;
    for (char c : text) {
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
      if (keep) out += lower;
      else if (!out.empty() && out.back() != '-') out += '-';
    }
    out = out.substr(0, 24);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
  };
  const std::string from_title = slug(title);
  return from_title.empty() ? slug(domain.substr(0, domain.find('.'))) : from_title;
}

bool interactive() { return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1; }

/// Asks until `check` accepts the answer (empty = the default).
std::string ask(const std::string& question, const std::string& fallback,
                const std::function<std::optional<std::string>(const std::string&)>& check) {
  for (;;) {
    std::cerr << question << (fallback.empty() ? "" : " [" + fallback + "]") << ": " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) return fallback;
    if (answer.empty()) answer = fallback;
    if (auto problem = check(answer); !problem) return answer;
    else std::cerr << "  " << *problem << '\n';
  }
}

std::optional<std::string> problem_text(const std::optional<validate::Problem>& problem) {
  if (!problem) return std::nullopt;
  return problem->message + "; " + problem->help;
}

std::optional<std::string> check_tls(const std::string& tls) {
  if (tls == "acme" || tls == "internal" || tls == "off") return std::nullopt;
  return "answer acme (Let's Encrypt), internal (private CA, offline networks) or off (onion only)";
}

/// Fills what flags and the environment left open, asking on a terminal.
bool complete(InitOptions& o) {
  if (o.domain.empty()) o.domain = from_env("DWEB_DOMAIN");
  if (o.onion.empty()) o.onion = from_env("DWEB_ONION");
  const bool ask_user = interactive();
  if (o.domain.empty() && ask_user) {
    o.domain = ask("Domain of the site (e.g. kyiv.dcomm.net.ua)", "",
                   [](const std::string& d) { return problem_text(validate::check_domain(d)); });
  }
  if (o.domain.empty()) {
    print_run_error("no domain: pass --domain or set DWEB_DOMAIN");
    return false;
  }
  o.name = site_identifier(o.title, o.domain);
  if (ask_user && o.onion.empty()) {
    o.onion = ask("Tor onion address (empty for none)", "", [](const std::string& a) {
      return a.empty() ? std::nullopt : problem_text(validate::check_onion(a));
    });
  }
  if (o.tls.empty()) {
    o.tls = ask_user ? ask("TLS: acme, internal or off", "acme", check_tls) : "acme";
  }
  if (o.tls == "acme" && o.email.empty()) {
    o.email = ask_user ? ask("Contact email for Let's Encrypt", "ops@" + o.domain,
                             [](const std::string& e) { return problem_text(validate::check_email(e)); })
                       : "ops@" + o.domain;
  }
  if (o.services.empty()) o.services = kServices;
  return true;
}

/// The first problem with the answers, for flags given non-interactively.
std::optional<std::string> invalid(const InitOptions& o) {
  if (find_invalid_utf8(o.title)) return "--name: not valid UTF-8 text";
  if (std::any_of(o.title.begin(), o.title.end(), [](char c) { return c >= 0 && c < 0x20; })) {
    return "--name: a control character (a line break?) in the name; write it on one line";
  }
  if (auto p = problem_text(validate::check_domain(o.domain))) return "--domain: " + *p;
  if (!o.onion.empty()) {
    if (auto p = problem_text(validate::check_onion(o.onion))) return "--onion: " + *p;
  }
  if (auto p = check_tls(o.tls)) return "--tls: " + *p;
  if (o.tls == "acme") {
    if (auto p = problem_text(validate::check_email(o.email))) return "--email: " + *p;
  }
  for (const auto& service : o.services) {
    if (std::find(kServices.begin(), kServices.end(), service) == kServices.end()) {
      return fmt::format("--services: unknown '{}'; choose from {}", service, fmt::join(kServices, ", "));
    }
  }
  return std::nullopt;
}

std::string spec_text(const InitOptions& o) {
  const std::set<std::string> wanted(o.services.begin(), o.services.end());
  const bool bridge = wanted.count("bridge") != 0;
  std::string tls = o.tls == "acme" ? fmt::format("acme(\"{}\")", o.email) : o.tls;
  // The file it goes to, as the comment names it (NAME.dcomm for stdout, or a name a comment cannot hold).
  std::string file = std::filesystem::path(o.out).filename().string();
  if (o.out.empty() || o.out == "-" || std::any_of(file.begin(), file.end(), [](char c) { return c >= 0 && c < 0x20; })) {
    file = o.name + ".dcomm";
  }
  std::string text = fmt::format("# The {} community server. Written by `dcommc init`; build it with\n"
                                 "#   dcommc {} -o out/\n\n"
                                 "site \"{}\" {{\n  domain = \"{}\"\n",
                                 o.title.empty() ? o.name : o.title, file, o.name, o.domain);
  if (!o.onion.empty()) text += fmt::format("  onion = \"{}\"\n", o.onion);
  text += fmt::format("  tls = {}\n\n", tls);
  text += fmt::format("  node \"worker\" {{\n    labels = {{ dwebstackdomain = \"{}\" }}\n  }}\n", o.domain);
  if (bridge) text += "  node \"bridge\" {\n    labels = { dwebstackrole = \"bridge\" }\n  }\n";
  const std::string on_worker = bridge ? "    on = node.worker\n" : "";
  if (wanted.count("matrix")) {
    text += "\n  service \"synapse\" {\n    kind = synapse\n" + on_worker + "  }\n";
    // The name people know the community by is what Element shows.
    const std::string brand = o.title.empty() ? "" : "    brand = " + format::quote(o.title) + "\n";
    text += "\n  service \"element\" {\n    kind = element\n" + on_worker + brand + "  }\n";
  }
  if (wanted.count("mail")) text += "\n  service \"mail\" {\n    kind = deltachat\n" + on_worker + "  }\n";
  if (bridge) text += "\n  service \"bridge\" {\n    kind = ceno\n    on = node.bridge\n  }\n";
  if (wanted.count("bots") && wanted.count("matrix")) {
    text += "\n  service \"bots\" {\n    kind = maubot\n" + on_worker + "  }\n";
  }
  if (wanted.count("web")) text += "\n  service \"web\" {\n    kind = website\n" + on_worker + "  }\n";
  return text + "}\n";
}

int run_init(InitOptions options) {
  if (!complete(options)) return kExitFailure;
  if (auto problem = invalid(options)) {
    print_run_error(*problem);
    return kExitFailure;
  }
  if (options.out.empty()) options.out = options.name + ".dcomm";
  // Canonical layout, and a last check through the real front end.
  SourceMap sources;
  Diagnostics diags;
  const FileId id = sources.add(options.name + ".dcomm", spec_text(options));
  const std::string text = format::format_file(syntax::parse(sources, id, diags), sources.file(id));
  if (diags.has_errors()) {
    print_run_error("internal error: init wrote a spec that does not parse; please report it");
    return kExitFailure;
  }

  if (options.out == "-") {
    std::cout << text;
    return kExitOk;
  }
  std::error_code ec;
  if (!options.force && std::filesystem::exists(options.out, ec)) {
    print_run_error(fmt::format("{} exists; pass --force to replace it, or -o another file", options.out));
    return kExitFailure;
  }
  std::string error;
  if (!util::write_file_atomically(options.out, text, error)) {
    print_run_error(fmt::format("cannot write {}: {}", options.out, error));
    return kExitFailure;
  }
  std::cerr << fmt::format("wrote {}\nnext: dcommc check {} && dcommc {} -o out/\n", options.out, options.out,
                           options.out);
  return kExitOk;
}

}  // namespace

void add_init_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<InitOptions>();
  CLI::App* command = app.add_subcommand(
      "init", "Write a new site spec from a few answers (asks on a terminal; flags for scripts)");
  command->add_option("--name", options->title,
                      "The community's name, as people write it (\"Kyiv Mesh\"): Element shows it, and the "
                      "site's identifier is made from it (default: the domain's first label)");
  command->add_option("--domain", options->domain, "The site's domain (default: $DWEB_DOMAIN)");
  command->add_option("--onion", options->onion, "Its Tor v3 onion address (default: $DWEB_ONION)");
  command->add_option("--tls", options->tls, "acme (default), internal or off");
  command->add_option("--email", options->email, "ACME contact (default: ops@DOMAIN)");
  command->add_option("--services", options->services,
                      "Any of matrix, mail, bridge, bots, web (default: all)")
      ->delimiter(',');
  command->add_option("-o,--out", options->out, "File to write (default: NAME.dcomm; - for stdout)");
  command->add_flag("--force", options->force, "Replace the file if it exists");
  command->footer(
      "Examples:\n"
      "  dcommc init                                   answer a few questions\n"
      "  dcommc init --domain kyiv.dcomm.net.ua --tls internal -o kyiv.dcomm\n"
      "  DWEB_DOMAIN=kyiv.dcomm.net.ua DWEB_ONION=....onion dcommc init   from the seed's scripts");
  command->callback([options, &exit_code] { exit_code = run_init(*options); });
}

}  // namespace dcomm::cli
