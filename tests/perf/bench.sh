#!/usr/bin/env bash
# tests/perf/bench.sh -- the fleet benchmark of issue 7, in one run on this machine.
#
# For each N it generates the peer's fleet (../shared/bench/peer/gen_fleet.py N) and
# the same fleet as one .dcomm federation (tests/perf/gen_fleet.py N), then times,
# whole process, wall seconds and peak RSS from `/usr/bin/time -f '%e %M'`, the
# median of RUNS runs after one warm-up run, each into a fresh output directory
# (dcommc generates fresh secrets, as the peers write fresh output), `sync` before.
# Every tool reads and writes under BENCH_TMP (default /dev/shm, a tmpfs), so the
# ratios compare the tools rather than this VM's disk; BENCH_TMP=/var/tmp measures
# on disk instead.
#   dcommc          dcommc build FLEET.dcomm -o OUT
#   template        the peer's sed pipeline (template_pipeline.sh)
#   jsonnet-native  the peer's faster Jsonnet variant (see the peer's run.sh)
#   jsonnet         the peer's plain Jsonnet program
#   cp              cp -r of dcommc's output tree: the I/O floor
# A peer whose warm-up takes longer than TIMEOUT (120 s) is dropped for that N and
# every larger one; SKIP_ABOVE skips a tool above a size without trying it. Also: dcommc check on the largest N <= 1000 vs `jq empty` on the
# peer's fleet JSON, examples/kyiv.dcomm vs cp -r of its own output, and the
# callgrind instruction count of dcommc build at N = 100.
#
# Writes tests/perf/results/raw-<stamp>.txt, tests/perf/results/table-<stamp>.md,
# docs/performance.png, and the generated section of docs/performance.md (between
# the bench:begin / bench:end markers).
#
# Environment (all optional):
#   SIZES="1 10 100 1000 3000"   RUNS=5   TIMEOUT=120
#   TOOLS="dcommc template jsonnet-native jsonnet cp"
#   BENCH_TMP=dir     where fleets and outputs live (default /dev/shm)
#   SKIP_ABOVE="jsonnet:10 jsonnet-native:100"  skip TOOL above N (default: none)
#   DCOMMC=path       default: build Release into BUILD (/work/build-perf) if missing
#   PEER=dir          default: ../shared/bench/peer next to the repository
#   CALLGRIND=0       skip the callgrind run
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sizes=${SIZES:-1 10 100 1000 3000}
runs=${RUNS:-5}
timeout_s=${TIMEOUT:-120}
tools=${TOOLS:-dcommc template jsonnet-native jsonnet cp}
skip_above=${SKIP_ABOVE:-}
bench_tmp=${BENCH_TMP:-/dev/shm}
peer=${PEER:-$(cd "$repo/.." && pwd)/shared/bench/peer}
build=${BUILD:-/work/build-perf}
t_start=$(date +%s)

