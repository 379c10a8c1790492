#!/usr/bin/env bash
# test_import_summary: what import says it understood of each file (on
# stderr in the table format, as fields of the JSON summary): which header
# went to which field and which came from --map, which columns went to
# extra, how many vendors the classifier left UNCLASSIFIED, and how many
# rows had a value that could not be normalised, per field. Hostile header
# names are shown safely (output_char_unsafe). import --dry-run reports the
# counts the real import then gives, and writes nothing: the catalog tables,
# id sequences, indexes and constraints are the same before and after.
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

# ---- --dry-run ----

# Everything an import can write: the catalog tables in order, the id
# sequences, the indexes and constraints (a first load of a large file drops
# and rebuilds them) and the taxonomy.
db_checksum() {
  psql_q "SELECT md5(concat_ws('|',
    (SELECT string_agg(v::text, ',' ORDER BY id) FROM vendors v),
    (SELECT string_agg(s::text, ',' ORDER BY vendor_id, source_id) FROM vendor_sources s),
    (SELECT string_agg(s::text, ',' ORDER BY id) FROM sources s),
    (SELECT string_agg(b::text, ',' ORDER BY id) FROM import_batches b),
    (SELECT string_agg(r::text, ',' ORDER BY id) FROM import_rejects r),
    (SELECT string_agg(c::text, ',' ORDER BY id) FROM taxonomy_categories c),
    (SELECT string_agg(a::text, ',' ORDER BY id) FROM taxonomy_aliases a),
    (SELECT string_agg(q.last_value || '/' || q.is_called, ',') FROM (
       SELECT last_value, is_called FROM vendors_id_seq UNION ALL
       SELECT last_value, is_called FROM import_batches_id_seq UNION ALL
       SELECT last_value, is_called FROM sources_id_seq UNION ALL
       SELECT last_value, is_called FROM import_rejects_id_seq) q),
    (SELECT string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes
      WHERE schemaname = 'vendormatch'),
    (SELECT string_agg(conname || pg_get_constraintdef(oid), ';' ORDER BY conname)
      FROM pg_constraint WHERE connamespace = 'vendormatch'::regnamespace)))"
}
# The counts of a JSON summary, without batch_id, seconds and dry_run.
counts() { jq -c '{rows, inserted, updated, unchanged, merged, rejected}' <<<"$1"; }

new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
# Two rows for one vendor (merged), a bad row (skipped), an unreadable rate.
cat >"$T/first.csv" <<'EOF'
name,website,country,services,hourly_rate
Acme Support,acme.example,PH,Customer Support,$25
Acme Support,acme.example,PH,Customer Support;Call Center,$26
Globex,globex.example,IN,Data Analytics,call us
Initech,initech.example,US,Payroll,$30,extra field
Hooli,hooli.example,US,Software Development,$90
EOF

before=$(db_checksum)
vm import "$T/first.csv" --on-error skip --dry-run
expect_rc 0 "dry run on an empty catalog"
expect_eq "dry run: nothing was written" "$(tail -1 <<<"$OUT")" "the last line says nothing was written"
expect_contains "$OUT" "first.csv: source \"first\", dry run (would import)" "the file line says dry run"
expect_contains "$OUT" "inserted: 3" "what would be inserted"
expect_contains "$OUT" "merged: 1" "what would be merged"
expect_contains "$OUT" "rejected: 1" "what would be rejected"
expect_contains "$ERR" "first.csv: understood" "the understood summary too"
expect_contains "$ERR" 'hourly_rate 1 row (e.g. "call us")' "with the unreadable rate"
expect_eq "$before" "$(db_checksum)" "empty catalog: nothing written (tables, sequences, indexes)"
expect_eq 0 "$(psql_q 'SELECT count(*) FROM sources')" "no source recorded"

