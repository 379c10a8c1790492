#!/usr/bin/env bash
# pg_harness: starts (or stops) the real PostgreSQL server the integration
# tests share. Each test then makes its own database (lib.sh new_db), so no
# test sees another's data. Unix socket only, in a fresh /tmp directory; when
# run as root the server runs as the unprivileged 'postgres' account.
set -euo pipefail
action=$1 state=$2

bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[ -x "$bindir/initdb" ] || { echo "pg_harness: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $action in
start)
  if [ -f "$state" ]; then . "$state"; as_server "$bindir/pg_ctl" -D "$VM_PGDATA" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$VM_PGDIR"; fi
  dir=$(mktemp -d /tmp/vmtest.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  chmod 0700 "$dir"
  as_server "$bindir/initdb" -D "$dir/data" -U vmtest --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  cat >"$state" <<EOS
VM_PGDIR=$dir
VM_PGDATA=$dir/data
VM_PGHOST=$dir
VM_PGUSER=vmtest
VM_PGBIN=$bindir
EOS
  echo "test server running, socket in $dir"
  ;;
stop)
  [ -f "$state" ] || exit 0
  . "$state"
  as_server "$bindir/pg_ctl" -D "$VM_PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$VM_PGDIR" "$state"
  ;;
esac
