#!/usr/bin/env bash
# `dcommc secrets`: list and verify never print a value; seal on one
# machine's output folder and unseal in a clone of it (public files only,
# as git holds them) restores every secret, after which a build writes the
# same bytes as the first operator's; a clone without them is refused.
# Usage: tests/cli/secrets.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
command -v age >/dev/null && command -v age-keygen >/dev/null || { echo "skip: age is not installed (scripts/deps.sh)"; exit 77; }
run() { status=0; "$dcommc" "$@" >out.txt 2>err.txt || status=$?; }

cp "$root/examples/federation.dcomm" site.dcomm
"$dcommc" build site.dcomm -o first >/dev/null 2>&1
age-keygen -o alice.key 2>/dev/null
age-keygen -o bob.key 2>/dev/null
age-keygen -o eve.key 2>/dev/null

# ---------------------------------------------------------------- list, verify
run secrets list -o first
((status == 0)) && grep -qE '^  synapse_signing_key +dcomms-kyiv_synapse_signing_key_v1 +[0-9-]+ [0-9:]+ +[0-9a-f]{16} +synapse$' out.txt &&
  pass "list: name, swarm name, date, digest and reader of each secret" || fail "list: $(head -5 out.txt)"
grep -qE '^  postgres_password .* postgres, synapse \(in secrets/synapse_pgpass\)$' out.txt &&
  pass "list: a secret embedded in a file is read by that file's readers too" || fail "list: postgres_password's readers"