# ------------------------------------------------------------------ tools we need
need=()
command -v jsonnet >/dev/null || need+=(jsonnet)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
[[ -x /usr/bin/time ]] || need+=(time)
command -v valgrind >/dev/null || need+=(valgrind)
command -v jq >/dev/null || need+=(jq)
if ((${#need[@]})); then
  echo "# installing ${need[*]}" >&2
  sudo=; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get install -y "${need[@]}" >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y "${need[@]}" >/dev/null; }
fi
if [[ -z ${DCOMMC:-} ]]; then
  DCOMMC=$build/dcommc
  if [[ ! -x $DCOMMC ]]; then
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    ninja -C "$build" dcommc >/dev/null
  fi
fi
DCOMMC=$(readlink -f "$DCOMMC")

work=$(mktemp -d "$bench_tmp/dcommc-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$here/results"
raw=$here/results/raw-$stamp.txt
: > "$raw"
log() { echo "$*" | tee -a "$raw"; }

log "# dcommc fleet benchmark $stamp on $(hostname): $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
log "# dcommc=$DCOMMC ($($DCOMMC --version 2>&1 | head -1)); $(jsonnet --version 2>&1 | head -1); sizes=[$sizes] runs=$runs timeout=${timeout_s}s skip_above=[$skip_above]"
log "# files under $work: $(df -T "$work" | awk 'NR == 2 {print $2}'); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# run_tool TOOL N OUT : the command each tool runs (fleet files in $work/N/)
run_tool() {
  local tool=$1 n=$2 out=$3 f=$work/$2
  case $tool in
    dcommc)         "$DCOMMC" build "$f/fleet.dcomm" -o "$out" >/dev/null 2>&1 ;;
    template)       "$peer/template_pipeline.sh" "$f/fleet.json" "$out" ;;
    jsonnet|jsonnet-native)
      mkdir -p "$out" && jq -r '.sites[].name' "$f/fleet.json" | (cd "$out" && xargs mkdir -p)
      if [[ $tool == jsonnet ]]; then
        jsonnet -S -m "$out" --ext-code-file fleet="$f/fleet.json" "$peer/fleet.jsonnet" >/dev/null
      else
        jsonnet -m "$out" --ext-code-file fleet="$f/fleet.json" --tla-str mode=data "$peer/fleet.jsonnet" >/dev/null &&
          jsonnet -S -m "$out" --ext-code-file fleet="$f/fleet.json" --tla-str mode=text "$peer/fleet.jsonnet" >/dev/null
      fi ;;
    cp)             cp -r "$f/ref" "$out" ;;
    kyiv)           "$DCOMMC" build "$repo/examples/kyiv.dcomm" -o "$out" >/dev/null 2>&1 ;;
    kyiv-cp)        cp -r "$work/kyiv-ref" "$out" ;;
    check)          "$DCOMMC" check "$f/fleet.dcomm" >/dev/null 2>&1 ;;
    jq-empty)       jq empty "$f/fleet.json" ;;
  esac
}
export -f run_tool; export DCOMMC peer work repo

