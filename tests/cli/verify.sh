#!/usr/bin/env bash
# `dcommc verify` without a site to reach: in a network namespace of its
# own, where every name is sent to 127.0.0.1 and nothing listens, every
# check fails at once, each with a hint, and the exit status is 1; onion
# addresses are skipped without a Tor SOCKS port; --site and --format json
# work. The passing side runs against the real servers in the live test
# (tests/live/verify.sh).
# Usage: tests/cli/verify.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
if ! unshare -rn true 2>/dev/null; then
  echo "skip: cannot make a network namespace here (unshare -rn)"
  exit 77
fi

cp "$root/examples/kyiv.dcomm" site.dcomm
# verify ARGS...: dcommc verify in an empty network namespace (loopback up).
isolated() {
  status=0
  unshare -rn sh -c 'ip link set lo up && exec "$@"' sh "$dcommc" verify site.dcomm --timeout 5 \
    --resolve kyiv.dcomm.net.ua:443:127.0.0.1 --resolve matrix.kyiv.dcomm.net.ua:443:127.0.0.1 \
    --resolve chat.kyiv.dcomm.net.ua:443:127.0.0.1 --resolve matrix.kyiv.dcomm.net.ua:8448:127.0.0.1 \
    --resolve kyiv.dcomm.net.ua:25:127.0.0.1 --resolve kyiv.dcomm.net.ua:587:127.0.0.1 \
    --resolve kyiv.dcomm.net.ua:143:127.0.0.1 --resolve kyiv.dcomm.net.ua:993:127.0.0.1 \
    "$@" >out.txt 2>err.txt || status=$?
}

isolated
((status == 1)) && pass "nothing answers: exit 1" || fail "exit $status: $(cat err.txt)"
grep -qE '^  FAIL  HTTPS +https://chat.kyiv.dcomm.net.ua/ ' out.txt && pass "each name is checked over HTTPS" ||
  fail "no HTTPS check of chat.: $(head -5 out.txt)"
grep -q '^        nothing answers on port 587: is the node.s firewall (OUT/kyiv/nftables/NODE.nft) loaded, and does `docker service ps dcomms-kyiv_mail-postfix` show it running?$' out.txt &&
  pass "a refused port gets a hint naming the firewall and the service" || fail "no hint for port 587: $(grep -A1 587 out.txt)"
grep -qE '^  skip  onion address .*\.onion/ ' out.txt && grep -q 'give --tor-socks 127.0.0.1:9050' out.txt &&
  pass "onion addresses are skipped without --tor-socks, saying how to check them" || fail "onion not skipped"
grep -q '^15 checks: 0 ok, 12 failed, 3 skipped$' out.txt && pass "a summary line" || fail "summary: $(tail -1 out.txt)"

isolated --format json
((status == 1)) && python3 - out.txt <<'PY' && pass "--format json: every check with status, detail and hint" || fail "json: $(head -c 300 out.txt)"
import json, sys
report = json.load(open(sys.argv[1]))
checks = [c for s in report["sites"] for c in s["checks"]]
assert report["failed"] == 12 and report["skipped"] == 3 and report["ok"] == 0, report
assert all(c["status"] in ("FAIL", "skip") and c["hint"] for c in checks), checks
assert {c["what"] for c in checks} >= {"HTTPS", "Matrix client API", "Element's config.json", "IMAP, TLS (993)"}
PY

isolated -q
((status == 1)) && [[ $(grep -c '^kyiv: ' out.txt) == 12 ]] && grep -q '^kyiv: IMAP, TLS (993) imaps://kyiv.dcomm.net.ua:993: ' out.txt &&
  ! grep -q 'skip\|checks:' out.txt &&
  pass "-q prints the failures only" || fail "-q: $(head -3 out.txt)"

isolated --site lviv
((status == 1)) && grep -q "declares no site 'lviv'" err.txt && pass "--site names a site of the spec" ||
  fail "--site lviv exited $status"

status=0
"$dcommc" verify site.dcomm --resolve kyiv.dcomm.net.ua:443 >out.txt 2>&1 || status=$?
((status == 1)) && grep -q 'kyiv.dcomm.net.ua:443 is not HOST:PORT:ADDRESS' out.txt &&
  pass "--resolve without an address is a usage error" || fail "--resolve HOST:PORT exited $status: $(cat out.txt)"

echo "verify: $failures failure(s)"
((failures == 0))
