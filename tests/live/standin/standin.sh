#!/bin/sh
# The stand-ins of the live test (tests/live/live.sh): busybox programs that
# take the place of the images no registry within reach carries (Element's
# bundle, mailadm, maubot, CENO, a user kind's web app).
#
# A stand-in does what the real image does with the files the stack gives
# it, as far as that shows whether our artifacts are right: it reads the
# same configuration at the same path, as the same user, fails the same way
# when a file is missing or unreadable, and listens where that
# configuration says. It does not implement the program: it answers a few
# fixed URLs. Every line it logs starts with "standin NAME:"; a check that
# fails logs "FAIL:" and exits 1, so swarm restarts the task and the test,
# which waits for every service to run, reports it with these logs.
#
# Usage (the image's CMD): standin.sh element|maubot|ceno|web
set -eu

NAME=${1:?usage: standin.sh NAME}
shift
export PATH=/usr/local/bin:/bin

say() { echo "standin $NAME: $*" >&2; }
fail() {
  say "FAIL: $*"
  exit 1
}

# The scalars of a YAML file, one "dotted.key=value" a line.
flat() { awk -f /standin/yamlflat.awk "$1"; }
# The first value of KEY in the flattened FILE, or empty.
get() { grep -m1 "^$2=" "$1" | cut -d= -f2- || true; }
# Every value of KEY in the flattened FILE.
get_all() { grep "^$2=" "$1" | cut -d= -f2- || true; }

# Runs a shell command as USER, as the real image's entrypoint drops to it.
as_user() {
  user=$1
  shift
  su -s /bin/sh "$user" -c "$*"
}

must_read() {  # USER FILE WHAT
  [ -e "$2" ] || fail "$3 $2 does not exist"
  as_user "$1" "test -r '$2'" || fail "$3 $2 is not readable by $1 ($(stat -c 'owner %u:%g mode %a' "$2"))"
  say "ok: $3 $2 is readable by $1"
}

# Tries for up to SECONDS to open a TCP connection to HOST PORT.
wait_tcp() {  # HOST PORT SECONDS
  i=0
  while [ "$i" -lt "$3" ]; do
    if timeout 3 nc "$1" "$2" </dev/null >/dev/null 2>&1; then return 0; fi
    i=$((i + 1))
    sleep 1
  done
  return 1
}

# Serves DOCROOT with busybox httpd on every ADDRESS:PORT given, as USER
# (empty: root), until the container is stopped. PID 1 ignores SIGTERM
# unless it traps it, so the shell stays PID 1 and stops its servers.
serve() {  # USER DOCROOT ADDRESS:PORT...
  user=$1
  root=$2
  shift 2
  pids=""
  for address in "$@"; do
    if [ -n "$user" ]; then
      httpd -f -p "$address" -h "$root" -u "$user" &
    else
      httpd -f -p "$address" -h "$root" &
    fi
    pids="$pids $!"
    say "serving $root on $address${user:+ as $user}"
  done
  trap 'kill $pids 2>/dev/null; exit 0' TERM INT
  sleep 1
  for pid in $pids; do
    kill -0 "$pid" 2>/dev/null || fail "a server did not start (is the port taken?)"
  done
  say "ready"
  while :; do
    for pid in $pids; do
      kill -0 "$pid" 2>/dev/null || fail "a server exited"
    done
    sleep 5 &
    wait $! || true
  done
}

# Idles until stopped, for stand-ins with nothing to serve.
idle() {
  trap 'exit 0' TERM INT
  say "ready"
  while :; do
    sleep 3600 &
    wait $! || true
  done
}

