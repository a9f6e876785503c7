# shellcheck shell=bash
# shellcheck disable=SC2154 # live.sh sets here, dcommc, out, scratch, stack, domain and its helpers
# The live test's removal step (sourced by live.sh, with its helpers and
# variables): site.dcomm again after site-v2.dcomm, so service pad leaves
# the spec. `dcommc plan` says so and prints the commands; the build
# removes pad's files; `docker stack deploy --prune` removes its service;
# and every `docker config rm` and `docker secret rm` the plan printed
# succeeds once the update is done: nothing uses what it names any more.
# docs/live-test.md ("removal") says what it proves.

set +e
"$dcommc" plan "$here/site.dcomm" -o "$out" >"$scratch/plan-v3.txt" 2>"$scratch/plan-v3.err"
plan_status=$?
set -e
((plan_status == 2)) || { cat "$scratch/plan-v3.txt" "$scratch/plan-v3.err" >&2; die "dcommc plan exited $plan_status, expected 2"; }
grep -q '^    - service pad$' "$scratch/plan-v3.txt" && ok "dcommc plan: the swarm loses service pad" ||
  fail "dcommc plan does not say service pad goes: $(grep -A12 'in the swarm' "$scratch/plan-v3.txt" | head -12)"
cleanup=$(sed -n 's/^    \(docker \(config\|secret\) rm .*\)$/\1/p' "$scratch/plan-v3.txt")
[[ -n $cleanup ]] && ok "dcommc plan: $(wc -l <<<"$cleanup") configs and secrets to remove after the deploy" ||
  fail "dcommc plan prints no docker config rm: the Caddyfile it supersedes is one"
"$dcommc" "$here/site.dcomm" -o "$out" >"$scratch/build-v3.log" 2>&1 ||
  { cat "$scratch/build-v3.log" >&2; die "dcommc could not build site.dcomm again"; }
[[ ! -e $out/live/pad ]] && ok "the build removed pad's files" || fail "pad's files are still in $out/live"

deploy "$scratch/deploy-v3.log" || die "the deploy that removes pad failed (output above)"
grep -q "^Removing service ${stack}_pad$" "$scratch/deploy-v3.log" &&
  ok "docker stack deploy --prune removed ${stack}_pad" || fail "docker stack deploy did not remove ${stack}_pad"
sleep 3
wait_services 300 || fail "the stack did not settle after pad was removed"
# Every task of the superseded configs gone: docker refuses to remove one still in use.
removed=0
while read -r command; do
  [[ -n $command ]] || continue
  # shellcheck disable=SC2086 # the plan's command, word for word
  if said=$(docker ${command#docker } 2>&1); then
    removed=$((removed + 1))
  else
    fail "the plan's '$command' failed: $said"
  fi
done <<<"$cleanup"
((removed == $(grep -c . <<<"$cleanup"))) && ok "every removal the plan printed succeeded ($removed)"
left=$(docker config ls --format '{{.Name}}' | grep -c "^${stack}_caddyfile_" || true)
((left == 1)) && ok "one Caddyfile config left in the swarm, the one in use" ||
  fail "$left Caddyfile configs in the swarm after the plan's removals"
status=$(get "https://pad.$domain/" -o /dev/null -w '%{http_code}' 2>/dev/null || true)
[[ $status != 200 ]] && ok "pad.$domain no longer answers (${status:-no TLS})" || fail "pad.$domain still answers 200"
