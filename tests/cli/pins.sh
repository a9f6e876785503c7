#!/usr/bin/env bash
# The standard library's image pins are recent: `dcommc check` of every
# example, by today's real date (not the test suite's SOURCE_DATE_EPOCH),
# gives no W0506. When this fails, the pins are older than 180 days:
# update them as docs/stdlib.md#image-pins says. Then the W0506 warning
# itself: a pin older than --max-image-age is reported once, with its age.
#
# Usage: tests/cli/pins.sh path/to/dcommc   (run from the project root)
set -euo pipefail

dcommc=$(realpath "${1:?usage: pins.sh path/to/dcommc}")
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

for spec in examples/*.dcomm; do
  said=$(env -u SOURCE_DATE_EPOCH "$dcommc" check --format json --color never "$spec" || true)
  if [[ $said == *'"W0506"'* ]]; then
    fail "$spec: stdlib image pins are older than 180 days: update them (docs/stdlib.md#image-pins)"
    env -u SOURCE_DATE_EPOCH "$dcommc" check --color never "$spec" | grep -A2 W0506 || true
  else
    pass "$spec: every stdlib pin is younger than 180 days"
  fi
done

# 2027-12-04: a year after the pins of 2026: every pinned image is reported
# once (nine images in kyiv), with the days; --max-image-age 0 turns it off.
said=$(SOURCE_DATE_EPOCH=1827878400 "$dcommc" check --color never examples/kyiv.dcomm 2>&1 || true)
count=$(grep -c '^warning\[W0506\]' <<<"$said" || true)
if ((count == 9)) && grep -q "image 'matrixdotorg/synapse:v1.163.0' was pinned 365 days ago, on 2026-12-04" <<<"$said"; then
  pass "a year on, each of kyiv's nine images is W0506 once, with its age"
else
  fail "a year on, expected nine W0506, one per image, got $count:"
  echo "$said" | head -20
fi
said=$(SOURCE_DATE_EPOCH=1827878400 "$dcommc" check --max-image-age 0 --color never examples/kyiv.dcomm 2>&1 || true)
[[ $said != *W0506* ]] && pass "--max-image-age 0: no W0506" || fail "--max-image-age 0 still warns"
said=$(SOURCE_DATE_EPOCH=1827878400 "$dcommc" check --max-image-age 400 --color never examples/kyiv.dcomm 2>&1 || true)
[[ $said != *W0506* ]] && pass "--max-image-age 400: a year-old pin is allowed" || fail "--max-image-age 400 still warns"

((failures == 0)) || { echo "$failures failed"; exit 1; }
echo "all passed"
