#!/usr/bin/env bash
# The output folder, imports and input size as trust boundaries (issue 17):
# each reproduction of a broken promise, now kept. A build killed while it
# writes; links in out/; a manifest that names what to delete; an import
# of a secret, of a file outside the spec's folder, of a device; inputs too
# large; folder modes under umask 0000. Random kills: tests/cli/crash.sh.
# Usage: tests/cli/trust_boundaries.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
spec=$root/examples/kyiv.dcomm

# build OUT [ARGS...]: status in $status, stderr in err.txt
build() {
  local out=$1
  shift
  status=0
  "$dcommc" "$spec" -o "$out" "$@" >/dev/null 2>err.txt || status=$?
}

# Every raw secret of out/kyiv is non-empty, and generations.json parses.
secrets_whole() {
  local file
  for file in "$1"/kyiv/secrets/*; do
    [[ -f $file ]] || continue
    [[ -s $file ]] || return 1
  done
  python3 -c 'import json,sys; assert isinstance(json.load(open(sys.argv[1])), dict)' \
    "$1/kyiv/secrets/generations.json"
}

# --- 1. A build killed while it writes (the issue's strace reproductions) ---
if command -v strace >/dev/null; then
  for when in 18 25; do
    rm -rf killed
    # (in a subshell that does not exec strace, so the shell's "Killed"
    # notice goes to its stderr, which is discarded)
    (strace -f -o /dev/null -e inject=write:signal=KILL:when=$when "$dcommc" "$spec" -o killed || true) \
      >/dev/null 2>&1
    build killed
    if ((status == 0)) && secrets_whole killed; then
      pass "killed at write #$when: the next build exits 0 with every secret whole"
    else
      fail "killed at write #$when: rebuild exit $status, $(find killed -empty -type f | head -n 3) $(cat err.txt)"
    fi
  done
else
  echo "skip the strace reproductions: strace is not installed (scripts/deps.sh installs it)"
fi
build out
# As a build killed before its commit leaves them: temporary files, and the
# list of the sites it was writing.
touch out/kyiv/stack.yml.dcommc-AbC123 out/kyiv/secrets/postgres_password.dcommc-XyZ789 out/.gitignore.dcommc-Q1w2E3
echo kyiv >out/.dcommc-pending
build out
[[ ! -e out/kyiv/stack.yml.dcommc-AbC123 && ! -e out/kyiv/secrets/postgres_password.dcommc-XyZ789 &&
  ! -e out/.gitignore.dcommc-Q1w2E3 && ! -e out/.dcommc-pending ]] &&
  pass "a killed build's temporary files are removed by the next" || fail "temporary files left"
grep -qx '\*\.dcommc-\*' out/.gitignore && pass "temporary files are git-ignored" ||
  fail "out/.gitignore: $(cat out/.gitignore)"
: >out/kyiv/secrets/synapse_macaroon_key
build out
((status != 0)) && grep -q 'synapse_macaroon_key is empty' err.txt && grep -q -- '--rotate-secrets' err.txt &&
  pass "an empty secret stops the build and says what to do" || fail "empty secret: exit $status $(cat err.txt)"
build out --rotate-secrets synapse_macaroon_key
((status == 0)) && [[ -s out/kyiv/secrets/synapse_macaroon_key ]] &&
  pass "rotating the empty secret repairs it" || fail "rotation of an empty secret: exit $status $(cat err.txt)"
chmod 644 out/kyiv/secrets/postgres_password
build out
((status != 0)) && grep -q 'can be read by other users (mode 0644)' err.txt &&
  pass "a secret readable by others stops the build" || fail "0644 secret: exit $status $(cat err.txt)"
chmod 600 out/kyiv/secrets/postgres_password
echo 'not json' >out/kyiv/secrets/generations.json
build out
((status != 0)) && grep -q 'generations.json is damaged' err.txt &&
  pass "a damaged generations.json stops the build and says what to do" || fail "generations: $(cat err.txt)"
rm -rf out && build out

# --- 2. Links in out/ are never followed ---
mkdir elsewhere
mv out/kyiv/secrets/* elsewhere/
rmdir out/kyiv/secrets
ln -s "$work/elsewhere" out/kyiv/secrets
before=$(ls -l elsewhere | md5sum)
build out
((status == 1)) && grep -q 'out/kyiv/secrets is a symbolic link' err.txt && grep -q 'nothing was written' err.txt &&
  [[ $(ls -l elsewhere | md5sum) == "$before" && $(stat -c %a elsewhere) == 755 ]] &&
  pass "a linked secrets folder is refused, and nothing is written through it" ||
  fail "secrets link: exit $status $(cat err.txt)"
"$dcommc" plan "$spec" -o out >/dev/null 2>err.txt && status=0 || status=$?
((status != 0)) && grep -q 'symbolic link' err.txt && pass "plan refuses the link too" ||
  fail "plan through a link: exit $status"
rm out/kyiv/secrets && mkdir -m 700 out/kyiv/secrets && mv elsewhere/* out/kyiv/secrets/
echo hunter2 >outside-secret
mv out/kyiv/secrets/postgres_password saved_password
ln -s "$work/outside-secret" out/kyiv/secrets/postgres_password
build out
((status == 1)) && grep -q 'postgres_password is a symbolic link' err.txt &&
  [[ $(cat outside-secret) == hunter2 ]] && ! grep -rq hunter2 out/kyiv/stack.yml out/kyiv/secrets/maubot 2>/dev/null &&
  pass "a linked secret file is not read as the secret" || fail "secret file link: exit $status $(cat err.txt)"
rm out/kyiv/secrets/postgres_password && mv saved_password out/kyiv/secrets/postgres_password
mv out/kyiv/caddy public-elsewhere && ln -s "$work/public-elsewhere" out/kyiv/caddy
echo 'keep me' >public-elsewhere/Caddyfile
build out
((status == 1)) && [[ $(cat public-elsewhere/Caddyfile) == 'keep me' ]] &&
  pass "a linked public folder is not written through" || fail "public link: exit $status $(cat err.txt)"
rm out/kyiv/caddy && mkdir out/kyiv/caddy
echo 'keep me' >outside-file && rm out/kyiv/stack.yml && ln -s "$work/outside-file" out/kyiv/stack.yml
build out
((status == 1)) && [[ $(cat outside-file) == 'keep me' ]] && pass "a linked public file is not written through" ||
  fail "file link: exit $status"
rm out/kyiv/stack.yml && build out
((status == 0)) && pass "with the links gone the build works again" || fail "rebuild: $(cat err.txt)"

# --- 3. The manifest cannot make a build delete a secret or a file outside ---
echo 'not ours' >victim
mkdir -p out/kyiv/old && echo stale >out/kyiv/old/gone.conf
python3 - out/kyiv "$work/victim" <<'PY'
import hashlib, json, os, sys
site, victim = sys.argv[1], sys.argv[2]
path = os.path.join(site, "manifest.json")
doc = json.load(open(path))
digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
key = os.path.join(site, "secrets/synapse_signing_key")
doc["fingerprint"] = "of an older build"  # whose artifacts this one no longer writes
doc["artifacts"] += [
    {"path": "secrets/synapse_signing_key", "sha256": digest(key)},
    {"path": "caddy/../secrets/synapse_signing_key", "sha256": digest(key)},
    {"path": os.path.relpath(victim, site), "sha256": digest(victim)},
    {"path": victim, "sha256": digest(victim)},
    {"path": "old/gone.conf", "sha256": digest(os.path.join(site, "old/gone.conf"))},
]
json.dump(doc, open(path, "w"))
PY
build out
((status == 0)) && [[ -s out/kyiv/secrets/synapse_signing_key && -e victim && ! -e out/kyiv/old/gone.conf ]] &&
  pass "the manifest deletes only what dcommc wrote, never a secret or a file outside" ||
  fail "manifest deletions: exit $status, key $(ls out/kyiv/secrets/synapse_signing_key 2>&1), victim $(ls victim 2>&1)"

# --- 4. Imports cannot read, or print, what is not a spec of this folder ---
mkdir -p specs/sub && cp "$spec" specs/site.dcomm
password=$(cat out/kyiv/secrets/postgres_password)
cp -r out specs/out
printf 'import "out/kyiv/secrets/postgres_password"\n' >specs/leak.dcomm
ln -s "$work/specs/out/kyiv/secrets/postgres_password" specs/linked.dcomm
printf 'import "linked.dcomm"\n' >specs/leak-link.dcomm
for name in leak leak-link; do
  status=0
  "$dcommc" check --color never "specs/$name.dcomm" >out.txt 2>&1 || status=$?
  ((status == 1)) && grep -q E0314 out.txt && ! grep -qF "$password" out.txt &&
    pass "$name: importing a secret is E0314, and the secret is not printed" ||
    fail "$name: exit $status $(head -n 5 out.txt)"
done
status=0
"$dcommc" check --color never specs/out/kyiv/secrets/postgres_password >out.txt 2>&1 || status=$?
! grep -qF "$password" out.txt && pass "checking a secret file by hand does not print it either" ||
  fail "the secret was printed: $(head -n 5 out.txt)"
printf 'template "t" {\n  tls = internal\n}\n' >common.dcomm
printf 'import "../common.dcomm"\nsite "a" {\n  extends = template.t\n  domain = "a.example.org"\n}\n' \
  >specs/outside.dcomm
printf 'import "%s/common.dcomm"\n' "$work" >specs/absolute.dcomm
for name in outside absolute; do
  status=0
  "$dcommc" check --color never "specs/$name.dcomm" >out.txt 2>&1 || status=$?
  ((status == 1)) && grep -q E0313 out.txt && pass "$name import out of the spec's folder is E0313" ||
    fail "$name: exit $status $(head -n 5 out.txt)"
done
status=0
"$dcommc" check --color never --allow-import-outside specs/outside.dcomm >out.txt 2>&1 || status=$?
! grep -q E0313 out.txt && pass "--allow-import-outside lets it through" || fail "$(head -n 5 out.txt)"
printf 'import "/dev/stdin"\n' >specs/stdin.dcomm
mkfifo specs/fifo.dcomm
printf 'import "fifo.dcomm"\n' >specs/fifo-import.dcomm
for name in stdin fifo-import; do
  status=0
  echo 'site "x" {}' | timeout 20 "$dcommc" check --color never --allow-import-outside "specs/$name.dcomm" \
    >out.txt 2>&1 || status=$?
  ((status == 1)) && grep -Eq 'E0314|not a regular file' out.txt &&
    pass "$name: a device or pipe is refused without reading it" || fail "$name: exit $status $(head -n 3 out.txt)"
done

# --- 5. The language server: tests/cli/lsp.sh (hostile.py, special_imports.py) ---

# --- 6. Input is bounded in total, and sizes are stated as they are ---
truncate -s 100M huge.dcomm
status=0
"$dcommc" check --color never huge.dcomm >out.txt 2>&1 || status=$?
((status == 1)) && grep -q 'file is 100.0 MiB; the limit is 8.0 MiB' out.txt &&
  pass "a 100 MiB file is reported with its real size" || fail "huge: $(head -n 2 out.txt)"
python3 - <<'PY'
line = 'site "s{0}" {{ extends = template.t domain = "s{0}.example.org" }}\n'
for part in range(3):
    with open(f"part{part}.dcomm", "w") as f:
        size, n = 0, part * 200000
        while size < 7_000_000:
            text = line.format(n)
            f.write(text)
            size += len(text)
            n += 1
with open("many.dcomm", "w") as f:
    f.write('template "t" {\n  tls = internal\n}\n')
    f.writelines(line.format(n) for n in range(10001))
PY
printf 'import "part0.dcomm"\nimport "part1.dcomm"\nimport "part2.dcomm"\n' >parts.dcomm
status=0
"$dcommc" check --color never parts.dcomm >out.txt 2>&1 || status=$?
((status == 1)) && grep -q E0107 out.txt && pass "more than 16 MiB of imports is E0107" ||
  fail "total input: exit $status $(head -n 3 out.txt)"
status=0
"$dcommc" check --color never many.dcomm >out.txt 2>&1 || status=$?
((status == 1)) && grep -q 'E0414.*more than 10000 sites' out.txt && pass "more than 10,000 sites is E0414" ||
  fail "sites: exit $status $(head -n 3 out.txt)"

# --- 8. Modes do not depend on the umask ---
rm -rf out
(umask 0000 && "$dcommc" "$spec" -o out >/dev/null 2>&1)
modes="$(stat -c '%a' out out/kyiv out/kyiv/caddy out/kyiv/labels.sh out/kyiv/secrets out/kyiv/secrets/maubot \
  out/kyiv/secrets/postgres_password | tr '\n' ' ')"
[[ $modes == '755 755 755 644 700 700 600 ' ]] && pass "under umask 0000 folders are 755 (secrets 700), files 644/600" ||
  fail "modes under umask 0000: $modes"

if ((failures > 0)); then
  echo "trust_boundaries: $failures check(s) failed"
  exit 1
fi
echo "trust_boundaries: all checks passed"
