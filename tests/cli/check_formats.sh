#!/usr/bin/env bash
# End-to-end test of `dcommc check` output formats and exit codes:
#   --format json    the shape documented in docs/diagnostics-json.md
#   --format sarif   SARIF 2.1.0, consistent with the JSON
#   --format github  one workflow command per diagnostic, escaped
#   exit status      0 ok, 1 errors in a spec, usage or I/O errors
#   --werror         accepted
#   colour           --color never|always|auto, NO_COLOR, TERM=dumb, a terminal
# Usage: tests/cli/check_formats.sh path/to/dcommc
# `COND && pass … || fail …` is safe here: pass always succeeds. The python
# programs are in single quotes on purpose.
# shellcheck disable=SC2015,SC2016
set -euo pipefail

dcommc=$(realpath -- "${1:?usage: check_formats.sh path/to/dcommc}")
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
cd -- "$work"
failures=0

pass() { echo "ok   $1"; }
fail() {
  echo "FAIL $1"
  failures=$((failures + 1))
}

# run NAME WANT_STATUS ARGS...: runs dcommc ARGS with stdout in NAME.out and
# stderr in NAME.err, and checks the exit status.
run() {
  local name=$1 want=$2 status=0
  shift 2
  "$dcommc" "$@" >"$name.out" 2>"$name.err" || status=$?
  if ((status == want)); then
    pass "$name: exit $status"
  else
    fail "$name: exit $status, want $want (dcommc $*)"
    sed 's/^/    stderr: /' "$name.err" | head -n 10
  fi
}

# check NAME PYTHON: runs the python assertions with the file names as
# arguments; a failed assert names the broken property.
check() {
  local name=$1 program=$2
  shift 2
  local output
  if output=$(python3 -c "$program" "$@" 2>&1); then
    pass "$name"
  else
    fail "$name"
    printf '%s\n' "$output" | tail -n 5 | sed 's/^/    /'
  fi
}

has_escape() { grep -q $'\x1b\\[' "$1"; }

# ------------------------------------------------------------------ inputs

# Three mistakes: a fix-it (E0206), a secondary label (E0213, the list's
# '['), and Cyrillic text before an error, so columns (code points) and
# bytes differ.
cat >bad.dcomm <<'EOF'
site "kyiv" {
  domain: "kyiv.dcomm.net.ua"

  service "bridge" {
    kind  = ceno
    ports = [28729/udp 443/tcp]
  }

  service "element" {
    kind  = element
    brand = "Чат громади"  memory = 1.5G
  }
}
EOF

cat >good.dcomm <<'EOF'
# A valid site: nothing to report.
site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  tls    = acme("ops@dcomm.net.ua")

  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }

  service "synapse" {
    kind = synapse
    host = "matrix"
    on   = node.worker
  }
}
EOF

# A name that needs escaping in a GitHub property: ',' and ':'.
cp bad.dcomm 'odd,name:1.dcomm'

# ------------------------------------------------------------------ JSON

run json-bad 1 check --format json bad.dcomm
run json-good 0 check --format json good.dcomm

check "json-bad: documented shape and values" '
import json, re, sys
doc = json.load(open(sys.argv[1]))
src = open(sys.argv[2], "rb").read()
assert set(doc) == {"format_version", "valid", "error_count", "warning_count", "diagnostics"}, sorted(doc)
assert isinstance(doc["format_version"], str) and re.fullmatch(r"1\.\d+", doc["format_version"]), doc["format_version"]
assert doc["valid"] is False
ds = doc["diagnostics"]
assert [d["code"] for d in ds] == ["E0206", "E0213", "E0225"], [d["code"] for d in ds]
assert doc["error_count"] == sum(d["severity"] == "error" for d in ds) == 3
assert doc["warning_count"] == sum(d["severity"] == "warning" for d in ds) == 0

def position(p):
    assert set(p) == {"line", "column", "byte"}, p
    assert all(isinstance(p[k], int) and p[k] >= 0 for k in p), p
    assert p["line"] >= 1 and p["column"] >= 1, p
    # byte is an offset into the file; column counts code points on its line.
    line_start = src.rfind(b"\n", 0, p["byte"]) + 1
    assert src.count(b"\n", 0, p["byte"]) + 1 == p["line"], p
    assert len(src[line_start:p["byte"]].decode("utf-8")) + 1 == p["column"], p

