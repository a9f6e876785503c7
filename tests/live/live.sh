#!/usr/bin/env bash
# The live test: dcommc's output deployed on a real two-node Docker Swarm
# on a private LAN of network namespaces (net.sh), reached through each
# site's Caddy by the names the compiled dns.zone files give: an offline
# federation of two sites (common.dcomm) whose Synapses federate.
# docs/live-test.md explains what it proves and what the stand-ins are.
#
# Usage: live.sh DCOMMC [CACHE_DIR]
#   DCOMMC     the compiler to test
#   CACHE_DIR  where the Debian root filesystems of the images are kept
#              between runs (default: $DCOMMS_LIVE_CACHE or ~/.cache/dcomms-live)
# Environment:
#   DCOMMS_LIVE_DOCKER  the docker client to use (default: Debian's, which
#                       matches the engine)
#   DCOMMS_LIVE_KEEP=1  leave the scratch folder (logs, out/) behind
#   DCOMMS_LIVE_REQUIRED=1  fail, rather than skip (exit 77), without root
#   DCOMMS_LIVE_TMPFS=0 keep dockerd's data on disk, not in a tmpfs (about 1.5 GB)
#   DCOMMS_LIVE_DEADLINE    seconds after which the test stops itself,
#                       cleaning up (default 1500; CTest's TIMEOUT is 2400)
#   DCOMMS_LIVE_BREAK   db-password, signing-key, federation-ca, mail-map,
#                       mail-db or db-listen: damage the compiled output so, to see the
#                       run fail (docs/live-test.md says how each fails)
#   DCOMMS_LIVE_PAUSE=1 wait before the redeploy, with both stacks up, until
#                       the file it names is removed (raise the deadline too)
#
# Steps: make the LAN and start a dockerd (overlay2, no iptables, no
# bridge) on each of its two nodes, forming one swarm; build the images and
# carry them to the second node with `dcommc images --bundle`; compile
# site.dcomm (sites live and peer, one federation CA); serve both dns.zone
# files with named; label the nodes with both labels.sh; `docker stack
# deploy` both stacks; wait for every service; check every route through
# Caddy, each Synapse with a real Matrix client, the two federating, the
# onion twins; scan each node's ports and load the compiled firewalls
# (exposure.sh); SMTP, IMAP and DeltaChat behind them; compile
# site-v2.dcomm into the same folder and deploy both again in place;
# check the change and that only the services `dcommc plan` named were
# restarted (none of site peer); remove
# the stacks, stop the dockerds and named, remove the LAN. Every wait is
# bounded, and the EXIT trap stops whatever was started, on failure too
# (printing the services' last log lines). No traffic leaves the LAN: host
# networking inside the nodes' namespaces, the federation's own CA, named
# authoritative only, no image pulls (DOCKER_SERVICE_PREFER_OFFLINE_IMAGE,
# --resolve-image never).
set -euo pipefail

