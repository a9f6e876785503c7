#!/usr/bin/env bash
# Golden outputs: `dcommc examples/NAME.dcomm -o DIR` must write exactly the
# public files checked in under tests/golden/NAME/, byte for byte (secrets/
# holds random values and is never compared or checked in). Then the
# determinism check: two builds of the same spec, each with fresh secrets,
# from different working directories, write identical public files, and no
# secret value appears in any of them.
#
# Usage: tests/cli/golden_outputs.sh path/to/dcommc   (run from the project root)
#        DCOMMC_UPDATE_GOLDENS=1 tests/cli/golden_outputs.sh path/to/dcommc
#          rewrites tests/golden/ from the current compiler; review the diff
#          (git diff tests/golden) before committing it.
set -euo pipefail

dcommc=$(realpath "${1:?usage: golden_outputs.sh path/to/dcommc}")
root=$PWD
golden_root=$root/tests/golden
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

# The public files under a build folder, relative to it, sorted: everything
# but the secrets/ folder of each site.
public_files() {
  (cd "$1" && find . -type f ! -path './*/secrets/*' | sed 's|^\./||' | LC_ALL=C sort)
}

# A file as its golden holds it. A manifest's fingerprint covers the hash of
# the compiler's own sources (compiler/write/fingerprint.hpp), so it moves
# with every change to them: goldens hold a placeholder in its place, and
# the determinism check below compares the real values of two builds.
golden_text() {  # golden_text FILE
  if [[ $(basename "$1") == manifest.json ]]; then
    sed -E 's/"fingerprint": "[0-9a-f]{64}"/"fingerprint": "(the site'"'"'s input fingerprint)"/' "$1" | without_secret_digests
  else
    cat "$1"
  fi
}
# A manifest's secret_sha256 entries digest the secrets' values, which are
# random: the one part of a public file that differs between two builds
# with fresh secrets (and the same with the same secrets: tests/cli/secrets.sh).
without_secret_digests() {
  sed -E '/^  "secret_sha256": \{$/,/^  \}/ s/^(    "[^"]+": )"[0-9a-f]{64}"/\1"(sha256 of the secret)"/'
}
# Two output folders' public files, alike but for the secrets' digests.
same_public_files() {  # same_public_files DIR DIR
  diff -r -x secrets -x manifest.json "$1" "$2" || return 1
  local manifest
  for manifest in "$1"/*/manifest.json; do
    diff <(without_secret_digests <"$manifest") <(without_secret_digests <"$2/${manifest#"$1"/}") || return 1
  done
}

build() {  # build SPEC OUT [CWD]
  local status=0
  (cd "${3:-$root}" && "$dcommc" "$1" -o "$2" >"$work/build.out" 2>"$work/build.err") || status=$?
  if ((status != 0)); then
    fail "dcommc $1 exited $status"
    sed 's/^/     /' "$work/build.err"
    return 1
  fi
}

shopt -s nullglob
examples=("$root"/examples/*.dcomm)
((${#examples[@]} > 0)) || { echo "no examples/*.dcomm"; exit 1; }

for spec in "${examples[@]}"; do
  name=$(basename "$spec" .dcomm)
  out=$work/$name/first
  build "examples/$name.dcomm" "$out" || continue
  golden=$golden_root/$name

  if [[ ${DCOMMC_UPDATE_GOLDENS:-} == 1 ]]; then
    rm -rf "$golden"
    mkdir -p "$golden"
    while IFS= read -r file; do
      mkdir -p "$golden/$(dirname "$file")"
      golden_text "$out/$file" >"$golden/$file"
    done < <(public_files "$out")
    echo "updated tests/golden/$name ($(public_files "$golden" | wc -l) files)"
  fi

  # Golden comparison: the same set of files, each byte for byte.
  if [[ ! -d $golden ]]; then
    fail "$name: no tests/golden/$name (run with DCOMMC_UPDATE_GOLDENS=1)"
  else
    if diff <(public_files "$golden") <(public_files "$out") >"$work/list.diff"; then
      pass "$name: the same files as tests/golden/$name"
    else
      fail "$name: files differ from tests/golden/$name (< golden only, > built only):"
      grep '^[<>]' "$work/list.diff" | sed 's/^/     /'
    fi
    differing=0
    while IFS= read -r file; do
      [[ -f $out/$file ]] || continue
      if ! cmp -s "$golden/$file" <(golden_text "$out/$file"); then
        differing=$((differing + 1))
        echo "--- $name/$file differs from its golden:"
        diff -u --label "tests/golden/$name/$file" --label "built/$name/$file" \
          "$golden/$file" <(golden_text "$out/$file") || true
      fi
    done < <(public_files "$golden")
    ((differing == 0)) && pass "$name: every file matches its golden" ||
      fail "$name: $differing file(s) differ from their goldens (diffs above)"
  fi

  # Determinism: a second build with fresh secrets, run from another
  # working directory with a relative spec path and output folder.
  mkdir -p "$work/$name/elsewhere"
  second=$work/$name/elsewhere/second
  build "$(realpath --relative-to="$work/$name/elsewhere" "$spec")" second "$work/$name/elsewhere" || continue
  if same_public_files "$out" "$second" >"$work/det.diff"; then
    pass "$name: two builds with fresh secrets write identical public files"
  else
    fail "$name: public files differ between two builds:"
    sed 's/^/     /' "$work/det.diff" | head -n 40
  fi

  # The two builds did generate different secrets, and no value of either
  # is in a public file.
  same=0 leaked=0
  for secret in "$out"/*/secrets/*; do
    [[ -f $secret && $(basename "$secret") != generations.json ]] || continue
    other=$second/${secret#"$out"/}
    [[ -f $other ]] && cmp -s "$secret" "$other" && same=$((same + 1))
    # The raw value of each secret (its last token, for the signing key).
    value=$(tr ' ' '\n' <"$secret" | grep -v '^$' | tail -n 1)
    [[ ${#value} -ge 16 ]] || continue
    while IFS= read -r file; do
      if grep -qF -- "$value" "$out/$file"; then
        leaked=$((leaked + 1))
        echo "     secret $(basename "$secret") appears in $file"
      fi
    done < <(public_files "$out")
  done
  ((same == 0)) && pass "$name: fresh secrets differ between the builds" ||
    fail "$name: $same secret(s) came out the same in two builds"
  ((leaked == 0)) && pass "$name: no secret value in a public file" ||
    fail "$name: $leaked secret value(s) found in public files"
done

# No golden folder without its example (a renamed or deleted example).
for golden in "$golden_root"/*/; do
  name=$(basename "$golden")
  [[ -f $root/examples/$name.dcomm ]] && continue
  if [[ ${DCOMMC_UPDATE_GOLDENS:-} == 1 ]]; then
    rm -rf "$golden" && echo "removed tests/golden/$name: examples/$name.dcomm is gone"
  else
    fail "tests/golden/$name has no examples/$name.dcomm (remove it, or run with DCOMMC_UPDATE_GOLDENS=1)"
  fi
done

echo "golden_outputs: $failures failure(s)"
((failures == 0))