# once TOOL N LABEL : one timed run into a fresh dir; prints "wall rss" or fails
once() {
  local tool=$1 n=$2 out=$work/out
  rm -rf "$out"; sync
  local t0=$EPOCHREALTIME t1  # wall from bash's microsecond clock (time's %e has 10 ms steps)
  /usr/bin/time -f '%e %M' -o "$work/time" timeout "$timeout_s" bash -c 'run_tool "$@"' _ "$tool" "$n" "$out" || return 1
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" -v m="$(tail -n1 "$work/time" | awk '{print $2}')" 'BEGIN {printf "%.4f %s\n", b - a, m}' 
}
# measure TOOL N [RUNS] : warm-up, then RUNS runs; logs one line per run and a median line
measure() {
  local tool=$1 n=$2 r=${3:-$runs} i walls=() rsss=() wall rss bytes=0 files=0
  if ! once "$tool" "$n" >/dev/null; then log "N=$n tool=$tool SKIPPED (warm-up failed or over ${timeout_s}s)"; return 1; fi
  for ((i = 1; i <= r; i++)); do
    read -r wall rss < <(once "$tool" "$n") || { log "N=$n tool=$tool run $i FAILED"; return 1; }
    walls+=("$wall"); rsss+=("$rss")
    echo "N=$n tool=$tool run=$i wall_s=$wall rss_kb=$rss" >> "$raw"
  done
  if [[ -d $work/out ]]; then
    read -r files bytes < <(find "$work/out" -type f -printf '%s\n' | awk '{n++; s+=$1} END {print n+0, s+0}')
  fi
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  rss=$(printf '%s\n' "${rsss[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  log "MEDIAN N=$n tool=$tool wall_s=$wall rss_kb=$rss files=$files out_bytes=$bytes runs=$r min=$(printf '%s\n' "${walls[@]}" | sort -g | head -1) max=$(printf '%s\n' "${walls[@]}" | sort -g | tail -1)"
}

dropped=" "
for n in $sizes; do
  mkdir -p "$work/$n"
  "$peer/gen_fleet.py" "$n" > "$work/$n/fleet.json"
  "$here/gen_fleet.py" "$n" > "$work/$n/fleet.dcomm"
  "$DCOMMC" check "$work/$n/fleet.dcomm" >/dev/null 2>&1 || { log "N=$n: dcommc check FAILED on the generated federation"; exit 1; }
  # the reference tree that cp copies: dcommc's own output
  rm -rf "$work/$n/ref"; "$DCOMMC" build "$work/$n/fleet.dcomm" -o "$work/$n/ref" >/dev/null 2>&1
  for tool in $tools; do
    [[ $dropped == *" $tool "* ]] && { log "N=$n tool=$tool SKIPPED (over ${timeout_s}s at a smaller N)"; continue; }
    limit=$(tr ' ' '\n' <<<"$skip_above" | awk -F: -v t="$tool" '$1 == t {print $2}')
    if [[ -n $limit ]] && ((n > limit)); then log "N=$n tool=$tool SKIPPED (SKIP_ABOVE $tool:$limit)"; continue; fi
    measure "$tool" "$n" || dropped+="$tool "
  done
  rm -rf "$work/$n/ref" "$work/out"
done

# one site: examples/kyiv.dcomm vs cp -r of its own output
rm -rf "$work/kyiv-ref"; "$DCOMMC" build "$repo/examples/kyiv.dcomm" -o "$work/kyiv-ref" >/dev/null 2>&1
mkdir -p "$work/kyiv"
measure kyiv kyiv || true
measure kyiv-cp kyiv || true
# check vs jq empty on the same fleet (the largest size <= 1000 that was run)
cn=$(for n in $sizes; do if ((n <= 1000)); then echo "$n"; fi; done | tail -1)
measure check "$cn" || true
measure jq-empty "$cn" || true
log "# fleet sizes at N=$cn: fleet.json $(stat -c %s "$work/$cn/fleet.json") bytes, fleet.dcomm $(stat -c %s "$work/$cn/fleet.dcomm") bytes"

# instruction count at N = 100 (stable on a noisy machine)
if [[ ${CALLGRIND:-1} == 1 ]]; then
  [[ -f $work/100/fleet.dcomm ]] || { mkdir -p "$work/100"; "$here/gen_fleet.py" 100 > "$work/100/fleet.dcomm"; }
  rm -rf "$work/cg"
  valgrind --tool=callgrind --callgrind-out-file="$here/results/callgrind-N100-$stamp.out" \
    "$DCOMMC" build "$work/100/fleet.dcomm" -o "$work/cg" >/dev/null 2>"$work/cg.log"
  ir=$(grep -o 'Collected : [0-9]*' "$work/cg.log" | awk '{print $3}')
  log "CALLGRIND N=100 Ir=$ir"
  callgrind_annotate --inclusive=yes "$here/results/callgrind-N100-$stamp.out" 2>/dev/null |
    grep -E '^ *[0-9,]+ \(' | sed -n 1,40p | cut -c1-200 > "$here/results/callgrind-N100-$stamp.top.txt" || true
  gzip -f "$here/results/callgrind-N100-$stamp.out"
fi
elapsed=$(($(date +%s) - t_start))
log "# benchmark took ${elapsed}s"

# ------------------------------------------------------------------ table and plot
table=$here/results/table-$stamp.md
awk -v stamp="$stamp" -v elapsed="$elapsed" '
  /^MEDIAN/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    k = f["N"] SUBSEP f["tool"]; wall[k] = f["wall_s"]; rss[k] = f["rss_kb"] / 1024; out[k] = f["out_bytes"]
    rng[k] = f["min"] "–" f["max"]; if (!(f["N"] in seen) && f["N"] ~ /^[0-9]+$/) { seen[f["N"]] = 1; ns[++nn] = f["N"] } }
  /^CALLGRIND/ { split($3, kv, "="); ir = kv[2] }
  function t(n, tool) { return ((n SUBSEP tool) in wall) ? sprintf("%.3f", wall[n, tool]) : "–" }
  function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "–" : sprintf("%.2f", a / b) }
  END {
    print "| N | dcommc s | sed pipeline s | jsonnet-native s | jsonnet s | cp -r s | dcommc / cp | fastest peer / dcommc | fastest peer / cp | dcommc peak RSS MB | bytes written | dcommc s per MB | MB RSS per MB written |"
    print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= nn; i++) { n = ns[i]
      best = ""; split("template jsonnet-native jsonnet", ps, " ")
      for (j = 1; j <= 3; j++) if ((n SUBSEP ps[j]) in wall && (best == "" || wall[n, ps[j]] < best)) best = wall[n, ps[j]]
      d = ((n SUBSEP "dcommc") in wall) ? wall[n, "dcommc"] : ""
      c = ((n SUBSEP "cp") in wall) ? wall[n, "cp"] : ""
      b = out[n, "dcommc"]; mb = b / 1e6; r = rss[n, "dcommc"]
      printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %d | %s | %.2f |\n", n, t(n, "dcommc"),
        t(n, "template"), t(n, "jsonnet-native"), t(n, "jsonnet"), t(n, "cp"), ratio(d, c), ratio(best, d), ratio(best, c),
        r, b, (d == "" ? "–" : sprintf("%.4f", d / mb)), r / mb }
    print ""
    print "| one site / check | tool s | baseline s | ratio | peak RSS MB |"
    print "| --- | ---: | ---: | ---: | ---: |"
    printf "| examples/kyiv.dcomm build vs cp -r of its output | %.4f | %.4f | %s | %.1f |\n", wall["kyiv", "kyiv"], wall["kyiv", "kyiv-cp"], ratio(wall["kyiv", "kyiv"], wall["kyiv", "kyiv-cp"]), rss["kyiv", "kyiv"]
    for (k in wall) { split(k, p, SUBSEP); if (p[2] == "check") cn = p[1] }
    printf "| dcommc check vs jq empty, N = %s | %.4f | %.4f | %s | %.1f |\n", cn, wall[cn, "check"], wall[cn, "jq-empty"], ratio(wall[cn, "check"], wall[cn, "jq-empty"]), rss[cn, "check"]
    print ""
    printf "callgrind, `dcommc build` at N = 100: **%s instructions**. Benchmark run %s took %d s.\n", ir, stamp, elapsed
  }' "$raw" > "$table"