vm import "$T/first.csv" --on-error skip --dry-run --format json
expect_rc 0 "dry run, JSON"
dry=$(counts "$OUT")
expect_eq "true null" "$(jq -r '"\(.dry_run) \(.batch_id)"' <<<"$OUT")" "JSON: dry_run true, no batch id"
expect_contains "$ERR" "dry run: nothing was written" "JSON: the note is on stderr"
expect_eq "$before" "$(db_checksum)" "JSON dry run: nothing written"
vm import "$T/first.csv" --on-error skip --format json
expect_rc 0 "the real import"
expect_eq "$dry" "$(counts "$OUT")" "empty catalog: the dry run's counts are the import's"
expect_eq "false 1" "$(jq -r '"\(.dry_run) \(.batch_id)"' <<<"$OUT")" \
  "the real import is batch 1: the dry runs left no gap in the ids"
ids=$(psql_q "SELECT string_agg(id::text, ' ' ORDER BY id) FROM vendors")
new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
"$VM_BIN" -q import "$T/first.csv" --on-error skip >/dev/null || fail "import without a dry run"
expect_eq "$(psql_q "SELECT string_agg(id::text, ' ' ORDER BY id) FROM vendors")" "$ids" \
  "the vendor ids are those of an import with no dry run before it"

# A non-empty catalog: one vendor changed, one new, the rest unchanged.
sed -e 's/^Hooli,.*/Hooli,hooli.example,US,Software Development,$95/' "$T/first.csv" >"$T/second.csv"
echo 'Umbrella,umbrella.example,GB,Clinical Research,$120' >>"$T/second.csv"
before=$(db_checksum)
vm import "$T/second.csv" --source first --on-error skip --dry-run --format json
expect_rc 0 "dry run on a non-empty catalog"
dry=$(counts "$OUT")
expect_eq '{"rows":6,"inserted":1,"updated":1,"unchanged":2,"merged":1,"rejected":1}' "$dry" \
  "the dry run's counts"
expect_eq "$before" "$(db_checksum)" "non-empty catalog: nothing written"
vm import "$T/second.csv" --source first --on-error skip --format json
expect_eq "$dry" "$(counts "$OUT")" "non-empty catalog: the dry run's counts are the import's"

# --rejects is refused with --dry-run: the file is not written.
vm import "$T/first.csv" --on-error skip --dry-run --rejects "$T/rejects.csv"
expect_rc 2 "--rejects with --dry-run"
expect_contains "$ERR" "a dry run writes nothing, no rejects file either" "says why"
check "no rejects file" [ ! -e "$T/rejects.csv" ]

# A bad file in a dry run: the usual error, still nothing written.
before=$(db_checksum)
vm import "$T/first.csv" --dry-run
expect_rc 65 "a dry run of a file with a bad row (abort mode)"
expect_contains "$ERR" "first.csv:5:" "names the bad row"
expect_eq "$before" "$(db_checksum)" "and writes nothing"

# A first load of a large file drops and rebuilds indexes and foreign keys,
# truncates and COPYs with FREEZE: rolled back, all of it comes back.
new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
awk 'BEGIN { print "name,website,country,services,hourly_rate,Notes";
  for (i = 1; i <= 15000; i++)
    printf "Vendor %d Ltd,v%d.example,US,Customer Support;Data Entry,$%d,some notes here\n", i, i, 10 + i % 90 }' \
  >"$T/big.csv"
check "the large file is over 1 MB" [ "$(stat -c %s "$T/big.csv")" -gt 1048576 ]
before=$(db_checksum)
vm import "$T/big.csv" --dry-run --format json
expect_rc 0 "dry run of a large first load"
dry=$(counts "$OUT")
expect_eq "$before" "$(db_checksum)" "large first load: nothing written, indexes and keys intact"
vm import "$T/big.csv" --format json
expect_eq "$dry" "$(counts "$OUT")" "large first load: the dry run's counts are the import's"
expect_eq 15000 "$(psql_q 'SELECT count(*) FROM vendors')" "and the import stored them"

finish
