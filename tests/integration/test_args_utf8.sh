#!/usr/bin/env bash
# test_args_utf8: text given on the command line that is not UTF-8 (a source
# or shortlist name, a --reason, a filter, a taxonomy phrase) is a usage
# error that says so (exit 2, nothing stored), never the server's "invalid
# byte sequence" (exit 1); a file NAME that is not UTF-8 is still a file:
# import and fx import read it and store its name with U+FFFD for each bad
# byte (src/io/infile.c vm_infile_text, src/db/pgutil.c).
. "$(dirname "$0")/lib.sh"

new_db
vm migrate; expect_rc 0 "migrate"
vm import "$FIX/catalogs/canonical.csv"; expect_rc 0 "a catalog"
vm match --service "equity research" --save ok; expect_rc 0 "a shortlist"
BAD=$'a\xffb'
before=$(db_checksum)

while IFS= read -r args; do
  eval "set -- $args"
  vm "$@"
  expect_rc 2 "$args: text that is not UTF-8 is a usage error"
  expect_contains "$ERR" "is not UTF-8 text (byte 0xFF at byte 2); give it in UTF-8" \
    "$args: says what is wrong and what to do"
  expect_not_contains "$ERR" "invalid byte sequence" "$args: not the server's words"
done <<'ARGS'
import "$FIX/catalogs/canonical.csv" --source "$BAD"
tag set 1 KPO --reason "$BAD"
sources show "$BAD"
sources priority "$BAD" 3
shortlists show "$BAD"
shortlists delete "$BAD"
report "$BAD"
match --service "equity research" --save "$BAD"
vendors list --industry "$BAD"
vendors list --source "$BAD"
taxonomy add "$BAD" data_entry
taxonomy add "widget review" "$BAD"
ARGS
expect_eq "$before" "$(db_checksum)" "none of them changed the database"

# A file name is bytes: a Latin-1 name (0xE9, é) is read, and stored as UTF-8.
LAT=$T/$'lat\xe9n.csv'
cp "$FIX/catalogs/partner_overlap.csv" "$LAT"
vm import "$LAT" --format json
expect_rc 0 "import of a file whose name is not UTF-8"
expect_eq $'lat\xef\xbf\xbdn' "$(jq -r .source <<<"$OUT")" "the default source: the base name, U+FFFD for the bad byte"
expect_eq "1" "$(psql_q "SELECT count(*) FROM import_batches WHERE file_name LIKE '%lat'||chr(65533)||'n.csv'")" \
  "the batch records the name as UTF-8"
ECB=$T/$'ecb\xe9.csv'
printf 'Date, USD, JPY, \n07 December 2026, 1.0812, 161.20, \n' >"$ECB"
vm fx import "$ECB"
expect_rc 0 "fx import of a file whose name is not UTF-8"
expect_eq "2" "$(psql_q "SELECT count(*) FROM fx_rates WHERE source LIKE '%ecb'||chr(65533)||'.csv)'")" \
  "the rates' source names the file as UTF-8"
finish
