#!/usr/bin/env bash
# test_import_summary: what import says it understood of each file (on
# stderr in the table format, as fields of the JSON summary): which header
# went to which field and which came from --map, which columns went to
# extra, how many vendors the classifier left UNCLASSIFIED, and how many
# rows had a value that could not be normalised, per field. Hostile header
# names are shown safely (output_char_unsafe).
. "$(dirname "$0")/lib.sh"

new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"

# Land is mapped with --map; Notes and Fax are not recognised; Weird Co has an
# unreadable country, rate and headcount and no service the taxonomy knows.
cat >"$T/cat.csv" <<'EOF'
Company,Land,Website,Services,Hourly Rate,Team Size,Notes,Fax
Acme Support,Philippines,acme-support.example,Customer Support;Call Center,$25/hr,50-100,hello,
Weird Co,Atlantis,weird.example,Basket weaving,call us,lots of them,,12345
Globex,India,globex.example,Data Analytics,$40,many,x,
EOF

vm import "$T/cat.csv" --map country=Land
expect_rc 0 "import with a mapped column"
expect_contains "$ERR" "cat.csv: understood" "the summary is on stderr"
expect_contains "$ERR" '"Company" -> name' "a header recognised by name"
expect_contains "$ERR" '"Land" -> country (--map)' "the mapped column is marked --map"
expect_not_contains "$ERR" '"Company" -> name (--map)' "a named column is not marked --map"
expect_contains "$ERR" '"Hourly Rate" -> hourly_rate' "the rate column"
expect_contains "$ERR" '"Team Size" -> employees' "the headcount column"
expect_contains "$ERR" '  extra: "Notes", "Fax"' "the extra columns by header"
expect_contains "$ERR" "  unclassified: 1 of 3 vendors" "one vendor UNCLASSIFIED"
expect_eq 1 "$(psql_q "SELECT count(*) FROM vendors WHERE computed_type = 'UNCLASSIFIED'")" \
  "and the catalog agrees"
expect_contains "$ERR" 'country 1 row (e.g. "Atlantis")' "the unreadable country, with its text"
expect_contains "$ERR" 'hourly_rate 1 row (e.g. "call us")' "the unreadable rate"
expect_contains "$ERR" 'employees 2 rows (e.g. "lots of them")' "two unreadable headcounts, the first shown"
expect_not_contains "$(grep 'not normalised' <<<"$ERR")" "website" "readable websites are not listed"
expect_contains "$OUT" "inserted: 3" "the counts stay on stdout"
expect_not_contains "$OUT" "understood" "and the understanding stays off stdout"

vm -q import "$T/cat.csv" --map country=Land
expect_rc 0 "-q import"
expect_eq "" "$ERR" "-q silences the summary"

vm import "$T/cat.csv" --map country=Land --format json
expect_rc 0 "--format json"
expect_eq "" "$ERR" "JSON: nothing on stderr"
j() { jq -c "$1" <<<"$OUT"; }
expect_eq '{"header":"Land","field":"country","from_map":true}' \
  "$(j '.columns[] | select(.field == "country")')" "JSON: the mapped column"
expect_eq '{"header":"Company","field":"name","from_map":false}' \
  "$(j '.columns[0]')" "JSON: columns in file order, named ones not from_map"
expect_eq '["Notes","Fax"]' "$(j '.extra_columns')" "JSON: extra columns"
expect_eq 1 "$(j '.unclassified')" "JSON: unclassified"
expect_eq '{"country":1,"employees":2,"hourly_rate":1,"website":0}' \
  "$(j '.not_normalised | {country, employees, hourly_rate, website}')" "JSON: per-field counts"
expect_eq '{"country":"Atlantis","employees":"lots of them","hourly_rate":"call us"}' \
  "$(j '.not_normalised_examples')" "JSON: the first unreadable text per field"
expect_eq 3 "$(j '.unchanged')" "JSON: the counts are still there"

vm import "$T/cat.csv" --map country=Land --no-classify --format json
expect_eq null "$(j '.unclassified')" "--no-classify: unclassified is null"
vm import "$T/cat.csv" --map country=Land --no-classify
expect_contains "$ERR" "unclassified: not classified (--no-classify)" "--no-classify says so"

# Without the --map, Land is an extra column: the summary shows it.
printf 'Company,Land\nSolo,France\n' >"$T/nomap.csv"
vm import "$T/nomap.csv"
expect_contains "$ERR" '  extra: "Land"' "an unmapped column is extra"
expect_contains "$ERR" "  not normalised: none" "nothing unreadable: none"

# Several files: one summary each.
vm import "$T/nomap.csv" "$T/cat.csv" --map country=Land
expect_rc 0 "two files"
expect_eq 2 "$(grep -c ': understood$' <<<"$ERR")" "one summary per file"

# Hostile headers: ESC sequences, bidi overrides, newlines in a quoted
# header, quotes and formulas are shown without reaching the terminal raw.
ESC=$'\e'
FFFD=$'\xef\xbf\xbd'
printf 'Company,"Evil%s[31mRed","Bidi\xe2\x80\xaeTxt","two\nlines","Quo""te","=HYPERLINK(""http://x"")"\nAcme,1,2,3,4,5\n' \
  "$ESC" >"$T/evil.csv"
vm import "$T/evil.csv"
expect_rc 0 "hostile headers import"
expect_not_contains "$ERR" "$ESC" "no ESC reaches stderr"
expect_not_contains "$ERR" $'\xe2\x80\xae' "no bidi override reaches stderr"
expect_contains "$ERR" "\"Evil$FFFD[31mRed\"" "ESC shows as U+FFFD"
expect_contains "$ERR" "\"Bidi${FFFD}Txt\"" "the bidi override shows as U+FFFD"
expect_contains "$ERR" '"two lines"' "a newline in a header stays on one line"
expect_contains "$ERR" '"Quo"te"' "a quote is shown as written"
expect_contains "$ERR" '"=HYPERLINK("http://x")"' "a formula is only text"
vm import "$T/evil.csv" --format json
expect_eq "Evil${ESC}[31mRed" "$(jq -r '.extra_columns[0]' <<<"$OUT")" "JSON keeps the header exact"
expect_not_contains "$OUT" "$ESC" "and escapes it (no raw ESC on stdout)"

# A header that is not UTF-8 stops the file before anything is understood.
printf 'Company,Bad\xff\xfeHead\nAcme,1\n' >"$T/badutf8.csv"
vm import "$T/badutf8.csv"
expect_rc 65 "invalid UTF-8 in a header"
expect_contains "$ERR" "badutf8.csv:1:12: invalid UTF-8 (byte 0xFF)" "names the place"
expect_not_contains "$ERR" $'\xff' "the bad byte is not echoed"

# A long unreadable value is cut.
printf 'Company,Country\nLongland,%s\n' "$(printf 'Z%.0s' {1..80})" >"$T/long.csv"
vm import "$T/long.csv"
expect_contains "$ERR" "country 1 row (e.g. \"$(printf 'Z%.0s' {1..32})\"...)" "a long example is cut"

finish
