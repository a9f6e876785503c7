#!/bin/sh
# The contract of the official postgres image's entrypoint that the
# compiled stack relies on, around Debian's real PostgreSQL server:
#
#   POSTGRES_PASSWORD_FILE  read as root (a swarm secret may be 0400 root),
#                           before the server is started as `postgres`
#   POSTGRES_USER           the superuser initdb creates (default postgres)
#   POSTGRES_DB             a database created for it on first start
#   POSTGRES_INITDB_ARGS    passed to initdb as words
#   PGDATA                  the data folder, /var/lib/postgresql/data (the
#                           stack's volume); initialised when it is empty
#
# As the official image does, the server listens on every address and
# `host all all all scram-sha-256` is appended to pg_hba.conf; initdb's own
# rules are whatever POSTGRES_INITDB_ARGS asks for (its default is trust).
set -eu

export PGDATA=${PGDATA:-/var/lib/postgresql/data}
bin=$(echo /usr/lib/postgresql/*/bin)
export PATH=$bin:$PATH

if [ "$(id -u)" = 0 ]; then
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
    [ -z "${POSTGRES_PASSWORD:-}" ] || { echo "error: both POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE are set" >&2; exit 1; }
    POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE")
    export POSTGRES_PASSWORD
    unset POSTGRES_PASSWORD_FILE
  fi
  mkdir -p "$PGDATA" /run/postgresql
  chown postgres:postgres "$PGDATA" /run/postgresql
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "error: the database is uninitialized and POSTGRES_PASSWORD is not set" >&2; exit 1; }
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  # shellcheck disable=SC2086 # words, as the official image splits them
  initdb --username="$user" --pwfile="$pwfile" ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  # A private server on the socket only, to create the database.
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -k /run/postgresql" start
  if [ "$db" != postgres ]; then
    # From standard input: psql interpolates :"db" there, not in -c.
    echo 'CREATE DATABASE :"db";' |
      PGPASSWORD=$POSTGRES_PASSWORD psql -v ON_ERROR_STOP=1 -h /run/postgresql -U "$user" -d postgres -v db="$db"
  fi
  pg_ctl -D "$PGDATA" -w -m fast stop
  echo "postgres-entrypoint: initialised $PGDATA for $user, database $db"
fi
unset POSTGRES_PASSWORD

if [ "${1:-}" = postgres ]; then shift; fi
exec postgres -c listen_addresses='*' -k /run/postgresql "$@"
