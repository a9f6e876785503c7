#!/usr/bin/env bash
# `dcommc init`: a spec from flags or from the seed scripts' DWEB_DOMAIN
# and DWEB_ONION that passes `check`, is `fmt`-stable and builds; bad
# answers are refused with exit 1 and nothing written.
# Usage: tests/cli/init.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
onion=xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion

# The seed's environment, no terminal: everything else defaults.
DWEB_DOMAIN=kyiv.dcomm.net.ua DWEB_ONION=$onion "$dcommc" init </dev/null 2>init.err &&
  pass "init from DWEB_DOMAIN and DWEB_ONION" || fail "init failed: $(cat init.err)"
[[ -f kyiv.dcomm ]] && pass "writes NAME.dcomm" || fail "no kyiv.dcomm"
grep -q "onion  = \"$onion\"" kyiv.dcomm && pass "keeps the onion" || fail "onion missing"
"$dcommc" check kyiv.dcomm 2>/dev/null && pass "passes check" || fail "check failed"
"$dcommc" fmt --check kyiv.dcomm >/dev/null && pass "is fmt-stable" || fail "not canonical"
"$dcommc" kyiv.dcomm -o out >/dev/null 2>&1 && [[ -s out/kyiv/stack.yml ]] && pass "builds" ||
  fail "does not build"

# Flags, a subset of services, standard output.
"$dcommc" init --domain lviv.dcomm.net.ua --tls internal --services matrix,web -o - >lviv.dcomm 2>/dev/null
grep -q 'tls    = internal' lviv.dcomm && ! grep -q deltachat lviv.dcomm && pass "flags choose tls and services" ||
  fail "flags ignored: $(cat lviv.dcomm)"
"$dcommc" check lviv.dcomm 2>/dev/null && pass "the subset passes check" || fail "subset fails check"

# Any human name: Element shows it, the identifier is made from it, and the
# spec passes check and builds.
for title in "My Site" 'Київ "Mesh" \ #2' "Київ" "$(printf 'x%.0s' {1..40}) Community"; do
  rm -f human.dcomm
  if "$dcommc" init --name "$title" --domain kyiv.dcomm.net.ua --tls internal -o human.dcomm </dev/null 2>human.err &&
    "$dcommc" check human.dcomm 2>>human.err && "$dcommc" fmt --check human.dcomm >/dev/null 2>>human.err &&
    "$dcommc" human.dcomm -o "out-human" >/dev/null 2>>human.err &&
    grep -qF "\"brand\": \"$(sed 's/\\/\\\\/g; s/"/\\"/g' <<<"$title")\"" out-human/*/element/config.json; then
    pass "init --name '$title': passes check, builds, Element shows the name ($(sed -n 's/^site "\(.*\)" {$/\1/p' human.dcomm))"
  else
    fail "init --name '$title': $(cat human.err)"
  fi
  rm -rf out-human
done
grep -q '^site "my-site" {' <("$dcommc" init --name "My Site" --domain kyiv.dcomm.net.ua -o - 2>/dev/null) &&
  pass "the identifier of 'My Site' is my-site" || fail "'My Site' did not become my-site"
status=0
"$dcommc" init --name $'two\nlines' --domain kyiv.dcomm.net.ua -o two.dcomm </dev/null >/dev/null 2>&1 || status=$?
((status == 1)) && [[ ! -e two.dcomm ]] && pass "a name with a line break is refused" || fail "exit $status"

# Bad answers: exit 1, nothing written; an existing file is kept.
status=0
"$dcommc" init --domain Bad_Domain -o bad.dcomm </dev/null >/dev/null 2>bad.err || status=$?
((status == 1)) && [[ ! -e bad.dcomm ]] && pass "an invalid domain is refused" || fail "exit $status"
status=0
"$dcommc" init --domain kyiv.dcomm.net.ua --onion g674ny5ycfntbyq6vnb3s24fsg4rgy2tamqtb5e6btdglbdo2yb32yid.onion \
  -o seed.dcomm </dev/null >/dev/null 2>&1 || status=$?
((status == 1)) && [[ ! -e seed.dcomm ]] && pass "the seed README's onion is refused (checksum)" || fail "exit $status"
status=0
DWEB_DOMAIN=kyiv.dcomm.net.ua "$dcommc" init </dev/null >/dev/null 2>&1 || status=$?
((status == 1)) && pass "an existing file is not replaced without --force" || fail "exit $status"

echo "init: $failures failure(s)"
((failures == 0))
