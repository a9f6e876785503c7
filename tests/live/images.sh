#!/usr/bin/env bash
# Builds the live test's images with `docker import`, from root filesystems
# assembled here: there is no registry and no Internet.
#
#   dcomms-live/synapse:2   Debian sid: the real matrix-synapse, PostgreSQL
#   dcomms-live/postgres:2  and Caddy, each behind the start script of the
#   dcomms-live/caddy:2     official image it replaces (real/*.sh)
#   dcomms-live/postfix:1   Debian 12 with postfix and dovecot,
#   dcomms-live/dovecot:1   started as `postfix start-fg` / `dovecot -F`
#   dcomms-live/mailadm:2   the same root: Debian's gunicorn serving the
#                           mailadm stand-in (standin/mailadm/, Python)
#   dcomms-live/element, maubot, ceno, web:
#                           busybox stand-ins (standin/standin.sh): no
#                           reachable registry carries these programs
#
# Usage: images.sh CACHE_DIR   (DOCKER_HOST must name the test's daemon)
#
# The Debian root filesystems take minutes to build, so their tarballs are
# kept in CACHE_DIR under a key that is the hash of their recipe (suite,
# packages and the function that finishes them): changing the recipe builds
# anew. Only the Debian mirror apt uses is contacted, and only on a cold
# cache.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${1:?usage: images.sh CACHE_DIR}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