for d in ds:
    assert set(d) == {"code", "severity", "message", "labels", "notes", "help", "fixes"}, sorted(d)
    assert re.fullmatch(r"E\d{4}", d["code"]) and d["severity"] in ("error", "warning")
    assert isinstance(d["message"], str) and d["message"]
    assert d["help"] is None or (isinstance(d["help"], str) and d["help"])
    assert isinstance(d["notes"], list) and all(isinstance(n, str) for n in d["notes"])
    assert d["labels"] and d["labels"][0]["primary"] is True
    assert [l["primary"] for l in d["labels"]].count(True) == 1
    for l in d["labels"]:
        assert set(l) == {"primary", "message", "file", "start", "end"}, sorted(l)
        assert l["file"] == "bad.dcomm" and isinstance(l["message"], str)
        position(l["start"]); position(l["end"])
        assert l["start"]["byte"] <= l["end"]["byte"]
    for f in d["fixes"]:
        assert set(f) == {"file", "start", "end", "replacement"}, sorted(f)
        position(f["start"]); position(f["end"])

colon, lst, dec = ds
assert colon["labels"][0]["start"] == {"line": 2, "column": 9, "byte": src.index(b":")}
assert colon["fixes"] == [{"file": "bad.dcomm", "replacement": " =",
                           "start": colon["labels"][0]["start"], "end": colon["labels"][0]["end"]}]
assert colon["help"] == "write name = value"
assert len(lst["labels"]) == 2 and lst["labels"][1]["primary"] is False
assert lst["labels"][1]["start"]["byte"] == src.index(b"[")
at = src.index(b"1.5G")
assert dec["labels"][0]["start"]["byte"] == at and dec["labels"][0]["end"]["byte"] == at + 4
line_start = src.rfind(b"\n", 0, at) + 1
assert dec["labels"][0]["start"]["column"] == 37, dec["labels"][0]["start"]
assert at - line_start + 1 != 37  # the Cyrillic text makes bytes and columns differ
' json-bad.out bad.dcomm

check "json-good: valid, no diagnostics" '
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["valid"] is True and doc["error_count"] == 0 and doc["warning_count"] == 0, doc
assert doc["diagnostics"] == [], doc
' json-good.out

[[ ! -s json-bad.err && ! -s json-good.err ]] &&
  pass "json: nothing on stderr" || fail "json: unexpected stderr: $(head -c 300 json-bad.err json-good.err)"

# Several files in one document.
run json-two 1 check --format json good.dcomm bad.dcomm
check "json-two: one document for all files" '
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["error_count"] == 3 and not doc["valid"], doc["error_count"]
assert {l["file"] for d in doc["diagnostics"] for l in d["labels"]} == {"bad.dcomm"}
' json-two.out

# ------------------------------------------------------------------ SARIF

run sarif-bad 1 check --format sarif bad.dcomm
run sarif-good 0 check --format sarif good.dcomm

check "sarif-bad: SARIF 2.1.0, consistent with the JSON" '
import json, sys
log = json.load(open(sys.argv[1]))
diags = json.load(open(sys.argv[2]))["diagnostics"]
assert log["version"] == "2.1.0" and "2.1.0" in log["$schema"], (log["version"], log["$schema"])
assert len(log["runs"]) == 1
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "dcommc" and driver["version"]
assert run["columnKind"] == "unicodeCodePoints"
rules = driver["rules"]
ids = [r["id"] for r in rules]
assert len(ids) == len(set(ids)), ids
for r in rules:
    assert r["shortDescription"]["text"], r
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note"), r
results = run["results"]
assert len(results) == len(diags)
for res, d in zip(results, diags):
    assert res["ruleId"] == d["code"] and rules[res["ruleIndex"]]["id"] == res["ruleId"]
    assert res["level"] == d["severity"]
    assert res["message"]["text"].startswith(d["message"])
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "bad.dcomm", loc
    start, end = d["labels"][0]["start"], d["labels"][0]["end"]
    assert loc["region"]["startLine"] == start["line"] and loc["region"]["startColumn"] == start["column"]
    assert loc["region"]["endLine"] == end["line"] and loc["region"]["endColumn"] == end["column"]
    assert len(res.get("relatedLocations", [])) == len(d["labels"]) - 1
    for rel in res.get("relatedLocations", []):
        assert isinstance(rel["id"], int) and rel["physicalLocation"]["region"]["startLine"] >= 1
    assert bool(res.get("fixes")) == bool(d["fixes"])
    for fix in res.get("fixes", []):
        change = fix["artifactChanges"][0]
        assert change["artifactLocation"]["uri"] == "bad.dcomm"
        assert change["replacements"] and "deletedRegion" in change["replacements"][0]
