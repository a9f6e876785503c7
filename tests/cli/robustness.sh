#!/usr/bin/env bash
# Hostile input gets a diagnostic and exit 1, never a crash, a hang or a
# sanitizer report: empty, binary, invalid UTF-8, NUL bytes, huge, endless,
# deeply nested. A file that cannot be read is an I/O error: exit 1, as every failure.
# Usage: tests/cli/robustness.sh path/to/dcommc
set -euo pipefail

dcommc=${1:?usage: robustness.sh path/to/dcommc}
if [[ ! -x $dcommc ]]; then
  echo "robustness: '$dcommc' is not an executable; build dcommc first" >&2
  exit 2
fi
limit=${ROBUSTNESS_TIMEOUT:-20}  # seconds per run; generous for Debug+ASan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# Cap memory so that unbounded reading (of /dev/zero, say) fails a case
# instead of swapping a shared machine: `ulimit -v`, except for an ASan
# build, which reserves terabytes of address space and caps itself.
if grep -qa __asan_init "$dcommc"; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=2048
  memory_cap=unlimited
else
  memory_cap=$((2 * 1024 * 1024))  # KiB
fi

# expect NAME EXIT PATTERN [FILE]: `dcommc check FILE` (default
# $work/NAME.dcomm) must exit with EXIT, in time, and print PATTERN (an
# extended regex: the diagnostic code, or the I/O error).
expect() {
  local name=$1 want=$2 pattern=$3 file=${4:-$work/$1.dcomm} out=$work/$1.out
  local status=0
  (ulimit -v "$memory_cap" && NO_COLOR=1 exec timeout "$limit" "$dcommc" check "$file") \
    >"$out" 2>&1 || status=$?
  local problem=""
  if ((status == 124)); then
    problem="no answer within ${limit}s (hang?)"
  elif ((status > 128)); then
    problem="killed by signal $((status - 128)) (crash)"
  elif ((status != want)); then
    problem="exit $status, want $want"
  elif grep -Eq -e '^==[0-9]+==ERROR' -e '^[^ ]+:[0-9]+:[0-9]+: runtime error:' "$out"; then
    problem="sanitizer report"
  elif ! grep -Eq "$pattern" "$out"; then
    problem="nothing in the output matches $pattern"
  fi
  if [[ -n $problem ]]; then
    echo "FAIL $name: $problem; the start of its output:"
    head -c 2000 "$out" | head -n 20 | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok   $name (exit $status, $(grep -Eo "$pattern" "$out" | head -n 1))"
  fi
}

# `yes` dies of SIGPIPE when head has enough; under pipefail that is fine.
repeat() {  # COUNT TEXT: TEXT COUNT times, no separator
  { yes "$2" || true; } | head -n "$1" | tr -d '\n'
}

: >"$work/empty.dcomm"
expect empty 1 E0105

printf 'site "a" {\n  domain = "caf\xe9.example"\n}\n' >"$work/invalid_utf8.dcomm"
expect invalid_utf8 1 E0101

printf 'site "a" {\n  domain = "a\0b"\n}\n' >"$work/nul.dcomm"
expect nul 1 E0102

# A real binary: the compiler itself (invalid UTF-8, NULs, or too large).
expect binary 1 'E010[123]' "$dcommc"

# Just over 10 MB of comments: valid text, too much of it.
{ yes '# padding padding padding' || true; } | head -c 10000000 >"$work/ten_megabytes.dcomm"
expect ten_megabytes 1 E0103

# Never ends: reading must stop at the size limit.
expect endless 1 E0103 /dev/zero
printf 'import "/dev/zero"\nsite "a" { domain = "a.example" }\n' >"$work/endless_import.dcomm"
expect endless_import 1 'E[0-9]{4}'

{ repeat 100000 'a { '; repeat 100000 '} '; } >"$work/nested_blocks.dcomm"
expect nested_blocks 1 E0104

{ printf 'site "a" { x = '; repeat 100000 '['; repeat 100000 ']'; printf ' }\n'; } \
  >"$work/nested_lists.dcomm"
expect nested_lists 1 E0104

{ printf 'site "a" { x = '; repeat 100000 '{ a = '; printf '1'; repeat 100000 ' }'; printf ' }\n'; } \
  >"$work/nested_maps.dcomm"
expect nested_maps 1 E0104

{ printf 'site "a" { x = '; repeat 100000 'f('; repeat 100000 ')'; printf ' }\n'; } \
  >"$work/nested_calls.dcomm"
expect nested_calls 1 E0104

# Opened and never closed: recovery must not recurse either.
repeat 100000 '[{(' >"$work/unclosed_brackets.dcomm"
expect unclosed_brackets 1 'E0[12][0-9][0-9]'

repeat 1000000 '}' >"$work/closing_braces.dcomm"
expect closing_braces 1 E0211

# One 4 MB line ending in an unterminated string: the renderer must cope
# with a huge source line and a column in the millions.
{ printf 'site "a" { domain = "'; head -c 4000000 /dev/zero | tr '\0' 'x'; } \
  >"$work/huge_line.dcomm"
expect huge_line 1 E0202

expect missing_file 1 'cannot read' "$work/does-not-exist.dcomm"

if ((failures > 0)); then
  echo "robustness: $failures case(s) failed"
  exit 1
fi
echo "robustness: all cases passed"
