#pragma once
// Each subcommand registers itself on the CLI11 app (main.cpp lists them,
// one line each) and stores its exit status in `exit_code` when it runs.
//
// Exit status everywhere: 0 success, 1 a failure of any kind (problems in
// a spec, a usage error, a file that cannot be read or written); plan
// alone exits 2, when a build would change something.

#include <CLI/CLI.hpp>

namespace dcomm::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;

void add_build_command(CLI::App& app, int& exit_code);
void add_check_command(CLI::App& app, int& exit_code);
void add_fmt_command(CLI::App& app, int& exit_code);
void add_explain_command(CLI::App& app, int& exit_code);
void add_plan_command(CLI::App& app, int& exit_code);
void add_graph_command(CLI::App& app, int& exit_code);
void add_images_command(CLI::App& app, int& exit_code);
void add_init_command(CLI::App& app, int& exit_code);
void add_lsp_command(CLI::App& app, int& exit_code);
void add_secrets_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);

}  // namespace dcomm::cli
