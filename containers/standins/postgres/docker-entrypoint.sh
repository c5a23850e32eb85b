#!/bin/sh
# The stand-in postgres image's entrypoint: the part of the official one the chart uses.
# `postgres …` (or only options) starts the server; on an empty data directory it first runs
# initdb with POSTGRES_USER (default postgres) as the superuser and POSTGRES_PASSWORD as its
# password, creates POSTGRES_DB (default: the user's name), and admits password logins
# (scram-sha-256) from any address; on the local socket, inside the container, no password is
# asked (as in the official image: `kubectl exec … -- pg_dump -U postgres` works). Run as root, it drops to the postgres user; run as
# another uid (the chart's runAsUser 999), it stays that uid. Anything else is run as it is.
set -eu
if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" != postgres ]; then exec "$@"; fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set: the superuser logs in with it}"
  user=${POSTGRES_USER:-postgres}
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$pwfile"
  printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.auto.conf"
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  db=${POSTGRES_DB:-$user}
  if [ "$db" != postgres ]; then
    # A server of its own on a socket only, for the database, then stopped again.
    log=$(mktemp)
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -l "$log" -w start >/dev/null || { cat "$log" >&2; exit 1; }
    psql -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres \
      -c "CREATE DATABASE \"$db\"" >/dev/null
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    rm -f "$log"
  fi
  echo "postgres stand-in: initialised $PGDATA (superuser $user, database $db)"
fi
exec "$@"
