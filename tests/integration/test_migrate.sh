#!/usr/bin/env bash
# test_migrate: migrations on a server database: applied in order and
# recorded with the SHA-256 of each file, a second run is a no-op,
# --status lists them, a changed or unknown applied migration is an error,
# and two concurrent runs are serialised so each migration is applied once.
. "$(dirname "$0")/lib.sh"

files=$(cd "$VM_SOURCE_DIR/migrations" && ls [0-9]*_*.sql | sort)
nfiles=$(echo "$files" | wc -l)
first=$(echo "$files" | head -n1)

new_db
vm migrate --status
expect_rc 0 "migrate --status on an empty database"
expect_eq "$nfiles" "$(echo "$OUT" | grep -c '^pending ')" "every migration is pending"

vm migrate
expect_rc 0 "migrate"
expect_eq "$nfiles" "$(echo "$ERR" | grep -c 'applied migration')" "each migration is reported"
expect_eq "$nfiles" "$(psql_q 'SELECT count(*) FROM schema_migrations')" "one row per migration"
expected_sums=$(cd "$VM_SOURCE_DIR/migrations" && for f in $files; do echo "$f|$(sha256sum <"$f" | cut -d' ' -f1)"; done)
expect_eq "$expected_sums" "$(psql_q 'SELECT file_name, checksum FROM schema_migrations ORDER BY version')" \
  "checksums are the SHA-256 of the files"
expect_eq "$(echo "$files" | sed 's/_.*//' | sed 's/^0*//' | paste -sd,)" \
  "$(psql_q 'SELECT string_agg(version::text, $$,$$ ORDER BY version) FROM schema_migrations')" \
  "versions come from the file names"
check "the schema exists" psql_q "SELECT 'vendors'::regclass" >/dev/null
before=$(psql_q 'SELECT string_agg(applied_at::text, $$,$$ ORDER BY version) FROM schema_migrations')

vm migrate
expect_rc 0 "second migrate"
expect_not_contains "$ERR" "applied migration" "second migrate applies nothing"
expect_eq "$before" "$(psql_q 'SELECT string_agg(applied_at::text, $$,$$ ORDER BY version) FROM schema_migrations')" \
  "second migrate leaves the records alone"

vm migrate --status
expect_rc 0 "migrate --status after migrate"
expect_eq "$nfiles" "$(echo "$OUT" | grep -cE '^applied +[0-9]{4}-[0-9]{2}-[0-9]{2}T')" "every migration applied, with its time"
expect_contains "$OUT" "$first" "--status names the files"

vm -q migrate
expect_rc 0 "quiet migrate"
expect_eq "" "$ERR" "-q migrate prints nothing"

# A migration changed after it was applied: the recorded checksum differs.
psql_q "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 1" >/dev/null
vm migrate
expect_rc 1 "migrate refuses a changed migration"
expect_contains "$ERR" "$first" "the error names the changed file"
expect_contains "$ERR" "changed" "the error says it changed"
vm migrate --status
expect_rc 1 "--status exits 1 on a changed migration"
expect_contains "$OUT" "CHANGED" "--status marks the changed migration"
if "$VM_BIN" --help | grep -q '^  stats '; then
  vm stats
  expect_rc 1 "a catalog command refuses a changed migration"
fi
psql_q "UPDATE schema_migrations SET checksum = '$(sha256sum <"$VM_SOURCE_DIR/migrations/$first" | cut -d' ' -f1)' WHERE version = 1" >/dev/null
vm migrate
expect_rc 0 "migrate once the checksum matches again"

# A migration this binary does not know (applied by a newer vendormatch).
psql_q "INSERT INTO schema_migrations (version, file_name, checksum) VALUES (9999, '9999_future.sql', 'x')" >/dev/null
vm migrate
expect_rc 1 "migrate refuses a database migrated by a newer version"
expect_contains "$ERR" "9999_future.sql" "the error names the unknown migration"
psql_q "DELETE FROM schema_migrations WHERE version = 9999" >/dev/null

# Two concurrent runs on a fresh database: both succeed, each file applied once.
new_db
for i in 1 2 3; do "$VM_BIN" migrate >"$T/c$i.out" 2>"$T/c$i.err" & done
rcs=""
for job in $(jobs -p); do wait "$job"; rcs="$rcs$?"; done
expect_eq "000" "$rcs" "three concurrent migrates all exit 0"
expect_eq "$nfiles" "$(cat "$T"/c[123].err | grep -c 'applied migration')" "each migration applied by exactly one run"
expect_eq "$nfiles" "$(psql_q 'SELECT count(DISTINCT version) FROM schema_migrations')" "each migration recorded once"

# 0006 turns vendors.services from category codes into category ids, in the
# same order, on a catalog that already holds vendors: the first five applied
# and recorded as migrate would (src/db/migrate.c), then vendors with codes.
new_db
psql_q "CREATE TABLE schema_migrations (version integer PRIMARY KEY, file_name text NOT NULL,
  checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
for f in $(echo "$files" | head -n5); do
  "$VM_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$VM_PGHOST" -U "$VM_PGUSER" -d "$DB_NAME" \
    -1 -f "$VM_SOURCE_DIR/migrations/$f" >/dev/null 2>&1
  psql_q "INSERT INTO schema_migrations (version, file_name, checksum)
    VALUES (${f%%_*}, '$f', '$(sha256sum <"$VM_SOURCE_DIR/migrations/$f" | cut -d' ' -f1)')" >/dev/null
done
expect_eq "text[]" "$(psql_q "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
  WHERE attrelid = 'vendors'::regclass AND attname = 'services'")" "before 0006: services are codes"
psql_q "INSERT INTO vendors (name, name_key, content_hash, services) VALUES
  ('A', 'a', 'h1', '{market_research,customer_support}'), ('B', 'b', 'h2', '{}')" >/dev/null
vm migrate
expect_rc 0 "migrate applies 0006 over existing vendors"
expect_eq "integer[]" "$(psql_q "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
  WHERE attrelid = 'vendors'::regclass AND attname = 'services'")" "after 0006: services are ids"
expect_eq "A|{market_research,customer_support}
B|{}" "$(psql_q "SELECT name, $SERVICE_CODES FROM vendors v ORDER BY name")" "0006 keeps each vendor's categories, in order"
expect_eq "2" "$(psql_q "SELECT count(*) FROM vendors v WHERE v.services @> ARRAY[(SELECT id FROM taxonomy_categories
  WHERE code = 'market_research')] OR v.services = '{}'")" "ids name the categories"

finish
