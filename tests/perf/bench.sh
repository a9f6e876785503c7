#!/usr/bin/env bash
# tests/perf/bench.sh -- the fleet benchmark (issues 7 and 16), in one run on this machine.
#
# For each N it generates the peer's fleet (../shared/bench/peer/gen_fleet.py N) and
# the same fleet as one .dcomm federation (tests/perf/gen_fleet.py N), then times
# whole processes: wall seconds and peak RSS from `/usr/bin/time -f '%e %M'`, the
# median of RUNS runs after one warm-up run, `sync` before each. By default every
# tool reads and writes on the disk of the working directory, where operators
# build and where fsync costs what it costs; BENCH_TMP=/dev/shm measures on tmpfs.
#   check           dcommc check FLEET.dcomm
#   build           dcommc build into a fresh folder: a first build, secrets generated,
#                   everything on disk when it returns
#   cp-sync         cp -r of that output, then sync: the floor for writing it durably
#   rebuild         dcommc build into its own finished output, nothing changed
#   edit-one        dcommc build after one site's ACME contact changed (it flips
#                   between two values, so every run changes one site)
#   plan            dcommc plan against a finished output, nothing changed
#   plan-edit       dcommc plan with one site changed
#   template        the peer's sed pipeline (template_pipeline.sh), full regeneration
#   jsonnet-native  the peer's faster Jsonnet variant (see the peer's run.sh)
#   jsonnet         the peer's plain Jsonnet program
# Peers run up to PEER_MAX sites (they have no incremental mode: every run is a
# full regeneration); one whose warm-up takes longer than TIMEOUT (120 s) is dropped
# for that N and every larger one; SKIP_ABOVE skips a tool above a size without
# trying it. Also: examples/kyiv.dcomm against cp -r of its own output, check
# against `jq empty` of the peer's fleet JSON, and the callgrind instruction count
# of a first build at N = 100.
#
# Writes tests/perf/results/raw-<stamp>.txt, tests/perf/results/table-<stamp>.md,
# docs/performance.png, and the generated section of docs/performance.md (between
# the bench:begin / bench:end markers). Prints the tables, never a line per file.
#
# Environment (all optional):
#   SIZES="1 10 100 1000 3000"   RUNS=5   TIMEOUT=120   PEER_MAX=1000
#   TOOLS="check rebuild edit-one plan plan-edit build cp-sync template jsonnet-native jsonnet"
#   BENCH_TMP=dir     where fleets and outputs live (default: the working directory)
#   SKIP_ABOVE="jsonnet:10 jsonnet-native:100"  skip TOOL above N (default: none)
#   DCOMMC=path       default: build Release into BUILD (/work/build-perf) if missing
#   PEER=dir          default: ../shared/bench/peer next to the repository
#   CALLGRIND=0       skip the callgrind run
#   DOC=0             write only tests/perf/results/, not docs/performance.{md,png}
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sizes=${SIZES:-1 10 100 1000 3000}
runs=${RUNS:-5}
timeout_s=${TIMEOUT:-120}
tools=${TOOLS:-check rebuild edit-one plan plan-edit build cp-sync template jsonnet-native jsonnet}
peer_max=${PEER_MAX:-1000}
skip_above=${SKIP_ABOVE:-}
bench_tmp=${BENCH_TMP:-$PWD}
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

