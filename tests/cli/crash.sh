#!/usr/bin/env bash
# Kills builds at random points (strace at a chosen system call, or a
# timer); the next build must keep every secret the killed one left and
# repair the rest. The fuzz phase of scripts/test.sh runs 300 kills of the
# example federation and 100 of an offline one (its certificate authority
# and intermediates); ctest runs a quicker sample of both. See
# tests/crash/crash_test.py.
# Usage: tests/cli/crash.sh path/to/dcommc
set -euo pipefail
dcommc=${1:?usage: crash.sh path/to/dcommc}
crash_test=$(dirname "${BASH_SOURCE[0]}")/../crash/crash_test.py
python3 "$crash_test" "$dcommc" --runs "${CRASH_RUNS:-24}"
python3 "$crash_test" "$dcommc" --runs "${CRASH_RUNS:-24}" \
  --spec "$(dirname "${BASH_SOURCE[0]}")/../validate/specs/offline.dcomm"
