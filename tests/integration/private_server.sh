# private_server.sh: sourced (after lib.sh) by tests that kill a PostgreSQL
# server: a throwaway cluster of their own, so the shared test server is
# never touched. Unix socket only, in a fresh /tmp directory; as root the
# server runs as 'postgres'.

as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# private_server_start: initdb, start, point VENDORMATCH_DB at it, migrate.
# The cluster is stopped and removed when the test exits.
private_server_start() {
  pgdir=$(mktemp -d /tmp/vmkill.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$pgdir"
  chmod 0700 "$pgdir"
  trap private_server_stop EXIT
  as_server "$VM_PGBIN/initdb" -D "$pgdir/data" -U vmtest --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
    || fail "initdb of the private server"
  private_server_run || fail "start the private server"
  export VENDORMATCH_DB="host=$pgdir user=vmtest dbname=postgres"
  "$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate the private server"
}

private_server_run() {
  as_server "$VM_PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$pgdir'" start >/dev/null
}

private_server_stop() {
  as_server "$VM_PGBIN/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
  cleanup
}

# private_server_kill: SIGKILL to the postmaster and all its children, then
# waits until they are gone (the server cannot start again before).
private_server_kill() {
  local pm kids p alive
  pm=$(head -1 "$pgdir/data/postmaster.pid")
  kids=$(ps -o pid= --ppid "$pm")
  kill -9 "$pm" $kids 2>/dev/null # a child may have ended already
  for _ in $(seq 1 100); do
    alive=0
    for p in $pm $kids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
}

# private_server_restart: starts it again (crash recovery); a check.
private_server_restart() {
  local restarted=0
  for _ in 1 2 3 4 5; do private_server_run && { restarted=1; break; }; sleep 1; done
  check "restart after the crash" test $restarted = 1 || tail -5 "$pgdir/server.log" >&2
}
