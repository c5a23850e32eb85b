#!/usr/bin/env bash
# The local PostgreSQL server of `make run` and the tests: Debian's own server, run as a plain
# process (no service manager), its files under .run/postgres, listening on 127.0.0.1 only, on
# a port of its own (CRUDDUR_PG_PORT, 4576), never 5432 (a server the machine runs is left
# alone).
#
#   scripts/local-postgres.sh ensure   install Debian's postgresql where it is missing (as root
#                                      on Debian; elsewhere say which package to install)
#   scripts/local-postgres.sh start    create the server on first use (initdb, with a generated
#                                      password for the admin and for each service's role, kept in
#                                      .run/postgres/credentials.json, readable by its owner only),
#                                      then start it unless it runs; the last line says `started`
#                                      or `running`, so a caller knows whether to stop it after
#   scripts/local-postgres.sh stop     stop it (fast: open connections are closed) if it runs
#   scripts/local-postgres.sh status   exit 0 if it runs
#   scripts/local-postgres.sh reset    stop it and delete its data: the next start is a fresh one
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user Debian's
# package creates, and its files are that user's.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${CRUDDUR_PG_DIR:-$ROOT/.run/postgres}
PORT=${CRUDDUR_PG_PORT:-4576}
CREDENTIALS=$RUN_DIR/credentials.json
SERVICES=(activities notifications messages users)

# shellcheck source=lib/host-packages.sh
. "$ROOT/scripts/lib/host-packages.sh"

say() { echo "postgres: $*" >&2; }
die() { echo "postgres: $*" >&2; exit 1; }

# The newest server Debian's packages installed, else pg_ctl from PATH; CRUDDUR_PG_BIN wins.
bin_dir() {
  if [ -n "${CRUDDUR_PG_BIN:-}" ]; then echo "$CRUDDUR_PG_BIN"; return; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return; fi
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
  return 1
}

ensure() {
  bin_dir >/dev/null && return 0
  # Debian's package makes a cluster of its own on port 5432 and starts it; this project
  # needs none, so the package is told not to (createcluster.conf reads this folder).
  if [ "$(id -u)" = 0 ] && [ -d /etc ]; then
    mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/cruddur.conf
  fi
  apt_install "local postgres" postgresql || die "install PostgreSQL (Debian: the postgresql package) or set CRUDDUR_PG_BIN to its bin folder"
  bin_dir >/dev/null || die "postgresql was installed but no initdb was found under /usr/lib/postgresql"
}

# As root the server and its tools run as `postgres`; otherwise as whoever runs this.
as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The folder holding the server's data and log: .run/postgres/server, unless (as root) the
# postgres user cannot reach the clone (it lives under /root, say): then a folder of its own
# under /var/lib/postgresql, which .run/postgres/server links to.
server_dir() {
  local dir=$RUN_DIR/server
  if [ -L "$dir" ]; then readlink "$dir"; return; fi
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$RUN_DIR"; then
    local home
    home=/var/lib/postgresql/cruddur-$(printf '%s' "$RUN_DIR" | sha256sum | cut -c1-12)
    say "the postgres user cannot reach $RUN_DIR: the data lives in $home (linked from $dir)"
    mkdir -p "$home"
    chown postgres: "$home"
    ln -sfn "$home" "$dir"
    echo "$home"
    return
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  echo "$dir"
}

secret() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }

# First use: a new server (UTF-8, C.UTF-8 collation, passwords checked on every connection),
# listening on loopback only with no Unix socket, and the passwords its users will have.
init_server() {
  local bin=$1 data=$2 admin_password pwfile
  say "creating a new server in $data"
  admin_password=$(secret)
  pwfile=$(dirname "$data")/.pwfile
  ( umask 077; printf '%s\n' "$admin_password" >"$pwfile" )
  [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
  as_server "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
    || { rm -f "$pwfile"; die "initdb failed"; }
  rm -f "$pwfile"
  # Loopback only, no socket file (its default folder is the system's); room for the tests'
  # many stacks, each service with a pool of its own.
  as_server tee -a "$data/postgresql.conf" >/dev/null <<CONF

# Cruddur's local server (scripts/local-postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 400
CONF
  local services_json="" service
  for service in "${SERVICES[@]}"; do
    services_json+="${services_json:+, }\"$service\": \"$(secret)\""
  done
  ( umask 077
    printf '{\n  "host": "127.0.0.1",\n  "port": %s,\n  "database": "cruddur",\n  "admin": { "user": "postgres", "password": "%s" },\n  "passwords": { %s }\n}\n' \
      "$PORT" "$admin_password" "$services_json" >"$CREDENTIALS.tmp" )
  mv "$CREDENTIALS.tmp" "$CREDENTIALS"
}

running() {
  local bin data
  bin=$(bin_dir) || return 1
  data=$RUN_DIR/server/data
  [ -f "$data/PG_VERSION" ] || return 1
  as_server "$bin/pg_ctl" -D "$(readlink -f "$data")" status >/dev/null 2>&1
}

start() {
  ensure
  local bin dir data
  bin=$(bin_dir)
  mkdir -p "$RUN_DIR"
  chmod 755 "$RUN_DIR"
  dir=$(server_dir)
  data=$dir/data
  if [ ! -f "$data/PG_VERSION" ] || [ ! -f "$CREDENTIALS" ]; then
    rm -rf "$data" "$CREDENTIALS"
    init_server "$bin" "$data"
  fi
  if as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    echo running
    return
  fi
  say "starting on 127.0.0.1:$PORT (data: $data)"
  if ! as_server "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 -o "-p $PORT" start >/dev/null; then
    tail -n 20 "$dir/server.log" >&2 || true
    die "the server did not start (its log is above; is port $PORT taken? CRUDDUR_PG_PORT picks another)"
  fi
  echo started
}

stop() {
  running || return 0
  local bin
  bin=$(bin_dir)
  say "stopping"
  as_server "$bin/pg_ctl" -D "$(readlink -f "$RUN_DIR/server/data")" -m fast -w -t 60 stop >/dev/null
}

reset() {
  stop
  local target=""
  [ -L "$RUN_DIR/server" ] && target=$(readlink "$RUN_DIR/server")
  rm -rf "$RUN_DIR"
  [ -n "$target" ] && rm -rf "$target"
  say "data removed: the next make run starts from the seed data"
}

case "${1:-}" in
  ensure) ensure ;;
  start) start ;;
  stop) stop ;;
  status) running ;;
  reset) reset ;;
  *) die "usage: $0 ensure|start|stop|status|reset" ;;
esac