' sarif-bad.out json-bad.out

check "sarif-good: a run with no results" '
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0" and log["runs"][0]["results"] == []
assert log["runs"][0]["tool"]["driver"]["name"] == "dcommc"
' sarif-good.out

[[ ! -s sarif-bad.err ]] && pass "sarif: nothing on stderr" || fail "sarif: unexpected stderr"

# ------------------------------------------------------------------ GitHub

run github-bad 1 check --format github bad.dcomm
run github-good 0 check --format github good.dcomm

check "github-bad: one escaped workflow command per diagnostic" '
import json, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "output must end with a newline"
lines = lines[:-1]
diags = json.load(open(sys.argv[2]))["diagnostics"]
assert len(lines) == len(diags), lines
pattern = re.compile(r"::(error|warning) file=([^,:]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^,:]*)::(.*)")
for line, d in zip(lines, diags):
    m = pattern.fullmatch(line)
    assert m, line
    level, file, l, c, el, ec, title, data = m.groups()
    start, end = d["labels"][0]["start"], d["labels"][0]["end"]
    assert (level, file) == (d["severity"], "bad.dcomm")
    assert (int(l), int(c), int(el), int(ec)) == (start["line"], start["column"], end["line"], end["column"])
    unescape = lambda s: s.replace("%3A", ":").replace("%2C", ",").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
    assert unescape(title).startswith(d["code"] + " "), title
    assert unescape(data).startswith(d["message"]), data
    assert "\r" not in line
first = lines[0]
assert "title=E0206 use '"'"'='"'"' to set an attribute%2C not '"'"'%3A'"'"'::" in first, first
assert "%0Ahelp: write name = value" in first, first
' github-bad.out json-bad.out

[[ ! -s github-good.out ]] && pass "github-good: no output" || fail "github-good: unexpected output"

run github-odd-name 1 check --format github 'odd,name:1.dcomm'
grep -q '^::error file=odd%2Cname%3A1\.dcomm,line=2,col=9,' github-odd-name.out &&
  pass "github: ',' and ':' escaped in the file property" ||
  fail "github: file property not escaped: $(head -n 1 github-odd-name.out)"

# The example in docs/diagnostics-json.md is real output: its input, run
# through dcommc, gives exactly the JSON and the human text shown there.
mkdir -p specs
if python3 - "$root/docs/diagnostics-json.md" <<'PY'
import re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
open("specs/kyiv.dcomm", "w", encoding="utf-8").write(re.findall(r"```dcomm\n(.*?)```", doc, re.S)[0])
open("doc-example.json", "w", encoding="utf-8").write(re.findall(r"```json\n(.*?)```", doc, re.S)[0])
human = re.search(r"\n```\n(error\[.*?)```", doc, re.S).group(1)
open("doc-example.human", "w", encoding="utf-8").write(human)
PY
then
  run doc-example 1 check --format json specs/kyiv.dcomm
  cmp -s doc-example.out doc-example.json && pass "docs: the JSON example is current" ||
    fail "docs: the JSON example in docs/diagnostics-json.md differs from dcommc's output"
  "$dcommc" check --color never specs/kyiv.dcomm 2>doc-example-human.err || true
  cmp -s doc-example-human.err doc-example.human && pass "docs: the human example is current" ||
    fail "docs: the human example in docs/diagnostics-json.md differs from dcommc's output"
else
  fail "docs: cannot extract the example from docs/diagnostics-json.md"
fi

# ------------------------------------------------------------------ exit codes

run missing-human 1 check does-not-exist.dcomm
grep -q "does-not-exist.dcomm" missing-human.err &&
  pass "missing file: named on stderr" || fail "missing file: not named on stderr"
