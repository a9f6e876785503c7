#!/usr/bin/env bash
# Changing a deployed site: `plan` classifies what a redeploy changes in
# the swarm and prints the commands; `build` refuses irreversible changes
# (E0601-E0606) unless --allow names them, keeps secrets of removed
# services until --prune --prune-secrets, and leaves a removed site's
# folder until --prune.
# Usage: tests/cli/changes.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
run() { status=0; "$dcommc" "$@" >out.txt 2>err.txt || status=$?; }
# has FILE PATTERN LABEL: a line of FILE matches the extended regex PATTERN.
has() { grep -qE -- "$2" "$1" && pass "$3" || { fail "$3: no line matching '$2' in:"; sed 's/^/     /' "$1" | head -n 40; }; }

# drop_block FILE HEAD: removes the block that starts with the line HEAD
# (as written, indentation included) and ends at the first line closing it
# at that indentation.
drop_block() {
  python3 - "$1" "$2" <<'PY'
import sys
path, head = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
start = lines.index(head)
close = " " * (len(head) - len(head.lstrip())) + "}"
end = lines.index(close, start)
open(path, "w").write("\n".join(lines[:start] + lines[end + 1:]))
PY
}

# ---------------------------------------------------------------- a service removed
cp "$root/examples/kyiv.dcomm" site.dcomm
"$dcommc" build site.dcomm -o out >/dev/null 2>&1
drop_block site.dcomm '  service "bots" {'
run plan site.dcomm -o out
((status == 2)) && pass "plan: a removed service is a change (exit 2)" || fail "plan exited $status"
has out.txt '^    - service bots$' "plan: the service is removed from the swarm"
has out.txt '^    - volume bots_data$' "plan: its volume leaves the stack"
has out.txt '^  in the swarm \([0-9]+ unchanged\):$' "plan: counts what stays unchanged"
has out.txt '^    docker stack deploy --prune -c out/kyiv/stack.yml dcomms-kyiv$' "plan: prints the deploy command"
has out.txt '^    docker secret rm dcomms-kyiv_maubot_config_[0-9a-f]{12}$' "plan: prints docker secret rm of what nothing uses"
has out.txt '^  = kyiv/secrets/bots_admin_password  \(no service reads it' "plan: the unused secret is kept"
has err.txt '^warning\[E0605\]: site kyiv no longer uses the volume dcomms-kyiv_bots_data$' "plan: E0605 as a warning"

before=$(cd out && find . -type f -exec sha256sum {} + | sort)
run build site.dcomm -o out
((status == 1)) && pass "build: refuses E0605 (exit 1)" || fail "build exited $status"
has err.txt '^error\[E0605\]' "build: says why"
has err.txt '^1 irreversible change refused; nothing was written$' "build: says nothing was written"
[[ $(cd out && find . -type f -exec sha256sum {} + | sort) == "$before" ]] && pass "build: out/ untouched" ||
  fail "a refused build changed out/"

run build site.dcomm -o out --allow e0605
((status == 0)) && pass "build --allow E0605 (any case) goes ahead" || fail "build --allow exited $status: $(cat err.txt)"
has err.txt '^warning\[E0605\]' "build --allow: the allowed change is still shown"
has err.txt '^kept out/kyiv/secrets/bots_admin_password: no service reads this secret any more' "build: lists kept secrets"
[[ -f out/kyiv/secrets/bots_admin_password && -f out/kyiv/secrets/maubot/config.yaml ]] &&
  pass "build: the removed service's secrets stay" || fail "secrets removed without --prune-secrets"

run build site.dcomm -o out --prune-secrets
((status == 1)) && has err.txt 'requires --prune' "--prune-secrets alone is a usage error" || fail "--prune-secrets alone exited $status"
run build site.dcomm -o out --allow E0699
((status == 1)) && has err.txt 'E0699 is not a code --allow accepts' "--allow checks its code" || fail "--allow E0699 exited $status"

run build site.dcomm -o out --prune --prune-secrets
((status == 0)) || fail "build --prune --prune-secrets exited $status: $(cat err.txt)"
[[ ! -e out/kyiv/secrets/bots_admin_password && ! -e out/kyiv/secrets/maubot ]] &&
  pass "--prune --prune-secrets removes them, and the folder they leave empty" || fail "$(ls -R out/kyiv/secrets)"
grep -q '"bots_admin_password": 1' out/kyiv/secrets/generations.json &&
  pass "their rotation counts stay in generations.json" || fail "generations.json forgot bots_admin_password"
