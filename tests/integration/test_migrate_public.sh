#!/usr/bin/env bash
# test_migrate_public: a catalog an earlier vendormatch made in schema public
# (every migration before NNNN_own_schema.sql applied there and recorded in
# public.schema_migrations exactly as that vendormatch did, then catalogs,
# rejects and a shortlist written into it) is carried into schema vendormatch
# by `migrate` with nothing lost: the same tables, sequences, indexes,
# constraints, defaults and functions (pg_dump --schema-only of the old
# schema, with the later migrations applied to it in place, = of the new
# one), every table's rows (ordered dumps equal), the
# sequences' positions, and nothing of it left in public.
. "$(dirname "$0")/lib.sh"

files=$(cd "$VM_SOURCE_DIR/migrations" && ls [0-9]*_*.sql | sort)
own=$(echo "$files" | grep '_own_schema\.sql$')
old=$(echo "$files" | awk -v own="$own" '$0 == own { exit } { print }')
# Migrations after the own-schema one: the earlier vendormatch never had them.
later=$(echo "$files" | awk -v own="$own" 'f { print } $0 == own { f = 1 }')
check "there is an own-schema migration after the earlier ones" test -n "$own" -a -n "$old"

new_db
psql_in() { # psql_in SCHEMA SQL: SQL with search_path = SCHEMA only
  PGOPTIONS="-c search_path=$1" "$VM_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$VM_PGHOST" \
    -U "$VM_PGUSER" -d "$DB_NAME" -c "$2"
}
ownv=$((10#${own%%_*}))
sha() { sha256sum <"$VM_SOURCE_DIR/migrations/$1" | cut -d' ' -f1; }
record() { psql_in public "INSERT INTO schema_migrations (version, file_name, checksum) VALUES (${1%%_*}, '$1', '$(sha "$1")')" >/dev/null; }

# The earlier vendormatch: schema_migrations and every migration in public.
psql_in public "CREATE TABLE schema_migrations (version integer PRIMARY KEY, file_name text NOT NULL,
  checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
for f in $old; do
  PGOPTIONS="-c search_path=public" "$VM_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$VM_PGHOST" -U "$VM_PGUSER" \
    -d "$DB_NAME" -1 -f "$VM_SOURCE_DIR/migrations/$f" >/dev/null || fail "applying $f in public"
  record "$f"
done
# Data written by the binary into public (--schema public), with the
# own-schema migration and those after it marked applied just for that
# (nothing the data needs), then unmarked.
for f in $own $later; do record "$f"; done
# Today's importer also needs the per-source records of a later migration
# (NNNN_source_records.sql): lent to the earlier catalog for the writes,
# then taken back (its columns and functions dropped), so what is left is
# what an earlier vendormatch had.
lent=$(echo "$later" | grep '_source_records\.sql$')
PGOPTIONS="-c search_path=public" "$VM_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$VM_PGHOST" -U "$VM_PGUSER" \
  -d "$DB_NAME" -1 -f "$VM_SOURCE_DIR/migrations/$lent" >/dev/null || fail "lending $lent"
vm --schema public import --source clutch "$FIX/catalogs/canonical.csv"
expect_rc 0 "import into the earlier catalog"
vm --schema public import --source partners "$FIX/catalogs/partner_overlap.csv"
expect_rc 0 "a second source"
vm --schema public import --source broken --on-error skip "$FIX/broken/ragged_rows.csv"
expect_rc 0 "rejects recorded"
vm --schema public match --service "customer support" --save legacy-list
expect_rc 0 "a shortlist saved"
psql_in public "DELETE FROM schema_migrations WHERE version >= $ownv" >/dev/null
psql_in public "ALTER TABLE vendor_sources DROP COLUMN name, DROP COLUMN name_key, DROP COLUMN website,
    DROP COLUMN website_host, DROP COLUMN country, DROP COLUMN country_raw, DROP COLUMN city,
    DROP COLUMN services_raw, DROP COLUMN service_phrases, DROP COLUMN industries_raw,
    DROP COLUMN industries, DROP COLUMN languages_raw, DROP COLUMN languages,
    DROP COLUMN certifications_raw, DROP COLUMN certifications, DROP COLUMN employees_raw,
    DROP COLUMN employees_min, DROP COLUMN employees_max, DROP COLUMN founded_raw, DROP COLUMN founded,
    DROP COLUMN rate_raw, DROP COLUMN rate_min, DROP COLUMN rate_max, DROP COLUMN currency,
    DROP COLUMN rating_raw, DROP COLUMN rating, DROP COLUMN delivery_raw, DROP COLUMN delivery,
    DROP COLUMN email, DROP COLUMN phone, DROP COLUMN description, DROP COLUMN expertise,
    DROP COLUMN data_security, DROP COLUMN extra, DROP COLUMN content_hash;
  COMMENT ON COLUMN vendor_sources.last_batch_id IS NULL;
  ALTER TABLE sources DROP COLUMN priority, DROP COLUMN column_map, DROP COLUMN delimiter,
    DROP COLUMN header, DROP COLUMN last_import_at;
  ALTER TABLE import_batches DROP COLUMN retired;
  DROP AGGREGATE vm_array_union(anycompatiblearray); DROP AGGREGATE vm_jsonb_merge(jsonb);
  DROP FUNCTION vm_array_union_step(anycompatiblearray, anycompatiblearray)" >/dev/null || fail "taking $lent back"

tables=$(psql_in public "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")
check "the earlier catalog has its tables in public" test "$(echo "$tables" | wc -w)" -ge 10
rows_of() { # rows_of SCHEMA TABLE: every row as text, ordered
  psql_in "$1" "SELECT t::text FROM $1.$2 AS t ORDER BY 1"
}
# What the migrations after the own-schema one add, left out of the comparison
# of structures: 0008's pg_trgm extension and its trigram index.
LATER_OBJECTS='trgm|trigram'
structure_of() { # structure_of SCHEMA [PG_DUMP_ARGS...]: the schema-only dump with the schema name blanked
  local schema=$1; shift
  "$VM_PGBIN/pg_dump" --schema-only --no-owner --no-privileges -h "$VM_PGHOST" -U "$VM_PGUSER" -n "$schema" "$@" "$DB_NAME" |
    sed -E -e "s/\\b$schema\\./S./g" -e '/^-- Name: .*; Type: SCHEMA;/d' -e '/^CREATE SCHEMA /d' -e '/^COMMENT ON SCHEMA /d' \
      -e '/^--/d' -e '/^\\(un)?restrict /d' | grep -Ev "$LATER_OBJECTS" | cat -s
}
sequences_of() { psql_in "$1" "SELECT sequencename || ' ' || coalesce(last_value::text, '-') FROM pg_sequences WHERE schemaname = '$1' ORDER BY 1"; }
for t in $tables; do rows_of public "$t" >"$T/before.$t"; done
sequences_of public >"$T/before.sequences"
# What the rows and sequences must be after the move: the migrations after the
# own-schema one change data too (a taxonomy migration adds and re-points
# aliases), so they are applied in place to a copy of the earlier catalog.
"$VM_PGBIN/createdb" -h "$VM_PGHOST" -U "$VM_PGUSER" -T "$DB_NAME" "${DB_NAME}_x" || fail "copying the earlier catalog"
VM_DBS+=("${DB_NAME}_x")
for f in $later; do
  PGOPTIONS="-c search_path=public" "$VM_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$VM_PGHOST" -U "$VM_PGUSER" \
    -d "${DB_NAME}_x" -1 -f "$VM_SOURCE_DIR/migrations/$f" >/dev/null || fail "applying $f to the copy"
done
for t in $tables; do DB_NAME=${DB_NAME}_x rows_of public "$t" >"$T/expected.$t"; done
DB_NAME=${DB_NAME}_x sequences_of public >"$T/expected.sequences"
DB_NAME=${DB_NAME}_x structure_of public >"$T/expected.structure"
mask_new_times() { # mask_new_times BEFORE ROWS: ROWS, timestamps blanked in rows not in BEFORE
  awk 'NR == FNR { b[$0] = 1; next } !($0 in b) { gsub(/"[0-9-]+ [0-9:.]+[+-][0-9][0-9]"/, "TIME") } { print }' "$1" "$2"
}
nvendors=$(psql_in public "SELECT count(*) FROM vendors")
check "the earlier catalog holds vendors, rejects and a shortlist" test "$nvendors" -gt 0 -a \
  "$(psql_in public 'SELECT count(*) FROM import_rejects')" -gt 0 -a "$(psql_in public 'SELECT count(*) FROM shortlist_entries')" -gt 0

# The new binary sees the earlier catalog and says what to do.
vm migrate --status
expect_rc 0 "migrate --status reads public.schema_migrations"
expect_eq "$(echo "$old" | wc -l)" "$(echo "$OUT" | grep -c '^applied ')" "the earlier migrations show as applied"
expect_contains "$(echo "$OUT" | grep '^pending ')" "$own" "the own-schema migration is pending"
vm db which
expect_contains "$OUT" "in schema public, made by an earlier vendormatch" "db which says where the catalog is"
vm stats
expect_rc 1 "catalog commands refuse the earlier catalog until migrate"
expect_contains "$ERR" "vendormatch migrate" "and say to run migrate"

vm migrate
expect_rc 0 "migrate carries the catalog over"
expect_contains "$ERR" "moved the catalog from schema public to schema vendormatch" "migrate says so"
expect_eq "" "$(psql_in public "SELECT string_agg(tablename, ' ') FROM pg_tables WHERE schemaname = 'public'")" "nothing is left in public"
# Tables the migrations after the own-schema one create are new there
# (0011's fx_rates): left out of the comparisons.
newer_sql=""
for f in $later; do newer_sql="$newer_sql$(cat "$VM_SOURCE_DIR/migrations/$f")"; done
newer=$(grep -oiE 'CREATE TABLE (IF NOT EXISTS )?[a-z_]+' <<<"$newer_sql" | awk '{ print $NF }' | sort -u | tr '\n' ' ')
expect_eq "$tables" "$(psql_in vendormatch "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'vendormatch' AND tablename <> ALL (string_to_array(trim('$newer'), ' '))")" \
  "the same tables are in vendormatch (besides the later migrations' ${newer:-none})"
for t in $tables; do
  rows_of vendormatch "$t" >"$T/after.$t"
  if [ "$t" = schema_migrations ]; then
    awk -F'[(,]' -v own="$ownv" '$2 < own' "$T/after.$t" >"$T/after.$t.old"
    check "schema_migrations: the earlier rows kept" cmp -s "$T/before.$t" "$T/after.$t.old"
    expect_eq "1" "$(grep -c "^($ownv,$own," "$T/after.$t")" "schema_migrations: the own-schema migration recorded"
  else
    # rows a later migration wrote carry the time it ran (copy and move differ)
    for f in expected after; do mask_new_times "$T/before.$t" "$T/$f.$t" >"$T/$f.$t.masked"; done
    check "$t: every row kept ($(wc -l <"$T/before.$t") rows, as the later migrations leave them)" \
      cmp -s "$T/expected.$t.masked" "$T/after.$t.masked"
  fi
done
# The structure is the earlier one with the later migrations applied in
# place (the copy): what they add (0011's fx_rates, 0012's record columns)
# is in both.
structure_of vendormatch >"$T/after.structure"
check "tables, sequences, indexes, constraints, defaults and functions are the same" \
  diff -u "$T/expected.structure" "$T/after.structure"
expect_eq "$(cat "$T/expected.sequences")" "$(sequences_of vendormatch)" "the sequences kept their positions"
check "the sequences are still owned by their columns" test "$(psql_in vendormatch "SELECT count(*) FROM pg_depend d
  JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' WHERE d.deptype = 'a' AND s.relnamespace = 'vendormatch'::regnamespace")" -ge 6

vm migrate --status
expect_eq "$(echo "$files" | wc -l)" "$(echo "$OUT" | grep -c '^applied ')" "every migration applied"
vm stats
expect_rc 0 "catalog commands work after the move"
expect_contains "$OUT" "vendors: $nvendors" "stats sees every vendor"
vm shortlists show legacy-list --format json
expect_rc 0 "the shortlist is still there"
vm vendors search "meridan research" --format json
expect_eq "Meridian Research Partners" "$(jq -r '.[0].name' <<<"$OUT")" "search works on the carried catalog (its trigram index built after the move)"
maxid=$(psql_in vendormatch "SELECT max(id) FROM vendors")
printf 'Name,Country,Services\nBrand New Vendor,India,Data entry\n' >"$T/new.csv"
vm import --source fresh "$T/new.csv"
expect_rc 0 "import after the move"
check "new ids continue from the carried sequence" test "$(psql_in vendormatch "SELECT id FROM vendors WHERE name = 'Brand New Vendor'")" -gt "$maxid"
vm migrate
expect_rc 0 "a second migrate"
expect_not_contains "$ERR" "applied migration" "has nothing to do"

finish
