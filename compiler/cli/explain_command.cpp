// dcommc explain [CODE] : the long explanation of a diagnostic code.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "diag/codes.hpp"

namespace dcomm::cli {

namespace {

void list_codes() {
  std::cout << "Diagnostic codes (run `dcommc explain CODE` for one):\n";
  for (const CodeInfo& info : all_codes()) {
    std::cout << fmt::format("  {}  {:<7}  {}\n", info.code, to_string(info.severity), info.title);
  }
}

int run_explain(std::string code) {
  if (code.empty()) {
    list_codes();
    return kExitOk;
  }
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto page = explain_page(code);
  if (!page) {
    print_run_error(fmt::format(
        "no diagnostic code '{}'; codes look like E0202 (run `dcommc explain` to list them)", code));
    return kExitFailure;
  }
  std::cout << *page;
  return kExitOk;
}

}  // namespace

void add_explain_command(CLI::App& app, int& exit_code) {
  auto code = std::make_shared<std::string>();
  CLI::App* command =
      app.add_subcommand("explain", "Explain a diagnostic code, with examples and fixes");
  command->add_option("code", *code, "A code such as E0202; omit it to list every code");
  command->footer("Example:\n  dcommc explain E0202");
  command->callback([code, &exit_code] { exit_code = run_explain(*code); });
}

}  // namespace dcomm::cli