# ------------------------------------------------------------------ element
# The real image is nginx serving /app (= /usr/share/nginx/html) with
# /app/config.json; nginx's entrypoint turns /etc/nginx/templates/*.template
# into /etc/nginx/conf.d/*.conf, then nginx reads conf.d.
element() {
  for template in /etc/nginx/templates/*.template; do
    [ -e "$template" ] || continue
    out=/etc/nginx/conf.d/$(basename "$template" .template)
    cp "$template" "$out"
    say "ok: $template -> $out"
  done
  must_read nginx /app/config.json "Element's config"
  grep -q '"default_server_config"' /app/config.json || fail "/app/config.json has no default_server_config"
  listen=""
  root=""
  for conf in /etc/nginx/conf.d/*.conf; do
    [ -e "$conf" ] || continue
    must_read nginx "$conf" "nginx config"
    for address in $(sed -n 's/^[[:space:]]*listen[[:space:]]\{1,\}\([^[:space:];]*\).*/\1/p' "$conf"); do
      case $address in
        *:*) listen="$listen $address" ;;
        *) listen="$listen 0.0.0.0:$address" ;;
      esac
    done
    r=$(sed -n 's/^[[:space:]]*root[[:space:]]\{1,\}\([^[:space:];]*\).*/\1/p' "$conf" | head -1)
    [ -z "$r" ] || root=$r
  done
  [ -n "$listen" ] || fail "no nginx config in /etc/nginx/conf.d says where to listen"
  [ -d "${root:-/usr/share/nginx/html}" ] || fail "nginx root $root does not exist"
  # shellcheck disable=SC2086
  serve nginx "${root:-/usr/share/nginx/html}" $listen
}

# ------------------------------------------------------------------ maubot
# The real image's run.sh makes /data/plugins, /data/trash and /data/dbs,
# copies an example config and exits if /data/config.yaml is missing,
# chowns /data to 1337 (ignoring errors), then runs maubot as 1337, which
# listens on server.hostname:server.port and talks to its homeservers.
maubot() {
  mkdir -p /var/log/maubot /data/plugins /data/trash /data/dbs
  if [ ! -f /data/config.yaml ]; then
    say "Config file not found. Example config copied to /data/config.yaml"
    exit 0
  fi
  chown -R maubot:maubot /var/log /data 2>/dev/null || true
  user=maubot  # 1337:1337
  must_read $user /data/config.yaml "config"
  flat /data/config.yaml >/tmp/config.flat
  f=/tmp/config.flat
  as_user $user "test -w /data/plugins && test -w /data/dbs" || fail "/data is not writable by $user"
  # maubot starts without its homeservers and retries: only logged.
  for url in $(get_all $f 'homeservers\..*\.url'); do
    hostport=${url#http://}
    hostport=${hostport%%/*}
    if wait_tcp "${hostport%:*}" "${hostport##*:}" 3; then
      say "ok: homeserver $url answers"
    else
      say "homeserver $url does not answer yet"
    fi
  done
  host=$(get $f server.hostname)
  port=$(get $f server.port)
  [ -n "$port" ] || fail "config.yaml has no server.port"
  mkdir -p /tmp/www/_matrix/maubot
  echo '{"standin":"maubot"}' >/tmp/www/_matrix/maubot/version
  serve $user /tmp/www "${host:-0.0.0.0}:$port"
}

# ------------------------------------------------------------------ ceno
# The real client keeps its state in /var/opt/ouinet; it has no files of
# ours, so the stand-in only shows placement and the volume.
ceno() {
  touch /var/opt/ouinet/.standin || fail "/var/opt/ouinet is not writable"
  say "ok: /var/opt/ouinet is writable"
  idle
}

# ------------------------------------------------------------------ web
# A user kind's web app: listens on $IP:$PORT and shows $TITLE, as
# etherpad's image reads them.
web() {
  mkdir -p /tmp/www
  printf '<!doctype html><title>%s</title><p>web stand-in: %s</p>\n' "${TITLE:-}" "${TITLE:-}" >/tmp/www/index.html
  serve "" /tmp/www "${IP:-0.0.0.0}:${PORT:?PORT is not set}"
}

case $NAME in
  element | maubot | ceno | web) "$NAME" "$@" ;;
  *) fail "no stand-in named $NAME" ;;
esac
