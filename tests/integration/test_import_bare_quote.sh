#!/usr/bin/env bash
# test_import_bare_quote: a quote inside an unquoted field is data (issue 12),
# read as Python's csv module and spreadsheets read it, through the binary and
# into the database; quoted fields still follow RFC 4180 (text after a closing
# quote is an error naming file:line:column, and nothing is imported).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3 # Debian's (scripts/test installs python3 for the xlsx fixtures)

new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"

# The line from the issue, under a header that names its columns.
printf '%s\n' 'Phone,Coordinates,Name' \
  "2095257564,37°36'37.8\"N 121°2'17.9\"W,Modesto" >"$T/modesto.csv"
vm import "$T/modesto.csv"
expect_rc 0 "the issue's line imports"
expect_contains "$OUT" "inserted: 1" "one vendor inserted"
coords="37°36'37.8\"N 121°2'17.9\"W"
expect_eq "$coords" "$(psql_q "SELECT extra->>'Coordinates' FROM vendors WHERE name = 'Modesto'")" \
  "the coordinates are stored with both quotes"
expect_eq "2095257564" "$(psql_q "SELECT phone FROM vendors WHERE name = 'Modesto'")" "the phone before it"
vm vendors show 1 --format json
expect_eq "$coords" "$(jq -r '.extra.Coordinates' <<<"$OUT")" "vendors show --format json gives them back"
# Python's csv module reads the same file to the same fields.
py=$("$PY" -c 'import csv, sys; r = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))); print(r[1][1])' \
  "$T/modesto.csv")
expect_eq "$py" "$(psql_q "SELECT extra->>'Coordinates' FROM vendors WHERE name = 'Modesto'")" \
  "the stored value is what Python's csv module reads"

# Quotes anywhere inside unquoted fields: kept as written, "" included (it is
# an escape only inside quotes); a bare quote opens nothing, so the delimiter
# after it still ends the field.
printf '%s\n' 'name,description,country' \
  'Screen Care 12" Ltd,Repairs 12" and 15" monitors,US' \
  'Quote "Desk" Inc,She said ""hi"",IN' \
  '"Quoted, Properly",plain,PH' >"$T/bare.csv"
vm import "$T/bare.csv"
expect_rc 0 "bare quotes in names and descriptions import"
expect_contains "$OUT" "inserted: 3" "three vendors"
expect_eq 'Repairs 12" and 15" monitors' \
  "$(psql_q "SELECT description FROM vendors WHERE name = 'Screen Care 12\" Ltd'")" "description kept"
expect_eq 'She said ""hi""' "$(psql_q "SELECT description FROM vendors WHERE name = 'Quote \"Desk\" Inc'")" \
  "doubled quotes outside quotes are kept as written"
expect_eq "PH" "$(psql_q "SELECT country FROM vendors WHERE name = 'Quoted, Properly'")" \
  "a quoted field in the same file still reads as RFC 4180"

# RFC 4180 in quoted fields: text after the closing quote is an error with
# its position, exit 65, and the database is left as it was.
state() { psql_q "SELECT count(*) || ' ' || md5(string_agg(v::text, ',' ORDER BY id)) FROM vendors v"; }
before=$(state)
printf '%s\n' 'name,description,country' 'Good Co,fine,US' \
  'Bad Co,"He said "hi" to me",US' >"$T/after_quote.csv"
vm import "$T/after_quote.csv"
expect_rc 65 "text after a closing quote is bad data"
expect_contains "$ERR" "after_quote.csv:3:18: unexpected character after a closing quote" \
  "names file:line:column of the character"
expect_eq "$before" "$(state)" "the database is unchanged"

finish
