#!/usr/bin/env bash
# Incremental builds write exactly what a full build writes. A chain of edits
# to the federation example (spec, secrets and output, as an operator makes
# them) is built into one output folder that is never cleaned; after each
# step a copy of that folder rebuilt with --full must not differ by a byte,
# and the build must have rendered exactly the sites whose inputs changed.
# Usage: tests/cli/incremental.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

cp "$root/examples/federation.dcomm" spec.dcomm

# step LABEL RENDERED [build options...]: build, then compare with a full build.
step() {
  local label=$1 expected=$2
  shift 2
  # Past the coarse clock tick of the last build's manifests, as a person
  # editing is (see compiler/write/up_to_date.hpp).
  sleep 0.02
  if ! "$dcommc" build spec.dcomm -o out "$@" >build.out 2>build.err; then
    fail "$label: build failed: $(cat build.err)"
    return
  fi
  local rendered
  rendered=$(grep -o '([0-9]* rendered' build.err | tr -dc 0-9)
  [[ $rendered == "$expected" ]] && pass "$label: $expected site(s) rendered" ||
    fail "$label: $rendered site(s) rendered, expected $expected: $(tail -n 2 build.err)"
  rm -rf full && cp -a out full
  "$dcommc" build spec.dcomm -o full --full >/dev/null 2>&1 || { fail "$label: the full build failed"; return; }
  if diff -r out full >diff.txt; then
    pass "$label: the same files, byte for byte, as a full build"
  else
    fail "$label: differs from a full build:"
    head -n 20 diff.txt | sed 's/^/     /'
  fi
}

step "first build" 3
step "nothing changed" 0
sed -i 's/^site "kharkiv" {/&\n  country = "PL"/' spec.dcomm
step "kharkiv's country" 1
sed -i '/^site "kyiv" {/,/^}/ {/onion/d}' spec.dcomm
step "kyiv's onion address removed" 1
sed -i 's/"lviv.dcomm.net.ua"/"lviv.example.org"/' spec.dcomm
step "lviv's domain (Element of every site lists its homeserver)" 3 --allow E0601
sed -i 's/acme("ops@dcomm.net.ua")/acme("noc@dcomm.net.ua")/' spec.dcomm
step "the shared template's ACME contact" 3
python3 - spec.dcomm <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'\n  service "web" \{.*?\n  \}\n', '\n', text, count=1, flags=re.S)
open(sys.argv[1], "w").write(text)
PY
step "the website removed from the template" 3
[[ ! -e out/kyiv/caddy/site ]] && ! grep -q 'dcomms-web\|/var/www/dcomms' out/kyiv/stack.yml &&
  pass "the website is gone from the stack" || fail "the website is still deployed"
step "synapse_form_secret rotated" 3 --rotate-secrets synapse_form_secret
echo '# edited by hand' >>out/lviv/caddy/Caddyfile
step "lviv's Caddyfile edited by hand" 1
grep -q 'edited by hand' out/lviv/caddy/Caddyfile && fail "the hand edit survived" || pass "the hand edit is undone"
(umask 077 && printf 'a-password-the-operator-restored-0123' >out/kharkiv/secrets/postgres_password)
step "kharkiv's postgres password restored from a backup" 1
grep -q 'a-password-the-operator-restored-0123' out/kharkiv/secrets/synapse_pgpass &&
  pass "the files made from it follow" || fail "synapse_pgpass still holds the old password"
rm out/kyiv/stack.yml
step "kyiv's stack.yml deleted" 1
[[ -f out/kyiv/stack.yml ]] && pass "stack.yml is back" || fail "stack.yml is missing"

echo "incremental: $failures failure(s)"
((failures == 0))