# run_tool TOOL N OUT : the command each tool runs (fleet files in $work/N/). The
# incremental tools work in folders of their own under $work/N/, made by setup_tool.
run_tool() {
  local tool=$1 n=$2 out=$3 f=$work/$2
  case $tool in
    check)          "$DCOMMC" check "$f/fleet.dcomm" >/dev/null 2>&1 ;;
    build)          "$DCOMMC" build "$f/fleet.dcomm" -o "$out" >/dev/null 2>&1 ;;
    cp-sync)        cp -r "$f/ref" "$out" && sync ;;
    rebuild)        "$DCOMMC" build "$f/fleet.dcomm" -o "$f/warm-rebuild" >/dev/null 2>&1 ;;
    edit-one)       "$DCOMMC" build "$f/edit.dcomm" -o "$f/warm-edit" >/dev/null 2>&1 ;;
    plan)           "$DCOMMC" plan "$f/fleet.dcomm" -o "$f/warm-rebuild" >/dev/null 2>&1 ;;
    plan-edit)      "$DCOMMC" plan "$f/plan-edit.dcomm" -o "$f/warm-rebuild" >/dev/null 2>&1; (($? == 2)) ;;
    template)       "$peer/template_pipeline.sh" "$f/fleet.json" "$out" ;;
    jsonnet|jsonnet-native)
      mkdir -p "$out" && jq -r '.sites[].name' "$f/fleet.json" | (cd "$out" && xargs mkdir -p)
      if [[ $tool == jsonnet ]]; then
        jsonnet -S -m "$out" --ext-code-file fleet="$f/fleet.json" "$peer/fleet.jsonnet" >/dev/null
      else
        jsonnet -m "$out" --ext-code-file fleet="$f/fleet.json" --tla-str mode=data "$peer/fleet.jsonnet" >/dev/null &&
          jsonnet -S -m "$out" --ext-code-file fleet="$f/fleet.json" --tla-str mode=text "$peer/fleet.jsonnet" >/dev/null
      fi ;;
    kyiv)           "$DCOMMC" build "$repo/examples/kyiv.dcomm" -o "$out" >/dev/null 2>&1 ;;
    kyiv-cp)        cp -r "$work/kyiv-ref" "$out" ;;
    jq-empty)       jq empty "$f/fleet.json" ;;
  esac
}
export -f run_tool; export DCOMMC peer work repo

# The last site's ACME contact in FILE set to VALUE: one site's input changed.
set_contact() {  # set_contact FILE VALUE
  local last
  last=$(grep -o '^site "[^"]*"' "$1" | tail -n 1 | cut -d'"' -f2)
  sed -i "/^site \"$last\" {/,/^}/ s/acme(\"[^\"]*\")/acme(\"$2@$last.example.org\")/" "$1"
}
# before_run TOOL N : untimed, before each run
before_run() {
  local f=$work/$2
  case $1 in
    edit-one)  # flip the contact, so each run changes exactly one site
      if grep -q 'acme("ops-a@' "$f/edit.dcomm"; then set_contact "$f/edit.dcomm" ops-b; else set_contact "$f/edit.dcomm" ops-a; fi ;;
  esac
}
# setup_tool TOOL N : once per N, untimed
setup_tool() {
  local f=$work/$2
  case $1 in
    rebuild | plan | plan-edit)
      [[ -d $f/warm-rebuild ]] || "$DCOMMC" build "$f/fleet.dcomm" -o "$f/warm-rebuild" >/dev/null 2>&1
      cp "$f/fleet.dcomm" "$f/plan-edit.dcomm" && set_contact "$f/plan-edit.dcomm" ops-planned ;;
    edit-one)
      cp "$f/fleet.dcomm" "$f/edit.dcomm"
      rm -rf "$f/warm-edit" && "$DCOMMC" build "$f/edit.dcomm" -o "$f/warm-edit" >/dev/null 2>&1 ;;
  esac
}

