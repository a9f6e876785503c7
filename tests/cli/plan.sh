#!/usr/bin/env bash
# `dcommc plan`: exit 0 when OUT is up to date, 2 with changes (and their
# diff), 1 on errors of any kind; it writes nothing and never shows a secret.
# Usage: tests/cli/plan.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
plan() { status=0; "$dcommc" plan "$@" >plan.txt 2>plan.err || status=$?; }

cp "$root/examples/kyiv.dcomm" site.dcomm

plan site.dcomm -o out
((status == 2)) && pass "an empty out/ plans changes (exit 2)" || fail "fresh plan exited $status"
[[ ! -e out ]] && pass "plan writes nothing" || fail "plan created out/"
grep -q '^  + kyiv/stack.yml$' plan.txt && pass "lists the stack as added" || fail "no '+ kyiv/stack.yml'"
grep -q '^  + secret synapse_signing_key' plan.txt && pass "lists secrets to generate" ||
  fail "no secret line"
grep -q '^Plan: ' plan.txt && pass "ends with a summary" || fail "no summary"

"$dcommc" site.dcomm -o out >/dev/null 2>&1
plan site.dcomm -o out
((status == 0)) && pass "up to date after a build (exit 0)" || fail "plan after build exited $status"
grep -q '^No changes' plan.txt && pass "says there is nothing to do" || fail "$(cat plan.txt)"
plan site.dcomm -o out -q
((status == 0)) && [[ ! -s plan.txt && ! -s plan.err ]] && pass "-q: silent, exit 0 when up to date" || fail "-q exited $status: $(cat plan.txt plan.err)"

sed -i 's/federation   = true/federation   = false/' site.dcomm
plan site.dcomm -o out
((status == 2)) && pass "a spec change plans changes (exit 2)" || fail "changed spec exited $status"
plan site.dcomm -o out --quiet
((status == 2)) && [[ ! -s plan.txt ]] && pass "-q: nothing printed, exit 2 with changes" || fail "-q with changes exited $status"
plan site.dcomm -o out
grep -q '^  ~ kyiv/synapse/homeserver.yaml$' plan.txt && pass "names the changed artifact" ||
  fail "homeserver.yaml not listed as changed"
grep -q '^--- a/kyiv/synapse/homeserver.yaml$' plan.txt && grep -q '^-          - "federation"$' plan.txt &&
  pass "shows a unified diff of it" || fail "no diff of homeserver.yaml"
grep -q '^  a redeploy updates: .*synapse' plan.txt && pass "names the services a redeploy restarts" ||
  fail "no restart line for synapse"
grep -q '^  [~+] kyiv/secrets/synapse_pgpass' plan.txt && fail "an unchanged secret file is listed" ||
  pass "unchanged secret files are not listed"

# Secret content is never printed, even when a secret file changes.
for secret in out/kyiv/secrets/*; do
  [[ -f $secret && $(basename "$secret") != generations.json ]] || continue
  value=$(tail -c 30 "$secret" | tr -d '\n')
  if grep -qF -- "$value" plan.txt plan.err; then fail "secret $(basename "$secret") printed"; fi
done
plan site.dcomm -o out --rotate-secrets postgres_password
grep -q 'synapse_pgpass  (secret: content not shown)' plan.txt &&
  pass "a secret file that would change is listed without its content" || fail "rotation not planned"

: >a-file
plan site.dcomm -o a-file
((status == 1)) && grep -q 'a-file is a file, not a folder' plan.err && [[ ! -s plan.txt ]] &&
  pass "-o naming a file is a usage error (exit 1), not 'changes' (2)" || fail "plan -o a-file exited $status: $(cat plan.err)"
status=0
"$dcommc" build site.dcomm -o a-file >/dev/null 2>build.err || status=$?
((status == 1)) && grep -q 'a-file is a file, not a folder' build.err && [[ ! -s a-file ]] &&
  pass "build -o naming a file exits 1 and leaves the file alone" || fail "build -o a-file exited $status"

printf 'site "x" {}\n' >bad.dcomm
plan bad.dcomm -o out
((status == 1)) && pass "a spec with errors exits 1" || fail "bad spec exited $status"

echo "plan: $failures failure(s)"
((failures == 0))
