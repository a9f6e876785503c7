#!/usr/bin/env bash
# Golden test of the human diagnostics: checks INPUT with DCOMMC and compares
# what it prints on stderr, byte for byte, with the NAME.expected file beside
# NAME.dcomm. See tests/diagnostics/README.md.
#
# The exit status dcommc must return follows from what it reports: 1 when
# the output holds an error, 0 when it holds only warnings (W05xx goldens:
# warnings are shown as operators see them, `warning[...]` and exit 0).
# An input that reports nothing at all is not a golden and fails.
#
# Usage: tests/diagnostics/run_golden.sh DCOMMC INPUT
#   INPUT may be absolute or relative; it is shown to dcommc relative to the
#   project root, so the file name in the output does not depend on where
#   the tree is checked out.
#   DCOMMC_UPDATE_GOLDENS=1 rewrites NAME.expected instead of comparing.
#   Read every regenerated golden before committing it.
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 DCOMMC INPUT.dcomm" >&2
  exit 2
fi

case $1 in
  */*) dcommc=$(realpath -- "$1") ;;      # a path: absolute from here on
  *) dcommc=$(command -v -- "$1") || { echo "FAIL: '$1' not found in PATH" >&2; exit 1; } ;;
esac
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
input=$(realpath -s --relative-to="$root" -- "$2")
cd -- "$root"

case $input in
  *.dcomm) ;;
  *) echo "FAIL: input '$input' does not end in .dcomm" >&2; exit 1 ;;
esac
if [[ ! -f $input ]]; then
  echo "FAIL: no such input: $input" >&2
  exit 1
fi
expected=${input%.dcomm}.expected

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

status=0
"$dcommc" check --color never "$input" >"$work/stdout" 2>"$work/stderr" || status=$?

# What dcommc printed decides the status it must exit with; a crash or a
# usage error (2) never matches either.
if grep -q '^error\[' "$work/stderr"; then
  want=1
elif grep -q '^warning\[' "$work/stderr"; then
  want=0
else
  echo "FAIL: dcommc check $input reported no diagnostic (exit status $status); a golden input must report at least one" >&2
  echo "--- stderr:" >&2
  head -n 40 "$work/stderr" >&2
  exit 1
fi
if ((status != want)); then
  echo "FAIL: dcommc check $input exited with $status; with $( ((want == 1)) && echo "an error" || echo "only warnings") in its output it must exit with $want" >&2
  echo "--- stderr:" >&2
  head -n 40 "$work/stderr" >&2
  exit 1
fi
if [[ -s $work/stdout ]]; then
  echo "FAIL: human output belongs on stderr, but dcommc wrote to stdout:" >&2
  head -n 20 "$work/stdout" >&2
  exit 1
fi

if [[ ${DCOMMC_UPDATE_GOLDENS:-} == 1 ]]; then
  if [[ -f $expected ]] && cmp -s "$work/stderr" "$expected"; then
    echo "unchanged: $expected"
  else
    cp -- "$work/stderr" "$expected"
    echo "UPDATED: $expected - read it and judge it before committing"
  fi
  exit 0
fi

if [[ ! -f $expected ]]; then
  echo "FAIL: $expected is missing. Create it with" >&2
  echo "  DCOMMC_UPDATE_GOLDENS=1 $0 $1 $input" >&2
  echo "then read it. This is what dcommc printed:" >&2
  cat "$work/stderr" >&2
  exit 1
fi

if ! cmp -s "$expected" "$work/stderr"; then
  echo "FAIL: the diagnostics for $input differ from $expected:" >&2
  diff -u --label "$expected (expected)" --label "$input (actual)" \
    "$expected" "$work/stderr" >&2 || true
  echo "If the new output is better, refresh with DCOMMC_UPDATE_GOLDENS=1 (see tests/diagnostics/README.md)." >&2
  exit 1
fi
echo "ok: $input"
