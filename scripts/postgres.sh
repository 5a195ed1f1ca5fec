#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and local trials.
#
#   scripts/postgres.sh start DIR   initdb a fresh cluster in DIR/data, start it on a free port on
#                                   127.0.0.1 (socket in DIR), create the superuser role `argus`,
#                                   write the JDBC base URL to DIR/url (jdbc:postgresql://127.0.0.1:PORT/)
#                                   and the role's password to DIR/password
#                                   (when DIR holds a stopped cluster already, starts it again)
#   scripts/postgres.sh stop DIR    pg_ctl stop -m fast
#   scripts/postgres.sh restart DIR pg_ctl restart -m fast (same port, same data)
#
# Debian's PostgreSQL refuses to run as root: as root, DIR is handed to the `postgres` user and every
# server command runs through `runuser -u postgres --`. Installs Debian's `postgresql` package when
# no /usr/lib/postgresql/*/bin/initdb exists (sudo when not root).
set -euo pipefail

usage() { echo "usage: $0 start|stop|restart DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: installing postgresql from Debian's packages" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  bin=$(find_bin)
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

data="$dir/data"

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    data="$dir/data"
    if [ -e "$data/PG_VERSION" ]; then
      # An existing cluster (stopped earlier): start it again on its port.
      as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null
      cat "$dir/url"
      exit 0
    fi
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 0700 "$dir"; fi
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    as_pg "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    started=""
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$(( 20000 + RANDOM % 40000 ))
      if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then continue; fi
      # In postgresql.conf (not on the pg_ctl command line) so that a restart keeps them.
      sed -i '/^# argus-test$/,$d' "$data/postgresql.conf"
      cat >>"$data/postgresql.conf" <<EOF
# argus-test
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
max_connections = 300
EOF
      if as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
        started=yes; break
      fi
    done
    [ -n "$started" ] || { echo "postgres.sh: server did not start, see $dir/server.log" >&2; tail -n 20 "$dir/server.log" >&2 || true; exit 1; }
    as_pg "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE ROLE argus SUPERUSER LOGIN PASSWORD '$password'" >/dev/null
    umask 077
    echo "$password" >"$dir/password"
    echo "jdbc:postgresql://127.0.0.1:$port/" >"$dir/url"
    echo "$port" >"$dir/port"
    cat "$dir/url"
    ;;
  stop)
    [ -d "$data" ] || { echo "postgres.sh: no cluster in $dir" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    ;;
  restart)
    [ -d "$data" ] || { echo "postgres.sh: no cluster in $dir" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
  *) usage ;;
esac
