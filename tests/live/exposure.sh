# shellcheck shell=bash
# shellcheck disable=SC2154 # live.sh sets here, out, scratch and node_address
# The live test's exposure step (sourced by live.sh, with its helpers and
# variables): what each node lets the LAN reach, against what the compiled
# artifacts say it should. docs/live-test.md ("exposure") says what it proves.
#
#   capabilities  no container holds one the stack drops
#   sockets       every TCP port of each node, scanned from the other,
#                 is exactly what tests/validate/lib/listeners.py derives
#                 from both sites' artifacts, plus Docker Swarm's own
#   firewalls     each node loads every compiled nftables file of the
#                 sites on it; a decoy listening on every address is then
#                 refused, and the rest of the test runs behind them
# Every container runs without the capabilities the stack drops: its
# bounding set (/proc/1/status, CapBnd) lacks SETPCAP (bit 8), NET_RAW
# (13), MKNOD (27) and SETFCAP (31).
dropped_bits=$(((1 << 8) | (1 << 13) | (1 << 27) | (1 << 31)))
for node in worker bridge; do
  containers=$(on "$node" docker ps --format '{{.Names}}')
  holding=() checked=0
  for name in $containers; do
    bounding=$(on "$node" docker exec "$name" cat /proc/1/status | sed -n 's/^CapBnd:[[:space:]]*//p')
    [[ -n $bounding ]] || { holding+=("$name (no CapBnd)"); continue; }
    checked=$((checked + 1))
    (((16#$bounding & dropped_bits) == 0)) || holding+=("$name (CapBnd $bounding)")
  done
  if ((${#holding[@]} == 0 && checked > 0)); then
    ok "node $node: none of its $checked containers may use NET_RAW, MKNOD, SETFCAP or SETPCAP"
  else
    fail "node $node: containers holding capabilities the stack drops: ${holding[*]:-none checked}"
  fi
done

# The sockets each node should show the LAN, derived from the compiled
# artifacts alone (tests/validate/lib/listeners.py), with the nodes of both
# sites by address: site live's worker and bridge, site peer's server (the
# bridge). Docker Swarm adds its own: 2377 on the manager, 7946 on both.
declare -A physical=([live:worker]=worker [live:bridge]=bridge [peer:server]=bridge)
declare -A expected_ports=([worker]="2377 7946" [bridge]="7946")
for site_name in live peer; do
  # --check: no internal port on a public address, as the validation tests ask.
  if python3 "$here/../validate/lib/listeners.py" --check "$out/$site_name" >"$scratch/listeners-$site_name.txt" \
    2>"$scratch/listeners-$site_name.err"; then
    ok "site $site_name: every socket on a public address is one its firewall opens"
  else
    fail "site $site_name's artifacts: $(sed 's/^FAIL: //' "$scratch/listeners-$site_name.err" | tr '\n' ' ')"
  fi
  while read -r site_node socket _; do
    address=${socket%:*} port=${socket##*:}
    # Public TCP sockets only: not the loopback, not inside a container, not
    # a kind of the spec's own (its image alone knows; "?").
    [[ $port == */tcp && $address != 127.0.0.1 && $address != '[::1]' && $address != container && $address != '?' ]] ||
      continue
    expected_ports[${physical[$site_name:$site_node]}]+=" ${port%/tcp}"
  done <"$scratch/listeners-$site_name.txt"
done
# A decoy: a program on node worker listening on every address, on a port
# no service publishes, as an internal port bound too widely would.
decoy_port=5999
in_node worker python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(); time.sleep(3600)' "$decoy_port" &
expected_ports[worker]+=" $decoy_port"
sleep 1
scan() {  # FROM-NODE ADDRESS: the open ports, on one line
  in_node "$1" python3 "$here/portscan.py" "$2" 0.5 | paste -sd ' ' -
}
expect_scan() {  # NODE WHAT EXPECTED...
  local node=$1 what=$2 found want
  shift 2
  local scanner=bridge
  [[ $node == bridge ]] && scanner=worker
  found=$(scan "$scanner" "${node_address[$node]}")
  want=$(printf '%s\n' "$@" | sort -nu | paste -sd ' ' -)
  if [[ $found == "$want" ]]; then
    ok "node $node, scanned from node $scanner $what: open TCP ports $found, as the artifacts say"
  else
    fail "node $node, scanned from node $scanner $what: open TCP ports [$found], the artifacts say [$want]"
  fi
}
for node in worker bridge; do
  # shellcheck disable=SC2086 # a list of port numbers
  expect_scan "$node" "(no firewall)" ${expected_ports[$node]}
done
# The compiled firewalls, every site's file for the node, as an operator
# loads them; the rest of the test runs behind them.
for pair in live:worker peer:server live:bridge; do
  site_name=${pair%:*} site_node=${pair#*:}
  if in_node "${physical[$pair]}" nft -f "$out/$site_name/nftables/$site_node.nft"; then
    ok "node ${physical[$pair]} loaded site $site_name's nftables/$site_node.nft"
  else
    fail "nft -f $out/$site_name/nftables/$site_node.nft failed on node ${physical[$pair]}"
  fi
done
for node in worker bridge; do
  # shellcheck disable=SC2046,SC2086 # port numbers; the decoy is not published: the firewall refuses it
  expect_scan "$node" "(behind the firewalls)" $(printf '%s\n' ${expected_ports[$node]} | grep -vx "$decoy_port")
done
