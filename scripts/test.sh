#!/usr/bin/env bash
# The whole test suite; CI runs exactly this (.ci/run). Phases:
#   deps     install what is missing (scripts/deps.sh)
#   asan     Debug + AddressSanitizer/UndefinedBehaviorSanitizer in build/asan, ctest
#   release  Release in build/release, ctest
#   fuzz     the parser, pipeline and language server fuzzers (clang, libFuzzer) in
#            build/fuzz, 60 s each on their seed corpora (tests/fuzz; the long campaign
#            is tests/fuzz/campaign.sh), then 300 builds killed at random points
#            and 100 simulated power cuts during builds (tests/crash, with the
#            release build)
# `scripts/test.sh` runs them all, goes on past a failed phase so one run
# shows everything that is wrong, and ends with a summary. `scripts/test.sh
# PHASE...` runs only those phases. Environment: DCOMMC_BUILD_DIR (default
# build), DCOMMC_JOBS (default nproc), DCOMMC_FUZZ_SECONDS (default 60),
# DCOMMC_CRASH_RUNS (default 300), DCOMMC_CRASH_RUNS_OFFLINE (default 100), DCOMMC_POWER_CUT_RUNS (default 100).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${DCOMMC_BUILD_DIR:-build}
jobs=${DCOMMC_JOBS:-$(nproc)}

# Make any sanitizer finding fatal and loud: abort (exit 134) rather than
# exit 1, which the CLI tests would take for "the spec has errors".
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-abort_on_error=1:halt_on_error=1:print_stacktrace=1}

configure_and_build() {  # DIR CMAKE_ARGS...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@"
  cmake --build "$dir" -j "$jobs"
}

# No tests found is a failure, not a pass; a hung test fails after 5
# minutes instead of eating CI's 90. A test that takes more than half its
# timeout fails too (tests/timing_check.py): on a busier machine it would
# time out.
test_timeout=300
run_ctest() {  # DIR [CTEST_ARGS...]
  local dir=$1
  shift
  local status=0
  ctest --test-dir "$dir" --output-on-failure --no-tests=error --timeout "$test_timeout" -j "$jobs" "$@" ||
    status=$?
  python3 tests/timing_check.py "$dir" "$test_timeout" || status=1
  return "$status"
}

# The build's packages, the validators' tools (tests/validate) and the
# live test's Docker engine (tests/live).
phase_deps() {
  bash scripts/deps.sh
  bash scripts/validators.sh
  bash tests/live/deps.sh
}

phase_asan() {
  configure_and_build "$build/asan" -DCMAKE_BUILD_TYPE=Debug -DDCOMMC_SANITIZE=ON \
    -DDCOMMC_TESTS=ON -DDCOMMC_FUZZ=OFF
  # The live deploy runs once, from the release build.
  run_ctest "$build/asan" -LE live
}

phase_release() {
  configure_and_build "$build/release" -DCMAKE_BUILD_TYPE=Release -DDCOMMC_SANITIZE=OFF \
    -DDCOMMC_TESTS=ON -DDCOMMC_FUZZ=OFF
  run_ctest "$build/release"
}

# One fuzzer for $seconds on a scratch copy of its seeds (libFuzzer adds
# every new input to the first corpus folder; the repository stays as
# committed). Extra folders are read as seeds, never written.
run_fuzzer() {  # NAME SEEDS [MORE_SEEDS...]
  local name=$1 seeds=$2
  shift 2
  local out=$build/fuzz/findings/$name  # this run's log and any failing input
  rm -rf "$out"
  mkdir -p "$out" "$work/$name"
  cp -R "$seeds"/. "$work/$name/"
  local status=0
  echo "fuzz: running $name for ${seconds}s; full log in $out/fuzz.log"
  "$build/fuzz/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict=tests/fuzz/dcomm.dict -artifact_prefix="$out/" -print_final_stats=1 \
    "$work/$name" "$@" >"$out/fuzz.log" 2>&1 || status=$?
  if ((status == 0)); then
    grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' "$out/fuzz.log" | sed "s/^/$name: /"
    return 0
  fi
  tail -n 150 "$out/fuzz.log"
  echo "fuzz: $name failed (exit $status); the input that broke it is in $out/" >&2
  echo "fuzz: reproduce with $build/fuzz/$name $out/crash-..." >&2
  return 1
}

