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
vm migrate --status --format json
expect_rc 0 "migrate --status --format json (SPEC: every command that prints records)"
expect_eq "$nfiles pending null $first" \
  "$(jq -r '"\(length) \(.[0].state) \(.[0].applied_at) \(.[0].migration)"' <<<"$OUT")" \
  "one object per migration: state, applied_at null when pending, migration"
vm migrate --status --format csv
expect_eq "state,applied_at,migration" "$(head -1 <<<"$OUT" | tr -d "\r")" "CSV has the columns as a header"
expect_eq "pending,,$first" "$(sed -n 2p <<<"$OUT" | tr -d "\r")" "and a row per migration"
vm migrate --format json; expect_rc 2 "--format without --status is a usage error"

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

# 0012 turns each vendor row into the record of the source that last wrote
# it (its last batch's source; else its first linked source; else a source
# "unattributed"), keeps every link, and changes no vendor row.
new_db
psql_q "CREATE TABLE schema_migrations (version integer PRIMARY KEY, file_name text NOT NULL,
  checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
for f in $(echo "$files" | grep -v '^0012'); do
  [ "${f%%_*}" -lt 12 ] || continue
  "$VM_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$VM_PGHOST" -U "$VM_PGUSER" -d "$DB_NAME" \
    -1 -f "$VM_SOURCE_DIR/migrations/$f" >/dev/null 2>&1
  psql_q "INSERT INTO schema_migrations (version, file_name, checksum)
    VALUES (${f%%_*}, '$f', '$(sha256sum <"$VM_SOURCE_DIR/migrations/$f" | cut -d' ' -f1)')" >/dev/null
done
expect_eq "11" "$(psql_q 'SELECT max(version) FROM schema_migrations')" "a catalog from before 0012"
psql_q "INSERT INTO sources (id, name) VALUES (1, 'alpha'), (2, 'beta');
  INSERT INTO import_batches (id, source_id, file_name, file_sha256, finished_at)
    VALUES (1, 1, 'alpha.csv', 'x', now()), (2, 2, 'beta.csv', 'y', now());
  INSERT INTO vendors (id, name, name_key, website, website_host, country, country_raw, services_raw,
      service_phrases, languages, certifications, rate_raw, rate_min, rate_max, currency, rating_raw,
      rating, extra, content_hash, computed_type, first_batch_id, last_batch_id)
    VALUES (1, 'Acme', 'acme', 'https://acme.example', 'acme.example', 'PH', 'Philippines',
      'Customer Support', '{Customer Support}', '{en}', '{ISO27001}', '\$12/hr', 12, 12, 'USD', '4.5',
      4.5, '{\"Notes\": \"x\"}', 'h1', 'BPO', 1, 2),
      (2, 'Beta Co', 'beta co', NULL, NULL, NULL, NULL, NULL, '{}', '{}', '{}', NULL, NULL, NULL, NULL,
      NULL, NULL, '{}', 'h2', 'UNCLASSIFIED', 1, 1),
      (3, 'Orphan', 'orphan', NULL, NULL, 'IN', 'India', NULL, '{}', '{}', '{}', NULL, NULL, NULL, NULL,
      NULL, NULL, '{}', 'h3', 'UNCLASSIFIED', NULL, NULL);
  INSERT INTO vendor_sources (vendor_id, source_id, source_row_id, first_batch_id, last_batch_id)
    VALUES (1, 1, NULL, 1, 1), (1, 2, 'B-1', 2, 2), (2, 1, NULL, 1, 1);
  SELECT setval('sources_id_seq', 2), setval('import_batches_id_seq', 2), setval('vendors_id_seq', 3)" >/dev/null
vendors_sum="SELECT md5(string_agg(to_jsonb(v)::text, '|' ORDER BY id)) FROM vendors v"
vendors_before=$(psql_q "$vendors_sum")
vm migrate
expect_rc 0 "migrate applies 0012 over existing vendors"
expect_eq "$vendors_before" "$(psql_q "$vendors_sum")" "0012 changes no vendor row"
expect_eq "1|alpha|f
1|beta|t
2|alpha|t
3|unattributed|t" "$(psql_q "SELECT vs.vendor_id, s.name, vs.content_hash IS NOT NULL FROM vendor_sources vs
  JOIN sources s ON s.id = vs.source_id ORDER BY 1, 2")" \
  "each vendor is a record of the source that last wrote it; other links are kept without one"
rec_cols="name, name_key, website, website_host, country, country_raw, city, services_raw, service_phrases,
  industries_raw, industries, languages_raw, languages, certifications_raw, certifications, employees_raw,
  employees_min, employees_max, founded_raw, founded, rate_raw, rate_min, rate_max, currency, rating_raw,
  rating, delivery_raw, delivery, email, phone, description, expertise, data_security, extra, content_hash"
expect_eq "0" "$(psql_q "SELECT count(*) FROM vendors v WHERE NOT EXISTS (SELECT 1 FROM vendor_sources vs
  WHERE vs.vendor_id = v.id AND ROW($rec_cols) IS NOT DISTINCT FROM (SELECT ROW($rec_cols) FROM vendors x WHERE x.id = v.id))")" \
  "every stored value of every vendor is in its record: nothing lost"
expect_eq "B-1|2|2" "$(psql_q "SELECT source_row_id, first_batch_id, last_batch_id FROM vendor_sources WHERE vendor_id = 1 AND source_id = 2")" \
  "the link's own id and batches are kept"
schema=$(psql_q "SELECT table_schema FROM information_schema.tables WHERE table_name = 'vendors'")
vm --schema "$schema" vendors show 1 --format json
expect_rc 0 "show a migrated vendor"
expect_eq "beta" "$(jq -r '.provenance[] | select(.fields | index("rating")) | .source' <<<"$OUT")" \
  "its values are the writer's"

finish