leaked=0
for secret in first/*/secrets/*; do
  [[ -f $secret && $(basename "$secret") != generations.json ]] || continue
  value=$(tr ' ' '\n' <"$secret" | grep -v '^$' | tail -n 1)
  grep -qF -- "$value" out.txt && leaked=$((leaked + 1))
  "$dcommc" secrets list -o first --format json | grep -qF -- "$value" && leaked=$((leaked + 1))
done
((leaked == 0)) && pass "list: no value, in text or JSON" || fail "list printed $leaked secret values"
run secrets verify -o first
((status == 0)) && grep -q '^21 of 21 secrets are as the last build wrote them$' out.txt && pass "verify: a fresh build is fine" ||
  fail "verify exited $status: $(cat out.txt err.txt)"
chmod 644 first/kyiv/secrets/synapse_macaroon_key
run secrets verify -o first
((status == 1)) && grep -q 'synapse_macaroon_key: mode 0644, readable by others: chmod 600 it' out.txt &&
  pass "verify: a secret readable by others fails" || fail "verify after chmod 644 exited $status"
chmod 600 first/kyiv/secrets/synapse_macaroon_key
cp first/kyiv/secrets/synapse_form_secret saved && printf 'other' >first/kyiv/secrets/synapse_form_secret
run secrets verify -o first
((status == 1)) && grep -q "synapse_form_secret: not the value the last build wrote" out.txt &&
  pass "verify: a value that is not the one built fails (its digest in manifest.json)" || fail "verify of a swapped value exited $status"
cat saved >first/kyiv/secrets/synapse_form_secret
mv first/kyiv/secrets/synapse_macaroon_key key && ln -s "$PWD/key" first/kyiv/secrets/synapse_macaroon_key
run secrets verify -o first
((status == 1)) && grep -q 'synapse_macaroon_key: not a regular file (a link?)' out.txt &&
  pass "verify: a link in place of a secret fails" || fail "verify of a link exited $status"
rm first/kyiv/secrets/synapse_macaroon_key && mv key first/kyiv/secrets/synapse_macaroon_key
run secrets verify -o first
((status == 0)) && pass "verify: fine again once restored" || fail "verify after restoring exited $status: $(cat out.txt)"

# ---------------------------------------------------------------- seal, clone, unseal
run secrets seal -o first -r "$(age-keygen -y alice.key)" -r "$(age-keygen -y bob.key)"
((status == 0)) && head -n 1 first/secrets.age | grep -q 'BEGIN AGE ENCRYPTED FILE' && pass "seal: an armored age file" ||
  fail "seal exited $status: $(cat err.txt)"
value=$(tail -c 20 first/kyiv/secrets/synapse_macaroon_key)
grep -qF -- "$value" first/secrets.age && fail "a secret value is readable in the bundle" || pass "seal: no value in clear"
run secrets seal -o first
((status == 1)) && grep -q 'needs at least one recipient' err.txt && pass "seal: refuses to run without a recipient" || fail "seal without -r exited $status"

# The second operator's machine: what git holds (.gitignore keeps the secrets out).
mkdir second && (cd first && git init -q . && git add -A && git -c user.name=a -c user.email=a@b commit -qm built) &&
  git clone -q first second/out
[[ ! -e second/out/kyiv/secrets ]] && pass "the clone has no secrets (OUT/.gitignore)" || fail "secrets were committed"
run build site.dcomm -o second/out
((status == 1)) && grep -q 'synapse_form_secret is missing, but the site.s last build (its manifest.json) had it' err.txt &&
  pass "a build of a clone without its secrets is refused, not given new values" || fail "clone build exited $status"
run secrets unseal -o second/out -i eve.key
((status == 1)) && pass "unseal: another key cannot open it" || fail "unseal with eve's key exited $status"
run secrets unseal -o second/out -i bob.key
((status == 0)) && pass "unseal: bob's key opens it" || fail "unseal exited $status: $(cat err.txt)"
[[ $(stat -c %a second/out/kyiv/secrets/synapse_signing_key) == 600 && $(stat -c %a second/out/kyiv/secrets) == 700 ]] &&
  pass "unseal: files 0600 in folders 0700" || fail "modes $(stat -c %a second/out/kyiv/secrets second/out/kyiv/secrets/synapse_signing_key)"
run build site.dcomm -o second/out
((status == 0)) || fail "the build after unseal exited $status: $(cat err.txt)"
if diff -r -x .git first second/out >diff.txt; then
  pass "the second operator's build: every file, secrets included, byte for byte the first's"
else
  fail "the builds differ:"; head -n 20 diff.txt | sed 's/^/     /'
fi
run secrets verify -o second/out
((status == 0)) && pass "verify: the restored secrets are the deployed ones" || fail "verify exited $status: $(cat out.txt)"

printf 'mine' >second/out/lviv/secrets/synapse_form_secret
run secrets unseal -o second/out -i alice.key
((status == 1)) && grep -q 'lviv/secrets/synapse_form_secret exists and holds another value' err.txt &&
  [[ $(cat second/out/lviv/secrets/synapse_form_secret) == mine ]] &&
  pass "unseal never replaces a value; it names the file and writes nothing" || fail "unseal over a value exited $status"

# A bundle that names a place outside the secrets folders is refused.
printf '{"dcommc_secrets":1,"files":[{"path":"kyiv/stack.yml","base64":"eA=="}]}' |
  age -e -r "$(age-keygen -y alice.key)" -o evil.age
run secrets unseal -o second/out -i alice.key --bundle evil.age
((status == 1)) && grep -q "the bundle holds 'kyiv/stack.yml', which is not a secret's place" err.txt &&
  pass "unseal: a bundle cannot write outside the secrets" || fail "evil bundle exited $status: $(cat err.txt)"

# ---------------------------------------------------------------- rotate
run secrets rotate site.dcomm -o first synapse_macaroon_key
((status == 0)) && grep -q '"synapse_macaroon_key": 2' first/kyiv/secrets/generations.json &&
  pass "rotate: a new value under a new swarm name" || fail "rotate exited $status: $(cat err.txt)"
run secrets rotate site.dcomm -o first synapse_signing_key
((status == 1)) && grep -q '^error\[E0602\]' err.txt && pass "rotate: a signing key needs --allow E0602" || fail "rotate signing key exited $status"

echo "secrets: $failures failure(s)"
((failures == 0))
