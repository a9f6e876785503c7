#!/usr/bin/env bash
# The GitHub Actions workflow of docs/ci.md (docs/examples/github-workflow.yml):
#  1. it parses (python3's yaml module, else yamllint, else that part is
#     skipped) and has the steps docs/ci.md describes;
#  2. the dcommc commands it runs behave as it expects on examples/*.dcomm:
#     fmt --check, GitHub annotations, a SARIF log, plan's exit codes 2 then 0;
#  3. with python3's yaml, its own run: scripts of the fmt, check, sarif and
#     plan steps are executed as GitHub would (bash -eo pipefail) in a scratch
#     git repository with a base branch and a pull-request branch.
# Usage: tests/cli/ci_workflow.sh path/to/dcommc   (run from the project root)
set -uo pipefail

dcommc=$(realpath "${1:?usage: ci_workflow.sh path/to/dcommc}")
root=$PWD
workflow=$root/docs/examples/github-workflow.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
skip() { echo "skip $1"; }
run() { status=0; "$@" >"$work/stdout" 2>"$work/stderr" || status=$?; }

have_python=0
command -v python3 >/dev/null && have_python=1
have_yaml=0
((have_python)) && python3 -c 'import yaml' 2>/dev/null && have_yaml=1

# ---- 1. the workflow file ---------------------------------------------------

if ((have_yaml)); then
  if python3 - "$workflow" >"$work/shape" 2>&1 <<'EOF'; then
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
problems = []
job = doc["jobs"]["dcommc"]
steps = {s.get("id"): s for s in job["steps"] if s.get("id")}
for wanted in ("install", "fmt", "check", "sarif", "plan"):
    if wanted not in steps:
        problems.append(f"no step with id {wanted}")
def run(i): return steps.get(i, {}).get("run", "")
if "dcommc fmt --check" not in run("fmt"): problems.append("fmt step does not run dcommc fmt --check")
if "dcommc check --format github" not in run("check"): problems.append("check step does not use --format github")
if "--format sarif" not in run("sarif") or "dcommc.sarif" not in run("sarif"):
    problems.append("sarif step does not write dcommc.sarif")
