# Shared by the scripts that install Debian 12 packages (scripts/deps.sh,
# scripts/validators.sh, tests/live/deps.sh): source it, then call these.

# require_debian WHO: stops unless this is a dpkg system.
require_debian() {
  command -v dpkg-query >/dev/null && return 0
  echo "$1: dpkg-query not found; this runs on Debian 12 (bookworm)." >&2
  exit 1
}

# missing_packages PACKAGE...: prints, one a line, those not installed.
missing_packages() {
  local package status
  for package in "$@"; do
    # "installed" only: a removed package leaves a config-files entry behind.
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [[ $status == installed ]] || echo "$package"
  done
}

# use_root WHO: sets the array as_root to what runs a command as root
# (nothing, or sudo); stops when neither is possible.
use_root() {
  as_root=()
  ((EUID == 0)) && return 0
  if ! command -v sudo >/dev/null; then
    echo "$1: run this as root or install sudo." >&2
    exit 1
  fi
  as_root=(sudo)
}
