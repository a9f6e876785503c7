#!/usr/bin/env bash
# Prints the path of the real DeltaChat core the live test's mail users run:
# deltachat-rpc-server, the core behind a JSON-RPC interface on stdin and
# stdout, as the npm registry carries it (@deltachat/stdio-rpc-server's
# Linux binary, static). Fetched with `npm pack` once, checked against the
# digest below, kept in CACHE_DIR.
#
# Usage: deltachat.sh CACHE_DIR
set -euo pipefail

cache=${1:?usage: deltachat.sh CACHE_DIR}
version=2.57.0
# sha256 of the binary in @deltachat/stdio-rpc-server-linux-x64@2.57.0:
# a new version is a reviewed change of both lines.
digest=a573a30136698ef50df499e70ec9596bdbc0490c544631b2e18883eb16b9b5e6
binary=$cache/deltachat-$version/deltachat-rpc-server

if [[ ! -x $binary ]]; then
  command -v npm >/dev/null || { echo "deltachat: npm not found (tests/live/deps.sh installs it)" >&2; exit 1; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/dcomms-deltachat.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "deltachat: fetching @deltachat/stdio-rpc-server-linux-x64@$version with npm" >&2
  (cd "$work" && npm pack --silent "@deltachat/stdio-rpc-server-linux-x64@$version" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/deltachat-rpc-server
  got=$(sha256sum "$work/package/deltachat-rpc-server" | cut -d' ' -f1)
  if [[ $got != "$digest" ]]; then
    echo "deltachat: the fetched deltachat-rpc-server has sha256 $got, expected $digest" >&2
    exit 1
  fi
  mkdir -p "${binary%/*}"
  chmod 0755 "$work/package/deltachat-rpc-server"
  mv "$work/package/deltachat-rpc-server" "$binary"
fi
echo "$binary"
