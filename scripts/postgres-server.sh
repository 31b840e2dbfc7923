#!/usr/bin/env bash
# A throwaway PostgreSQL server for revive-lab's PostgreSQL store, its tests and `stress`.
#
#   eval "$(scripts/postgres-server.sh start)"     # starts one; exports REVIVE_POSTGRES_URL, PGPASSFILE, REVIVE_POSTGRES_DIR
#   scripts/postgres-server.sh stop "$REVIVE_POSTGRES_DIR"
#
# It uses Debian's `postgresql` package (installed when missing, when run as root), `initdb`s a
# cluster into a fresh temporary folder, and listens on 127.0.0.1 at a free port and on a Unix
# socket in that folder. PostgreSQL refuses to run as root, so as root the cluster belongs to the
# unprivileged user `revive` (created when missing). Loopback connections need a password
# (scram-sha-256); the password is random and goes into a libpq password file (PGPASSFILE),
# never into the URL. Everything it prints on standard output is `export` lines for `eval`.
set -euo pipefail

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

install_postgres() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres-server: PostgreSQL's server is not installed; install Debian's postgresql package" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

free_port() {
  local port tries
  for tries in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "postgres-server: found no free port on 127.0.0.1" >&2
  exit 1
}

start() {
  local bin dir port password as
  bin=$(find_bin) || { install_postgres; bin=$(find_bin); }
  dir=$(mktemp -d /tmp/revive-postgres.XXXXXX)
  chmod 755 "$dir"
  as=()
  if [ "$(id -u)" -eq 0 ]; then
    id revive >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin revive
    chown revive "$dir"
    as=(runuser -u revive --)
  fi
  port=$(free_port)
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s\n' "$password" > "$dir/password"
  [ "$(id -u)" -eq 0 ] && chown revive "$dir/password"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U revive --pwfile="$dir/password" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  "${as[@]}" "$bin/createdb" -h "$dir" -p "$port" -U revive revive
  # The password file belongs to whoever runs the tests (libpq refuses one others can read).
  printf '127.0.0.1:%s:*:revive:%s\n' "$port" "$password" > "$dir/pgpass"
  chmod 600 "$dir/pgpass"
  rm -f "$dir/password"
  echo "export REVIVE_POSTGRES_DIR=$dir"
  echo "export PGPASSFILE=$dir/pgpass"
  echo "export REVIVE_POSTGRES_URL=postgres://revive@127.0.0.1:$port/revive"
  echo "postgres-server: PostgreSQL listening on 127.0.0.1:$port (data in $dir)" >&2
}

stop() {
  local dir=${1:-${REVIVE_POSTGRES_DIR:-}} bin as=()
  [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "postgres-server: no server folder to stop" >&2; exit 1; }
  bin=$(find_bin)
  [ "$(id -u)" -eq 0 ] && as=(runuser -u revive --)
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac
