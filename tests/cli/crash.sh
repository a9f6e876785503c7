#!/usr/bin/env bash
# Kills builds at random points (strace at a chosen system call, or a
# timer); the next build must keep every secret the killed one left and
# repair the rest. The fuzz phase of scripts/test.sh runs 200 kills; ctest
# runs a quicker sample. See tests/crash/crash_test.py.
# Usage: tests/cli/crash.sh path/to/dcommc
set -euo pipefail
dcommc=${1:?usage: crash.sh path/to/dcommc}
exec python3 "$(dirname "${BASH_SOURCE[0]}")/../crash/crash_test.py" "$dcommc" --runs "${CRASH_RUNS:-24}"
