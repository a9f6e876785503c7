// dcommc secrets list|verify|rotate|seal|unseal: the secrets of an output
// folder across machines and people, never printing a value. seal and
// unseal encrypt with age (Debian's `age`): dcommc implements no
// cryptography of its own.

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "write/out_folder.hpp"
#include "write/secret_bundle.hpp"
#include "write/secret_inventory.hpp"
#include "cli/build_command.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "util/files.hpp"
#include "util/run_program.hpp"

namespace dcomm::cli {

namespace {

namespace fs = std::filesystem;

struct SecretsOptions {
  std::string out;
  std::string format = "text";
  std::string bundle;  ///< empty: OUT/secrets.age
  std::vector<std::string> recipients, recipient_files;
  std::string identity;
  BuildCommandOptions rotate;
};

fs::path bundle_path(const SecretsOptions& options) {
  return options.bundle.empty() ? fs::path(options.out) / "secrets.age" : fs::path(options.bundle);
}

std::string short_digest(const std::string& sha256) { return sha256.empty() ? "-" : sha256.substr(0, 16); }

nlohmann::json to_json(const build::SecretEntry& entry) {
  return {{"site", entry.site},     {"name", entry.name},         {"raw", entry.raw},
          {"file", entry.file.generic_string()}, {"swarm_name", entry.swarm_name}, {"read_by", entry.readers},
          {"modified", entry.modified},         {"sha256", entry.sha256},         {"problems", entry.problems}};
}

int run_list(const SecretsOptions& options) {
  const auto entries = build::secret_inventory(options.out);
  if (options.format == "json") {
    nlohmann::json listed = nlohmann::json::array();
    for (const auto& entry : entries) listed.push_back(to_json(entry));
    std::cout << listed.dump(2) << '\n';
    return kExitOk;
  }
  if (entries.empty()) {
    std::cout << fmt::format("{} has no built site with secrets\n", options.out);
    return kExitOk;
  }
  std::size_t name_width = 6, swarm_width = 10;  // the headings' widths
  for (const auto& entry : entries) {
    name_width = std::max(name_width, entry.name.size());
    swarm_width = std::max(swarm_width, std::max<std::size_t>(entry.swarm_name.size(), 24));
  }
  auto row = [&](std::string_view name, std::string_view swarm, std::string_view modified, std::string_view digest,
                 std::string_view readers) {
    std::cout << fmt::format("  {:<{}}  {:<{}}  {:<16}  {:<16}  {}\n", name, name_width, swarm, swarm_width, modified,
                             digest, readers);
  };
  std::string site;
  for (const auto& entry : entries) {
    if (entry.site != site) {
      site = entry.site;
      std::cout << fmt::format("{}site {}\n", &entry == &entries.front() ? "" : "\n", site);
      row("SECRET", "SWARM NAME", "MODIFIED (UTC)", "SHA-256", "READ BY");
    }
    row(entry.name, entry.swarm_name.empty() ? "(not mounted on its own)" : entry.swarm_name,
        entry.modified.empty() ? "-" : entry.modified, short_digest(entry.sha256),
        entry.readers.empty() ? "-" : fmt::format("{}", fmt::join(entry.readers, ", ")));
  }
  return kExitOk;
}

int run_verify(const SecretsOptions& options) {
  const auto entries = build::secret_inventory(options.out);
  std::size_t bad = 0;
  for (const auto& entry : entries) {
    for (const std::string& problem : entry.problems) std::cout << fmt::format("{}: {}\n", entry.file.string(), problem);
    bad += !entry.problems.empty();
  }
  if (entries.empty()) {
    print_run_error(fmt::format("{} has no built site: nothing to verify", options.out));
    return kExitFailure;
  }
  std::cout << fmt::format("{} of {} secrets are as the last build wrote them\n", entries.size() - bad,
                           entries.size());
  return bad == 0 ? kExitOk : kExitFailure;
}

int run_seal(const SecretsOptions& options) {
  if (options.recipients.empty() && options.recipient_files.empty()) {
    print_run_error("seal needs at least one recipient: -r AGE_PUBLIC_KEY or -R FILE (an age or SSH public key)");
    return kExitFailure;
  }
  std::string error;
  std::size_t count = 0;
  const auto bundle = build::pack_secrets(options.out, count, error);
  if (!bundle) {
    print_run_error(error);
    return kExitFailure;
  }
  // age writes the file itself: its output is as large as the bundle, and
  // a pipe back to us while we feed it would deadlock on a fleet's secrets.
  const fs::path target = bundle_path(options);
  const fs::path partial = target.string() + std::string(util::kTempSuffix) + "seal";
  std::vector<std::string> argv{"age", "--encrypt", "--armor", "--output", partial.string()};
  for (const auto& key : options.recipients) argv.insert(argv.end(), {"--recipient", key});
  for (const auto& file : options.recipient_files) argv.insert(argv.end(), {"--recipients-file", file});
  if (!util::run_program(argv, *bundle, error)) {
    fs::remove(partial);
    print_run_error(fmt::format("sealing failed: {} (is Debian's age installed? apt install age)", error));
    return kExitFailure;
  }
  std::error_code ec;
  fs::rename(partial, target, ec);
  if (ec) {
    print_run_error(fmt::format("cannot write {}: {}", target.string(), ec.message()));
    return kExitFailure;
  }
  std::cerr << fmt::format(
      "sealed {} secret files into {} for {} recipient(s); it is safe to commit. On another machine, after "
      "cloning: dcommc secrets unseal -o {} -i KEY\n",
      count, target.string(), options.recipients.size() + options.recipient_files.size(), options.out);
  return kExitOk;
}

int run_unseal(const SecretsOptions& options) {
  std::string error;
  const fs::path source = bundle_path(options);
  const auto bundle = util::run_program({"age", "--decrypt", "--identity", options.identity, source.string()}, "", error);
  if (!bundle) {
    print_run_error(fmt::format("cannot open {} with {}: {} (age's message above says why)", source.string(),
                                options.identity, error));
    return kExitFailure;
  }
  std::vector<fs::path> written, same;
  if (!build::unpack_secrets(options.out, *bundle, written, same, error)) {
    print_run_error(error);
    return kExitFailure;
  }
  std::cerr << fmt::format("restored {} secret files into {} ({} already there); check them with: dcommc secrets "
                           "verify -o {}\n",
                           written.size(), options.out, same.size(), options.out);
  return kExitOk;
}

CLI::App* add_out(CLI::App& command, SecretsOptions& options) {
  add_out_option(command, options.out, "The output folder a build wrote");
  return &command;
}

}  // namespace

void add_secrets_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SecretsOptions>();
  CLI::App* secrets = app.add_subcommand("secrets", "List, check, rotate and share the secrets of an output folder");
  secrets->require_subcommand(1);
  secrets->footer(
      "Values are never printed. seal and unseal use age (apt install age): a bundle is encrypted\n"
      "to age or SSH public keys and is safe to commit beside the output folder.\n\n"
      "Examples:\n"
      "  dcommc secrets list -o out/\n"
      "  dcommc secrets verify -o out/\n"
      "  dcommc secrets rotate site.dcomm -o out/ synapse_macaroon_key\n"
      "  dcommc secrets seal -o out/ -R ~/.ssh/id_ed25519.pub -r age1...\n"
      "  dcommc secrets unseal -o out/ -i ~/.ssh/id_ed25519");

