#!/usr/bin/env bash
# `dcommc images`: every image each site runs after its `images` map, as
# text and JSON, and --bundle's pull.sh and load.sh (run for real against
# Docker by the live test, tests/live/live.sh).
# Usage: tests/cli/images.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# Text: a line per site, then each image with the containers that run it.
"$dcommc" images "$root/examples/federation.dcomm" >text.txt 2>err.txt || fail "images exited $?: $(cat err.txt)"
[[ $(grep -c '^site ' text.txt) == 3 ]] && pass "text: the three sites" || fail "text: $(cat text.txt)"
grep -Eq '^  matrixdotorg/synapse:v1\.163\.0 +pinned 2026-12-04 +synapse$' text.txt && pass "text: Synapse's image, the day it was pinned, its container" ||
  fail "text: no synapse line in $(cat text.txt)"
# Only kharkiv runs the CENO bridge.
[[ $(grep -c 'equalitie/ceno-client' text.txt) == 1 ]] && pass "text: CENO only where it runs" ||
  fail "text: ceno lines: $(grep -c 'equalitie/ceno-client' text.txt)"

# JSON, after the site's images map; every image is one the stack names.
cp "$root/tests/live/common.dcomm" "$root/tests/live/site.dcomm" .
"$dcommc" images --format json site.dcomm >images.json
"$dcommc" site.dcomm -o out >/dev/null 2>&1
python3 - images.json out/live/stack.yml <<'PY' && pass "json: the images of stack.yml, after the images map" || fail "json: see above"
import json, re, sys
listed = {i["image"] for s in json.load(open(sys.argv[1]))["sites"] for i in s["images"]}
stack = set(re.findall(r'^\s+image:\s*"?([^"\s]+)', open(sys.argv[2]).read(), re.M))
if listed != stack or not all(i.startswith("dcomms-live/") for i in listed):
    print(f"listed {sorted(listed)}\nstack  {sorted(stack)}")
    sys.exit(1)
PY

# --bundle: two scripts, executable, that sh and shellcheck accept, naming
# each image once in the pulls and once in the save.
"$dcommc" images --bundle bundle "$root/examples/federation.dcomm" 2>bundle.err
[[ -x bundle/pull.sh && -x bundle/load.sh ]] && pass "bundle: pull.sh and load.sh, executable" ||
  fail "bundle: $(ls -l bundle 2>&1)"
sh -n bundle/pull.sh && sh -n bundle/load.sh && pass "bundle: both parse" || fail "bundle: a script does not parse"
if command -v shellcheck >/dev/null; then
  shellcheck bundle/pull.sh bundle/load.sh && pass "bundle: shellcheck finds nothing" || fail "bundle: shellcheck"
fi
unique=$(sed -n 's/^  \([^ ]*\) .*/\1/p' text.txt | sort -u | wc -l)
[[ $(grep -c "^  '" bundle/pull.sh) == $((2 * unique)) ]] && pass "bundle: each of the $unique images pulled and saved" ||
  fail "bundle: $(grep -c "^  '" bundle/pull.sh) image lines for $unique images"
grep -q 'docker load -i images.tar' bundle/load.sh && pass "bundle: load.sh loads images.tar" || fail "load.sh"
grep -q '8 images' bundle.err && pass "bundle: says how many images" || fail "bundle: $(cat bundle.err)"

# Errors: a spec with errors exits 1 and writes no bundle.
printf 'site "x" {\n' >bad.dcomm
status=0; "$dcommc" images --bundle badbundle bad.dcomm >/dev/null 2>&1 || status=$?
((status == 1)) && [[ ! -e badbundle ]] && pass "a spec with errors: exit 1, no bundle" || fail "exit $status"

echo "images: $failures failure(s)"
((failures == 0))
