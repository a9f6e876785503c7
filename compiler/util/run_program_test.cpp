// Running a helper program (age) without a shell.

#include "util/run_program.hpp"

#include <catch2/catch.hpp>

namespace dcomm::util {

TEST_CASE("run program: input in, output out, no shell between") {
  std::string error;
  CHECK(run_program({"cat"}, "one\ntwo\n", error) == "one\ntwo\n");
  // A megabyte each way, for a program that reads all its input first.
  const std::string big(1 << 20, 'x');
  CHECK(run_program({"sort"}, big + "\n", error) == big + "\n");
  CHECK(run_program({"echo", "$HOME; rm -rf /"}, "", error) == "$HOME; rm -rf /\n");
}

TEST_CASE("run program: a program that fails or is missing is an error") {
  std::string error;
  CHECK_FALSE(run_program({"false"}, "", error));
  CHECK(error == "false exited 1");
  CHECK_FALSE(run_program({"dcommc-no-such-program"}, "", error));
  CHECK(error.find("cannot run dcommc-no-such-program") == 0);
  // One that stops reading early does not kill dcommc with SIGPIPE.
  CHECK(run_program({"head", "-c", "1"}, std::string(1 << 20, 'x'), error) == "x");
}

}  // namespace dcomm::util