dcommc=$(realpath "${1:?usage: live.sh DCOMMC [CACHE_DIR]}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${2:-${DCOMMS_LIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dcomms-live}}

site=live
stack=dcomms-$site
domain=live.dcomms.test
onion=xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion
www=/srv/dcomms-live/www    # the website service's root in common.dcomm
federation_port=8448  # Caddy serves HTTP and HTTPS on 80 and 443
# The federation's second site, on node bridge (common.dcomm).
peer_stack=dcomms-peer
peer_domain=peer.dcomms.test
stacks=("$stack" "$peer_stack")
# shellcheck source=net.sh
source "$here/net.sh"
worker=${node_address[worker]}  # where site live's Caddy, Synapse and mail run
bridge=${node_address[bridge]}  # where site peer runs, and site live's CENO

# ------------------------------------------------------------------ output
started=$SECONDS
step_started=$SECONDS
step_name=""
timings=()
step() {
  if [[ -n $step_name ]]; then timings+=("$(printf '%4d s  %s' $((SECONDS - step_started)) "$step_name")"); fi
  step_name=$1
  step_started=$SECONDS
  echo
  echo "== $1 (at $((SECONDS - started)) s)"
}
ok() { echo "ok: $*"; }
failures=0
fail() {  # records a failed check; the test goes on
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
  return 0
}
die() {
  echo "FAIL: $*" >&2
  exit 1
}

# ------------------------------------------------------------------ preflight
step "preflight"
if ((EUID != 0)); then
  [[ ${DCOMMS_LIVE_REQUIRED:-} == 1 ]] && die "the live test starts dockerd and needs root"
  echo "live: skipped: it starts dockerd and needs root (DCOMMS_LIVE_REQUIRED=1 makes this a failure)"
  exit 77
fi
for tool in dockerd containerd runc debootstrap busybox curl openssl timeout ip nsenter unshare named; do
  command -v "$tool" >/dev/null || die "$tool is missing: run tests/live/deps.sh"
done
if net_exists; then
  die "network namespaces $net_prefix-* exist: a crashed run? \`ip netns list\` shows them; \`ip netns del NAME\` removes one"
fi
[[ ! -e /srv/dcomms-live ]] || die "/srv/dcomms-live exists: remove it (a crashed run?) or look what made it"
srv_existed=false
[[ ! -d /srv ]] || srv_existed=true

scratch=$(mktemp -d /tmp/dcomms-live.XXXXXX)  # short: it holds unix sockets
out=$scratch/out
mkdir -p "$scratch/bin" "$scratch/data" "$out"
manager=$scratch/data/worker/docker.sock
ok "scratch folder $scratch"

# ------------------------------------------------------------------ cleanup
declare -A dockerd_pids=()
named_pid=""
watchdog_pid=""
stack_deployed=false
cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  step "cleanup"
  if [[ -n $watchdog_pid ]]; then
    pkill -P "$watchdog_pid" sleep 2>/dev/null
    kill "$watchdog_pid" 2>/dev/null
  fi
  if $stack_deployed && [[ -S $manager ]] && ((status != 0 || failures != 0)); then
    # What the services said, for the failed checks above.
    local service
    for service in $(for name in "${stacks[@]}"; do
      DOCKER_HOST=unix://$manager timeout 10 docker stack services "$name" --format '{{.Name}}' 2>/dev/null
    done); do
      echo "--- last log lines of $service"
      DOCKER_HOST=unix://$manager timeout 10 docker service logs --raw --tail 12 "$service" 2>&1 | tail -12 | cut -c1-300
    done
  fi
  if $stack_deployed && [[ -S $manager ]]; then
    DOCKER_HOST=unix://$manager timeout 60 docker stack rm "${stacks[@]}" >/dev/null 2>&1
    for _ in $(seq 60); do
      [[ -z $(DOCKER_HOST=unix://$manager timeout 10 docker ps -q 2>/dev/null) ]] && break
      sleep 1
    done
  fi
  local node pid
  for node in bridge worker; do
    pid=${dockerd_pids[$node]:-}
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || continue
    DOCKER_HOST=unix://$scratch/data/$node/docker.sock timeout 30 docker swarm leave --force >/dev/null 2>&1
    kill -TERM "$pid"
    for _ in $(seq 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "dockerd of $node did not stop in 30 s: killing it"
      kill -KILL "$pid"
    fi
    echo "dockerd of $node stopped ($((SECONDS - step_started)) s)"
  done
  # Their containerds and shims, named, anything else left on the LAN.
  for pid in $(pgrep -f "$scratch/data" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  [[ -z $named_pid ]] || kill "$named_pid" 2>/dev/null
  net_down
  echo "LAN removed ($((SECONDS - step_started)) s)"
  for node in worker bridge; do
    log=$scratch/data/$node/dockerd.log
    if ((status != 0 || failures != 0)) && [[ -f $log ]]; then
      echo "dockerd's errors on $node (DCOMMS_LIVE_KEEP=1 keeps its whole log, $log):"
      grep 'level=error' "$log" | grep -v 'vs\.\|ipvs' | tail -15 | cut -c1-300
    fi
  done
  # Mounts dockerd left under the scratch folder (secrets, netns), deepest first.
  awk -v root="$scratch" '$5 == root || index($5, root "/") == 1 { print $5 }' /proc/self/mountinfo |
    sort -r | while read -r mount; do umount -l "$mount"; done
  echo "unmounted ($((SECONDS - step_started)) s)"
  rm -rf --one-file-system /srv/dcomms-live
  $srv_existed || rmdir /srv 2>/dev/null
  if [[ ${DCOMMS_LIVE_KEEP:-} == 1 ]]; then
    echo "kept $scratch (DCOMMS_LIVE_KEEP=1)"
  else
    rm -rf --one-file-system "$scratch"
    echo "removed $scratch ($((SECONDS - step_started)) s)"
  fi
  echo
  echo "== timings"
  if [[ -n $step_name ]]; then timings+=("$(printf '%4d s  %s' $((SECONDS - step_started)) "$step_name")"); fi
  printf '%s\n' "${timings[@]}"
  printf '%4d s  in all\n' $((SECONDS - started))
  if ((status == 0 && failures == 0)); then
    echo "live: PASS"
  else
    echo "live: FAIL ($failures failed checks, exit status $status)"
    ((status != 0)) || status=1
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo "live: stopped by a signal" >&2; exit 130' INT TERM

# dockerd's data in memory: writing, then deleting, a gigabyte of image
# files takes a minute on a slow disk. overlay2 shares an image's files
# between its containers (vfs would copy the 500 MB Debian tree into each).
# DCOMMS_LIVE_TMPFS=0 keeps it on disk.
if [[ ${DCOMMS_LIVE_TMPFS:-1} == 1 ]] &&
  mount -t tmpfs -o "size=${DCOMMS_LIVE_TMPFS_SIZE:-4g},mode=0711" dcomms-live "$scratch/data"; then
  ok "dockerd's data root is a tmpfs of at most ${DCOMMS_LIVE_TMPFS_SIZE:-4g}"
else
  ok "dockerd's data root is on disk"
fi
# A watchdog: every command below is bounded, so the test ends in time
# anyway, but this ends it with its cleanup before CTest would kill it.
deadline=${DCOMMS_LIVE_DEADLINE:-1500}
exec 3>&2
(sleep "$deadline" && echo "live: deadline of $deadline s reached" >&3 && kill -TERM $$) 2>/dev/null &
watchdog_pid=$!
disown "$watchdog_pid"

# ------------------------------------------------------------------ swarm
step "the LAN, a dockerd on each node, one swarm"
net_up
for node in "${nodes[@]}"; do
  dockerd_pids[$node]=$(start_dockerd "$node" "$scratch/data/$node")
done
export DOCKER_HOST=unix://$manager

# The docker client: Debian's (20.10) matches the engine; any other must
# reach it by API negotiation.
docker_cli=${DCOMMS_LIVE_DOCKER:-/usr/bin/docker}
[[ -x $docker_cli ]] || docker_cli=$(command -v docker)
ln -s "$docker_cli" "$scratch/bin/docker"
export PATH=$scratch/bin:$PATH  # labels.sh calls `docker` too

on() {  # NODE COMMAND...: COMMAND, its docker talking to NODE's dockerd
  local node=$1
  shift
  DOCKER_HOST=unix://$scratch/data/$node/docker.sock "$@"
}
for node in "${nodes[@]}"; do
  log=$scratch/data/$node/dockerd.log
  for i in $(seq 60); do
    if on "$node" timeout 5 docker version >/dev/null 2>&1; then break; fi
    kill -0 "${dockerd_pids[$node]}" 2>/dev/null || { tail -20 "$log" >&2; die "dockerd of $node exited"; }
    ((i < 60)) || { tail -20 "$log" >&2; die "dockerd of $node did not answer in 60 s"; }
    sleep 1
  done
done
ok "dockerd $(docker version --format '{{.Server.Version}}') on ${nodes[*]}, client $(docker version --format '{{.Client.Version}} (API {{.Client.APIVersion}})') at $docker_cli"
timeout 60 docker swarm init --advertise-addr "$worker" --listen-addr "$worker:2377" >/dev/null
join_token=$(docker swarm join-token -q worker)
on bridge timeout 60 docker swarm join --token "$join_token" --advertise-addr "${node_address[bridge]}" \
  --listen-addr "${node_address[bridge]}:2377" "$worker:2377" >/dev/null
declare -A node_id=([worker]=$(docker info --format '{{.Swarm.NodeID}}') [bridge]=$(on bridge docker info --format '{{.Swarm.NodeID}}'))
# The stack uses host networking only: remove the routing mesh, so that no
# overlay network, bridge or VXLAN exists at all.
echo y | timeout 30 docker network rm ingress >/dev/null
ok "swarm of $(docker node ls -q | wc -l) nodes: worker ${node_id[worker]} at $worker (manager), bridge ${node_id[bridge]} at ${node_address[bridge]}; no ingress network"

# ------------------------------------------------------------------ images
step "build the images on node worker, carry them to node bridge"
on worker timeout 600 bash "$here/images.sh" "$cache"
# The mail users' DeltaChat core, from the npm registry on a cold cache.
rpc_server=$(timeout 300 bash "$here/deltachat.sh" "$cache") || die "could not fetch the DeltaChat core"
ok "the DeltaChat core: $rpc_server"
# As an operator without a registry would: `dcommc images --bundle` writes
# pull.sh (pull, then save into images.tar) and load.sh (on every node).
# There is no registry to pull from, and the images are already on node
# worker, so its pulls are answered there and the rest runs for real.
bundle=$scratch/bundle
"$dcommc" images --bundle "$bundle" "$here/site.dcomm" >"$scratch/bundle.log" 2>&1 ||
  { cat "$scratch/bundle.log" >&2; die "dcommc images --bundle failed"; }
mkdir -p "$scratch/no-registry"
printf '#!/bin/sh\nif [ "$1" = pull ]; then echo "present on node worker: $2"; exit 0; fi\nexec %s "$@"\n' \
  "$scratch/bin/docker" >"$scratch/no-registry/docker"
chmod 0755 "$scratch/no-registry/docker"
PATH=$scratch/no-registry:$PATH on worker timeout 300 sh "$bundle/pull.sh" >"$scratch/pull.log" 2>&1 ||
  { cat "$scratch/pull.log" >&2; die "the bundle's pull.sh failed"; }
on bridge timeout 300 sh "$bundle/load.sh" >"$scratch/load.log" 2>&1 ||
  { cat "$scratch/load.log" >&2; die "the bundle's load.sh failed on node bridge"; }
missing=$(sed -n "s/^  '\(.*\)'.*/\1/p" "$bundle/pull.sh" | sort -u |
  while read -r image; do on bridge docker image inspect "$image" >/dev/null 2>&1 || echo "$image"; done)
[[ -z $missing ]] || die "after load.sh, node bridge lacks: $missing"
ok "dcommc images --bundle: pull.sh saved $(grep -c "^  '" "$bundle/pull.sh" | awk '{ print $1 / 2 }') images into images.tar ($(du -h "$bundle/images.tar" | cut -f1)), load.sh loaded them on node bridge"

# ------------------------------------------------------------------ compile
step "compile site.dcomm, serve its dns.zone files, label the nodes"
"$dcommc" "$here/site.dcomm" -o "$out" >"$scratch/build-v1.log" 2>&1 ||
  { cat "$scratch/build-v1.log" >&2; die "dcommc could not build site.dcomm"; }
dir=$out/$site
peer_dir=$out/peer
for stack_dir in "$dir" "$peer_dir"; do
  name=dcomms-${stack_dir##*/}
  grep -q "docker stack deploy --prune -c stack.yml $name\$" "$stack_dir/stack.yml" ||
    fail "stack.yml does not name its stack $name in its header"
  # Nothing can be pulled here: every image must be one images.sh built.
  foreign=$(sed -n 's/^ *image: *//p' "$stack_dir/stack.yml" | tr -d '"' | grep -v '^dcomms-live/' || true)
  [[ -z $foreign ]] || die "$name's stack.yml names images the images map does not cover: $foreign"
done
# The offline federation's certificate authority, as dcommc made it: the
# test's clients trust its root and nothing else, as the operator's users would.
ca=$out/federation-ca/root.crt
[[ -s $ca ]] || die "dcommc made no federation root at $ca (both sites have tls = internal)"
for site_name in live peer; do
  openssl verify -x509_strict -CAfile "$ca" "$out/$site_name/secrets/caddy_ca_certificate" >/dev/null ||
    fail "site $site_name's intermediate is not signed by the federation's root"
done
ok "the federation's root: $(openssl x509 -in "$ca" -noout -subject); each site's intermediate verifies under it"
# The proof that the checks below can fail: DCOMMS_LIVE_BREAK damages the
# compiled output the way a faulty emitter could, and the run must fail.
case ${DCOMMS_LIVE_BREAK:-} in
  "") ;;
  db-password)  # the password Synapse gives PostgreSQL is not the one PostgreSQL was made with
    sed -i 's/:[^:]*$/:not-the-password/' "$dir/secrets/synapse_pgpass" ;;
  signing-key)  # Synapse is told its signing key is where none is mounted
    sed -i 's|^signing_key_path: .*|signing_key_path: "/run/secrets/no_such_key"|' "$dir/synapse/homeserver.yaml" ;;
  federation-ca)  # site peer's Synapse does not trust the federation's root
    sed -i '/^federation_custom_ca_list:/,+1d' "$peer_dir/synapse/homeserver.yaml" ;;
  mail-map)  # site live's smtpd processes serve many clients, each reading mailadm's map once
    sed -i '/^  -o max_use=1$/d' "$dir/postfix/master.cf" ;;
  mail-db)  # site live's dovecot looks for accounts in another database than mailadm's
    sed -i 's|^connect = .*|connect = /var/lib/mailadm/not-mailadm.db|' "$dir/dovecot/dovecot-sql.conf.ext" ;;
  db-listen)  # site live's PostgreSQL listens on every address of its node, as the image would
    sed -i '/^    command:$/,/listen_addresses=/d' "$dir/stack.yml" ;;
  *) die "DCOMMS_LIVE_BREAK=$DCOMMS_LIVE_BREAK: expected db-password, signing-key, federation-ca, mail-map, mail-db or db-listen" ;;