# once TOOL N : one timed run (into a fresh dir for the tools that write one);
# prints "wall rss" or fails
once() {
  local tool=$1 n=$2 out=$work/out
  rm -rf "$out"; before_run "$tool" "$n"; sync
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

is_peer() { [[ $1 == template || $1 == jsonnet || $1 == jsonnet-native ]]; }
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
    if is_peer "$tool" && ((n > peer_max)); then log "N=$n tool=$tool SKIPPED (PEER_MAX $peer_max)"; continue; fi
    limit=$(tr ' ' '\n' <<<"$skip_above" | awk -F: -v t="$tool" '$1 == t {print $2}')
    if [[ -n $limit ]] && ((n > limit)); then log "N=$n tool=$tool SKIPPED (SKIP_ABOVE $tool:$limit)"; continue; fi
    setup_tool "$tool" "$n"
    measure "$tool" "$n" || dropped+="$tool "
  done
  rm -rf "$work/$n"/{ref,out,warm-rebuild,warm-edit} "$work/out"
done

# one site: examples/kyiv.dcomm vs cp -r of its own output
rm -rf "$work/kyiv-ref"; "$DCOMMC" build "$repo/examples/kyiv.dcomm" -o "$work/kyiv-ref" >/dev/null 2>&1
mkdir -p "$work/kyiv"
measure kyiv kyiv || true
measure kyiv-cp kyiv || true
# check vs jq empty on the same fleet (the largest size <= 1000 that was run)
cn=$(for n in $sizes; do if ((n <= 1000)); then echo "$n"; fi; done | tail -1)
mkdir -p "$work/$cn"; [[ -f $work/$cn/fleet.json ]] || "$peer/gen_fleet.py" "$cn" > "$work/$cn/fleet.json"
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
fs_type=$(df -T "$work" | awk 'NR == 2 {print $2}')
awk -v stamp="$stamp" -v elapsed="$elapsed" -v fs="$fs_type" '
  /^MEDIAN/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    k = f["N"] SUBSEP f["tool"]; wall[k] = f["wall_s"]; rss[k] = f["rss_kb"] / 1024; out[k] = f["out_bytes"]
    if (!(f["N"] in seen) && f["N"] ~ /^[0-9]+$/) { seen[f["N"]] = 1; ns[++nn] = f["N"] } }
  /^CALLGRIND/ { split($3, kv, "="); ir = kv[2] }
  function has(n, tool) { return (n SUBSEP tool) in wall }
  function t(n, tool) { return has(n, tool) ? sprintf("%.3f", wall[n, tool]) : "–" }
  function ratio(n, a, b) { return (has(n, a) && has(n, b) && wall[n, b] > 0) ? sprintf("%.2f", wall[n, a] / wall[n, b]) : "–" }
  function mb(n, tool) { return has(n, tool) ? sprintf("%.1f", rss[n, tool]) : "–" }
  END {
    printf "On %s. Seconds are medians; ratios compare tools of this run.\n\n", fs
    print "**Writing a fleet: a first build (secrets generated, everything on disk when it returns) against copying its output and syncing.**"
    print ""
    print "| N | check s | build s | cp -r + sync s | build / (cp + sync) | bytes written | build s per MB | build peak RSS MB | check peak RSS MB |"
    print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= nn; i++) { n = ns[i]; b = out[n, "build"]
      printf "| %d | %s | %s | %s | %s | %d | %s | %s | %s |\n", n, t(n, "check"), t(n, "build"), t(n, "cp-sync"),
        ratio(n, "build", "cp-sync"), b, (has(n, "build") && b > 0 ? sprintf("%.4f", wall[n, "build"] / (b / 1e6)) : "–"),
        mb(n, "build"), mb(n, "check") }
    print ""
    print "**Rebuilding: nothing changed, or one site edited, against `check` of the same spec.**"
    print ""
    print "| N | check s | rebuild s | rebuild / check | edit one site s | edit / check | plan s | plan / check | plan, one edit s | plan edit / check | plan peak RSS MB | plan RSS / check RSS |"
    print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= nn; i++) { n = ns[i]
      printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, t(n, "check"), t(n, "rebuild"),
        ratio(n, "rebuild", "check"), t(n, "edit-one"), ratio(n, "edit-one", "check"), t(n, "plan"), ratio(n, "plan", "check"),
        t(n, "plan-edit"), ratio(n, "plan-edit", "check"), mb(n, "plan"),
        (has(n, "plan") && has(n, "check") ? sprintf("%.2f", rss[n, "plan"] / rss[n, "check"]) : "–") }
    print ""
    print "**Against the peers, which regenerate everything every time: their full run against dcommc after one edited site.**"
    print ""
    print "| N | sed pipeline s | jsonnet-native s | jsonnet s | dcommc edit one site s | fastest peer / dcommc edit | dcommc first build s | fastest peer / dcommc first build |"
    print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= nn; i++) { n = ns[i]
      best = ""; split("template jsonnet-native jsonnet", ps, " ")
      for (j = 1; j <= 3; j++) if (has(n, ps[j]) && (best == "" || wall[n, ps[j]] < best)) best = wall[n, ps[j]]
      if (best == "") continue
      printf "| %d | %s | %s | %s | %s | %s | %s | %s |\n", n, t(n, "template"), t(n, "jsonnet-native"), t(n, "jsonnet"),
        t(n, "edit-one"), (has(n, "edit-one") ? sprintf("%.1f", best / wall[n, "edit-one"]) : "–"), t(n, "build"),
        (has(n, "build") ? sprintf("%.1f", best / wall[n, "build"]) : "–") }
    print ""
    print "| one site / check | tool s | baseline s | ratio | peak RSS MB |"
    print "| --- | ---: | ---: | ---: | ---: |"
    printf "| examples/kyiv.dcomm build vs cp -r of its output | %.4f | %.4f | %s | %.1f |\n", wall["kyiv", "kyiv"], wall["kyiv", "kyiv-cp"], ratio("kyiv", "kyiv", "kyiv-cp"), rss["kyiv", "kyiv"]
    for (k in wall) { split(k, p, SUBSEP); if (p[2] == "jq-empty") cn = p[1] }
    printf "| dcommc check vs jq empty, N = %s | %.4f | %.4f | %s | %.1f |\n", cn, wall[cn, "check"], wall[cn, "jq-empty"], ratio(cn, "check", "jq-empty"), rss[cn, "check"]
    print ""
    printf "callgrind, `dcommc build` at N = 100: **%s instructions**. Benchmark run %s took %d s.\n", ir, stamp, elapsed
  }' "$raw" > "$table"

