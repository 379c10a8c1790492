#!/usr/bin/env bash
# test_concurrency: imports, matches and shortlist saves running at the same
# time, and imports that die half-way. Every case ends by comparing a
# checksum of the whole catalog (every vendor row but its id, timestamps and
# batch ids, with its source links) against the same files imported one by
# one in the order the server serialised them, or against the catalog as it
# was before the import that died.
#  - 4 overlapping 10k- and 4k-row catalogs at once into an empty database
#    (a first load, then >=10,000-vendor batches and a 4k one merged into
#    it): all succeed, none deadlocks;
#  - a match while a big import is held half-way (after its inserts, before
#    its commit): the match answers from the catalog as it was;
#  - a first load while a reader holds the empty catalog: it does not wait;
#  - concurrent `match --save X --replace`, and `--save Y` without it;
#  - kill -9 of the client mid-import (first load and merge), and kill -9 of
#    a private server mid-import: the catalog and its indexes are untouched.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/private_server.sh"

# gen FILE FIRST LAST VARIANT [BAD]: vendors FIRST..LAST (id, website and name
# follow the number, so files overlap by number range); VARIANT changes the
# content; BAD=1 adds one row whose name is too long (rejected with skip).
gen() {
  awk -v a="$2" -v b="$3" -v var="$4" -v bad="${5:-0}" 'BEGIN {
    print "id,name,website,country,services,description"
    split("Call center;Data entry|Market research|Legal research;Payroll processing|Customer support", sv, "|")
    for (i = a; i <= b; i++)
      printf "%d,Vendor %d Ltd,https://v%d.example.com,%s,\"%s\",\"Row %d of %s, with \"\"quotes\"\"\"\n",
        i, i, i, (i % 3 ? "India" : "Philippines"), sv[(i + length(var)) % 4 + 1], i, var
    if (bad) { s = "X"; while (length(s) < 400) s = s s; printf "999999999,%s,,India,Data entry,bad\n", s }
  }' >"$1"
}

# The catalog, as one checksum: vendor content and links, not ids or times.
catalog_sum() {
  psql_q "SELECT md5(coalesce(string_agg(r, E'\n' ORDER BY r), '')) || ' ' || count(*) FROM (
    SELECT (to_jsonb(v) - 'id' - 'created_at' - 'updated_at' - 'tagged_at' - 'first_batch_id'
            - 'last_batch_id')::text || ' ' || coalesce((SELECT string_agg(s.name || ':'
            || coalesce(vs.source_row_id, '-'), ',' ORDER BY s.name) FROM vendor_sources vs
            JOIN sources s ON s.id = vs.source_id WHERE vs.vendor_id = v.id), '') AS r
    FROM vendors v) x"
}

# The indexes and constraints of the catalog tables (kill -9 must keep them).
catalog_ddl() {
  psql_q "SELECT string_agg(n, ',' ORDER BY n) FROM (
    SELECT indexname AS n FROM pg_indexes WHERE tablename IN ('vendors', 'vendor_sources')
    UNION ALL SELECT conname FROM pg_constraint
     WHERE conrelid IN ('vendors'::regclass, 'vendor_sources'::regclass)) x"
}

# SRC[file]: the --source of each file ("" = the file's base name).
declare -A SRC
NO_CLASSIFY= # --no-classify where tags do not matter, to keep the test short

import_one() { # FILE: imports it as SRC says; output in $T/imp.<base>.*
  local f=$1 b
  b=$(basename "$f")
  "$VM_BIN" import "$f" --on-error skip ${SRC[$f]:+--source "${SRC[$f]}"} $NO_CLASSIFY \
    >"$T/imp.$b.out" 2>"$T/imp.$b.err" </dev/null
}

# parallel_imports FILE...: all at once; checks each succeeded.
parallel_imports() {
  local pids=() f i=0
  for f in "$@"; do import_one "$f" & pids+=($!); done
  for f in "$@"; do
    wait "${pids[$i]}"
    RC=$? OUT=$(cat "$T/imp.$(basename "$f").out") ERR=$(cat "$T/imp.$(basename "$f").err")
    expect_rc 0 "concurrent import of $(basename "$f")"
    expect_not_contains "$ERR" "deadlock" "no deadlock for $(basename "$f")"
    i=$((i + 1))
  done
}

# The files of this database's batches, in the order they committed (an
# import numbers its batch once it holds the import lock).
batch_order() { psql_q "SELECT file_name FROM import_batches ORDER BY id"; }

# reference FILE...: a fresh database with FILEs imported one by one; its
# checksum in $REF. The caller's database is restored afterwards.
reference() {
  local keep_db=$DB_NAME keep_conn=$VENDORMATCH_DB f
  new_db
  "$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate the reference database"
  for f in "$@"; do import_one "$f" || fail "reference import of $f"; done
  REF=$(catalog_sum)
  DB_NAME=$keep_db VENDORMATCH_DB=$keep_conn
}

