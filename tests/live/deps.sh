#!/usr/bin/env bash
# Installs from Debian 12's own packages what the live swarm test
# (tests/live/live.sh) needs and is not installed yet: the Docker engine,
# debootstrap for the Debian images, busybox for the stand-ins, named,
# curl, openssl and iproute2. Nothing is started. When everything is there
# it installs nothing and touches no network.
set -euo pipefail

#   docker.io       dockerd, containerd, runc and a 20.10 client
#   debootstrap     the Debian root filesystems of the real servers' images
#   busybox-static  the stand-ins, and nc for the SMTP/IMAP banners
#   bind9           named, serving the compiled dns.zone on the test's LAN
#   curl, openssl, ca-certificates  the requests through Caddy, STARTTLS checks
#   iproute2        ip, for the test's LAN of network namespaces
#   npm             fetches the real DeltaChat core (deltachat.sh); only
#                   when no npm is installed (Node.js may bring its own)
packages=(docker.io debootstrap busybox-static bind9 curl openssl ca-certificates iproute2 nftables python3-yaml)
command -v npm >/dev/null || packages+=(npm)

source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/debian.sh"
require_debian "live deps"
mapfile -t missing < <(missing_packages "${packages[@]}")

if ((${#missing[@]} == 0)); then
  echo "live deps: all ${#packages[@]} packages already installed"
  exit 0
fi

use_root "live deps: missing ${missing[*]}"
echo "live deps: installing ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
# docker.io's service would start dockerd where systemd runs; policy-rc.d
# keeps any init system from starting it: the test starts its own daemon.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 0755 "$policy"
  created_policy=true
fi
status=0
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}" || status=$?
if $created_policy; then "${as_root[@]}" rm -f "$policy"; fi
exit "$status"
