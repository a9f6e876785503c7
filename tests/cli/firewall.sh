#!/usr/bin/env bash
# nftables/<node>.nft with the real nft, loaded for real in a network
# namespace of the test's own: two sites sharing one machine each load
# their file, in either order and again, and the machine ends with one
# guard, both sites' tables, and SSH open on both sites' ssh_port (a site's
# file never closes the port another site's operator logs in by). A UDP
# ssh_port is refused with its own message.
#
# Usage: tests/cli/firewall.sh path/to/dcommc   (run from the project root)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

cat >shared.dcomm <<'SPEC'
site "north" {
  domain = "north.example.org"
  tls    = acme("ops@example.org")
  node "box" {
    labels   = { role = "box" }
    ssh_port = 2222/tcp
  }
  service "web" { kind = website }
}
site "south" {
  domain = "south.example.org"
  tls    = acme("ops@example.org")
  node "box" { labels = { role = "box" } }
  service "mail" { kind = deltachat }
}
SPEC
"$dcommc" build -q -o out shared.dcomm

grep -q '^# It keeps SSH open on port 2222 only' out/north/nftables/box.nft &&
  pass "north's file says which SSH port it keeps open" || fail "north's file does not name SSH port 2222"

if ! command -v nft >/dev/null && [[ -x /usr/sbin/nft ]]; then PATH=$PATH:/usr/sbin; fi
if ! command -v nft >/dev/null || ! unshare -rn true 2>/dev/null; then
  echo "firewall: no nft or no network namespace here (scripts/validators.sh installs nftables)"
  exit 1
fi
# Loads the files given, in order, into one fresh namespace; prints its ruleset.
load() {
  unshare -rn sh -c 'for f in "$@"; do nft -f "$f" || exit 1; done; nft list ruleset' sh "$@"
}
for order in "north south north" "south north south"; do
  files=()
  for site in $order; do files+=("out/$site/nftables/box.nft"); done
  if ! ruleset=$(load "${files[@]}"); then
    fail "nft -f refused the files loaded in the order $order"
    continue
  fi
  [[ $(grep -c '^table inet dcomms_guard {' <<<"$ruleset") == 1 ]] &&
    pass "order $order: one guard table" || fail "order $order: not one guard table"
  grep -q '^table inet dcomms_north_box {' <<<"$ruleset" && grep -q '^table inet dcomms_south_box {' <<<"$ruleset" &&
    pass "order $order: both sites' tables" || fail "order $order: a site's table is missing"
  grep -q 'elements = { 22, 2222 }' <<<"$ruleset" &&
    pass "order $order: SSH open on 22 (south) and 2222 (north)" ||
    fail "order $order: the SSH set is not { 22, 2222 }: $(grep elements <<<"$ruleset")"
  [[ $(grep -c 'tcp dport @ports' <<<"$ruleset") == 1 ]] &&
    pass "order $order: the SSH rule once, however often a file is loaded" ||
    fail "order $order: the SSH rule is not there exactly once"
done

sed 's|ssh_port = 2222/tcp|ssh_port = 2222/udp|' shared.dcomm >udp.dcomm
status=0
said=$("$dcommc" check --color never udp.dcomm 2>&1) || status=$?
((status == 1)) && grep -q "error\[E0311\]: node 'box' gives SSH a UDP port" <<<"$said" &&
  grep -q 'help: write ssh_port = 2222/tcp' <<<"$said" &&
  pass "a UDP ssh_port is E0311 with the fix" || fail "a UDP ssh_port: exit $status, said: $said"

echo "firewall: $failures failure(s)"
((failures == 0))