  CLI::App* list = add_out(*secrets->add_subcommand("list", "Each secret: swarm name, readers, date, SHA-256"), *options);
  list->add_option("--format", options->format, "text (the default) or json")->check(CLI::IsMember({"text", "json"}));
  list->callback([options, &exit_code] { exit_code = run_list(*options); });

  CLI::App* verify = add_out(
      *secrets->add_subcommand("verify", "Check every secret: present, non-empty, 0600, yours, not a link, and "
                                         "the value the last build wrote (exit 1 if not)"),
      *options);
  verify->callback([options, &exit_code] { exit_code = run_verify(*options); });

  CLI::App* rotate =
      secrets->add_subcommand("rotate", "Build with new values for the secrets named (as build --rotate-secrets)");
  rotate->add_option("spec", options->rotate.spec, "The .dcomm spec")->required();
  add_out_option(*rotate, options->rotate.out, "The output folder");
  rotate->add_option("names", options->rotate.changes.rotate, "Secrets to rotate, e.g. synapse_macaroon_key")
      ->required();
  add_allow_option(*rotate, options->rotate.changes.allow);
  add_spec_reading_options(*rotate, options->rotate.reading, /*diagnostics_format=*/false);
  rotate->callback([options, &exit_code] { exit_code = run_build(options->rotate); });

  CLI::App* seal = add_out(*secrets->add_subcommand("seal", "Encrypt every secret of OUT into one bundle, with age"),
                           *options);
  seal->add_option("-r,--recipient", options->recipients, "An age public key (age1...) or SSH public key line");
  seal->add_option("-R,--recipients-file", options->recipient_files, "A file of public keys, one per line")
      ->check(CLI::ExistingFile);
  seal->add_option("--bundle", options->bundle, "Where to write it (default: OUT/secrets.age)");
  seal->callback([options, &exit_code] { exit_code = run_seal(*options); });

  CLI::App* unseal = add_out(
      *secrets->add_subcommand("unseal", "Restore the secrets of a sealed bundle into OUT (never replacing a value)"),
      *options);
  unseal->add_option("-i,--identity", options->identity, "Your age or SSH private key file")
      ->required()
      ->check(CLI::ExistingFile);
  unseal->add_option("--bundle", options->bundle, "The bundle (default: OUT/secrets.age)")->check(CLI::ExistingFile);
  unseal->callback([options, &exit_code] { exit_code = run_unseal(*options); });
}

}  // namespace dcomm::cli