fresh_catalog() { new_db; "$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"; }

# hold SQL: a psql session that runs SQL in an open transaction and keeps it
# open until release.
hold() {
  rm -f "$T/hold"
  mkfifo "$T/hold"
  "$VM_PGBIN/psql" -X -q -h "$VM_PGHOST" -U "$VM_PGUSER" -d "$DB_NAME" <"$T/hold" >/dev/null 2>&1 &
  HOLDER=$!
  exec 7>"$T/hold"
  echo "BEGIN; $1" >&7
}
release() { echo "COMMIT;" >&7; exec 7>&-; wait "$HOLDER"; }

# pg_locks and pg_stat_activity show the whole server, where other tests run
# too: every look is limited to this test's database.
HERE="database = (SELECT oid FROM pg_database WHERE datname = current_database())"

gen "$T/a.csv" 1 10000 a
gen "$T/b.csv" 4001 14000 b
gen "$T/c.csv" 7001 17000 c
gen "$T/d.csv" 1 4000 d
gen "$T/base.csv" 1 6000 base
SRC[$T/a.csv]=feed SRC[$T/b.csv]=feed # same source: matched by id; c, d by website

# --- 4 overlapping catalogs at once into an empty database -------------------
# Whichever gets the lock first is a first load; the others (10k, 10k and 4k
# rows) merge into the catalog it left.
NO_CLASSIFY=--no-classify
fresh_catalog
parallel_imports "$T/a.csv" "$T/b.csv" "$T/c.csv" "$T/d.csv"
mapfile -t order < <(batch_order)
expect_eq 4 "${#order[@]}" "four batches recorded"
got=$(catalog_sum)
reference "${order[@]}"
expect_eq "$REF" "$got" "4 concurrent imports equal a sequential run in commit order"
expect_contains "$got" " 17000" "17,000 vendors"
NO_CLASSIFY=

# --- a match while a big import is held between its inserts and its commit ---
# The import's last write is its rejected row into import_rejects; a session
# holding SHARE on that table holds the import there, with everything else
# done. A 12,000-vendor batch into a 6,000-vendor catalog is the kind that
# used to drop the vendor indexes (ACCESS EXCLUSIVE to COMMIT).
gen "$T/big.csv" 100001 112000 big 1
fresh_catalog
import_one "$T/base.csv" || fail "first load"
vm match --service "call center" --top 20
before=$OUT
expect_rc 0 "match before the import"
hold "LOCK TABLE import_rejects IN SHARE MODE;"
check "the holder has its lock" wait_sql "SELECT EXISTS (SELECT 1 FROM pg_locks
  WHERE $HERE AND relation = 'import_rejects'::regclass AND mode = 'ShareLock' AND granted)"
import_one "$T/big.csv" &
imp=$!
check "the import is held before its commit" wait_sql "SELECT EXISTS (SELECT 1 FROM pg_stat_activity
  WHERE datname = current_database() AND query LIKE 'COPY import_rejects%'
    AND wait_event_type = 'Lock')"
expect_eq 0 "$(psql_q "SELECT count(*) FROM pg_locks WHERE $HERE AND mode = 'AccessExclusiveLock'
  AND relation IN ('vendors'::regclass, 'vendor_sources'::regclass, 'sources'::regclass)")" \
  "the import holds no exclusive lock on the catalog"
# A reader that had to wait for a lock would fail here instead of hanging.
PGOPTIONS="-c lock_timeout=10s" vm match --service "call center" --top 20
expect_rc 0 "match while the import is in flight"
expect_eq "$before" "$OUT" "it answers from the catalog as it was"
release
wait "$imp"
RC=$? OUT=$(cat "$T/imp.big.csv.out") ERR=$(cat "$T/imp.big.csv.err")
expect_rc 0 "the held import commits"
reference "$T/base.csv" "$T/big.csv"
expect_eq "$REF" "$(catalog_sum)" "and equals a sequential run"

# --- concurrent shortlist saves ------------------------------------------------
pids=()
for i in 1 2 3 4 5 6 7 8; do
  "$VM_BIN" match --service "call center" --top 5 --save shared --replace \
    >"$T/save.$i.out" 2>"$T/save.$i.err" </dev/null & pids+=($!)
done
ok=0
for i in 1 2 3 4 5 6 7 8; do wait "${pids[$((i - 1))]}" && ok=$((ok + 1)); done
expect_eq 8 "$ok" "8 concurrent --save shared --replace all succeed"
expect_not_contains "$(cat "$T"/save.*.err)" "duplicate key" "no raw duplicate-key error (--replace)"
expect_eq 1 "$(psql_q "SELECT count(*) FROM shortlists WHERE name = 'shared'")" "one shortlist 'shared'"
expect_eq 5 "$(psql_q "SELECT count(*) FROM shortlist_entries e JOIN shortlists s ON s.id = e.shortlist_id
  WHERE s.name = 'shared'")" "its entries are one save's, not two"
