#!/usr/bin/env bash
# `dcommc SPEC -o OUT` end to end: the exit codes, nothing written when
# the spec has errors, secrets never printed, the deploy command shown.
# Usage: tests/cli/build.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# A good build, the default command (no verb).
if "$dcommc" "$root/examples/kyiv.dcomm" -o out >stdout.txt 2>stderr.txt; then
  pass "build exits 0"
else
  fail "build exited $?: $(cat stderr.txt)"
fi
[[ -s out/kyiv/stack.yml && -s out/kyiv/manifest.json ]] && pass "stack and manifest written" ||
  fail "stack.yml or manifest.json missing"
grep -q 'docker stack deploy --prune -c out/kyiv/stack.yml dcomms-kyiv' stderr.txt &&
  pass "prints the deploy command" || fail "no deploy command in: $(cat stderr.txt)"

# No secret value is ever printed.
leaked=0
for secret in out/kyiv/secrets/*; do
  [[ -f $secret && $(basename "$secret") != generations.json ]] || continue
  value=$(tail -c 43 "$secret" | tr -d '\n')
  if grep -qF -- "$value" stdout.txt stderr.txt; then leaked=1; fi
done
((leaked == 0)) && pass "no secret in the output" || fail "a secret value was printed"

# The explicit verb builds the same; a second build writes nothing new.
"$dcommc" build "$root/examples/kyiv.dcomm" -o out -q >quiet.txt 2>&1 && [[ ! -s quiet.txt ]] &&
  pass "-q: a build that succeeds prints nothing" || fail "build -q: $(cat quiet.txt)"
"$dcommc" build "$root/examples/kyiv.dcomm" -o out >/dev/null 2>second.txt
grep -q '^built 1 site into out (0 rendered, 1 unchanged since the last build): 0 files written' second.txt &&
  pass "an unchanged rebuild renders and writes nothing" || fail "rebuild: $(cat second.txt)"

# A spec with an error writes nothing and leaves the previous out/ as it was.
before=$(find out -type f -exec sha256sum {} + | sort)
sed 's/"kyiv.dcomm.net.ua"/"Kyiv.dcomm.net.ua"/' "$root/examples/kyiv.dcomm" >bad.dcomm
status=0
"$dcommc" bad.dcomm -o out >/dev/null 2>bad.txt || status=$?
((status == 1)) && pass "a spec error exits 1" || fail "a spec error exited $status"
grep -q 'nothing was written' bad.txt && pass "says nothing was written" || fail "$(tail -n 2 bad.txt)"
after=$(find out -type f -exec sha256sum {} + | sort)
[[ $before == "$after" ]] && pass "out/ untouched after a failed build" || fail "out/ changed"

status=0
"$dcommc" bad.dcomm -o fresh >/dev/null 2>&1 || status=$?
[[ ! -e fresh ]] && pass "no output folder created for a failed build" || fail "fresh/ was created"

# Usage and I/O errors exit 1, as any failure does (2 is plan's "changes").
status=0; "$dcommc" missing.dcomm -o out >/dev/null 2>&1 || status=$?
((status == 1)) && pass "missing spec exits 1" || fail "missing spec exited $status"
status=0; "$dcommc" build "$root/examples/kyiv.dcomm" >/dev/null 2>&1 || status=$?
((status == 1)) && pass "missing -o exits 1" || fail "missing -o exited $status"
status=0; "$dcommc" "$root/examples/kyiv.dcomm" -o out --rotate-secrets nope >/dev/null 2>&1 || status=$?
((status == 1)) && pass "unknown secret to rotate exits 1" || fail "unknown rotate exited $status"

# A mistyped command is answered as one, not taken for a spec to build;
# a file of that name is still a spec.
status=0; "$dcommc" chek "$root/examples/kyiv.dcomm" >said.txt 2>&1 || status=$?
if ((status == 1)) && grep -q "unknown command 'chek'; did you mean 'dcommc check'?" said.txt; then
  pass "dcommc chek: did you mean 'dcommc check'?"
else
  fail "dcommc chek exited $status: $(cat said.txt)"
fi
status=0; "$dcommc" "$root/examples/kyiv.dcomm" -o out --ful >said.txt 2>&1 || status=$?
if ((status == 1)) && grep -q "unknown option '--ful' of 'dcommc build'; did you mean '--full'?" said.txt; then
  pass "dcommc SPEC -o OUT --ful: did you mean '--full'?"
else
  fail "--ful exited $status: $(cat said.txt)"
fi
cp "$root/examples/kyiv.dcomm" chek
status=0; "$dcommc" chek -o typo-out >said.txt 2>&1 || status=$?
((status == 0)) && [[ -s typo-out/kyiv/stack.yml ]] && pass "a spec file named like a command is built" ||
  fail "the spec file 'chek' exited $status: $(cat said.txt)"

# A first build says nothing of kept secrets: the new sites' staging
# folders are no departed sites (it once listed every new secret as unused).
rm -rf first-out
"$dcommc" build "$root/examples/federation.dcomm" -o first-out >said.txt 2>&1 || fail "first build failed: $(cat said.txt)"
if grep -q '^kept' said.txt; then fail "a first build lists kept files: $(grep '^kept' said.txt | head -3)"
else pass "a first build lists nothing as kept"; fi

# build --format: diagnostics as check gives them, on standard output for
# machines (a CI job's annotations), while the build's report stays on stderr.
sed '/kind *= synapse/a\    image = "matrixdotorg/synapse:latest"' "$root/examples/kyiv.dcomm" >latest.dcomm
"$dcommc" build latest.dcomm -o latest-out --format github >annotations.txt 2>report.txt ||
  fail "build --format github failed: $(cat report.txt)"
if grep -q '^::warning file=latest.dcomm,.*title=W0501' annotations.txt && grep -q '^built 1 site' report.txt &&
  ! grep -q 'W0501' report.txt; then
  pass "build --format github: the W0501 annotation on stdout, the report on stderr"
else
  fail "build --format github: stdout $(cat annotations.txt) / stderr $(cat report.txt)"
fi

echo "build: $failures failure(s)"
((failures == 0))
