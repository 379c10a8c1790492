#!/usr/bin/env bash
# test_schema_drift: schema/schema.sql must be what the migrations build.
# Migrates a fresh database, dumps it with the same normalisation as
# scripts/update-schema, and fails with the diff (run scripts/update-schema).
. "$(dirname "$0")/lib.sh"

new_db
vm -q migrate
expect_rc 0 "migrate a fresh database"
bash "$VM_SOURCE_DIR/scripts/update-schema" --dump "$VENDORMATCH_DB" >"$T/schema.sql" 2>"$T/dump.err"
check "dump the migrated schema" test -s "$T/schema.sql"
if diff -u "$VM_SOURCE_DIR/schema/schema.sql" "$T/schema.sql" >"$T/diff"; then
  check "schema/schema.sql matches the migrations" true
else
  check "schema/schema.sql matches the migrations (run scripts/update-schema)" false
  head -100 "$T/diff"
  cat "$T/dump.err" >&2
fi

finish
