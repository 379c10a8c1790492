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

for args in "import $T/missing.csv" "taxonomy import $T/missing.csv" "match --needs $T/missing.csv" \
  "fx import $T/missing.csv"; do
  # shellcheck disable=SC2086
  vm $args
  expect_rc 1 "$args: a missing file"
  expect_contains "$ERR" "$T/missing.csv: cannot open: No such file or directory (check the path)" \
    "$args: names the file and why"
done
expect_eq "0" "$(psql_q "SELECT count(*) FROM import_batches")" "nothing imported"
expect_eq "0" "$(psql_q "SELECT count(*) FROM fx_rates WHERE source NOT LIKE 'seed%'")" "no rate stored"

vm_in "$FIX/catalogs/canonical.csv" import -
expect_rc 0 "import - reads standard input"
expect_contains "$OUT" "stdin: source \"stdin\"" "as the source stdin"
vm_in "$T/tax.csv" taxonomy import -
expect_rc 0 "taxonomy import - reads standard input"
expect_eq "KPO" "$(psql_q "SELECT process_type FROM taxonomy_categories WHERE code = 'gizmo_audit'")" \
  "the category from standard input is stored"
expect_eq "imported stdin: 1 row, 1 new alias; run \`vendormatch classify\` to re-tag" "$OUT" \
  "taxonomy import says it read stdin"
printf 'phrase,category\nwidget review,no_such_category\n' >"$T/tax_bad.csv"
vm_in "$T/tax_bad.csv" taxonomy import -
expect_rc 65 "a bad taxonomy row on standard input"
expect_contains "$ERR" "stdin:2:15: unknown category" "taxonomy import names standard input stdin"
printf 'Date, USD, JPY, GBP, \n07 December 2026, 1.0812, 161.20, 0.85120, \n' >"$T/eurofxref.csv"
cat "$T/eurofxref.csv" | "$VM_BIN" fx import - >"$T/out" 2>"$T/err"
RC=$? OUT=$(cat "$T/out") ERR=$(cat "$T/err")
expect_rc 0 "fx import - reads standard input (a pipe)"
expect_eq "stored 3 rates of 2026-12-07 from stdin (EUR = \$1.0812)" "$OUT" "says it read stdin"
printf 'Date, USD, \n08 December 2026, 1.0800, \n' | "$VM_BIN" fx import - >"$T/out" 2>"$T/err"
expect_eq "stored 1 rate of 2026-12-08 from stdin (EUR = \$1.0800)" "$(cat "$T/out")" "one rate: singular"
expect_eq "1.27021|2026-12-07|ECB reference rates (stdin)" \
  "$(psql_q "SELECT round(usd_per_unit, 5), rate_date, source FROM fx_rates WHERE currency = 'GBP'")" \
  "the rates from standard input are stored"
vm_in "$FIX/needs/batch.csv" match --needs - --format json
expect_rc 0 "match --needs - reads standard input"
check "one result set per need of the file" test "$(jq length <<<"$OUT")" -ge 2
printf 'service,min_rating\ncustomer support,lots\n' >"$T/bad_needs.csv"
vm_in "$T/bad_needs.csv" match --needs -
expect_rc 65 "a bad needs row on standard input"
expect_contains "$ERR" "stdin:2:18:" "standard input is named stdin, as every command names it"
finish
