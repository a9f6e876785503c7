#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing,
# build dcommc (Release) into build/, and compile the example into out/.
# Run as root or as a user with sudo. Safe to run again: a second run
# installs nothing and rebuilds only what changed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${DCOMMC_BUILD_DIR:-build}  # set DCOMMC_BUILD_DIR to build elsewhere
jobs=${DCOMMC_JOBS:-$(nproc)}

bash scripts/deps.sh

echo "setup: building dcommc (Release) in $build/"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDCOMMC_TESTS=OFF \
  -DDCOMMC_SANITIZE=OFF -DDCOMMC_FUZZ=OFF
cmake --build "$build" --target dcommc -j "$jobs"

dcommc=$build/dcommc
if [[ ! -x $dcommc ]]; then
  echo "setup: the build finished but $dcommc is missing (see compiler/CMakeLists.txt)" >&2
  exit 1
fi

echo "setup: compiling examples/kyiv.dcomm into out/"
if ! "$dcommc" examples/kyiv.dcomm -o out/; then
  echo "setup: dcommc built, but the example does not compile (messages above)" >&2
  exit 1
fi

echo "setup: done. dcommc is $(cd "$build" && pwd)/dcommc; the example's artifacts are in out/kyiv/"
