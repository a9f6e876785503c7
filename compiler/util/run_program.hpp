#pragma once
// Runs a program (found on PATH, no shell) with `input` on its standard
// input and its standard output captured; its standard error is the
// caller's, so a tool's own message reaches the operator as it wrote it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcomm::util {

/// What the program wrote on standard output, or nullopt with `error` if
/// it could not start or did not exit 0. The input is written in full
/// before the output is read: for programs that read all their input
/// first, or take none (age -e and age -d do).
std::optional<std::string> run_program(const std::vector<std::string>& argv, std::string_view input,
                                       std::string& error);

}  // namespace dcomm::util
