#!/usr/bin/env bash
# test_server_lost: a server that dies under a running command means
# "database unavailable", exit 69, for every catalog command, whatever
# statement it was in (docs/database.md): each command is held on a table
# lock another session has, the server is killed (SIGKILL to all of it) while
# the command waits, and the command must exit 69 and say why; then the
# server starts again for the next one. Every statement goes through
# db/pgutil's checked helpers, which tell a lost connection (69) from a
# failed statement (1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/private_server.sh"

private_server_start
psql_q() { "$VM_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$VENDORMATCH_DB" -c "$1"; }
vm import "$FIX/catalogs/canonical.csv" --source canonical
expect_rc 0 "a catalog to work on"
id=$(psql_q "SELECT min(id) FROM vendors")
cat >"$T/tax.csv" <<'CSV'
phrase,category,process_type
gizmo auditing,gizmo_audit,KPO
CSV

# lost_case DESCRIPTION TABLES ARGS...: runs `vendormatch ARGS` while another
# session holds TABLES locked, kills the server once the command waits, and
# expects 69.
lost_case() {
  local what=$1 tables=$2 holder pid
  shift 2
  "$VM_PGBIN/psql" -X -q -d "$VENDORMATCH_DB" \
    -c "BEGIN; LOCK TABLE $tables IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600)" \
    >/dev/null 2>&1 &
  holder=$!
  check "the lock is held ($what)" wait_sql \
    "SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()" 30
  "$VM_BIN" "$@" >"$T/out" 2>"$T/err" </dev/null &
  pid=$!
  check "the command waits for the lock ($what)" wait_sql \
    "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock'" 30
  private_server_kill
  wait "$pid"
  RC=$?
  wait "$holder" 2>/dev/null
  OUT=$(cat "$T/out") ERR=$(cat "$T/err")
  expect_rc 69 "$what: the server dies while it waits"
  expect_contains "$ERR" "vendormatch:" "$what: says why"
  private_server_restart
}

lost_case "vendors show" vendors vendors show "$id"
lost_case "vendors list" vendors vendors list
lost_case "stats" vendors stats
lost_case "classify" vendors classify
lost_case "classify --vendor" vendors classify --vendor "$id"
lost_case "tag set" vendors tag set "$id" KPO --reason "checked by hand"
lost_case "taxonomy import" "taxonomy_categories, taxonomy_aliases" taxonomy import "$T/tax.csv"
lost_case "taxonomy unknown" vendors taxonomy unknown
lost_case "fx list" fx_rates fx list
lost_case "import" vendors import "$FIX/catalogs/canonical.csv" --source again
# match: waiting to read the catalog (the walk's session settings), and, with
# JSON, after the walk's prepared statements and the contact details, for
# the import batches the document lists.
lost_case "match" vendors match --service "customer support"
lost_case "match --format json" import_batches match --service "customer support" --format json
expect_contains "$ERR" "reading import batches" "match --format json: lost after the walk"
# nothing of the interrupted commands was stored
expect_eq "0" "$(psql_q "SELECT count(*) FROM vendors WHERE manual_type IS NOT NULL")" "no manual tag stored"
expect_eq "0" "$(psql_q "SELECT count(*) FROM taxonomy_categories WHERE code = 'gizmo_audit'")" "no category stored"
expect_eq "0" "$(psql_q "SELECT count(*) FROM sources WHERE name = 'again'")" "no second source stored"
finish
