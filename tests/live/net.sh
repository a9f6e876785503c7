# shellcheck shell=bash
# The live test's network (sourced by live.sh): a private LAN on this
# machine, cut off from every other network, its own and the Internet's.
#
#   dcomms-live-net     the LAN's bridge, 10.77.0.1/24, and Debian's named
#                       serving the compiled dns.zone files; the test's
#                       clients (curl, openssl, nc) run here, resolving
#                       through named as users' devices would
#   dcomms-live-worker  swarm node "worker", eth0 10.77.0.2: a dockerd of
#                       its own, the swarm's manager
#   dcomms-live-bridge  swarm node "bridge", eth0 10.77.0.3: a dockerd of
#                       its own, a worker of the same swarm
#
# Each node is a network namespace joined to the bridge by a veth pair. Its
# dockerd runs in that namespace with a private mount namespace in which
# /etc/resolv.conf names the LAN's named, so every container, host network
# or not, resolves through it. No namespace has a default route.

net_prefix=dcomms-live
net_ns=$net_prefix-net
net_address=10.77.0.1
nodes=(worker bridge)
declare -A node_address=([worker]=10.77.0.2 [bridge]=10.77.0.3)

node_ns() { echo "$net_prefix-$1"; }  # NODE

# Runs a command in NODE's network namespace, nothing else changed (so it
# sees this machine's files and mounts).
in_node() {  # NODE COMMAND...
  local node=$1
  shift
  nsenter --net="/run/netns/$(node_ns "$node")" "$@"
}

# Runs a command on the LAN, as a user's device: its resolver is named.
on_lan() { ip netns exec "$net_ns" "$@"; }

net_exists() { ip netns list | grep -q "^$net_prefix-"; }

net_up() {
  ip netns add "$net_ns"
  ip -n "$net_ns" link set lo up
  ip -n "$net_ns" link add lan type bridge
  ip -n "$net_ns" addr add "$net_address/24" dev lan
  ip -n "$net_ns" link set lan up
  mkdir -p "/etc/netns/$net_ns"
  echo "nameserver $net_address" >"/etc/netns/$net_ns/resolv.conf"
  local node ns
  for node in "${nodes[@]}"; do
    ns=$(node_ns "$node")
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add "veth-$node" netns "$net_ns" type veth peer name eth0 netns "$ns"
    ip -n "$net_ns" link set "veth-$node" master lan up
    ip -n "$ns" addr add "${node_address[$node]}/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
}

net_down() {
  local ns
  for ns in $(ip netns list | awk -v p="$net_prefix-" 'index($1, p) == 1 { print $1 }'); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns del "$ns"
    rm -rf "/etc/netns/$ns"
  done
}

# Starts NODE's dockerd in the background, its files in DIR; prints its pid.
start_dockerd() {  # NODE DIR
  local node=$1 dir=$2
  mkdir -p "$dir"
  echo '{}' >"$dir/daemon.json"
  echo "nameserver $net_address" >"$dir/resolv.conf"
  # Swarm pulls a task's image even when it is present, unless told to
  # prefer the local one. In a session of its own, so that Ctrl-C reaches
  # only live.sh, whose cleanup then stops the stack and dockerd in order.
  # `ip netns exec` would remount /sys and hide the cgroup hierarchy
  # dockerd needs: nsenter changes the network namespace only.
  # Not through in_node: the pid printed must be dockerd's own.
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 nsenter --net="/run/netns/$(node_ns "$node")" \
    unshare --mount --uts --propagation slave \
    sh -c 'mount --bind "$1/resolv.conf" /etc/resolv.conf && hostname "$2" && shift 2 && exec setsid dockerd "$@"' \
    sh "$dir" "$node" \
    --config-file "$dir/daemon.json" \
    --storage-driver=overlay2 --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --bridge=none \
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    -H "unix://$dir/docker.sock" >"$dir/dockerd.log" 2>&1 &
  echo $!
}

# Serves each compiled zone with named on the LAN's address, authoritative
# only: a name outside them gets no answer from the Internet.
start_named() {  # DIR ZONE-FILE...
  local dir=$1 file origin
  shift
  mkdir -p "$dir"
  {
    echo "options { directory \"$dir\"; pid-file \"$dir/named.pid\"; listen-on { $net_address; };"
    # No recursion and no DNSSEC trust anchors to fetch: named asks
    # nobody anything.
    echo "  listen-on-v6 { none; }; recursion no; dnssec-validation no; allow-query { any; }; };"
  } >"$dir/named.conf"
  for file in "$@"; do
    origin=$(sed -n 's/^\$ORIGIN \(.*\)\.$/\1/p' "$file")
    # A zone needs its SOA and NS above the site's records.
    {
      echo "\$TTL 60"
      echo "@ IN SOA ns.$origin. hostmaster.$origin. 1 60 60 600 60"
      echo "@ IN NS ns.$origin."
      echo "ns IN A $net_address"
      cat "$file"
    } >"$dir/$origin.zone"
    echo "zone \"$origin\" { type primary; file \"$origin.zone\"; };" >>"$dir/named.conf"
  done
  # ip netns exec runs named in its own process: the pid printed is named's.
  ip netns exec "$net_ns" named -g -c "$dir/named.conf" >"$dir/named.log" 2>&1 &
  echo $!
}
