#!/usr/bin/env bash
# `dcommc graph`: DOT that Graphviz's dot parses, showing every site, node
# and service of the example federation, their routes and dependencies.
# Usage: tests/cli/graph.sh path/to/dcommc   (run from the project root)
set -euo pipefail

dcommc=${1:?usage: graph.sh path/to/dcommc}
if ! command -v dot >/dev/null; then
  echo "graph: Graphviz's dot is not installed (scripts/deps.sh installs graphviz)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

"$dcommc" graph examples/federation.dcomm >"$work/federation.dot"
dot -Tsvg "$work/federation.dot" >"$work/federation.svg" 2>"$work/dot.err" &&
  pass "dot parses the DOT" || fail "dot rejected it: $(cat "$work/dot.err")"
[[ ! -s $work/dot.err ]] && pass "dot has no warnings" || fail "dot warned: $(cat "$work/dot.err")"
for site in kyiv lviv kharkiv; do
  grep -q "\"cluster_$site\"" "$work/federation.dot" && pass "site $site drawn" || fail "no site $site"
  grep -q "\"$site/service/caddy\"" "$work/federation.dot" && pass "$site's implicit caddy drawn" ||
    fail "no caddy in $site"
done
grep -q '"kharkiv/service/bridge"' "$work/federation.dot" && pass "kharkiv's bridge drawn" || fail "no bridge"
grep -q 'https://matrix.kyiv.dcomm.net.ua/_matrix/\*' "$work/federation.dot" && pass "routes shown" ||
  fail "no matrix route"
grep -q '"kyiv/service/element" -> "kyiv/service/synapse"' "$work/federation.dot" &&
  pass "element -> synapse dependency" || fail "no element -> synapse edge"
grep -q 'label="federation"' "$work/federation.dot" && pass "federation between homeservers" ||
  fail "no federation edge"
grep -q 'wguou2xig7tvq3he43aujtdhws5bxqgdi3y6ssiduhqc6ttgiyvpigyd.onion' "$work/federation.dot" &&
  pass "onion address shown" || fail "no onion"

"$dcommc" graph --format svg examples/kyiv.dcomm >"$work/kyiv.svg"
grep -q '<svg' "$work/kyiv.svg" && pass "--format svg writes SVG" || fail "no <svg> in --format svg output"

status=0
printf 'site "x" {}\n' >"$work/bad.dcomm"
"$dcommc" graph "$work/bad.dcomm" >/dev/null 2>&1 || status=$?
((status == 1)) && pass "a spec with errors exits 1" || fail "bad spec exited $status"

echo "graph: $failures failure(s)"
((failures == 0))