rm -f "$T"/save.*
pids=()
for i in 1 2 3 4 5 6 7 8; do
  "$VM_BIN" match --service "call center" --top 5 --save only \
    >"$T/save.$i.out" 2>"$T/save.$i.err" </dev/null & pids+=($!)
done
ok=0 friendly=0
for i in 1 2 3 4 5 6 7 8; do
  if wait "${pids[$((i - 1))]}"; then ok=$((ok + 1))
  elif grep -q "a shortlist named 'only' already exists" "$T/save.$i.err"; then friendly=$((friendly + 1)); fi
done
expect_eq "1 7" "$ok $friendly" "8 concurrent --save only: one saves, 7 get the name-taken message"
expect_not_contains "$(cat "$T"/save.*.err)" "duplicate key" "no raw duplicate-key error (no --replace)"

# --- a first load while a reader holds the empty catalog ---------------------
fresh_catalog
hold "SELECT count(*) FROM vendors;"
check "the reader holds the catalog" wait_sql "SELECT EXISTS (SELECT 1 FROM pg_locks
  WHERE $HERE AND relation = 'vendors'::regclass AND mode = 'AccessShareLock' AND granted
    AND pid <> pg_backend_pid())"
timeout 300 "$VM_BIN" import "$T/base.csv" >"$T/out" 2>"$T/err" </dev/null
RC=$? ERR=$(cat "$T/err")
expect_rc 0 "a first load does not wait for a reader of the empty catalog"
release
reference "$T/base.csv"
REF_BASE=$REF
expect_eq "$REF_BASE" "$(catalog_sum)" "it equals the same load into an idle catalog"

# --- kill -9 of the client mid-import ------------------------------------------
# wait_for_copy: until an import's COPY is running.
wait_for_copy() {
  wait_sql "SELECT EXISTS (SELECT 1 FROM pg_stat_activity
    WHERE datname = current_database()
      AND (query LIKE 'COPY vm_stage%' OR query LIKE 'COPY vendors %'))"
}
# until no import is left on the server (the backend of the killed client
# notices the closed connection and rolls back).
wait_no_import() {
  wait_sql "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity
    WHERE pid <> pg_backend_pid() AND datname = current_database()
      AND backend_type = 'client backend' AND state <> 'idle')"
}
awk 'BEGIN { print "id,name,website,country,services,description";
  for (i = 1; i <= 150000; i++)
    printf "%d,Huge %d Ltd,https://h%d.example.com,India,\"Call center; Data entry\",\"Row %d\"\n", i, i, i, i }' \
  >"$T/huge.csv"
kill_client_case() { # WHAT: imports huge.csv into the current database, kills it
  local sum0 ddl0 pid
  sum0=$(catalog_sum) ddl0=$(catalog_ddl)
  "$VM_BIN" import "$T/huge.csv" >/dev/null 2>&1 </dev/null &
  pid=$!
  check "COPY started ($1)" wait_for_copy
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  check "the server side is gone ($1)" wait_no_import
  expect_eq "$sum0" "$(catalog_sum)" "kill -9 of the client mid-import leaves the catalog as it was ($1)"
  expect_eq "$ddl0" "$(catalog_ddl)" "and every index and key of it ($1)"
}
fresh_catalog
ddl_empty=$(catalog_ddl)
kill_client_case "first load"
import_one "$T/base.csv"
RC=$?
expect_rc 0 "the next import runs (the killed one's locks are gone)"
kill_client_case "into a loaded catalog"
expect_eq "$REF_BASE" "$(catalog_sum)" "the catalog is the one import that committed"

# --- kill -9 of a private server mid-import ------------------------------------
private_server_start
psql_q() { "$VM_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$VENDORMATCH_DB" -c "$1"; }
import_one "$T/base.csv" || fail "first load on the private server"
sum0=$(catalog_sum) ddl0=$(catalog_ddl)
"$VM_BIN" import "$T/huge.csv" >/dev/null 2>&1 </dev/null &
pid=$!
check "COPY started on the private server" wait_for_copy
private_server_kill
wait "$pid"
RC=$?
check "the import fails when the server dies (exit $RC)" test "$RC" = 69 -o "$RC" = 1
private_server_restart
expect_eq "$sum0" "$(catalog_sum)" "kill -9 of the server mid-import leaves the catalog as it was"
expect_eq "$ddl0" "$(catalog_ddl)" "and every index and key of it"
expect_eq "$ddl_empty" "$ddl0" "the same indexes and keys as a fresh catalog"

finish
