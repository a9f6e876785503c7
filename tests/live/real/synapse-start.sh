#!/bin/sh
# /start.py of the live test's Synapse image: what the official image's
# start script does in its default ("run") mode, around Debian's real
# matrix-synapse. The compiled stack's entrypoint ends in `exec /start.py`.
#
#   SYNAPSE_CONFIG_PATH  the configuration (default
#                        $SYNAPSE_CONFIG_DIR/homeserver.yaml, /data/homeserver.yaml);
#                        an error if it does not exist
#   UID, GID             whom Synapse runs as (default 991:991)
set -eu

config=${SYNAPSE_CONFIG_PATH:-${SYNAPSE_CONFIG_DIR:-/data}/homeserver.yaml}
if [ ! -f "$config" ]; then
  echo "Config file '$config' does not exist." >&2
  exit 1
fi
echo "Starting synapse with args -m synapse.app.homeserver --config-path $config $*"
# shellcheck disable=SC3028 # UID and GID are the image's environment, not bash's
exec setpriv --reuid="${UID:-991}" --regid="${GID:-991}" --clear-groups \
  python3 -m synapse.app.homeserver --config-path "$config" "$@"