for tool in dcommc template jsonnet-native jsonnet cp; do
  awk -v tool="$tool" '/^MEDIAN/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if (f["tool"] == tool && f["N"] ~ /^[0-9]+$/) print f["N"], f["wall_s"] }' "$raw" > "$work/plot-$tool.dat"
done
gnuplot <<EOF
set terminal pngcairo size 900,600 noenhanced
set output "$repo/docs/performance.png"
set title "Fleet build: wall time against N sites (median of $runs, $stamp)"
set xlabel "sites (N)"; set ylabel "wall seconds"
set logscale xy; set grid; set key top left
set format y "%g"
plot "$work/plot-dcommc.dat" using 1:2 with linespoints lw 2 title "dcommc build", \
     "$work/plot-template.dat" using 1:2 with linespoints title "peer: sed pipeline", \
     "$work/plot-jsonnet-native.dat" using 1:2 with linespoints title "peer: jsonnet-native", \
     "$work/plot-jsonnet.dat" using 1:2 with linespoints title "peer: jsonnet", \
     "$work/plot-cp.dat" using 1:2 with linespoints dt 2 title "cp -r of dcommc output (I/O floor)"
EOF

# splice the table into docs/performance.md between the markers
doc=$repo/docs/performance.md
if [[ -f $doc ]] && grep -q '<!-- bench:begin -->' "$doc"; then
  awk -v table="$table" -v cmd="SIZES=\"$sizes\" RUNS=$runs SKIP_ABOVE=\"$skip_above\" tests/perf/bench.sh" '
    /<!-- bench:begin -->/ { print; print ""; print "Generated by `" cmd "`:"; print ""; while ((getline l < table) > 0) print l; print ""; skip = 1; next }
    /<!-- bench:end -->/ { skip = 0 } !skip' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
fi
cat "$table"