cp "$root/examples/kyiv.dcomm" site.dcomm
run build site.dcomm -o out
((status == 0)) && grep -q '"bots_admin_password": 2' out/kyiv/secrets/generations.json &&
  pass "a service back after its secrets were pruned gets new swarm names (v2), never an old one" ||
  fail "re-adding bots exited $status: $(cat out/kyiv/secrets/generations.json)"

# ---------------------------------------------------------------- dangers
cp "$root/examples/kyiv.dcomm" site.dcomm
rm -rf out && "$dcommc" build site.dcomm -o out >/dev/null 2>&1
sed -i 's/"kyiv.dcomm.net.ua"/"kyiv.example.org"/' site.dcomm
run build site.dcomm -o out
((status == 1)) && has err.txt '^error\[E0601\]: site kyiv changes its domain from kyiv.dcomm.net.ua to kyiv.example.org$' \
  "a domain change is refused (E0601)" || fail "domain change exited $status"
has err.txt '^ *= help: keep domain = "kyiv.dcomm.net.ua"' "E0601 says what to write instead"
run build site.dcomm -o out --allow E0601
((status == 0)) && grep -q 'kyiv.example.org' out/kyiv/caddy/Caddyfile && pass "--allow E0601 builds the new domain" ||
  fail "--allow E0601 exited $status"
run build site.dcomm -o out
((status == 0)) && pass "once built, the new domain is the site's: no E0601 again" || fail "rebuild exited $status"

run build site.dcomm -o out --rotate-secrets synapse_signing_key
((status == 1)) && has err.txt '^error\[E0602\]' "rotating the signing key is refused (E0602)" || fail "exited $status"
run build site.dcomm -o out --rotate-secrets postgres_password
((status == 1)) && has err.txt '^error\[E0603\]' "rotating the database password is refused (E0603)" || fail "exited $status"
run build site.dcomm -o out --rotate-secrets postgres_password --allow E0603
((status == 0)) && grep -q '"postgres_password": 2' out/kyiv/secrets/generations.json &&
  pass "--allow E0603 rotates it" || fail "--allow E0603 exited $status"
run build site.dcomm -o out --rotate-secrets synapse_macaroon_key
((status == 0)) && pass "rotating the macaroon key needs no --allow" || fail "macaroon rotation exited $status"

# ---------------------------------------------------------------- a site removed
cp "$root/examples/federation.dcomm" fed.dcomm
"$dcommc" build fed.dcomm -o fout >/dev/null 2>&1
drop_block fed.dcomm 'site "lviv" {'
run plan fed.dcomm -o fout
has out.txt '^site lviv: no longer in the spec$' "plan: names the site that left"
has out.txt '^    docker stack rm dcomms-lviv$' "plan: prints docker stack rm"
has out.txt 'dcomms-lviv_synapse_data' "plan: names its volumes"
has err.txt '^warning\[E0606\]: matrix.lviv.dcomm.net.ua leaves the federation of 2 deployed sites \(kyiv, kharkiv\)$' \
  "plan: the others' federation changes (E0606)"
run build fed.dcomm -o fout
((status == 1)) && has err.txt '^error\[E0606\]' "build: refuses the membership change" || fail "exited $status"
run build fed.dcomm -o fout --allow E0606
((status == 0)) && [[ -f fout/lviv/stack.yml ]] && pass "build: the site's folder is left as it was" ||
  fail "exited $status, or lviv's folder changed"
has err.txt '^site lviv is no longer in the spec: fout/lviv was left as it was' "build: says so"
grep -q 'lviv' fout/deploy.txt && fail "deploy.txt still deploys lviv" || pass "deploy.txt no longer deploys it"
run build fed.dcomm -o fout --prune
((status == 1)) && has err.txt '^error\[E0604\]: site lviv is no longer in the spec, and --prune removes its files' \
  "--prune is refused without --allow E0604" || fail "--prune exited $status"
run build fed.dcomm -o fout --prune --allow E0604
((status == 0)) && [[ ! -e fout/lviv/stack.yml && ! -e fout/lviv/synapse && -f fout/lviv/secrets/synapse_signing_key ]] &&
  pass "--prune --allow E0604 removes its files, not its secrets" || fail "prune exited $status: $(ls -R fout/lviv | head)"
run build fed.dcomm -o fout
has err.txt '^kept fout/lviv/secrets/synapse_signing_key' "its secrets are listed as kept on every build"
run build fed.dcomm -o fout --prune --prune-secrets --allow E0604
((status == 0)) && [[ ! -e fout/lviv ]] && pass "--prune-secrets removes the rest, and its folder" ||
  fail "exited $status: $(ls -R fout/lviv 2>&1 | head)"

echo "changes: $failures failure(s)"
((failures == 0))
