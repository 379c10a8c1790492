#!/usr/bin/env bash
# test_import_interrupt: an import that does not finish leaves nothing
# behind. Ctrl-C (SIGINT) cancels cleanly with exit 130; a server killed
# with SIGKILL mid-import (a private server started here, so the shared one
# is untouched) loses the connection (exit 69) and after crash recovery the
# catalog holds no vendor and no batch from that import.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/private_server.sh"

# ~200k rows (about 14 MB) so the import runs long enough to be interrupted.
awk 'BEGIN { print "id,name,website,country,services,description";
  for (i = 1; i <= 200000; i++)
    printf "%d,Vendor %d Ltd,https://v%d.example.com,India,\"Call center; Data entry\",\"Row %d, with \"\"quotes\"\"\"\n", i, i, i, i }' >"$T/big.csv"

# wait_for_copy CONNINFO: until the import's COPY is running (at most ~60 s); only
# in this test's database, as other tests import on the same server.
wait_for_copy() {
  for _ in $(seq 1 600); do
    n=$("$VM_PGBIN/psql" -X -A -t -d "$1" -c \
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
         AND (query LIKE 'COPY vm_stage%' OR query LIKE 'COPY vendors %')" 2>/dev/null)
    [ "${n:-0}" -gt 0 ] && return 0
    sleep 0.1
  done
  return 1
}

vendor_state() { # CONNINFO
  "$VM_PGBIN/psql" -X -A -t -d "$1" -c \
    "SELECT (SELECT count(*) FROM vendors) || ' ' || (SELECT count(*) FROM import_batches) || ' ' || (SELECT count(*) FROM vendor_sources) || ' ' || (SELECT count(*) FROM sources)"
}

# --- SIGINT on the shared test server ----------------------------------------
new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
"$VM_BIN" import "$T/big.csv" >"$T/int.out" 2>"$T/int.err" &
pid=$!
check "COPY started" wait_for_copy "$VENDORMATCH_DB"
kill -INT "$pid"
wait "$pid"
RC=$?
OUT=$(cat "$T/int.out") ERR=$(cat "$T/int.err")
expect_rc 130 "SIGINT cancels the import"
expect_contains "$ERR" "interrupted; nothing from this file was committed" "SIGINT message"
expect_eq "0 0 0 0" "$(vendor_state "$VENDORMATCH_DB")" "nothing left behind after SIGINT"

# --- SIGKILL of a private server mid-import ------------------------------------
private_server_start
"$VM_BIN" import "$T/big.csv" >"$T/kill.out" 2>"$T/kill.err" &
pid=$!
check "COPY started on the private server" wait_for_copy "$VENDORMATCH_DB"
private_server_kill
wait "$pid"
RC=$?
OUT=$(cat "$T/kill.out") ERR=$(cat "$T/kill.err")
check "import fails when the server dies (exit $RC)" test "$RC" = 69 -o "$RC" = 1
expect_not_contains "$OUT" "inserted" "no summary printed"
private_server_restart
expect_eq "0 0 0 0" "$(vendor_state "$VENDORMATCH_DB")" "nothing committed by the killed import"

finish
