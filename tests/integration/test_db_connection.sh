#!/usr/bin/env bash
# test_db_connection: how vendormatch finds its database and schema, against a
# second real PostgreSQL cluster started here on a free loopback port with
# password authentication over TCP (scram-sha-256, and md5 for one role):
# the order --db > VENDORMATCH_DB > DATABASE_URL > the PG* environment
# (PGHOST/PGDATABASE/PGSERVICE, with PGPASSWORD, ~/.pgpass, a service file)
# > the embedded database, `db which` and -v, an empty --db, connection
# failures (exit 69, never a password), the connect timeout against a socket
# that never answers, the catalog in a schema of its own next to another
# application's public.schema_migrations, schema names, and the carrying
# over of a catalog an earlier vendormatch made in public.
. "$(dirname "$0")/lib.sh"

as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

PW='Sc3ret-pw_0n-TCP'
MDPW='md5-Pa55word-xyz'
PG2=$(mktemp -d /tmp/vmpg2.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$PG2"
chmod 0700 "$PG2"
PORT=$(free_port)
LISTENER_PID=
stop_pg2() {
  [ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null
  as_server "$VM_PGBIN/pg_ctl" -D "$PG2/data" -m immediate -w stop >/dev/null 2>&1
  "$VM_BIN" -q db stop >/dev/null 2>&1
  rm -rf "$PG2"
  cleanup
}
trap stop_pg2 EXIT

as_server "$VM_PGBIN/initdb" -D "$PG2/data" -U admin -E UTF8 --locale=C.UTF-8 \
  --auth-local=trust --auth-host=scram-sha-256 >"$PG2/initdb.log" 2>&1 || { cat "$PG2/initdb.log"; exit 1; }
# md5 for mduser, scram for everyone else; TCP on the loopback only.
sed -i '/^host /d' "$PG2/data/pg_hba.conf"
cat >>"$PG2/data/pg_hba.conf" <<EOF
host all mduser 127.0.0.1/32 md5
host all all 127.0.0.1/32 scram-sha-256
EOF
as_server "$VM_PGBIN/pg_ctl" -D "$PG2/data" -l "$PG2/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories='$PG2' -c fsync=off" start >/dev/null \
  || { cat "$PG2/server.log"; exit 1; }
admin() { "$VM_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG2" -p "$PORT" -U admin -d "${2:-postgres}" -c "$1"; }
admin "CREATE ROLE vmuser LOGIN PASSWORD '$PW'" >/dev/null
admin "SET password_encryption = 'md5'; CREATE ROLE mduser LOGIN PASSWORD '$MDPW'" >/dev/null
admin "CREATE DATABASE vendors OWNER vmuser" >/dev/null
admin "CREATE DATABASE shared OWNER vmuser" >/dev/null
admin "CREATE DATABASE mdvendors OWNER mduser" >/dev/null
check "the server asks vmuser for a scram password" test "$(admin "SELECT left(rolpassword, 13) FROM pg_authid WHERE rolname = 'vmuser'")" = "SCRAM-SHA-256"
check "the server asks mduser for an md5 password" test "$(admin "SELECT left(rolpassword, 3) FROM pg_authid WHERE rolname = 'mduser'")" = "md5"
vendors_in() { admin "SELECT count(*) FROM $2.vendors" "$1"; }
CATALOG=$FIX/catalogs/canonical.csv

# The test server of the other tests, as a second target for the order.
new_db
HARNESS_DB=$VENDORMATCH_DB
unset VENDORMATCH_DB

# --- The PG* environment, as psql would use it -------------------------------
pgenv() { env PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=vmuser PGDATABASE=vendors "$@"; }
pgenv PGPASSWORD="$PW" "$VM_BIN" migrate >"$T/out" 2>"$T/err"; RC=$?; ERR=$(cat "$T/err")
expect_rc 0 "migrate through PGHOST/PGPORT/PGUSER/PGDATABASE/PGPASSWORD"
check "the embedded database was not started" test ! -e "$VENDORMATCH_HOME/data"
expect_eq "0" "$(admin "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" vendors)" "nothing in public"
expect_eq "t" "$(admin "SELECT to_regclass('vendormatch.schema_migrations') IS NOT NULL" vendors)" "the migrations table is in the schema"
pgenv PGPASSWORD="$PW" "$VM_BIN" -v import "$CATALOG" >"$T/out" 2>"$T/err"; RC=$?; ERR=$(cat "$T/err")
expect_rc 0 "import through the PG* environment"
ncat=$(vendors_in vendors vendormatch)
check "the vendors are in vendors.vendormatch on the TCP server" test "$ncat" -gt 10
expect_contains "$ERR" "database host=127.0.0.1 port=$PORT dbname=vendors user=vmuser, schema vendormatch" "-v names host, port, dbname, user and schema"
expect_contains "$ERR" "PGHOST, PGDATABASE set" "-v says which rule chose the database"
expect_not_contains "$ERR" "$PW" "-v never shows the password"
pgenv PGPASSWORD="$PW" "$VM_BIN" db which >"$T/out" 2>"$T/err"; RC=$?; OUT=$(cat "$T/out")
expect_rc 0 "db which through the PG* environment"
expect_eq "source:   the libpq environment: PGHOST, PGDATABASE set (no --db, VENDORMATCH_DB or DATABASE_URL)
host:     127.0.0.1
port:     $PORT
dbname:   vendors
user:     vmuser
schema:   vendormatch (from the default)
catalog:  up to date ($(ls "$VM_SOURCE_DIR"/migrations/[0-9]*_*.sql | wc -l) migrations)" "$OUT" "db which: every field"

# ~/.pgpass instead of PGPASSWORD, and a service file.
mkdir -p "$T/h"
echo "127.0.0.1:$PORT:*:vmuser:$PW" >"$T/h/.pgpass"
chmod 0600 "$T/h/.pgpass"
pgenv HOME="$T/h" "$VM_BIN" stats >"$T/out" 2>"$T/err"; RC=$?; OUT=$(cat "$T/out")
expect_rc 0 "the password comes from ~/.pgpass"
expect_contains "$OUT" "vendors: $ncat" "stats reads the TCP server's catalog"
printf '[vmsvc]\nhost=127.0.0.1\nport=%s\nuser=vmuser\ndbname=vendors\n' "$PORT" >"$T/h/services.conf"
env HOME="$T/h" PGSERVICEFILE="$T/h/services.conf" PGSERVICE=vmsvc "$VM_BIN" -v stats >"$T/out" 2>"$T/err"; RC=$?; OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
expect_rc 0 "PGSERVICE with a service file"
expect_contains "$OUT" "vendors: $ncat" "the service names the TCP server"
expect_contains "$ERR" "PGSERVICE set" "-v names PGSERVICE"

# Failures: exit 69, the reason, never the password.
pgenv PGPASSWORD="wrong-$PW" "$VM_BIN" stats >"$T/out" 2>"$T/err"; RC=$?; OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
expect_rc 69 "a wrong PGPASSWORD"
expect_contains "$ERR" "password authentication failed" "libpq's reason is shown"
expect_contains "$ERR" "host=127.0.0.1 port=$PORT dbname=vendors user=vmuser" "the message names the target"
expect_contains "$ERR" "PG*" "the message says to check the PG* variables"
expect_not_contains "$OUT$ERR" "$PW" "no password in the message"
pgenv "$VM_BIN" stats >"$T/out" 2>"$T/err" </dev/null; RC=$?; ERR=$(cat "$T/err")
expect_rc 69 "no password at all"
vm --db "postgresql://vmuser:not-$PW@127.0.0.1:$PORT/vendors" stats
expect_rc 69 "a wrong password in --db"
expect_not_contains "$OUT$ERR" "not-$PW" "no password from --db in the message"
vm --db "host=127.0.0.1 port=$PORT user=vmuser password='$PW' dbname=nosuchdb" stats
expect_rc 69 "a database that does not exist"
expect_not_contains "$OUT$ERR" "$PW" "no password for a missing database"

# md5 authentication, password in key=value --db.
vm --db "host=127.0.0.1 port=$PORT user=mduser password=$MDPW dbname=mdvendors" migrate
expect_rc 0 "migrate as an md5 role"
vm --db "host=127.0.0.1 port=$PORT user=mduser password=$MDPW dbname=mdvendors" import "$CATALOG"
expect_rc 0 "import as an md5 role"
expect_eq "$ncat" "$(vendors_in mdvendors vendormatch)" "the md5 role's catalog"

# --- The order --------------------------------------------------------------
good_url="postgresql://vmuser:$PW@127.0.0.1:$PORT/vendors"
bad_url="postgresql://vmuser:$PW@127.0.0.1:1/nowhere"
which_source() { "$VM_BIN" "$@" db which 2>/dev/null | sed -n 's/^source: *//p'; }
export PGPASSWORD=$PW
# (PGPORT would steer the harness's socket connection too, so it is left out
# where the harness database should win.)
expect_eq "--db" "$(PGHOST=127.0.0.1 PGDATABASE=vendors VENDORMATCH_DB=$bad_url DATABASE_URL=$bad_url which_source --db "$HARNESS_DB")" \
  "--db wins over VENDORMATCH_DB, DATABASE_URL and PG*"
expect_eq "VENDORMATCH_DB (no --db)" "$(PGHOST=127.0.0.1 PGDATABASE=vendors VENDORMATCH_DB=$HARNESS_DB DATABASE_URL=$bad_url which_source)" \
  "VENDORMATCH_DB wins over DATABASE_URL and PG*"
expect_eq "VENDORMATCH_DB (no --db)" "$(VENDORMATCH_DB=$HARNESS_DB which_source --db '')" "--db '' counts as not set"
expect_eq "VENDORMATCH_DB (no --db)" "$(VENDORMATCH_DB=$HARNESS_DB which_source --db=)" "--db= counts as not set"
expect_eq "DATABASE_URL (no --db or VENDORMATCH_DB)" "$(PGHOST=127.0.0.1 PGPORT=$PORT PGDATABASE=vendors VENDORMATCH_DB= DATABASE_URL=$good_url which_source)" \
  "DATABASE_URL wins over PG*; an empty VENDORMATCH_DB is not set"
PGHOST= PGDATABASE=nosuchdb DATABASE_URL= vm stats
expect_rc 69 "PGDATABASE alone selects the PG* environment (no server on the default socket)"
expect_contains "$ERR" "dbname=nosuchdb" "the message names the PG* target"
expect_contains "$ERR" "from the libpq environment: PGDATABASE set (no --db, VENDORMATCH_DB or DATABASE_URL)" "and the rule"
expect_eq "the embedded database (no --db, VENDORMATCH_DB, DATABASE_URL, PGSERVICE, PGHOST or PGDATABASE)" \
  "$(PGPORT=$PORT PGUSER=vmuser which_source)" "PGPORT and PGUSER alone do not"
vm db which
expect_rc 0 "db which on the embedded database"
expect_contains "$OUT" "host:     $VENDORMATCH_HOME" "the embedded database's socket directory"
expect_contains "$OUT" "not running" "db which does not start the embedded database"
check "the embedded database was still not started" test ! -e "$VENDORMATCH_HOME/data"
# Through real commands: the counts differ between the two servers.
PGHOST=127.0.0.1 PGDATABASE=vendors VENDORMATCH_DB=$HARNESS_DB vm migrate
PGHOST=127.0.0.1 PGDATABASE=vendors VENDORMATCH_DB=$HARNESS_DB vm stats
expect_contains "$OUT" "vendors: 0" "stats with VENDORMATCH_DB and PG* reads VENDORMATCH_DB's empty catalog"
PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=vmuser PGDATABASE=vendors VENDORMATCH_DB= vm --db '' stats
expect_contains "$OUT" "vendors: $ncat" "with --db '' and an empty VENDORMATCH_DB, PG* is used"
unset PGPASSWORD

# --- Another application's schema_migrations --------------------------------
admin "CREATE TABLE public.schema_migrations (version varchar PRIMARY KEY);
  INSERT INTO public.schema_migrations VALUES ('20240101000000'), ('20240202000000');
  CREATE TABLE public.vendors (id int); ALTER TABLE public.schema_migrations OWNER TO vmuser;
  ALTER TABLE public.vendors OWNER TO vmuser" shared >/dev/null
rails_before=$(admin "SELECT string_agg(version, ',' ORDER BY version) FROM public.schema_migrations" shared)
shared="host=127.0.0.1 port=$PORT user=vmuser password=$PW dbname=shared"
vm --db "$shared" migrate
expect_rc 0 "migrate next to a Rails-style public.schema_migrations"
vm --db "$shared" import "$CATALOG"
expect_rc 0 "import next to another application's tables"
expect_eq "$ncat" "$(vendors_in shared vendormatch)" "the catalog is in schema vendormatch"
expect_eq "$rails_before" "$(admin "SELECT string_agg(version, ',' ORDER BY version) FROM public.schema_migrations" shared)" \
  "the other application's schema_migrations is untouched"
expect_eq "version" "$(admin "SELECT string_agg(attname, ',') FROM pg_attribute WHERE attrelid = 'public.schema_migrations'::regclass AND attnum > 0" shared)" \
  "and keeps its one column"
expect_eq "0" "$(vendors_in shared public)" "the other application's vendors table is untouched"
vm --db "$shared" --schema public migrate
expect_rc 1 "--schema public with a foreign schema_migrations"
expect_contains "$ERR" "belongs to another application" "says the table is someone else's"
# A second catalog in the same database, by option and by variable.
vm --db "$shared" --schema second migrate
expect_rc 0 "a second catalog in schema second"
VENDORMATCH_SCHEMA=second vm --db "$shared" -v stats
expect_contains "$OUT" "vendors: 0" "VENDORMATCH_SCHEMA selects the second, empty catalog"
expect_contains "$ERR" "schema second; source: --db; schema from VENDORMATCH_SCHEMA" "-v names the schema's rule"
VENDORMATCH_SCHEMA=second vm --db "$shared" --schema '' stats
expect_contains "$OUT" "vendors: 0" "--schema '' counts as not set"
VENDORMATCH_SCHEMA=second vm --db "$shared" --schema vendormatch stats
expect_contains "$OUT" "vendors: $ncat" "--schema wins over VENDORMATCH_SCHEMA"
vm --db "$shared" --schema third stats
expect_rc 1 "a catalog command on a schema without a catalog"
expect_contains "$ERR" "vendormatch migrate" "says to run migrate"

# Schema names are quoted as identifiers, never pasted.
evil='x"; DROP TABLE public.vendors; --'
vm --db "$shared" --schema "$evil" migrate
expect_rc 0 "a schema name with quotes and SQL in it"
expect_eq "1" "$(admin "SELECT count(*) FROM pg_namespace WHERE nspname = \$\$$evil\$\$" shared)" "the schema has exactly that name"
expect_eq "t" "$(admin "SELECT to_regclass('public.vendors') IS NOT NULL" shared)" "nothing was injected"
for bad in 'pg_mine' "$(printf 'a\tb')" "$(printf 'x%.0s' {1..64})" "$(printf 'bad\xff')"; do
  vm --db "$shared" --schema "$bad" stats
  expect_rc 2 "invalid schema name $(printf %q "$bad" | cut -c1-20)"
done
VENDORMATCH_SCHEMA=pg_bad vm --db "$shared" stats
expect_rc 2 "an invalid VENDORMATCH_SCHEMA"
expect_contains "$ERR" "VENDORMATCH_SCHEMA" "the message names the variable"
vm --schema
expect_rc 2 "--schema without a value"

# psql through `db url` sees the embedded catalog's tables.
vm -q import "$CATALOG"
expect_rc 0 "import into the embedded database"
expect_eq "$ncat" "$("$VM_PGBIN/psql" -X -A -t -d "$("$VM_BIN" db url)" -c 'SELECT count(*) FROM vendors')" \
  "db url sets search_path to the catalog schema"
"$VM_BIN" -q db stop

# --- Connect timeout: a socket that accepts and never answers -----------------
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
' >"$T/listener.port" &
LISTENER_PID=$!
for _ in $(seq 100); do [ -s "$T/listener.port" ] && break; sleep 0.1; done
LPORT=$(cat "$T/listener.port")
silent="host=127.0.0.1 port=$LPORT user=x password=$PW dbname=x sslmode=disable"
# timeout(1) is only a guard (exit 124 = hung); the checks are on exit 69.
guarded() { timeout 60 "$VM_BIN" "$@" >"$T/out" 2>"$T/err"; RC=$?; ERR=$(cat "$T/err"); }
guarded --connect-timeout 2 --db "$silent" stats
expect_rc 69 "--connect-timeout 2 against a silent server"
expect_contains "$ERR" "timeout expired" "libpq's reason"
expect_contains "$ERR" "connect timeout, 2 s from --connect-timeout" "the message names the timeout and its origin"
expect_not_contains "$ERR" "$PW" "no password in the timeout message"
VENDORMATCH_CONNECT_TIMEOUT=2 guarded --db "$silent" migrate
expect_rc 69 "VENDORMATCH_CONNECT_TIMEOUT=2"
expect_contains "$ERR" "2 s from VENDORMATCH_CONNECT_TIMEOUT" "names VENDORMATCH_CONNECT_TIMEOUT"
PGCONNECT_TIMEOUT=2 VENDORMATCH_CONNECT_TIMEOUT=3600 guarded --connect-timeout 3600 --db "$silent" stats
expect_rc 69 "PGCONNECT_TIMEOUT wins over ours"
expect_contains "$ERR" "PGCONNECT_TIMEOUT" "names PGCONNECT_TIMEOUT"
guarded --connect-timeout 3600 --db "$silent connect_timeout=2" stats
expect_rc 69 "connect_timeout in the connection string wins over --connect-timeout"
PGHOST=127.0.0.1 PGPORT=$LPORT PGSSLMODE=disable guarded stats
expect_rc 69 "the default timeout (10 s) ends a PG* connection to a silent server"
expect_contains "$ERR" "10 s from the default" "the default timeout is named"
for bad in abc 1e3 -5 ' 5' 5s 99999999999999999999 86401; do
  vm --connect-timeout "$bad" stats
  expect_rc 2 "--connect-timeout '$bad'"
done
expect_contains "$ERR" "whole seconds" "the accepted form is stated"
VENDORMATCH_CONNECT_TIMEOUT=x vm stats
expect_rc 2 "an invalid VENDORMATCH_CONNECT_TIMEOUT"
kill "$LISTENER_PID"; LISTENER_PID=

finish
