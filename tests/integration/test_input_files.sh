#!/usr/bin/env bash
# test_input_files: every command that reads an input file opens it the one
# way (src/io/infile.c, README "Exit codes"): '-' is standard input, and a
# file that cannot be opened is exit 1, "FILE: cannot open: reason (check
# the path)", before anything is stored.
. "$(dirname "$0")/lib.sh"

new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
cat >"$T/tax.csv" <<'CSV'
phrase,category,process_type
gizmo auditing,gizmo_audit,KPO
CSV

for args in "import $T/missing.csv" "taxonomy import $T/missing.csv" "match --needs $T/missing.csv"; do
  # shellcheck disable=SC2086
  vm $args
  expect_rc 1 "$args: a missing file"
  expect_contains "$ERR" "$T/missing.csv: cannot open: No such file or directory (check the path)" \
    "$args: names the file and why"
done
expect_eq "0" "$(psql_q "SELECT count(*) FROM import_batches")" "nothing imported"

vm_in "$FIX/catalogs/canonical.csv" import -
expect_rc 0 "import - reads standard input"
expect_contains "$OUT" "stdin: source \"stdin\"" "as the source stdin"
vm_in "$T/tax.csv" taxonomy import -
expect_rc 0 "taxonomy import - reads standard input"
expect_eq "KPO" "$(psql_q "SELECT process_type FROM taxonomy_categories WHERE code = 'gizmo_audit'")" \
  "the category from standard input is stored"
vm_in "$FIX/needs/batch.csv" match --needs - --format json
expect_rc 0 "match --needs - reads standard input"
check "one result set per need of the file" test "$(jq length <<<"$OUT")" -ge 2
finish
