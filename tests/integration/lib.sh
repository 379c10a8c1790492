# lib.sh: sourced by every integration test. Gives each test its own database
# on the shared test server, a scratch directory, and small assertions that
# print what was expected and what came instead.
set -uo pipefail
: "${VM_BIN:?run through ctest}" "${VM_PGSTATE:?run through ctest}"
. "$VM_PGSTATE"
FIX=$VM_SOURCE_DIR/fixtures
T=$(mktemp -d /tmp/vmit.XXXXXX)
export VENDORMATCH_HOME=$T/home   # never touch the user's embedded database
unset VENDORMATCH_DB DATABASE_URL VENDORMATCH_SCHEMA VENDORMATCH_CONNECT_TIMEOUT
# The PG* environment is a connection rule of its own (docs/database.md):
# a test that wants it sets it.
unset PGSERVICE PGHOST PGDATABASE PGPORT PGUSER PGPASSWORD PGCONNECT_TIMEOUT
# psql and the other client programs see the catalog schema's tables unqualified
# (and public's, for tests that build an earlier catalog there). vendormatch
# sets its own search_path after connecting, so this does not steer it.
export PGOPTIONS="-c search_path=vendormatch,public"
VM_TEST_NAME=$(basename "$0" .sh)
VM_FAILS=0
VM_CHECKS=0
VM_DBS=()

cleanup() {
  for db in "${VM_DBS[@]}"; do
    "$VM_PGBIN/dropdb" -h "$VM_PGHOST" -U "$VM_PGUSER" --if-exists "$db" >/dev/null 2>&1 || true
  done
  rm -rf "$T"
}
trap cleanup EXIT

# new_db: creates a fresh database and points VENDORMATCH_DB at it.
new_db() {
  local db="vmit_$(date +%s%N)_$$_${RANDOM}"
  "$VM_PGBIN/createdb" -h "$VM_PGHOST" -U "$VM_PGUSER" "$db" || { echo "createdb failed" >&2; exit 1; }
  VM_DBS+=("$db")
  export VENDORMATCH_DB="host=$VM_PGHOST user=$VM_PGUSER dbname=$db"
  DB_NAME=$db
}

# psql_q SQL: runs SQL on the test's database, unaligned, tuples only.
# vendors.services as category codes (it stores their ids, in first-matched
# order; migrations/0006), for queries over vendors v.
SERVICE_CODES="(SELECT coalesce(array_agg(c.code ORDER BY u.n), '{}') FROM unnest(v.services)
  WITH ORDINALITY u(id, n) JOIN taxonomy_categories c ON c.id = u.id)"

psql_q() {
  "$VM_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$VM_PGHOST" -U "$VM_PGUSER" -d "$DB_NAME" -c "$1"
}

# db_checksum: an md5 of all the data of the test's database, sequences
# included (pg_dump's per-run key lines left out): equal before and after a
# command that must write nothing.
db_checksum() {
  "$VM_PGBIN/pg_dump" -h "$VM_PGHOST" -U "$VM_PGUSER" --data-only "$DB_NAME" |
    grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' | md5sum
}

# wait_sql SQL [SECONDS]: until SQL returns t, checking every 0.1 s, for at
# most SECONDS (default 60); fails when it never does.
wait_sql() {
  local tries=$(( ${2:-60} * 10 ))
  for _ in $(seq 1 "$tries"); do
    [ "$(psql_q "$1" 2>/dev/null)" = t ] && return 0
    sleep 0.1
  done
  return 1
}

# vm ARGS...: runs the binary, leaving stdout in $OUT, stderr in $ERR, code in $RC.
vm() {
  "$VM_BIN" "$@" >"$T/out" 2>"$T/err" </dev/null
  RC=$?
  OUT=$(cat "$T/out")
  ERR=$(cat "$T/err")
}

# vm_in FILE ARGS...: like vm, with FILE on stdin.
vm_in() {
  local f=$1; shift
  "$VM_BIN" "$@" >"$T/out" 2>"$T/err" <"$f"
  RC=$?
  OUT=$(cat "$T/out")
  ERR=$(cat "$T/err")
}

fail() {
  VM_FAILS=$((VM_FAILS + 1))
  echo "FAIL: $*" >&2
}

check() { # check DESCRIPTION COMMAND...: passes when COMMAND succeeds
  local what=$1; shift
  VM_CHECKS=$((VM_CHECKS + 1))
  if "$@"; then echo "ok - $what"; else fail "$what"; fi
}

expect_rc() { # expect_rc CODE DESCRIPTION
  VM_CHECKS=$((VM_CHECKS + 1))
  if [ "$RC" = "$1" ]; then echo "ok - $2 (exit $RC)"
  else fail "$2: expected exit $1, got $RC"; echo "--- stdout:"; echo "$OUT" | head -20; echo "--- stderr:"; echo "$ERR" | head -20; fi
}

expect_eq() { # expect_eq EXPECTED ACTUAL DESCRIPTION
  VM_CHECKS=$((VM_CHECKS + 1))
  if [ "$1" = "$2" ]; then echo "ok - $3"
  else fail "$3: expected [$1], got [$2]"; fi
}

expect_contains() { # expect_contains HAYSTACK NEEDLE DESCRIPTION
  VM_CHECKS=$((VM_CHECKS + 1))
  if [[ "$1" == *"$2"* ]]; then echo "ok - $3"
  else fail "$3: [$2] not found in:"; echo "$1" | head -30 >&2; fi
}

expect_not_contains() { # expect_not_contains HAYSTACK NEEDLE DESCRIPTION
  VM_CHECKS=$((VM_CHECKS + 1))
  if [[ "$1" != *"$2"* ]]; then echo "ok - $3"
  else fail "$3: [$2] should not appear in:"; echo "$1" | head -30 >&2; fi
}

# finish: the last line of every test; non-zero exit when any check failed.
finish() {
  echo "$VM_TEST_NAME: $((VM_CHECKS - VM_FAILS)) passed, $VM_FAILS failed"
  [ "$VM_FAILS" = 0 ]
}
