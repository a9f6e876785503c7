#!/usr/bin/env bash
# docs/tutorial.md, run: every `sh` block's commands in order, in a scratch
# folder, each with the exit status its `# exit N` comment says (0 when
# none); every `<!-- file: NAME -->` block written to NAME first. dcommc
# is the binary under test. The server's commands run against stand-ins:
# `docker` records what it is asked and checks the stack file it deploys,
# `nft -f` checks the firewall with the real `nft -c` in a network
# namespace of its own, and `dcommc verify` runs in one with nothing to
# reach (so it exits 1, as the tutorial says before the servers answer).
# The live test runs the real deploy (docs/live-test.md).
# Usage: tests/cli/tutorial.sh path/to/dcommc   (run from the project root)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
command -v age-keygen >/dev/null || { echo "skip: age is not installed (scripts/deps.sh)"; exit 77; }
unshare -rn true 2>/dev/null || { echo "skip: cannot make a network namespace here (unshare -rn)"; exit 77; }

mkdir bin
ln -s "$dcommc" bin/dcommc
cat >bin/docker <<'STUB'
#!/usr/bin/env bash
# The tutorial's docker: records each command; deploys only a stack file that is there and is YAML with services.
echo "docker $*" >>"$TUTORIAL_LOG"
case "$1 $2" in
  "node ls") echo n0de1d ;;
  "swarm init") echo "Swarm initialized: current node (n0de1d) is now a manager." ;;
  "stack deploy")
    while (($#)) && [[ $1 != -c ]]; do shift; done
    python3 -c 'import sys, yaml; assert yaml.safe_load(open(sys.argv[1]))["services"]' "$2" ;;
esac
STUB
cat >bin/nft <<'STUB'
#!/usr/bin/env bash
# The tutorial's nft: `nft -f FILE` checks FILE with the real nft, changing nothing.
echo "nft $*" >>"$TUTORIAL_LOG"
[[ $1 == -f && -f $2 ]] || exit 1
command -v /usr/sbin/nft >/dev/null || exit 0
unshare -rn /usr/sbin/nft -c -f "$2"
STUB
chmod +x bin/docker bin/nft
export TUTORIAL_LOG=$work/server.log
: >"$TUTORIAL_LOG"

# The tutorial as steps, one per line: "file NAME BASE64" or "run STATUS COMMAND".
python3 - "$root/docs/tutorial.md" >steps.txt <<'PY'
import base64, re, sys
text = open(sys.argv[1]).read()
pending_file = None
for match in re.finditer(r'(<!-- file: (\S+) -->\n)?```(\w*)\n(.*?)```', text, re.S):
    _, name, info, body = match.groups()
    if name:
        print("file", name, base64.b64encode(body.encode()).decode())
    elif info == "sh":
        for line in body.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            status = re.search(r"#\s*exit (\d+)", line)
            command = re.sub(r"\s*#.*$", "", line) if status else line
            print("run", status.group(1) if status else 0, command)
PY
steps=0
while read -r kind first rest; do
  steps=$((steps + 1))
  if [[ $kind == file ]]; then
    base64 -d <<<"$rest" >"$first"
    pass "wrote $first from the tutorial"
    continue
  fi
  expected=$first command=$rest status=0
  if [[ $command == "dcommc verify"* ]]; then
    PATH=$work/bin:$PATH unshare -rn bash -c "ip link set lo up && $command" >out.txt 2>&1 || status=$?
  else
    PATH=$work/bin:$PATH bash -c "$command" >out.txt 2>&1 || status=$?
  fi
  cp out.txt "step-$steps.txt"
  if [[ $status == "$expected" ]]; then
    pass "$command  (exit $status)"
  else
    fail "$command: exit $status, the tutorial says $expected:"
    sed 's/^/     /' out.txt | head -n 20
  fi
done <steps.txt
((steps >= 20)) && pass "the tutorial has $steps steps" || fail "only $steps steps found in docs/tutorial.md"

# The build the tutorial says is refused is refused for the reason it gives.
refused=$(grep -l '^error\[E0606\]: matrix.lviv.example joins the federation of 1 deployed site (kharkiv-commons)$' step-*.txt || true)
[[ -n $refused ]] && pass "the refused build names E0606, as the tutorial explains" || fail "no build refused with E0606"

# What the server was asked to do.
grep -q "^docker node update --label-add dwebstackdomain=lviv.example n0de1d$" "$TUTORIAL_LOG" &&
  pass "labels.sh labelled the second server's node" || fail "no label for lviv: $(cat "$TUTORIAL_LOG")"
[[ $(grep -c '^docker stack deploy --prune -c out/kharkiv-commons/stack.yml dcomms-kharkiv-commons$' "$TUTORIAL_LOG") == 2 &&
  $(grep -c '^docker stack deploy --prune -c out/lviv-commons/stack.yml dcomms-lviv-commons$' "$TUTORIAL_LOG") == 1 ]] &&
  pass "both stacks deployed, the first one twice" || fail "deploys: $(grep 'stack deploy' "$TUTORIAL_LOG")"
grep -q '"matrix.lviv.example"' out/kharkiv-commons/element/config.json &&
  pass "the first site's Element lists the second's homeserver" || fail "kharkiv's room directory lacks matrix.lviv.example"
[[ -s out/secrets.age ]] && pass "the secrets are sealed" || fail "no out/secrets.age"

echo "tutorial: $failures failure(s)"
((failures == 0))
