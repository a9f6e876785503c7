#!/usr/bin/env bash
# Shell completions: completions/dcommc.bash is sourced and asked to complete
# a few command lines (COMP_WORDS/COMP_CWORD as bash would set them); the
# explain codes come from the real binary. completions/_dcommc is checked by
# `zsh -n` when zsh is installed.
# Usage: tests/cli/completions.sh path/to/dcommc   (run from the project root)
set -uo pipefail

dcommc=$(realpath "${1:?usage: completions.sh path/to/dcommc}")
root=$PWD
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/specs" "$work/out"
touch "$work/specs/kyiv.dcomm" "$work/specs/lviv.dcomm" "$work/specs/notes.txt"

# shellcheck source=../../completions/dcommc.bash
source "$root/completions/dcommc.bash"
complete -p dcommc >/dev/null 2>&1 && pass "registers a completion for dcommc" ||
  fail "no 'complete -F _dcommc dcommc'"

# complete WORD... : the last word is the one being completed. Sets $reply to
# the sorted candidates, one line each.
complete_line() {
  COMP_WORDS=("$dcommc" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _dcommc dcommc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  reply=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
}
has() { grep -qxF -- "$1" <<<"$reply"; }
expect() {   # expect DESCRIPTION CANDIDATE... -- WORD...
  local description=$1 wanted=() missing=()
  shift
  while [[ $1 != -- ]]; do wanted+=("$1"); shift; done
  shift
  complete_line "$@"
  local w
  for w in "${wanted[@]}"; do has "$w" || missing+=("$w"); done
  if ((${#missing[@]} == 0)); then pass "$description"; else
    fail "$description: missing ${missing[*]} in: $(tr '\n' ' ' <<<"$reply")"
  fi
}
expect_not() {   # expect_not DESCRIPTION CANDIDATE -- WORD...
  local description=$1 unwanted=$2
  shift 3
  complete_line "$@"
  has "$unwanted" && fail "$description: offered $unwanted" || pass "$description"
}

cd "$work"
expect "subcommands at the first word" build check fmt plan graph images secrets verify init explain lsp -- ""
expect "subcommands by prefix" check -- ch
expect_not "only matching subcommands" plan -- ch
expect "top-level options" --version --help -- --
expect "check options" --format --werror --stdlib --color -- check --
expect_not "check has no --out" --out -- check --
expect "build options" --out --rotate-secrets --stdlib -- build --
expect "plan options" -o --out --rotate-secrets -- plan site.dcomm -
expect "fmt options" --check --diff -- fmt --
expect "init options" --domain --onion --tls --services --force -- init --
expect "graph options" --format -- graph --
expect "check --format values" human json sarif github -- check --format ""
expect "graph --format values" dot svg -- graph --format ""
expect_not "graph --format is not check's" sarif -- graph --format ""
expect "--color values" auto always never -- check --color ""
expect "init --tls values" acme internal off -- init --tls ""
expect "init --services items" matrix mail bridge bots web -- init --services ""
expect "init --services after a comma" matrix,mail matrix,web -- init --services matrix,
expect_not "init --services does not repeat an item" matrix,matrix -- init --services matrix,
expect ".dcomm files for check" specs/kyiv.dcomm specs/lviv.dcomm -- check specs/
expect_not "not other files" specs/notes.txt -- check specs/
expect "folders to descend into" specs -- check sp
expect "a spec in first place (the default build)" specs/kyiv.dcomm -- specs/k
expect "build options after a spec in first place" --out --rotate-secrets -- specs/kyiv.dcomm --
expect "-o takes a folder for build" out -- specs/kyiv.dcomm -o o
expect "plan -o takes a folder" out -- plan specs/kyiv.dcomm -o ""

# explain: the codes come from the binary's own listing.
codes=$("$dcommc" explain | awk '$1 ~ /^[EW][0-9]+$/ { print $1 }')
first=$(head -n 1 <<<"$codes")
if [[ -z $first ]]; then
  fail "dcommc explain lists no codes"
else
  complete_line explain ""
  [[ $reply == "$(sort <<<"$codes")" ]] && pass "explain completes every code ($(wc -l <<<"$codes"))" ||
    fail "explain codes differ: $(tr '\n' ' ' <<<"$reply")"
  expect "explain completes a code by prefix" "$first" -- explain "${first:0:3}"
  expect "explain accepts a lower-case prefix" "$first" -- explain "$(tr '[:upper:]' '[:lower:]' <<<"${first:0:3}")"
fi

# Every option of every subcommand's --help is offered by the completion.
for command in build check fmt plan graph images secrets verify init explain lsp; do
  options=$("$dcommc" "$command" --help 2>/dev/null | grep -oE '^ +(-[a-zA-Z], ?)?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort -u)
  complete_line "$command" --
  missing=$(comm -23 <(printf '%s\n' $options) <(printf '%s\n' $reply | sort -u))
  [[ -z $missing ]] && pass "$command: every option of --help is completed" ||
    fail "$command: --help lists options not completed: $(tr '\n' ' ' <<<"$missing")"
done

expect "secrets actions" list verify rotate seal unseal -- secrets ""
expect "secrets seal options" --recipient --recipients-file --bundle -- secrets seal --
for action in list verify rotate seal unseal; do
  options=$("$dcommc" secrets "$action" --help 2>/dev/null | grep -oE '^ +(-[a-zA-Z], ?)?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort -u)
  complete_line secrets "$action" --
  missing=$(comm -23 <(printf '%s\n' $options) <(printf '%s\n' $reply | sort -u))
  [[ -n $options && -z $missing ]] && pass "secrets $action: every option of --help is completed" ||
    fail "secrets $action: --help lists options not completed: $(tr '\n' ' ' <<<"$missing")"
done

# zsh: a syntax check, and (with zsh's completion system) a real completion.
if command -v zsh >/dev/null; then
  zsh -n "$root/completions/_dcommc" && pass "zsh completion parses (zsh -n)" ||
    fail "zsh -n rejects completions/_dcommc"
  grep -q '^#compdef dcommc$' "$root/completions/_dcommc" && pass "zsh completion starts with #compdef dcommc" ||
    fail "no '#compdef dcommc' line"
else
  echo "skip zsh checks: zsh is not installed"
fi

echo "completions: $failures failure(s)"
((failures == 0))
