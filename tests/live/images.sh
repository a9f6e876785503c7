#!/usr/bin/env bash
# Builds the live test's images with `docker import`, from root filesystems
# assembled here: there is no registry and no Internet.
#
#   dcomms-live/caddy:1     Debian's caddy binary and the libraries it needs
#   dcomms-live/postfix:1   Debian 12 (debootstrap) with postfix and dovecot,
#   dcomms-live/dovecot:1   started as `postfix start-fg` / `dovecot -F`
#   dcomms-live/synapse:1, postgres, element, mailadm, maubot, ceno, web:
#                           busybox stand-ins (standin/standin.sh)
#
# Usage: images.sh CACHE_DIR   (DOCKER_HOST must name the test's daemon)
#
# The Debian root filesystem takes about a minute and 150 MB to build, so
# its tarball is kept in CACHE_DIR and reused while its recipe (the version
# below) is unchanged; the small busybox and Caddy trees are rebuilt each
# time. Only the Debian mirror apt uses is contacted, and only on a cold
# cache.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${1:?usage: images.sh CACHE_DIR}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

# Bump when the Debian root filesystem's recipe changes.
mail_recipe=2
mail_packages=postfix,dovecot-core,dovecot-imapd,dovecot-lmtpd,dovecot-sqlite,netbase
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
postgres:x:70:70:postgres:/var/lib/postgresql:/bin/sh
nginx:x:101:101:nginx:/nonexistent:/bin/false
synapse:x:991:991:synapse:/data:/bin/sh
maubot:x:1337:1337:maubot:/data:/bin/sh
vmail:x:5000:5000:vmail:/home/vmail:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$dir/etc/group" <<'EOF'
root:x:0:
postgres:x:70:
nginx:x:101:
synapse:x:991:
maubot:x:1337:
vmail:x:5000:
nogroup:x:65534:
EOF
  echo 'hosts: files dns' >"$dir/etc/nsswitch.conf"
}

# Copies a dynamically linked program and every library ldd names for it.
copy_with_libs() {  # PROGRAM ROOT
  local program=$1 root=$2 lib
  mkdir -p "$root$(dirname "$program")"
  cp -L "$program" "$root$program"
  for lib in $(ldd "$program" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

import() {  # TARBALL IMAGE --change...
  local tarball=$1 image=$2
  shift 2
  local changes=() change
  for change in "$@"; do changes+=(--change "$change"); done
  docker import "${changes[@]}" --message "dcomms live test" "$tarball" "$image" >/dev/null
  log "imported $image"
}

# ------------------------------------------------------------------ Caddy
# As the official image: caddy run on /etc/caddy/Caddyfile, its data in
# /data and /config.
caddy_root=$work/caddy
busybox_root "$caddy_root"
copy_with_libs "$(command -v caddy)" "$caddy_root"
mkdir -p "$caddy_root"/{etc/caddy,srv,data,config}
tar -C "$caddy_root" -cf "$work/caddy.tar" .
import "$work/caddy.tar" dcomms-live/caddy:1 \
  'ENV XDG_CONFIG_HOME=/config' 'ENV XDG_DATA_HOME=/data' 'WORKDIR /srv' \
  'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]'

# ------------------------------------------------------------------ postfix, dovecot
mail_tar=$cache/debian-mail-$mail_recipe.tar
if [[ ! -s $mail_tar ]]; then
  log "building the Debian 12 root filesystem for postfix and dovecot (debootstrap, $mirror)"
  started=$SECONDS
  root=$work/mail
  if ! debootstrap --variant=minbase --include="$mail_packages" bookworm "$root" "$mirror" \
    >"$work/debootstrap.log" 2>&1; then
    tail -20 "$work/debootstrap.log" >&2
    echo "images: debootstrap failed (log above)" >&2
    exit 1
  fi
  # The mail user dovecot's SQL userdb names (mailadm's --vmail-user).
  chroot "$root" useradd --system --home-dir /home/vmail --create-home vmail
  # What a container does not need: downloaded packages, indexes, docs.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/{doc,man,info,locale}/*
  tar -C "$root" -cf "$mail_tar.partial" .
  mv "$mail_tar.partial" "$mail_tar"
  log "Debian root filesystem: $((SECONDS - started)) s, $(du -h "$mail_tar" | cut -f1)"
else
  log "Debian root filesystem from the cache: $mail_tar"
fi
import "$mail_tar" dcomms-live/postfix:1 'CMD ["postfix", "start-fg"]'
import "$mail_tar" dcomms-live/dovecot:1 'CMD ["dovecot", "-F"]'

# ------------------------------------------------------------------ stand-ins
standin_root=$work/standin
busybox_root "$standin_root"
mkdir -p "$standin_root"/{standin,app,etc/nginx/templates,etc/nginx/conf.d,usr/share/nginx,var/opt/ouinet}
cp "$here/standin/standin.sh" "$here/standin/yamlflat.awk" "$standin_root/standin/"
cp "$here/standin/mailadm" "$here/standin/gunicorn" "$standin_root/usr/local/bin/"
chmod 0755 "$standin_root"/standin/standin.sh "$standin_root"/usr/local/bin/*
echo '<!doctype html><title>Element</title><p>Element stand-in</p>' >"$standin_root/app/index.html"
# The synapse kind's entrypoint ends in `exec /start.py`, the real image's
# start script: here it starts the stand-in.
printf '#!/bin/sh\nexec /standin/standin.sh synapse "$@"\n' >"$standin_root/start.py"
chmod 0755 "$standin_root/start.py"
ln -s /app "$standin_root/usr/share/nginx/html"
tar -C "$standin_root" -cf "$work/standin.tar" .

standin() {  # NAME IMAGE --change...
  local name=$1 image=$2
  shift 2
  import "$work/standin.tar" "$image" "LABEL org.dcomms.live.standin=$name" "$@" \
    "CMD [\"/standin/standin.sh\", \"$name\"]"
}
standin synapse dcomms-live/synapse:1
standin postgres dcomms-live/postgres:1
standin element dcomms-live/element:1
standin maubot dcomms-live/maubot:1
standin ceno dcomms-live/ceno:1
standin web dcomms-live/web:1
# mailadm: the stubs of mailadm and gunicorn, run by dcommc's start script;
# without it, the web app alone, as the seed's last command started it.
import "$work/standin.tar" dcomms-live/mailadm:1 "LABEL org.dcomms.live.standin=mailadm" \
  'CMD ["gunicorn", "-b", ":3691", "-w", "1", "mailadm.app:app"]'