esac
[[ -z ${DCOMMS_LIVE_BREAK:-} ]] || echo "live: the compiled output is broken on purpose: $DCOMMS_LIVE_BREAK; this run must FAIL"
# Names resolve as public DNS would make them: named serves the compiled
# records as they are, and the LAN's devices and every container ask it.
# (Re)starts named on both sites' compiled zones and waits until NAME
# resolves to node worker, and matrix.peer.dcomms.test to node bridge,
# through their CNAMEs to the apex, whose A record is the node's.
serve_zone() {  # NAME
  local answer name address
  if [[ -n $named_pid ]]; then
    kill "$named_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$named_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  named_pid=$(start_named "$scratch/named" "$dir/dns.zone" "$peer_dir/dns.zone")
  for name in "$1=$worker" "matrix.$peer_domain=$bridge"; do
    address=${name#*=} name=${name%=*}
    for i in $(seq 20); do
      answer=$(on_lan timeout 5 busybox nslookup "$name" "$net_address" 2>&1 || true)
      [[ $answer == *"Address: $address"* ]] && break
      kill -0 "$named_pid" 2>/dev/null || { cat "$scratch/named/named.log" >&2; die "named exited"; }
      ((i < 20)) || die "named does not answer $name with $address in 20 s: $answer"
      sleep 1
    done
    ok "named serves the compiled dns.zone files: $name -> $address"
  done
}
serve_zone "matrix.$domain"
# The mail records, as another site's postfix and a mail client ask them.
for query in "MX $peer_domain mail exchanger = 10 $peer_domain" \
  "SRV _submission._tcp.$domain service = 0 1 587 $domain" "SRV _imaps._tcp.$domain service = 0 1 993 $domain"; do
  read -r type name expected <<<"$query"
  answer=$(on_lan timeout 5 busybox nslookup -type="$type" "$name" "$net_address" 2>&1 || true)
  [[ $answer == *"$expected"* ]] && ok "named: $type $name: $expected" ||
    fail "named: $type $name: expected '$expected', got: $(tr '\n' ' ' <<<"$answer" | cut -c1-200)"
done
# labels.sh takes each node's swarm ID in NODE_<NAME>.
node_vars=$(grep -o '\${NODE_[A-Z0-9_]*:-}' "$dir/labels.sh" | sed 's/[${}]//g; s/:-//' | sort -u)
[[ $node_vars == $'NODE_BRIDGE\nNODE_WORKER' ]] || die "labels.sh takes $(echo $node_vars), not NODE_BRIDGE and NODE_WORKER"
NODE_WORKER=${node_id[worker]} NODE_BRIDGE=${node_id[bridge]} timeout 60 sh "$dir/labels.sh" >/dev/null
# Site peer's one node is the swarm's node bridge.
NODE_SERVER=${node_id[bridge]} timeout 60 sh "$peer_dir/labels.sh" >/dev/null
for node in "${nodes[@]}"; do
  ok "labels.sh labelled $node: $(docker node inspect "${node_id[$node]}" --format '{{json .Spec.Labels}}')"
done

mkdir -p "$www"
website_marker="dcomms live test website $(date +%s)"
printf '<!doctype html><title>live</title><p>%s</p>\n' "$website_marker" >"$www/index.html"

# ------------------------------------------------------------------ deploy
deploy() {  # LOG: both sites' stacks
  local site_name
  for site_name in live peer; do
    if ! timeout 300 docker stack deploy --prune --resolve-image never -c "$out/$site_name/stack.yml" "dcomms-$site_name" \
      >>"$1" 2>&1; then
      cat "$1" >&2
      return 1
    fi
    stack_deployed=true
  done
}

# The running task of each service of both stacks: "service task-id".
running_tasks() {
  local service
  for service in $(for name in "${stacks[@]}"; do docker stack services "$name" --format '{{.Name}}'; done | sort); do
    echo "$service $(docker service ps "$service" --filter desired-state=running \
      --format '{{.ID}} {{.CurrentState}}' | awk '$2 == "Running" { print $1; exit }')"
  done
}

# Shows why services do not run: task errors and the last log lines.
explain_services() {
  local service name
  for name in "${stacks[@]}"; do
    docker stack ps "$name" --no-trunc --format '{{.Name}} {{.Image}} {{.DesiredState}} {{.CurrentState}} {{.Error}}'
  done | head -60 >&2
  for service in $(for name in "${stacks[@]}"; do docker stack services "$name" --format '{{.Name}} {{.Replicas}}'; done |
    awk '$2 != "1/1" { print $1 }'); do
    echo "--- last log lines of $service" >&2
    timeout 10 docker service logs --raw --tail 15 "$service" 2>&1 | tail -15 >&2
  done
}

# Services whose task failed at least 3 times and has none running: swarm
# keeps restarting them, but they will not come up.
crash_looping() {
  local service
  for service in $(for name in "${stacks[@]}"; do docker stack services "$name" --format '{{.Name}}'; done | sort); do
    docker service ps "$service" --format '{{.DesiredState}} {{.CurrentState}}' |
      awk -v s="$service" '$2 == "Running" && $1 == "Running" { up = 1 } $2 == "Failed" || $2 == "Rejected" { n++ }
        END { if (!up && n >= 3) print s }'
  done
}

# Waits until every service has its one task running, and the same tasks
# still run 10 s later (a stand-in whose check fails exits within a few
# seconds, so a task that is up this long has passed its checks). Gives up
# early when the only services not running are crash-looping.
wait_services() {  # SECONDS
  local deadline=$((SECONDS + $1)) before after down looping
  while ((SECONDS < deadline)); do
    before=$(running_tasks)
    down=$(awk 'NF == 1 { print $1 }' <<<"$before")
    if [[ -z $down ]]; then
      sleep 10
      after=$(running_tasks)
      if [[ $before == "$after" ]]; then
        ok "every service runs: $(wc -l <<<"$after") services"
        return 0
      fi
    else
      looping=$(crash_looping)
      if [[ -n $looping && $down == "$looping" ]]; then
        sleep 10
        if [[ $(running_tasks) == "$before" ]]; then
          echo "services that keep failing: $(echo $looping)" >&2
          break
        fi
      fi
      sleep 3
    fi
  done
  echo "services not running after $(($1 - deadline + SECONDS)) s:" >&2
  for name in "${stacks[@]}"; do docker stack services "$name" >&2; done
  explain_services
  return 1
}

step "docker stack deploy (first version), both sites"
deploy "$scratch/deploy-v1.log" || die "docker stack deploy failed (output above)"
ok "deployed: $(grep -c '^Creating service' "$scratch/deploy-v1.log") services created"

step "wait for every service"
# On failure the checks still run, so that one run shows all that is wrong.
first_up=true
wait_services 300 || { fail "the stack did not come up (task errors and logs above)"; first_up=false; }

# ------------------------------------------------------------------ checks
container_of() {  # SERVICE (without the stack prefix) [STACK]
  docker ps -q --filter "label=com.docker.swarm.service.name=${2:-$stack}_$1" | head -1
}

# curl through Caddy, from the LAN (or, with from=(in_node NODE), from a
# node itself), trusting only the federation's root.
from=(on_lan)
get() {  # URL [curl options...]: prints the body
  local url=$1 hostport host port
  shift
  hostport=${url#*://}
  hostport=${hostport%%/*}
  host=${hostport%%:*}
  port=${hostport##*:}
  [[ $port != "$hostport" ]] || { [[ $url == https:* ]] && port=443 || port=80; }
  # Tor's part: an onion name reaches the node Caddy runs on. Every
  # other name is resolved by named.
  local resolve=()
  [[ $host != *.onion ]] || resolve=(--resolve "$host:$port:$worker")
  "${from[@]}" curl -sS --fail-with-body --max-time 10 --noproxy '*' --cacert "$ca" \
    "${resolve[@]}" "$@" "$url"
}
# Checks that URL answers and its body contains TEXT (a failure is
# recorded, and the test goes on).
expect_body() {  # WHAT URL TEXT [curl options...]
  local what=$1 url=$2 text=$3 body
  shift 3
  if ! body=$(get "$url" "$@" 2>&1); then
    fail "$what: $url: ${body:0:300}"
  elif [[ $body != *"$text"* ]]; then
    fail "$what: $url answered without '$text': ${body:0:300}"
  else
    ok "$what: $url"
  fi
}
# Checks a header of the answer to URL.
expect_header() {  # WHAT URL HEADER VALUE [curl options...]
  local what=$1 url=$2 header=$3 value=$4 got
  shift 4
  got=$({ get "$url" -o /dev/null -D - "$@" 2>&1 || true; } | tr -d '\r' |
    awk -v h="$(tr '[:upper:]' '[:lower:]' <<<"$header")" 'tolower($1) == h ":" { $1 = ""; sub(/^ /, ""); print }')
  if [[ $got != "$value" ]]; then
    fail "$what: $url: $header is '${got}', expected '$value'"
  else
    ok "$what: $header: $value"
  fi
}

# Each Caddy issues its certificates from its site's intermediate when it
# starts; wait for site live's apex and site peer's matrix. (it has no
# website, so no apex).
for apex_name in "$domain" "matrix.$peer_domain"; do
  for i in $(seq 30); do
    if get "https://$apex_name/" -o /dev/null 2>/dev/null; then break; fi
    ((i < 30)) || { get "https://$apex_name/" -o /dev/null || true; die "Caddy does not answer HTTPS for $apex_name in 30 s"; }
    sleep 1
  done
done
# Its chain: a certificate for the name, then the site's intermediate.
chain=$(on_lan timeout 10 openssl s_client -connect "matrix.$domain:443" -servername "matrix.$domain" \
  -showcerts </dev/null 2>/dev/null | grep -c 'BEGIN CERTIFICATE' || true)
issuer=$(on_lan timeout 10 openssl s_client -connect "matrix.$domain:443" -servername "matrix.$domain" \
  </dev/null 2>/dev/null | openssl x509 -noout -issuer 2>/dev/null || true)
[[ $chain == 2 && $issuer == *"$domain (intermediate)"* ]] &&
  ok "Caddy serves matrix.$domain with a chain of $chain: the leaf, issued by ${issuer#issuer=}" ||
  fail "Caddy's chain for matrix.$domain: $chain certificates, leaf ${issuer:-unreadable}"

step "routes through Caddy"
apex=https://$domain
matrix=https://matrix.$domain
chat=https://chat.$domain
expect_body "website at the apex" "$apex/" "$website_marker"
expect_body "Synapse client API" "$matrix/_matrix/client/versions" '"versions"'
server=$(get "$matrix/.well-known/matrix/server" || true)
client=$(get "$matrix/.well-known/matrix/client" || true)
[[ $server == *'"m.server"'* ]] && ok "/.well-known/matrix/server: $server" || fail "/.well-known/matrix/server: '$server'"
[[ $client == *'"m.homeserver"'* ]] && ok "/.well-known/matrix/client: $client" || fail "/.well-known/matrix/client: '$client'"
expect_header "well-known client" "$matrix/.well-known/matrix/client" Access-Control-Allow-Origin '*'
# Follow them as a homeserver and a client would.
federation=$(sed -n 's/.*"m.server" *: *"\([^"]*\)".*/\1/p' <<<"$server")
[[ $federation == *:* ]] || federation=$federation:8448
expect_body "federation where /.well-known/matrix/server points" \
  "https://$federation/_matrix/federation/v1/version" '"name":"Synapse"'
[[ ${federation##*:} == "$federation_port" ]] || fail "well-known names federation port ${federation##*:}, Caddy's is $federation_port"
base_url=$(sed -n 's/.*"base_url" *: *"\([^"]*\)".*/\1/p' <<<"$client")
expect_body "client API where /.well-known/matrix/client points" "${base_url%/}/_matrix/client/versions" '"versions"'
expect_body "Element" "$chat/" "Element stand-in"
element_config=$(get "$chat/config.json" || true)
element_base=$(sed -n 's/.*"base_url" *: *"\([^"]*\)".*/\1/p' <<<"$element_config" | head -1)
[[ -n $element_base ]] && ok "Element's config.json names base_url $element_base" || fail "chat.: config.json has no base_url: ${element_config:0:200}"
[[ -z $element_base ]] || expect_body "client API where Element's config points" "${element_base%/}/_matrix/client/versions" '"versions"'
# mailadm answers sign-ups behind Caddy; one without a valid token is refused.
signup_refused() {  # WHAT URL
  local said
  said=$(get "$2?t=not-the-token" -X POST 2>&1 || true)
  [[ $said == *'"status_code": 403'* && $said == *'is invalid'* ]] &&
    ok "$1: $2 refuses a sign-up with a wrong token" || fail "$1: $2 with a wrong token: ${said:0:300}"
}
signup_refused "mailadm" "$apex/new_email"

step "onion twins"
expect_header "apex" "$apex/" Onion-Location "http://$onion/"
expect_header "matrix." "$matrix/_matrix/client/versions" Onion-Location "http://matrix.$onion/_matrix/client/versions"
expect_header "chat." "$chat/" Onion-Location "http://chat.$onion/"
expect_body "apex over Tor" "http://$onion/" "$website_marker"
expect_body "matrix. over Tor" "http://matrix.$onion/_matrix/client/versions" '"versions"'
expect_body "chat. over Tor" "http://chat.$onion/" "Element stand-in"
signup_refused "mailadm over Tor" "http://$onion/new_email"
# What Tor does with the generated torrc: each onion port goes to a local
# target of the node Tor runs on, with the onion's name in the Host header.
from=(in_node worker)
while read -r _ virtual target; do
  case $virtual in
    80) expect_body "torrc: onion port 80 -> $target" "http://$target/" "$website_marker" -H "Host: $onion" ;;
    8448) expect_body "torrc: onion port 8448 -> $target (federation over Tor)" \
      "http://$target/_matrix/federation/v1/version" '"name":"Synapse"' -H "Host: matrix.$onion" ;;
    *) fail "torrc maps onion port $virtual, which the test does not know" ;;
  esac
done < <(grep '^HiddenServicePort ' "$dir/tor/torrc")
from=(on_lan)

step "Matrix: each Synapse on PostgreSQL, as its users reach it"
mkdir -p "$scratch/matrix"
cp "$here/matrix_check.py" "$here/checks.py" "$ca" "$scratch/matrix/"
# Registers LOCALPART on STACK's Synapse the way the docs tell operators
# to: register_new_matrix_user with the compiled registration secret, read
# from the config inside the container. Its password is made here, in
# hex: one starting with "-" would be taken for an option.
register_on() {  # NODE STACK LOCALPART PASSWORD-FILE --admin|--no-admin
  local synapse
  synapse=$(on "$1" docker ps -q --filter "label=com.docker.swarm.service.name=${2}_synapse" | head -1)
  [[ -n $synapse ]] || { echo "no running container of ${2}_synapse on node $1"; return 1; }
  openssl rand -hex 18 >"$4"
  on "$1" timeout 60 docker exec "$synapse" register_new_matrix_user -c /data/homeserver.yaml \
    -u "$3" -p "$(cat "$4")" "$5" http://127.0.0.1:8008 2>&1
}
# Each site's Synapse, on the node it runs on: its log, and an admin.
synapse_up() {  # NODE STACK DOMAIN
  local node=$1 name=$2 synapse errors said
  synapse=$(on "$node" docker ps -q --filter "label=com.docker.swarm.service.name=${name}_synapse" | head -1)
  # The running task's log: an earlier task may have met a database that
  # was still starting, which swarm's restart answers.
  errors=$( { [[ -n $synapse ]] && on "$node" docker logs "$synapse" 2>&1; } |
    grep -E ' - (ERROR|CRITICAL) - |Traceback' | head -5 || true)
  if [[ -z $synapse ]]; then
    fail "$name: no container of ${name}_synapse on node $node"
    return
  elif [[ -n $errors ]]; then
    fail "$name: Synapse's log has errors: $errors"
  else
    ok "$name: Synapse $(on "$node" docker exec "$synapse" python3 -c 'import synapse; print(synapse.__version__)') runs on the compiled homeserver.yaml, log.config and secrets, no ERROR or Traceback in its log"
  fi
  if said=$(register_on "$node" "$name" admin "$scratch/matrix/$name.admin_password" --admin); then
    ok "$name: register_new_matrix_user, with the compiled registration secret, made @admin:matrix.$3"
  else
    fail "$name: register_new_matrix_user with the compiled registration secret: $said"
  fi
}
synapse_up worker "$stack" "$domain"
synapse_up bridge "$peer_stack" "$peer_domain"
# The real Matrix client (matrix-nio), in a container of the Synapse image
# on a node's network, resolving through named, through Caddy. FAIL lines
# count as failed checks.
matrix_check() {  # NODE COMMAND ARGS...
  local node=$1 said status=0
  shift
  said=$(on "$node" timeout -k 10 240 docker run --rm --init --network host \
    -v "$scratch/matrix:/check:ro" dcomms-live/synapse:2 python3 /check/matrix_check.py "$@" \
    --cafile "/check/${ca##*/}" 2>&1) || status=$?
  echo "$said"
  failures=$((failures + $(grep -c '^FAIL:' <<<"$said" || true)))
  ((status == 0)) || grep -q '^FAIL:' <<<"$said" || fail "matrix_check.py $1 exited $status"
}
# Registration by token, limits and a room, on each site: the admin API on
# each Synapse's own listener, as an operator on that server would use it.
matrix_check worker site --base "https://matrix.$domain" --server "matrix.$domain" --upload-size 52428800 \
  --admin-base http://127.0.0.1:8008 --admin-password-file "/check/$stack.admin_password"
matrix_check bridge site --base "https://matrix.$peer_domain" --server "matrix.$peer_domain" --upload-size 52428800 \
  --admin-base http://127.0.0.1:8008 --admin-password-file "/check/$peer_stack.admin_password"

step "Matrix federation between the two sites"
# Site peer's routes, as site live's were checked above.
peer_matrix=https://matrix.$peer_domain
expect_body "peer: Synapse client API" "$peer_matrix/_matrix/client/versions" '"versions"'
expect_body "peer: /.well-known/matrix/server" "$peer_matrix/.well-known/matrix/server" "\"matrix.$peer_domain:$federation_port\""
expect_body "peer: federation where the well-known points" \
  "https://matrix.$peer_domain:$federation_port/_matrix/federation/v1/version" '"name":"Synapse"'
# Element's room directory: each site's lists the other's server (Element
# always offers its own homeserver too).
expect_body "live: Element's room directory lists site peer" "$chat/config.json" "\"matrix.$peer_domain\""
expect_body "peer: Element's room directory lists site live" "https://chat.$peer_domain/config.json" "\"matrix.$domain\""
# A user of each site, made with the registration secret (the token flow
# was checked above); then the two talk over federation: server discovery
# by the compiled delegation, certificates from the federation's CA, each
# Synapse allowed the other's private address and no key server.
for node_and_stack in "worker $stack" "bridge $peer_stack"; do
  read -r node name <<<"$node_and_stack"
  said=$(register_on "$node" "$name" federator "$scratch/matrix/$name.fed_password" --no-admin) ||
    fail "$name: could not register @federator: ${said:0:300}"
done
federators=(--a-base "https://matrix.$domain" --a-server "matrix.$domain" --a-password-file "/check/$stack.fed_password"
  --b-base "https://matrix.$peer_domain" --b-server "matrix.$peer_domain" --b-password-file "/check/$peer_stack.fed_password")
matrix_check worker federate "${federators[@]}"

step "services beside each other"
# Caddy's admin API is a socket in its container, not a port every process
# of the node could reach.
if in_node worker curl -s --max-time 5 --noproxy '*' -o /dev/null http://127.0.0.1:2019/config/; then
  fail "something answers on 127.0.0.1:2019 of node worker: Caddy's admin API is open to every process there"
elif docker exec "$(container_of caddy)" test -S /run/caddy-admin.sock; then
  ok "Caddy's admin API is the socket /run/caddy-admin.sock in its container; nothing on 127.0.0.1:2019"
else
  fail "Caddy's container has no admin socket at /run/caddy-admin.sock"
fi
# maubot, on loopback (it has no route).
if said=$(in_node worker curl -sS --max-time 10 --noproxy '*' http://127.0.0.1:29316/_matrix/maubot/version 2>&1) &&
  [[ $said == *'"standin":"maubot"'* ]]; then
  ok "maubot answers on 127.0.0.1:29316"
else
  fail "maubot on 127.0.0.1:29316: $said"
fi
# The same secret on both sides, compared by digest, never shown.
digest_in() {  # SERVICE COMMAND
  local container
  container=$(container_of "$1")
  [[ -n $container ]] || return 1
  docker exec "$container" sh -c "$2" | sha256sum | cut -d' ' -f1
}
pg_side=$(digest_in postgres 'tr -d "\n" < "$POSTGRES_PASSWORD_FILE"' || true)
synapse_side=$(digest_in synapse "awk -F: '{ printf \"%s\", \$5 }' /run/secrets/pgpass" || true)
[[ -n $pg_side && $pg_side == "$synapse_side" ]] &&
  ok "Synapse's passfile holds PostgreSQL's password" || fail "Synapse's passfile and PostgreSQL's password differ (or a container is missing)"

step "exposure: capabilities, every TCP port of each node scanned from the other, the compiled firewalls"
# shellcheck source=exposure.sh
source "$here/exposure.sh"

step "mail: mailadm, postfix and dovecot"
# mailadm's start script first: each smtpd process reads the mailbox map
# it creates when the process starts, and the test's connections start them.
mailadm=$(container_of mail-mailadm)
if [[ -n $mailadm ]] && docker exec "$mailadm" cat /var/lib/mailadm/mailadm.log >"$scratch/mailadm.log" 2>/dev/null &&
  grep -q "^init --web-endpoint=$apex/new_email --mail-domain=$domain" "$scratch/mailadm.log"; then
  ok "mailadm's start script ran: $(tr '\n' ';' <"$scratch/mailadm.log")"
else
  fail "mailadm/start.sh did not run in mail-mailadm (the stand-in recorded no 'mailadm init'): nothing makes the sign-up token or postfix's mailbox map"
fi
token_side=$(digest_in mail-mailadm 'tr -d "\n" < /run/secrets/mailadm_token' || true)
db_side=$(digest_in mail-mailadm "mailadm list-tokens | awk '/^token:/ { name = \$1 } name == \"token:signup\" && \$1 == \"token\" { printf \"%s\", \$3 }'" || true)
[[ -n $token_side && $token_side == "$db_side" ]] &&
  ok "mailadm's sign-up token is the generated secret" || fail "mailadm has no sign-up token made from the generated secret"

# A plain-text SMTP session: prints what the server said.
smtp_session() {  # PORT COMMAND...
  local port=$1 command
  shift
  { for command in "$@"; do printf '%s\r\n' "$command"; sleep 0.5; done; } |
    on_lan timeout 15 busybox nc "$domain" "$port" 2>&1 | tr -d '\r' || true
}
for port in 25 587; do
  said=$(smtp_session $port "EHLO live-test.invalid" QUIT)
  if [[ $said == "220 $domain ESMTP"* && $said == *"250-STARTTLS"* ]]; then
    ok "postfix on $port: 220 $domain ESMTP, offers STARTTLS"
  else
    fail "postfix on $port: '${said:0:300}'"
  fi
done
# The mailbox map is readable: an unknown address is refused as unknown,
# not with a lookup failure.
said=$(smtp_session 25 "EHLO live-test.invalid" "MAIL FROM:<test@live-test.invalid>" "RCPT TO:<nobody@$domain>" QUIT)
if grep -q "^550 5.1.1 .*User unknown in virtual mailbox table" <<<"$said"; then
  ok "postfix on 25 refuses an unknown mailbox: 550 5.1.1 User unknown"
else
  fail "postfix on 25, RCPT TO an unknown mailbox: $(grep -m1 '^[45][0-9][0-9] ' <<<"$said" || echo "${said:0:200}")"
fi

# No open relay: on 25 a stranger may send to the site's domain only; 587
# takes no mail before STARTTLS and a login.
said=$(smtp_session 25 "EHLO live-test.invalid" "MAIL FROM:<test@live-test.invalid>" "RCPT TO:<someone@elsewhere.invalid>" QUIT)
if grep -q "^554 5.7.1 .*Relay access denied" <<<"$said"; then
  ok "postfix on 25 is no open relay: mail to another domain gets 554 5.7.1 Relay access denied"
else
  fail "postfix on 25, RCPT TO another domain, answered: $(grep -v '^250-' <<<"$said" | tail -3 | tr '\n' ' ')"
fi
said=$(smtp_session 587 "EHLO live-test.invalid" "MAIL FROM:<test@$domain>" QUIT)
if grep -q "^530 5.7.0 Must issue a STARTTLS command first" <<<"$said"; then
  ok "postfix on 587 takes no mail before STARTTLS: 530 5.7.0"
else
  fail "postfix on 587, MAIL FROM before STARTTLS, answered: $(grep -v '^250-' <<<"$said" | tail -3 | tr '\n' ' ')"
fi

# TLS with Caddy's certificate for the domain, checked against its CA;
# prints the handshake and what the server said after it.
tls_session() {  # PORT OPENSSL-ARGS...
  local port=$1
  shift
  { sleep 1; printf 'EHLO live-test.invalid\r\n'; sleep 1; printf 'QUIT\r\n'; } |
    on_lan timeout 15 openssl s_client -connect "$domain:$port" -servername "$domain" \
      -verify_hostname "$domain" -CAfile "$ca" -verify_return_error "$@" 2>&1 | tr -d '\r' || true
}
tls_check() {  # WHAT PORT OPENSSL-ARGS...
  local what=$1 port=$2 said
  shift 2
  said=$(tls_session "$port" "$@")
  if grep -q 'Verify return code: 0 (ok)' <<<"$said"; then
    ok "$what on $port: TLS with a certificate for $domain from Caddy's CA"
  else
    fail "$what on $port: $(grep -m3 -iE 'error|verify|errno|refused' <<<"$said" | tr '\n' ' ')"
  fi
}
tls_check "postfix STARTTLS" 587 -starttls smtp
# After STARTTLS, submission offers logins: postfix reaches dovecot's SASL
# service where master.cf's smtpd_sasl_path says.
sasl=$(sed -n 's/.*-o smtpd_sasl_path=//p' "$dir/postfix/master.cf" | head -1)
said=$(tls_session 587 -starttls smtp)
if grep -q '^250-AUTH .*PLAIN' <<<"$said"; then
  ok "postfix on 587 offers AUTH after STARTTLS: it reaches dovecot's SASL at ${sasl:-?}"
else
  fail "postfix on 587 offers no AUTH after STARTTLS (dovecot's SASL at ${sasl:-?}): $(grep '^250' <<<"$said" | tr '\n' ' ')"
fi
# Delivery: postfix hands mail to dovecot where main.cf's virtual_transport says.
transport=$(sed -n 's/^virtual_transport *= *//p' "$dir/postfix/main.cf")
if [[ $transport =~ ^lmtp:(inet:)?([^:]+):([0-9]+)$ ]]; then
  said=$(printf 'QUIT\r\n' | in_node worker timeout 10 busybox nc "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" 2>&1 | tr -d '\r' || true)
  if [[ $said == 220*Dovecot* ]]; then
    ok "dovecot's LMTP answers where virtual_transport points ($transport)"
  else
    fail "nothing answers LMTP at $transport: '${said:0:200}'"
  fi
else
  fail "main.cf's virtual_transport is not lmtp:inet:HOST:PORT: '$transport'"
fi
# dovecot starts its auth process on the first connection: give it a moment.
for _ in $(seq 10); do
  imap_says=$(printf 'a CAPABILITY\r\na LOGOUT\r\n' | on_lan timeout 10 busybox nc "$domain" 143 2>&1 | tr -d '\r' || true)
  [[ $imap_says == "* OK "*ready* ]] && break
  sleep 1
done
if [[ $imap_says == "* OK "*ready* && $imap_says == *STARTTLS* ]]; then
  ok "dovecot on 143: ready, offers STARTTLS"
else
  fail "dovecot on 143: '${imap_says:0:300}'"
fi
tls_check "dovecot STARTTLS" 143 -starttls imap
tls_check "dovecot IMAPS" 993

step "DeltaChat: sign-up, Secure-Join, end-to-end mail within a site and across"
# Three users of the real DeltaChat core on the LAN: alice and bob sign up
# at site live, carol at site peer, each with the site's token as its
# invitation QR code carries it (read from out/, never shown).
deltachat_said=$(on_lan timeout -k 10 600 python3 "$here/deltachat_check.py" \
  --rpc-server "$rpc_server" --cafile "$ca" --accounts-file "$scratch/deltachat-accounts" \
  --user alice "$apex/new_email" "$dir/secrets/mail_mailadm_token" \
  --user bob "$apex/new_email" "$dir/secrets/mail_mailadm_token" \
  --user carol "https://$peer_domain/new_email" "$peer_dir/secrets/mail_mailadm_token" 2>&1) || true
echo "$deltachat_said"
failures=$((failures + $(grep -c '^FAIL:' <<<"$deltachat_said" || true)))
grep -q '^ok: bob read alice' <<<"$deltachat_said" || grep -q '^FAIL:' <<<"$deltachat_said" ||
  fail "deltachat_check.py ended without a result"
# alice's mail to carol left site live's postfix for site peer's, found by
# the MX record of peer's dns.zone, and went to dovecot there.
alice=$(sed -n 's/^alice //p' "$scratch/deltachat-accounts" 2>/dev/null || true)
carol=$(sed -n 's/^carol //p' "$scratch/deltachat-accounts" 2>/dev/null || true)
for name in "${stacks[@]}"; do
  timeout 30 docker service logs --raw "${name}_mail-postfix" >"$scratch/postfix-$name.log" 2>&1 || true
done
if [[ -n $carol ]]; then
  grep -q "to=<$carol>, relay=${peer_domain}\[${bridge}\]:25,.* status=sent" "$scratch/postfix-$stack.log" &&
    ok "site live's postfix sent carol's mail to ${peer_domain}[${bridge}]:25, its MX" ||
    fail "site live's postfix log has no 'to=<$carol>, relay=${peer_domain}[${bridge}]:25 ... status=sent'"
  grep -q "to=<$carol>, relay=127.0.0.1\[127.0.0.1\]:24,.* status=sent" "$scratch/postfix-$peer_stack.log" &&
    ok "site peer's postfix took it from site live and gave it to its dovecot over LMTP" ||
    fail "site peer's postfix log has no 'to=<$carol>, relay=127.0.0.1[127.0.0.1]:24 ... status=sent'"
fi
if grep -q '^FAIL:' <<<"$deltachat_said"; then
  for name in "${stacks[@]}"; do
    echo "--- what $name's postfix refused or could not deliver"
    grep -E 'reject|status=(bounced|deferred)|warning|error' "$scratch/postfix-$name.log" | tail -10 | cut -c1-300
  done
fi
# How many messages a mailbox holds, from dovecot itself.
mailbox_count() {  # ADDRESS (of site live)
  local container
  container=$(container_of mail-dovecot)
  [[ -n $container ]] || return 1
  docker exec "$container" doveadm -f flow mailbox status -u "$1" messages INBOX 2>/dev/null |
    sed -n 's/.*messages=\([0-9]*\).*/\1/p'
}
alice_mail=$( [[ -z $alice ]] || mailbox_count "$alice" || true)
[[ ${alice_mail:-0} -gt 0 ]] && ok "dovecot: alice's INBOX holds $alice_mail messages" ||
  fail "dovecot has no messages for alice (${alice:-no account}): '${alice_mail}'"

step "a renewed certificate, served by postfix and dovecot without a restart"
# As Caddy renews one: a new certificate for the domain from the site's
# intermediate, written over the one in Caddy's storage (its /data, the
# caddy_data volume the mail containers read). postfix reads it for each
# client; dovecot's start script reloads dovecot within 30 s.
renewal=$scratch/renewal
mkdir -p "$renewal"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$renewal/key.pem" \
  -subj "/CN=$domain" -addext "subjectAltName=DNS:$domain" -out "$renewal/request.pem" 2>/dev/null
openssl x509 -req -in "$renewal/request.pem" -CA "$dir/secrets/caddy_ca_certificate" \
  -CAkey "$dir/secrets/caddy_ca_key" -days 30 -copy_extensions copy -out "$renewal/leaf.pem" 2>/dev/null
cat "$renewal/leaf.pem" "$dir/secrets/caddy_ca_certificate" >"$renewal/chain.pem"
renewed=$(openssl x509 -in "$renewal/leaf.pem" -noout -fingerprint -sha256)
stored=/data/caddy/certificates/federation/$domain/$domain
caddy_container=$(container_of caddy)
for part in key:key.pem crt:chain.pem; do
  docker exec -i "$caddy_container" sh -c "cat >'$stored.${part%%:*}.new' && mv '$stored.${part%%:*}.new' '$stored.${part%%:*}'" \
    <"$renewal/${part#*:}" || fail "could not write the renewed certificate into Caddy's storage"
done
# The SHA-256 fingerprint of the certificate a port presents.
presented() {  # PORT OPENSSL-ARGS...
  local port=$1
  shift
  on_lan timeout 10 openssl s_client -connect "$domain:$port" -servername "$domain" "$@" </dev/null 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256 2>/dev/null || true
}
for port in 587 993; do
  options=()
  [[ $port != 587 ]] || options=(-starttls smtp)
  for i in $(seq 25); do
    [[ $(presented "$port" "${options[@]}") == "$renewed" ]] && break
    ((i < 25)) || fail "port $port still presents the old certificate 50 s after its renewal"
    sleep 2
  done
  ((i == 25)) || ok "port $port presents the renewed certificate (after $((i * 2)) s)"
done
tls_check "postfix STARTTLS, renewed" 587 -starttls smtp
tls_check "dovecot IMAPS, renewed" 993

step "dcommc verify: both sites from the outside, then with a service stopped"
# shellcheck source=verify.sh
source "$here/verify.sh"

if [[ ${DCOMMS_LIVE_PAUSE:-} == 1 ]]; then
  touch "$scratch/paused"
  echo "live: paused before the redeploy; rm $scratch/paused to go on (DOCKER_HOST=$DOCKER_HOST)" >&2
  while [[ -e $scratch/paused ]]; do sleep 2; done
fi

# No image was pulled, nor a pull tried: nothing left the LAN for images.
for node in "${nodes[@]}"; do
  log=$scratch/data/$node/dockerd.log
  if grep -qi 'pull' "$log"; then
    fail "dockerd of $node tried to pull an image: $(grep -i -m1 'pull' "$log" | cut -c1-200)"
  else
    ok "dockerd of $node pulled no image"
  fi
done

# ------------------------------------------------------------------ redeploy
step "compile site-v2.dcomm into the same folder"
set +e
"$dcommc" plan "$here/site-v2.dcomm" -o "$out" >"$scratch/plan-v2.txt" 2>&1
plan_status=$?
set -e
((plan_status == 2)) || { cat "$scratch/plan-v2.txt" >&2; die "dcommc plan exited $plan_status, expected 2 (changes)"; }
planned=$(sed -n 's/^ *a redeploy updates: *//p' "$scratch/plan-v2.txt" | tr -d ',' | tr ' ' '\n' | sed '/^$/d' | sort)
ok "dcommc plan: a redeploy updates $(echo $planned)"
"$dcommc" "$here/site-v2.dcomm" -o "$out" >"$scratch/build-v2.log" 2>&1 ||
  { cat "$scratch/build-v2.log" >&2; die "dcommc could not build site-v2.dcomm"; }
# The operator publishes the new records: pad. is new.
serve_zone "pad.$domain"
before=$(running_tasks)

step "docker stack deploy again, in place"
deploy "$scratch/deploy-v2.log" || die "the redeploy failed (output above): the stack cannot be updated in place"
ok "redeployed: $(grep -c '^Updating service' "$scratch/deploy-v2.log") updated, $(grep -c '^Creating service' "$scratch/deploy-v2.log") created"
# Swarm updates a service by replacing its task; wait until each one it
# updates has converged (stack deploy does not wait).
sleep 3
for i in $(seq 100); do
  states=$(for name in "${stacks[@]}"; do docker stack services "$name" --format '{{.Name}}'; done | while read -r service; do
    docker service inspect "$service" --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{else}}none{{end}}'
  done)
  grep -q ' updating$' <<<"$states" || break
  ((i < 100)) || fail "services still updating after 300 s: $(grep ' updating$' <<<"$states" | tr '\n' ' ')"
  sleep 3
done
second_up=true
wait_services 300 || { fail "the stack did not come up again after the redeploy"; second_up=false; }
after=$(running_tasks)

step "the change, through Caddy"
expect_body "new route: pad." "https://pad.$domain/" "web stand-in: Live test pad"
expect_header "pad." "https://pad.$domain/" Onion-Location "http://pad.$onion/"
expect_body "pad. over Tor" "http://pad.$onion/" "Live test pad"
matrix_check worker upload-limit --base "https://matrix.$domain" --server "matrix.$domain" \
  --upload-size 104857600 --admin-base http://127.0.0.1:8008 --admin-password-file "/check/$stack.admin_password"
matrix_check worker survived "${federators[@]}"
if [[ -n $alice ]]; then
  alice_after=$(mailbox_count "$alice" || true)
  [[ -n $alice_mail && $alice_after == "$alice_mail" ]] &&
    ok "dovecot: alice's INBOX still holds its $alice_mail messages" ||
    fail "alice's INBOX held $alice_mail messages before the redeploy, '$alice_after' after it"
fi
expect_body "the website, unchanged" "$apex/" "$website_marker"
expect_body "Element, unchanged" "$chat/" "Element stand-in"
said=$(smtp_session 587 "EHLO live-test.invalid" QUIT)
[[ $said == *"250-STARTTLS"* ]] && ok "postfix still answers on 587" || fail "postfix on 587 after the redeploy: '${said:0:200}'"

# Exactly the services dcommc plan named got new tasks (or were created),
# all of site live: site peer did not change, and none of its tasks did.
restarted=$(join -a2 <(sort <<<"$before") <(sort <<<"$after") | awk 'NF != 3 || $2 != $3 { print $1 }' |
  sed "s/^${stack}_//" | sort)
if ! $first_up || ! $second_up; then
  fail "which services the redeploy restarted is not known: not every service ran before and after it"
elif [[ $restarted == "$planned" ]]; then
  ok "restarted or created exactly what dcommc plan said: $(echo $restarted)"
else
  fail "restarted or created: $(echo $restarted); dcommc plan said: $(echo $planned)"
fi

step "a service removed: site.dcomm again, docker stack deploy --prune, the plan's removals"
# shellcheck source=removal.sh
source "$here/removal.sh"

# ------------------------------------------------------------------ remove
step "docker stack rm, both sites"
timeout 120 docker stack rm "${stacks[@]}" >/dev/null
for i in $(seq 60); do
  [[ -z $(docker ps -q)$(on bridge docker ps -q) ]] && break
  ((i < 60)) || fail "containers still running 60 s after docker stack rm"
  sleep 1
done
stack_deployed=false
ok "stack removed"

((failures == 0)) || exit 1
