#!/usr/bin/env bash
# The long fuzzing campaign over the whole pipeline (issue 7), as opposed to
# the 60-second run CI keeps (scripts/test.sh, phase fuzz).
#
#   tests/fuzz/campaign.sh [RUNS]        # default 10000000 executions in all
#
# Builds pipeline_fuzzer with ASan + UBSan (clang, libFuzzer) into
# build/fuzz-campaign, seeds one shared corpus from tests/fuzz/pipeline_corpus,
# the examples and the corpus of an earlier campaign in $WORK, and runs
# $WORKERS workers of RUNS/WORKERS executions each. Then it prints the
# totals (executions, coverage, findings) and minimises the grown corpus
# into $WORK/minimized, ready to copy into tests/fuzz/pipeline_corpus.
#
# Environment:
#   WORKERS    parallel workers (default: the number of cores)
#   WORK       where the corpus, logs and findings live (default /tmp/dcommc-campaign)
#   TRACE_CMP  1 (default) keeps libFuzzer's comparison tracing; 0 builds
#              without it: edge coverage only, about 1.5x the executions per
#              second, for a campaign that needs volume more than guidance
#
# A finding (crash, sanitizer report, broken promise, timeout) is written to
# $WORK/findings/ and makes the script exit 1; reproduce it with
#   build/fuzz-campaign/pipeline_fuzzer $WORK/findings/crash-...
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-10000000}
workers=${WORKERS:-$(nproc)}
work=${WORK:-/tmp/dcommc-campaign}
build=build/fuzz-campaign
flags=""
[[ ${TRACE_CMP:-1} == 0 ]] && flags="-fno-sanitize-coverage=trace-cmp"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DDCOMMC_FUZZ=ON -DDCOMMC_SANITIZE=OFF -DDCOMMC_TESTS=OFF -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build "$build" --target pipeline_fuzzer -j "$workers"

mkdir -p "$work/corpus" "$work/findings" "$work/logs"
cp -Rn tests/fuzz/pipeline_corpus/. "$work/corpus/"
cp -n examples/*.dcomm "$work/corpus/"
rm -f "$work"/logs/worker-*.log

# Smaller allocation stacks in ASan's reports (the crash stack is whole);
# the allocator's bookkeeping is most of ASan's cost per execution here.
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=2}
echo "campaign: $workers workers x $((runs / workers)) executions; logs in $work/logs"
pids=()
for ((i = 0; i < workers; i++)); do
  "$build/pipeline_fuzzer" -runs=$((runs / workers)) -entropic=0 -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -dict=tests/fuzz/dcomm.dict -print_final_stats=1 -seed=$((i + 1)) \
    -artifact_prefix="$work/findings/" "$work/corpus" >"$work/logs/worker-$i.log" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done

executions=$(grep -h '^stat::number_of_executed_units' "$work"/logs/worker-*.log | awk '{s += $2} END {print s + 0}')
coverage=$(grep -h -o 'cov: [0-9]*' "$work"/logs/worker-*.log | awk '{if ($2 > m) m = $2} END {print m + 0}')
findings=$(find "$work/findings" -type f | wc -l)
echo "campaign: $executions executions, coverage $coverage edges (peak of any worker), $findings finding(s)"

rm -rf "$work/minimized"
mkdir -p "$work/minimized"
"$build/pipeline_fuzzer" -merge=1 "$work/minimized" "$work/corpus" >"$work/logs/merge.log" 2>&1
echo "campaign: corpus $(ls "$work/corpus" | wc -l) inputs, minimised to $(ls "$work/minimized" | wc -l) in $work/minimized"

if ((status != 0 || findings > 0)); then
  echo "campaign: FINDINGS in $work/findings; the workers' logs say what broke" >&2
  exit 1
fi
