#!/usr/bin/env bash
# Simulated power cuts during builds on a loop-mounted ext4 filesystem: a
# secret on the cut disk is complete or absent, a rebuild repairs the rest,
# and nothing a returned build wrote is lost. The fuzz phase of
# scripts/test.sh runs 100 cuts; ctest a quicker sample. Skipped (77)
# without root or loop devices. See tests/crash/power_cut.py.
# Usage: tests/cli/power_cut.sh path/to/dcommc
set -euo pipefail
dcommc=${1:?usage: power_cut.sh path/to/dcommc}
exec python3 "$(dirname "${BASH_SOURCE[0]}")/../crash/power_cut.py" "$dcommc" --runs "${POWER_CUT_RUNS:-10}"
