# shellcheck shell=bash
# shellcheck disable=SC2154 # live.sh sets here, dcommc, ca, domain, onion, worker and scratch
# The live test's verify step (sourced by live.sh, with its helpers and
# variables): `dcommc verify`, run from the LAN as a user's device, passes
# on both deployed sites, and fails, naming the service and with a hint,
# once a service is stopped. docs/live-test.md ("verify") says what it proves.

# Tor's part, as in get(): the onion names reach node worker's Caddy.
verify_site() {  # LOG [dcommc verify options...]
  local log=$1
  shift
  on_lan "$dcommc" verify "$here/site.dcomm" --cacert "$ca" --timeout 10 \
    --resolve "$onion:80:$worker" --resolve "matrix.$onion:80:$worker" --resolve "chat.$onion:80:$worker" \
    "$@" >"$log" 2>&1
}

if verify_site "$scratch/verify.txt"; then
  ok "dcommc verify: $(tail -n 1 "$scratch/verify.txt")"
else
  sed 's/^/     /' "$scratch/verify.txt" >&2
  fail "dcommc verify failed on the deployed sites (its report above)"
fi
# Every kind of check ran, and none was skipped: HTTPS, Matrix, Element,
# mail, the onion.
for what in 'HTTPS' 'Matrix client API' 'Matrix federation API' "Element's config.json" \
  'mail submission, STARTTLS (587)' 'IMAP, TLS (993)' 'onion address'; do
  grep -q "^  ok    $what " "$scratch/verify.txt" && ok "dcommc verify checked: $what" ||
    fail "dcommc verify did not pass a check named '$what'"
done
grep -q ' 0 skipped$' "$scratch/verify.txt" || fail "dcommc verify skipped checks: $(tail -n 1 "$scratch/verify.txt")"

# A stopped service: Element's server. Caddy still answers, with a 502.
docker service scale --detach "${stack}_element=0" >/dev/null
for i in $(seq 30); do
  status=$(get "https://chat.$domain/config.json" -o /dev/null -w '%{http_code}' 2>/dev/null || true)
  [[ $status == 502 ]] && break
  ((i < 30)) || fail "chat.$domain still answers $status 30 s after element was scaled to 0"
  sleep 1
done
set +e
verify_site "$scratch/verify-stopped.txt" --site live --format json
verify_status=$?
set -e
failed=$(python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
failed = [c for s in report["sites"] for c in s["checks"] if c["status"] == "FAIL"]
print(" | ".join("{}: {}: {}".format(c["what"], c["detail"], c["hint"]) for c in failed))
' "$scratch/verify-stopped.txt" 2>&1 || true)
if ((verify_status == 1)) && [[ $failed == *"Element's config.json: HTTP 502"*"docker service ps ${stack}_element"* ]]; then
  ok "with element stopped, dcommc verify fails (exit 1): $failed"
else
  fail "with element stopped, dcommc verify exited $verify_status: ${failed:-$(head -c 300 "$scratch/verify-stopped.txt")}"
fi
docker service scale --detach "${stack}_element=1" >/dev/null
for i in $(seq 60); do
  get "https://chat.$domain/config.json" -o /dev/null 2>/dev/null && break
  ((i < 60)) || fail "element did not come back in 60 s after it was scaled to 1"
  sleep 1
done
