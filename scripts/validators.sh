#!/usr/bin/env bash
# Installs the programs that consume dcommc's artifacts, which the
# validation tests (tests/validate/, docs/validation.md) run on them:
#   Debian: caddy (and sid's, into tools/caddy/), postfix, dovecot-core, tor, yamllint (with python3 and
#           python3-yaml), shellcheck, nginx-light (nginx -t), bind9-utils
#           (named-checkzone), bsdutils (script), and nodejs and npm when
#           no node is installed;
#   npm:    ajv-cli, ajv-formats, ajv-draft-04, js-yaml, pinned by
#           tests/validate/node/package-lock.json, into tools/node/ (git-ignored).
# Nothing is started: postfix is preseeded to "No configuration" (no
# /etc/postfix/main.cf, no mail system), and no service is enabled.
# Safe to run again: when everything is there it installs nothing and
# touches no network. Run as root or as a user with sudo.
#
# The docker CLI for `docker stack config` is not installed here: it must be
# a 23.x or newer client (this machine kind ships 28.x in /usr/local/bin);
# Debian's docker.io has 20.10, which lacks `stack config`. Without one the
# stack tests fall back to the JSON-schema check alone (tests/validate/run.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

packages=(caddy postfix dovecot-core tor yamllint python3 python3-yaml shellcheck nginx-light
  bind9-utils bsdutils nftables)
# node and npm: any installed node 18+ will do (this machine kind has
# NodeSource's nodejs, which bundles npm; Debian's npm would conflict with it).
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

source scripts/debian.sh
require_debian validators
use_root validators
mapfile -t missing < <(missing_packages "${packages[@]}")

if ((${#missing[@]} > 0)); then
  echo "validators: installing ${missing[*]}"
  # postfix must not ask, and must not configure a mail system: with
  # "No configuration" it writes no main.cf and the tests use their own.
  echo "postfix postfix/main_mailer_type select No configuration" |
    "${as_root[@]}" debconf-set-selections
  # No init system runs services in CI containers, but where one does,
  # policy-rc.d keeps the packages' postinst scripts from starting tor,
  # dovecot, caddy or postfix. It is removed again afterwards if we made it.
  policy=/usr/sbin/policy-rc.d
  made_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod 0755 "$policy"
    made_policy=true
  fi
  status=0
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || status=$?
  if ((status == 0)); then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "${missing[@]}" || status=$?
  fi
  if $made_policy; then "${as_root[@]}" rm -f "$policy"; fi
  if ((status != 0)); then
    echo "validators: apt-get failed (exit $status)" >&2
    exit "$status"
  fi
else
  echo "validators: all ${#packages[@]} Debian packages already installed"
fi

# npm packages, pinned by the lock file, into tools/node/. Reinstalled only
# when a package is missing or the lock file changed since the last install.
node_dir=$root/tools/node
spec_dir=$root/tests/validate/node
needed=(ajv-cli ajv-formats ajv-draft-04 js-yaml)
up_to_date=true
for package in "${needed[@]}"; do
  [[ -f $node_dir/node_modules/$package/package.json ]] || up_to_date=false
done
cmp -s "$spec_dir/package-lock.json" "$node_dir/package-lock.json" || up_to_date=false
cmp -s "$spec_dir/package.json" "$node_dir/package.json" || up_to_date=false

if $up_to_date; then
  echo "validators: npm packages already in tools/node/"
else
  echo "validators: installing ${needed[*]} into tools/node/"
  mkdir -p "$node_dir"
  cp "$spec_dir/package.json" "$spec_dir/package-lock.json" "$node_dir/"
  # ci: exactly the versions of the lock file, and the lock file untouched.
  npm ci --prefix "$node_dir" --no-audit --no-fund --loglevel=error
fi

# Caddy as the stack runs it (stdlib/caddy.dcomm pins 2.11): bookworm's 2.6
# cannot read a pki root given without its key, which every site of an
# offline federation has. Debian sid's package, a static binary, is
# fetched from the mirror apt uses and unpacked into tools/caddy/ (nothing
# is installed); refetched only when missing.
caddy_dir=$root/tools/caddy
if [[ -x $caddy_dir/usr/bin/caddy ]]; then
  echo "validators: caddy $("$caddy_dir/usr/bin/caddy" version | cut -d' ' -f1) already in tools/caddy/"
else
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  mirror=${mirror:-http://deb.debian.org/debian}
  apt_dir=$(mktemp -d)
  trap 'rm -rf "$apt_dir"' EXIT
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  echo "deb $mirror sid main" >"$apt_dir/sources.list"
  sid=(-q -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" -o APT::Sandbox::User=root)
  echo "validators: fetching Debian sid's caddy from $mirror into tools/caddy/"
  apt-get "${sid[@]}" update >/dev/null
  (cd "$apt_dir" && apt-get "${sid[@]}" download caddy >/dev/null)
  rm -rf "$caddy_dir"
  dpkg-deb -x "$apt_dir"/caddy_*.deb "$caddy_dir"
  echo "validators: caddy $("$caddy_dir/usr/bin/caddy" version | cut -d' ' -f1) in tools/caddy/"
fi

# A summary: the version of each validator the tests will use.
# The same search as tests/validate/run.sh: DCOMMC_DOCKER alone when set.
docker_client=""
if [[ -n ${DCOMMC_DOCKER:-} ]]; then
  candidates=("$DCOMMC_DOCKER")
else
  mapfile -t candidates < <(type -ap docker || true; echo /usr/local/bin/docker; echo /usr/bin/docker)
fi
for candidate in "${candidates[@]}"; do
  [[ -x $candidate ]] || continue
  if "$candidate" stack config --help >/dev/null 2>&1; then
    docker_client="$candidate $("$candidate" version --format '{{.Client.Version}}' 2>/dev/null | head -n 1 || true)"
    break
  fi
done
echo "validators: caddy $("$caddy_dir/usr/bin/caddy" version 2>/dev/null | cut -d' ' -f1)," \
  "postfix $(postconf -d -h mail_version 2>/dev/null)," \
  "dovecot $(dovecot --version 2>/dev/null | cut -d' ' -f1)," \
  "tor $(tor --version 2>/dev/null | head -n 1 | cut -d' ' -f3 | sed 's/\.$//')," \
  "$(yamllint --version 2>/dev/null), node $(node --version 2>/dev/null)"
if [[ -n $docker_client ]]; then
  echo "validators: docker stack config: $docker_client"
else
  echo "validators: no docker client with 'stack config' (23.x or newer);" \
    "the stack tests check the compose schema only" >&2
fi