phase_fuzz() {
  seconds=${DCOMMC_FUZZ_SECONDS:-60}
  cmake -S . -B "$build/fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DDCOMMC_FUZZ=ON -DDCOMMC_SANITIZE=OFF -DDCOMMC_TESTS=OFF
  cmake --build "$build/fuzz" --target parse_fuzzer pipeline_fuzzer lsp_fuzzer -j "$jobs"

  # (not local: the EXIT trap runs after the function has returned)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  local status=0
  run_fuzzer parse_fuzzer tests/fuzz/corpus examples tests/diagnostics || status=1
  run_fuzzer pipeline_fuzzer tests/fuzz/pipeline_corpus examples || status=1
  run_fuzzer lsp_fuzzer tests/fuzz/lsp_corpus || status=1

  # Crash safety: builds killed at random points, each followed by a build
  # that must keep every secret the killed one left (docs/security.md).
  cmake -S . -B "$build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDCOMMC_SANITIZE=OFF \
    -DDCOMMC_TESTS=ON -DDCOMMC_FUZZ=OFF >/dev/null
  cmake --build "$build/release" --target dcommc -j "$jobs" >/dev/null
  python3 tests/crash/crash_test.py "$build/release/dcommc" --runs "${DCOMMC_CRASH_RUNS:-300}" \
    >"$build/fuzz/crash.log" 2>&1 || status=1
  grep -v '^ok ' "$build/fuzz/crash.log"
  # The same with an offline federation: its certificate authority and
  # each site's intermediate among the secrets.
  python3 tests/crash/crash_test.py "$build/release/dcommc" --runs "${DCOMMC_CRASH_RUNS_OFFLINE:-100}" \
    --spec tests/validate/specs/offline.dcomm >"$build/fuzz/crash-offline.log" 2>&1 || status=1
  grep -v '^ok ' "$build/fuzz/crash-offline.log"
  # Durability: simulated power cuts on a loop-mounted ext4 (root only).
  local cut_status=0
  python3 tests/crash/power_cut.py "$build/release/dcommc" --runs "${DCOMMC_POWER_CUT_RUNS:-100}" \
    >"$build/fuzz/power_cut.log" 2>&1 || cut_status=$?
  grep -v '^ok ' "$build/fuzz/power_cut.log"
  ((cut_status == 0 || cut_status == 77)) || status=1
  return "$status"
}

# One phase, in this process: `set -e` holds in full.
if (($# > 0)); then
  for phase in "$@"; do
    if ! declare -F "phase_$phase" >/dev/null; then
      echo "test.sh: no phase '$phase'; phases are deps asan release fuzz" >&2
      exit 2
    fi
  done
  for phase in "$@"; do "phase_$phase"; done
  exit 0
fi

# The whole suite: each phase in its own process (set -e does not apply to
# a function called in an `if`), its output shown and kept for the summary.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
summary=()
passed=0
failed=0
failed_phases=()
started=$SECONDS
for phase in deps asan release fuzz; do
  echo
  echo "==================== test.sh: $phase ===================="
  phase_start=$SECONDS
  status=0
  bash "$root/scripts/test.sh" "$phase" 2>&1 | tee "$logs/$phase.log" || status=$?
  seconds=$((SECONDS - phase_start))

  # Count tests, not phases: ctest's summary ("100% tests passed, 0 tests
  # failed out of 57"); each fuzzer's run counts as one test.
  count=$(sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\1 \2/p' \
    "$logs/$phase.log" | tail -n 1)
  if [[ -n $count ]]; then
    read -r phase_failed phase_total <<<"$count"
    passed=$((passed + phase_total - phase_failed))
    failed=$((failed + phase_failed))
    detail="$((phase_total - phase_failed))/$phase_total tests passed"
  elif [[ $phase == fuzz ]]; then
    detail=$( (grep -o '^[a-z_]*: Done [0-9]* runs' "$logs/fuzz.log"
      grep -o '^crash: all [0-9]* runs passed\|^power_cut: all [0-9]* runs passed\|^power_cut: skipped.*' \
        "$logs/fuzz.log") | paste -sd ',' - || true)
    # Three fuzzers, the crash test and the power cuts, one test each.
    if ((status == 0)); then passed=$((passed + 5)); else failed=$((failed + 1)); fi
  else
    detail=""
  fi
  if ((status == 0)); then
    result=ok
  else
    result=FAILED
    failed_phases+=("$phase")
  fi
  summary+=("$(printf '  %-8s %-7s %5ss  %s' "$phase" "$result" "$seconds" "$detail")")

  if [[ $phase == deps ]] && ((status != 0)); then
    echo "test.sh: dependencies could not be installed; nothing else can run" >&2
    break
  fi
done

echo
echo "==================== test.sh: summary ===================="
printf '%s\n' "${summary[@]}"
echo "  total             $((SECONDS - started))s"
# The last line is the plain "N passed, N failed" that CI reads; a phase
# that failed before ctest counted anything (a build error) counts as one.
if ((${#failed_phases[@]} > 0)); then
  echo "test.sh: FAILED in ${failed_phases[*]}; the phase logs above say why"
  ((failed > 0)) || failed=1
  echo "tests: $passed passed, $failed failed"
  exit 1
fi
echo "tests: $passed passed, $failed failed"
