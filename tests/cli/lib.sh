# shellcheck shell=bash
# What the command-line tests share, sourced first thing:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
# Sets dcommc (the binary, absolute), root (the project, where ctest runs
# the script) and work (a scratch folder, the working directory, removed
# on exit); pass LABEL and fail LABEL print a line each and count failures.
# shellcheck disable=SC2034 # dcommc and root are for the scripts that source this
dcommc=$(realpath "${1:?usage: $(basename "$0") path/to/dcommc}")
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