for tool in build rebuild edit-one check cp-sync template jsonnet-native jsonnet; do
  awk -v tool="$tool" '/^MEDIAN/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if (f["tool"] == tool && f["N"] ~ /^[0-9]+$/) print f["N"], f["wall_s"] }' "$raw" > "$work/plot-$tool.dat"
done
[[ ${DOC:-1} == 1 ]] && gnuplot <<EOF
set terminal pngcairo size 900,600 noenhanced
set output "$repo/docs/performance.png"
set title "Fleet builds on $fs_type: wall time against N sites (median of $runs, $stamp)"
set xlabel "sites (N)"; set ylabel "wall seconds"
set logscale xy; set grid; set key top left
set format y "%g"
plot "$work/plot-build.dat" using 1:2 with linespoints lw 2 title "dcommc first build", \
     "$work/plot-cp-sync.dat" using 1:2 with linespoints dt 2 title "cp -r + sync of that output", \
     "$work/plot-rebuild.dat" using 1:2 with linespoints lw 2 title "dcommc rebuild, nothing changed", \
     "$work/plot-edit-one.dat" using 1:2 with linespoints lw 2 title "dcommc build after one site edited", \
     "$work/plot-check.dat" using 1:2 with linespoints dt 3 title "dcommc check", \
     "$work/plot-template.dat" using 1:2 with linespoints title "peer: sed pipeline", \
     "$work/plot-jsonnet-native.dat" using 1:2 with linespoints title "peer: jsonnet-native", \
     "$work/plot-jsonnet.dat" using 1:2 with linespoints title "peer: jsonnet"
EOF

# splice the table into docs/performance.md between the markers
doc=$repo/docs/performance.md
if [[ ${DOC:-1} == 1 && -f $doc ]] && grep -q '<!-- bench:begin -->' "$doc"; then
  awk -v table="$table" -v cmd="SIZES=\"$sizes\" RUNS=$runs SKIP_ABOVE=\"$skip_above\" PEER_MAX=$peer_max tests/perf/bench.sh" '
    /<!-- bench:begin -->/ { print; print ""; print "Generated by `" cmd "`:"; print ""; while ((getline l < table) > 0) print l; print ""; skip = 1; next }
    /<!-- bench:end -->/ { skip = 0 } !skip' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
fi
cat "$table"
