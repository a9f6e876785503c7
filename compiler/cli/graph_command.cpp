// dcommc graph SPEC [--format dot|svg]: the deployment as a picture.

#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/load_spec.hpp"
#include "graph/dot.hpp"

namespace dcomm::cli {

namespace {

struct GraphOptions {
  std::string spec;
  std::string format = "dot";
  SpecReading reading;
};

/// Pipes DOT through Graphviz's `dot -Tsvg`.
int print_svg(const std::string& dot) {
  FILE* pipe = ::popen("dot -Tsvg", "w");
  if (!pipe) {
    print_run_error("cannot run Graphviz's dot; install it (apt-get install graphviz) or use --format dot");
    return kExitFailure;
  }
  std::fwrite(dot.data(), 1, dot.size(), pipe);
  const int status = ::pclose(pipe);
  if (status != 0) {
    print_run_error("Graphviz's dot failed; is it installed? (apt-get install graphviz)");
    return kExitFailure;
  }
  return kExitOk;
}

int run_graph(const GraphOptions& options) {
  const CheckedSpec checked = check_spec(options.spec, options.reading);
  if (checked.status != kExitOk) return checked.status;
  const std::string dot = graph::to_dot(checked.compilation.federation);
  if (options.format == "svg") return print_svg(dot);
  std::cout << dot;
  return kExitOk;
}

}  // namespace

void add_graph_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* command = app.add_subcommand(
      "graph", "Draw sites, nodes, services, ports, routes and dependencies (Graphviz)");
  command->add_option("spec", options->spec, "The .dcomm spec")->required();
  command->add_option("--format", options->format, "dot (text, the default) or svg (needs Graphviz)")
      ->check(CLI::IsMember({"dot", "svg"}));
  add_spec_reading_options(*command, options->reading, /*diagnostics_format=*/false);
  command->footer(
      "Examples:\n"
      "  dcommc graph examples/federation.dcomm > federation.dot\n"
      "  dcommc graph --format svg examples/federation.dcomm > federation.svg");
  command->callback([options, &exit_code] { exit_code = run_graph(*options); });
}

}  // namespace dcomm::cli