mirror=${DCOMMS_LIVE_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
mirror=${mirror:-http://deb.debian.org/debian}

log() { echo "images: $*"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/dcomms-live-images.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT

# A root filesystem of busybox-static with every applet linked, and the
# users the real images run as.
busybox_root() {  # DIR
  local dir=$1 applet
  mkdir -p "$dir"/{bin,etc,tmp,root,usr/local/bin,var/log}
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$dir/bin/$applet"
  done
  cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nginx:x:101:101:nginx:/nonexistent:/bin/false
maubot:x:1337:1337:maubot:/data:/bin/sh
vmail:x:5000:5000:vmail:/home/vmail:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$dir/etc/group" <<'EOF'
root:x:0:
nginx:x:101:
maubot:x:1337:
vmail:x:5000:
nogroup:x:65534:
EOF
  echo 'hosts: files dns' >"$dir/etc/nsswitch.conf"
}

import() {  # TARBALL IMAGE --change...
  local tarball=$1 image=$2
  shift 2
  local changes=() change
  for change in "$@"; do changes+=(--change "$change"); done
  docker import "${changes[@]}" --message "dcomms live test" "$tarball" "$image" >/dev/null
  log "imported $image"
}

# ------------------------------------------------------------------ Debian roots
# Prints the path of the cached tarball of a Debian root filesystem,
# building it first on a cold cache: debootstrap SUITE with PACKAGES, then
# FINISH ROOT (a function of this file), then what no container needs.
debian_root() {  # NAME SUITE PACKAGES FINISH
  local name=$1 suite=$2 packages=$3 finish=$4 key tar root started
  key=$(printf '%s\n' "$suite" "$packages" "$(declare -f "$finish")" | sha256sum | cut -c1-16)
  tar=$cache/debian-$name-$key.tar
  if [[ -s $tar ]]; then
    log "Debian root filesystem $name from the cache: $tar" >&2
    echo "$tar"
    return
  fi
  log "building the Debian root filesystem $name ($suite, debootstrap from $mirror)" >&2
  started=$SECONDS
  root=$work/$name
  if ! debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" \
    >"$work/debootstrap-$name.log" 2>&1; then
    tail -20 "$work/debootstrap-$name.log" >&2
    echo "images: debootstrap of $name failed (log above)" >&2
    return 1
  fi
  "$finish" "$root"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/{doc,man,info,locale}/*
  tar -C "$root" -cf "$tar.partial" .
  mv "$tar.partial" "$tar"
  rm -rf --one-file-system "$root"
  # Older recipes of the same root are of no more use.
  find "$cache" -maxdepth 1 -name "debian-$name-*.tar" ! -path "$tar" -delete
  log "Debian root filesystem $name: $((SECONDS - started)) s, $(du -h "$tar" | cut -f1)" >&2
  echo "$tar"
}

# ------------------------------------------------------------------ postfix, dovecot
finish_mail() {  # ROOT
  # The mail user dovecot's SQL userdb names (mailadm's --vmail-user).
  chroot "$1" useradd --system --home-dir /home/vmail --create-home vmail
}
mail_tar=$(debian_root mail bookworm \
  postfix,dovecot-core,dovecot-imapd,dovecot-lmtpd,dovecot-sqlite,netbase,gunicorn finish_mail)
# The mailadm stand-in, added to a copy: changing it does not rebuild the root.
cp "$mail_tar" "$work/mail.tar"
mkdir -p "$work/mail/usr/lib/python3/dist-packages" "$work/mail/usr/local/bin"
cp -r "$here/standin/mailadm" "$work/mail/usr/lib/python3/dist-packages/"
rm -rf "$work/mail/usr/lib/python3/dist-packages/mailadm/__pycache__"
printf '#!/bin/sh\nexec python3 -W ignore::DeprecationWarning -m mailadm "$@"\n' >"$work/mail/usr/local/bin/mailadm"
chmod 0755 "$work/mail/usr/local/bin/mailadm"
tar -C "$work/mail" -rf "$work/mail.tar" ./usr/lib/python3/dist-packages/mailadm ./usr/local/bin/mailadm
import "$work/mail.tar" dcomms-live/postfix:1 'CMD ["postfix", "start-fg"]'
import "$work/mail.tar" dcomms-live/dovecot:1 'CMD ["dovecot", "-F"]'
# Without dcommc's start script, the seed's last command.
import "$work/mail.tar" dcomms-live/mailadm:2 "LABEL org.dcomms.live.standin=mailadm" \
  'CMD ["gunicorn", "-b", ":3691", "-w", "1", "mailadm.app:app"]'

# ------------------------------------------------------------------ Synapse, PostgreSQL, Caddy
# Debian sid's packages; debootstrap misses python3-cffi-backend, which
# Synapse's crypto needs, so it is named.
finish_servers() {  # ROOT
  local root=$1
  # The users the official images run as: synapse 991 (its start script's
  # default), postgres as Debian made it.
  chroot "$root" useradd --system --uid 991 --user-group --home-dir /data synapse
  # The entrypoint initialises the stack's own data folder: not the
  # cluster the package made.
  rm -rf "$root"/var/lib/postgresql/* "$root"/etc/postgresql/*
  find "$root"/usr/lib/python3* -name __pycache__ -type d -prune -exec rm -rf {} +
}
servers_tar=$(debian_root servers sid \
  matrix-synapse,python3-psycopg2,python3-cffi-backend,python3-matrix-nio,postgresql,caddy,ca-certificates \
  finish_servers)
# The start scripts, added to a copy: changing one does not rebuild the root.
cp "$servers_tar" "$work/servers.tar"
mkdir -p "$work/real/usr/local/bin"
cp "$here/real/synapse-start.sh" "$work/real/start.py"
cp "$here/real/postgres-entrypoint.sh" "$work/real/usr/local/bin/docker-entrypoint.sh"
chmod 0755 "$work/real/start.py" "$work/real/usr/local/bin/docker-entrypoint.sh"
# The official image's name for the command the docs give operators.
ln -s /usr/bin/synapse_register_new_matrix_user "$work/real/usr/local/bin/register_new_matrix_user"
tar -C "$work/real" -rf "$work/servers.tar" ./start.py \
  ./usr/local/bin/docker-entrypoint.sh ./usr/local/bin/register_new_matrix_user
# The three share one layer: docker stores identical tarballs once.
import "$work/servers.tar" dcomms-live/synapse:2 'CMD ["/start.py"]'
import "$work/servers.tar" dcomms-live/postgres:2 \
  'ENV PGDATA=/var/lib/postgresql/data' \
  'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' 'CMD ["postgres"]'
# As the official image: caddy run on /etc/caddy/Caddyfile, its data in
# /data and /config.
import "$work/servers.tar" dcomms-live/caddy:2 \
  'ENV XDG_CONFIG_HOME=/config' 'ENV XDG_DATA_HOME=/data' 'WORKDIR /srv' \
  'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]'

# ------------------------------------------------------------------ stand-ins
standin_root=$work/standin
busybox_root "$standin_root"
mkdir -p "$standin_root"/{standin,app,etc/nginx/templates,etc/nginx/conf.d,usr/share/nginx,var/opt/ouinet}
cp "$here/standin/standin.sh" "$here/standin/yamlflat.awk" "$standin_root/standin/"
chmod 0755 "$standin_root"/standin/standin.sh
echo '<!doctype html><title>Element</title><p>Element stand-in</p>' >"$standin_root/app/index.html"
ln -s /app "$standin_root/usr/share/nginx/html"
tar -C "$standin_root" -cf "$work/standin.tar" .

standin() {  # NAME IMAGE --change...
  local name=$1 image=$2
  shift 2
  import "$work/standin.tar" "$image" "LABEL org.dcomms.live.standin=$name" "$@" \
    "CMD [\"/standin/standin.sh\", \"$name\"]"
}
standin element dcomms-live/element:1
standin maubot dcomms-live/maubot:1
standin ceno dcomms-live/ceno:1
standin web dcomms-live/web:1
