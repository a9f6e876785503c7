#pragma once
// The build command's options and run, shared with `secrets rotate`
// (a build that rotates what it names).

#include <string>

#include "cli/change_options.hpp"

namespace dcomm::cli {

struct BuildCommandOptions {
  std::string spec;
  std::string out;
  ChangeOptions changes;
  bool verbose = false;
  bool quiet = false;
  SpecReading reading;
};

/// Checks the spec, refuses irreversible changes --allow does not name,
/// writes OUT and reports; the exit status.
int run_build(const BuildCommandOptions& options);

}  // namespace dcomm::cli