uploads = [s for s in job["steps"] if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")]
if not uploads or uploads[0].get("with", {}).get("sarif_file") != "dcommc.sarif":
    problems.append("no upload-sarif step for dcommc.sarif")
if "dcommc plan" not in run("plan"): problems.append("plan step does not run dcommc plan")
if not ("-eq 2" in run("plan") or steps.get("plan", {}).get("continue-on-error")):
    problems.append("plan step fails on exit 2 (changes)")
comments = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/github-script")]
if not comments or "createComment" not in comments[0].get("with", {}).get("script", ""):
    problems.append("no step posts the plan as a comment")
perms = doc.get("permissions", {})
for p, v in (("security-events", "write"), ("pull-requests", "write")):
    if perms.get(p) != v: problems.append(f"permissions: {p} is not {v}")
for i in ("fmt", "check", "sarif", "plan"):
    if "${{" in run(i): problems.append(f"step {i} has ${{{{ }}}} in its script (not runnable as is)")
# `on:` is parsed by YAML 1.1 as the boolean True.
triggers = doc.get("on", doc.get(True, {}))
if "pull_request" not in triggers: problems.append("not run on pull_request")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
    pass "the workflow parses and has the fmt, check, sarif, upload, plan and comment steps"
  else
    fail "workflow: $(tr '\n' ';' <"$work/shape")"
  fi
elif command -v yamllint >/dev/null; then
  yamllint -d '{extends: relaxed, rules: {line-length: disable}}' "$workflow" >"$work/lint" 2>&1 &&
    pass "the workflow is valid YAML (yamllint)" || fail "yamllint: $(cat "$work/lint")"
else
  skip "workflow YAML: neither python3's yaml module nor yamllint is installed"
fi

# ---- 2. the commands, on the examples ----------------------------------------

cd "$work"
mkdir specs
cp "$root"/examples/*.dcomm specs/

run "$dcommc" fmt --check specs/*.dcomm
((status == 0)) && pass "fmt --check passes on the examples" || fail "fmt --check exited $status: $(cat stdout stderr)"
cp specs/kyiv.dcomm messy.dcomm
sed -i 's/^\( *\)\([a-z_]*\) *= /\1\2 =     /' messy.dcomm
run "$dcommc" fmt --check messy.dcomm
((status == 1)) && grep -q messy.dcomm stdout stderr && pass "fmt --check fails (1) and names an unformatted file" ||
  fail "fmt --check on an unformatted file exited $status"

run "$dcommc" check --format github specs/*.dcomm
((status == 0)) && [[ ! -s stdout ]] && pass "check --format github: the examples are clean (exit 0, no annotation)" ||
  fail "check --format github on the examples exited $status: $(head -c 600 stdout)"

printf 'site "x" {\n  domain = "not a domain"\n}\n' >bad.dcomm
run "$dcommc" check --format github bad.dcomm specs/kyiv.dcomm
annotation='^::(error|warning|notice) file=[^,:]+,line=[0-9]+,col=[0-9]+(,endLine=[0-9]+,endColumn=[0-9]+)?,title=[^:]*::.+$'
if ((status == 1)) && [[ -s stdout ]] && ! grep -vqE "$annotation" stdout; then
  pass "check --format github: errors are ::error file=,line=,col= annotations (exit 1)"
else
  fail "github annotations (exit $status): $(head -c 600 stdout)"
fi
grep -q '^::error file=bad.dcomm,' stdout && pass "annotations name the file as given" || fail "no annotation for bad.dcomm"

check_sarif() {   # check_sarif FILE WANT_RESULTS(0|1)
  python3 - "$1" "$2" <<'EOF'
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0", "version"
run = log["runs"][0]
assert run["tool"]["driver"]["name"] == "dcommc", "driver name"
results = run["results"]
if sys.argv[2] == "1":
    assert results, "no results"
    for r in results:
        assert r["ruleId"] and r["level"] in ("error", "warning", "note"), r
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] and loc["region"]["startLine"] >= 1, loc
    ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= ids, "results refer to rules not listed"
else:
    assert results == [], results
EOF
}
run "$dcommc" check --format sarif specs/*.dcomm
cp stdout clean.sarif
if ((status != 0)); then
  fail "check --format sarif on the examples exited $status"
elif ((have_python)); then
  check_sarif clean.sarif 0 2>err.txt && pass "check --format sarif: a SARIF 2.1.0 log with no results" ||
    fail "SARIF of the examples: $(tail -1 err.txt)"
else
  grep -q '"version": "2.1.0"' clean.sarif && pass "check --format sarif: SARIF 2.1.0 (python3 missing: not parsed)" ||
    fail "no SARIF version"
fi
run "$dcommc" check --format sarif bad.dcomm
cp stdout bad.sarif
if ((status != 1)); then
  fail "check --format sarif on a bad spec exited $status, not 1"
elif ((have_python)); then
  check_sarif bad.sarif 1 2>err.txt && pass "check --format sarif: results with rule ids and regions (exit 1)" ||
    fail "SARIF of a bad spec: $(tail -1 err.txt)"
else
  pass "check --format sarif exits 1 on a bad spec"
fi

for spec in specs/*.dcomm; do
  name=$(basename "$spec" .dcomm)
  run "$dcommc" plan --color never "$spec" -o "out-$name"
  ((status == 2)) && [[ ! -e out-$name ]] && grep -q '^Plan: ' stdout &&
    pass "plan $name.dcomm: exit 2 before a build, writes nothing" || fail "plan $name before a build exited $status"
  run "$dcommc" "$spec" -o "out-$name"
  ((status == 0)) || fail "build of $name exited $status: $(tail -3 stderr)"
  run "$dcommc" plan --color never "$spec" -o "out-$name"
  ((status == 0)) && grep -q '^No changes' stdout && pass "plan $name.dcomm: exit 0 after the build" ||
    fail "plan $name after a build exited $status: $(head -5 stdout)"
done

# ---- 3. the workflow's own scripts, in a scratch repository -------------------

if ((!have_yaml)); then
  skip "running the workflow's steps: python3's yaml module is not installed"
elif ! command -v git >/dev/null; then
  skip "running the workflow's steps: git is not installed"
else
  mkdir bin && ln -s "$dcommc" bin/dcommc
  python3 - "$workflow" "$work/steps" <<'EOF'
import os, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
os.makedirs(sys.argv[2])
for step in doc["jobs"]["dcommc"]["steps"]:
    if step.get("id") in ("fmt", "check", "sarif", "plan"):
        open(os.path.join(sys.argv[2], step["id"] + ".sh"), "w").write(step["run"])
EOF
  repo=$work/gh/repo
  mkdir -p "$repo"
  cd "$repo"
  git() { command git -c user.name=ci -c user.email=ci@example.org -c init.defaultBranch=main "$@"; }
  git init -q .
  cp "$root/examples/kyiv.dcomm" sites.dcomm
  cp "$root/examples/federation.dcomm" federation.dcomm
  git add . && git commit -qm base
  git update-ref refs/remotes/origin/main HEAD
  git checkout -qb pr

  step() {   # step ID: runs the workflow's script as GitHub's bash shell does
    : >"$work/github_output"
    status=0
    env PATH="$work/bin:$PATH" GITHUB_BASE_REF=main GITHUB_OUTPUT="$work/github_output" \
      DCOMMC_SPEC=sites.dcomm GITHUB_WORKSPACE="$repo" \
      bash --noprofile --norc -eo pipefail "$work/steps/$1.sh" >"$work/stdout" 2>"$work/stderr" || status=$?
  }

  step fmt
  ((status == 0)) && pass "workflow fmt step passes on formatted specs" || fail "fmt step exited $status: $(cat "$work/stderr")"
  step check
  ((status == 0)) && pass "workflow check step passes on clean specs" || fail "check step exited $status"
  step sarif
  ((status == 0)) && check_sarif dcommc.sarif 0 2>/dev/null && pass "workflow sarif step writes dcommc.sarif" ||
    fail "sarif step exited $status"
  step plan
  grep -qx 'status=0' "$work/github_output" && ((status == 0)) &&
    pass "workflow plan step: no spec change, status=0" || fail "plan step (no change) exited $status: $(cat "$work/stdout" "$work/github_output")"

  sed -i 's/federation   = true/federation   = false/' sites.dcomm
  git commit -qam 'turn federation off'
  step plan
  if ((status == 0)) && grep -qx 'status=2' "$work/github_output" &&
    grep -q '^--- a/kyiv/synapse/homeserver.yaml$' plan.txt; then
    pass "workflow plan step: a spec change gives status=2 and the diff in plan.txt"
  else
    fail "plan step (change) exited $status: $(cat "$work/github_output") $(head -c 400 plan.txt 2>/dev/null)"
  fi
  ! grep -q 'secret .* (generated at build time)' plan.txt &&
    pass "the plan against the base branch lists no secrets to generate" || fail "plan lists existing secrets as new"
  [[ -z $(command git worktree list | sed 1d) ]] && pass "the plan step leaves no worktree behind" ||
    fail "worktrees left: $(command git worktree list)"

  printf 'site "x" {}\n' >broken.dcomm
  sed 's/^\( *\)\([a-z_]*\) *= /\1\2 =     /' "$root/examples/federation.dcomm" >federation.dcomm
  git add . && git commit -qm 'break things'
  step fmt
  ((status == 1)) && pass "workflow fmt step fails on an unformatted spec" || fail "fmt step exited $status"
  step check
  ((status == 1)) && grep -q '^::error file=broken.dcomm,' "$work/stdout" &&
    pass "workflow check step fails with annotations on a bad spec" || fail "check step exited $status"
  step sarif
  ((status == 0)) && check_sarif dcommc.sarif 1 2>/dev/null &&
    pass "workflow sarif step still writes SARIF (with results) for upload" || fail "sarif step exited $status"
  printf 'site "x" {}\n' >sites.dcomm
  git commit -qam 'break the planned spec'
  step plan
  ((status != 0)) && grep -qx 'status=1' "$work/github_output" &&
    pass "workflow plan step fails when the spec has errors (status=1)" || fail "plan step on a bad spec exited $status"
fi

echo "ci_workflow: $failures failure(s)"
((failures == 0))