run missing-json 1 check --format json does-not-exist.dcomm
check "missing file: stdout still holds a JSON document" '
import json, sys
json.load(open(sys.argv[1]))
' missing-json.out
run missing-and-bad 1 check bad.dcomm does-not-exist.dcomm
run unknown-format 1 check --format xml good.dcomm
run unknown-color 1 check --color sometimes good.dcomm
run unknown-option 1 check --frobnicate good.dcomm
run no-files 1 check
run usage-json 1 check --format json --color sometimes good.dcomm
[[ ! -s unknown-format.out && ! -s usage-json.out && ! -s no-files.out ]] &&
  pass "usage errors: nothing on stdout" || fail "usage errors: wrote to stdout"
[[ -s unknown-format.err ]] && pass "unknown format: explained on stderr" ||
  fail "unknown format: no message"
run werror-good 0 check --werror good.dcomm
run werror-bad 1 check --werror bad.dcomm
run werror-json 0 check --werror --format json good.dcomm

# ------------------------------------------------------------------ human output

run human-bad 1 check --color never bad.dcomm
[[ ! -s human-bad.out ]] && pass "human: nothing on stdout" || fail "human: wrote to stdout"
[[ $(tail -n 1 human-bad.err) == "checked 1 file: 3 errors" ]] &&
  pass "human: summary line last" || fail "human: last line is '$(tail -n 1 human-bad.err)'"
grep -q '^error\[E0206\]: ' human-bad.err && grep -q '^ --> bad.dcomm:2:9$' human-bad.err &&
  pass "human: headline and location" || fail "human: headline or location missing"
run human-good 0 check good.dcomm
[[ $(cat human-good.err) == "checked 1 file: no problems found" ]] &&
  pass "human: a clean file prints only the summary" || fail "human-good: $(cat human-good.err)"
run human-two 1 check --color never good.dcomm bad.dcomm
[[ $(tail -n 1 human-two.err) == "checked 2 files: 3 errors" ]] &&
  pass "human: summary counts files" || fail "human-two: '$(tail -n 1 human-two.err)'"

# ------------------------------------------------------------------ colour

! has_escape human-bad.err && pass "colour: --color never has none" ||
  fail "colour: escape codes with --color never"

run color-always 1 check --color always bad.dcomm
has_escape color-always.err && pass "colour: --color always has some, even piped" ||
  fail "colour: none with --color always"
cmp -s <(sed $'s/\x1b\\[[0-9;]*m//g' color-always.err) human-bad.err &&
  pass "colour: same text as without colour" || fail "colour: text differs from the plain output"

# NO_COLOR disables automatic colour; an explicit flag still wins
# (https://no-color.org: command-line arguments override it).
NO_COLOR=1 "$dcommc" check --color always bad.dcomm 2>no-color-always.err || true
has_escape no-color-always.err && pass "colour: --color always overrides NO_COLOR" ||
  fail "colour: --color always ignored under NO_COLOR"

"$dcommc" check bad.dcomm 2>auto-piped.err || true
! has_escape auto-piped.err && pass "colour: auto is off when stderr is not a terminal" ||
  fail "colour: auto coloured a pipe"

run color-always-json 1 check --color always --format json bad.dcomm
! has_escape color-always-json.out && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
  color-always-json.out && pass "colour: never in machine formats" ||
  fail "colour: escape codes in JSON"

# auto on a terminal: `script` (util-linux) runs dcommc under a pseudo-terminal.
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
  on_tty() {  # ENV... : runs `dcommc check bad.dcomm` on a terminal, output in tty.log
    env "$@" script -qec "$(printf '%q ' "$dcommc" check bad.dcomm)" /dev/null >tty.log 2>&1 </dev/null || true
  }
  on_tty -u NO_COLOR TERM=xterm
  has_escape tty.log && pass "colour: auto is on for a terminal" || fail "colour: auto off on a terminal"
  on_tty NO_COLOR=1 TERM=xterm
  ! has_escape tty.log && pass "colour: NO_COLOR=1 turns auto off" || fail "colour: NO_COLOR ignored"
  on_tty -u NO_COLOR TERM=dumb
  ! has_escape tty.log && pass "colour: TERM=dumb turns auto off" || fail "colour: TERM=dumb ignored"
  on_tty NO_COLOR= TERM=xterm
  has_escape tty.log && pass "colour: an empty NO_COLOR is ignored" || fail "colour: empty NO_COLOR honoured"
else
  echo "skip colour on a terminal: no working 'script' command"
fi

if ((failures > 0)); then
  echo "check_formats: $failures check(s) failed"
  exit 1
fi
echo "check_formats: all checks passed"
