#!/usr/bin/env bash
# test_import_hostile: bad catalogs. In the default abort mode every broken
# file exits 65, names file:line:column and why, and leaves the database
# exactly as it was (row counts and checksums before and after). In skip
# mode the good rows commit and every bad row lands in the rejects CSV and
# in import_rejects with its reason.
. "$(dirname "$0")/lib.sh"

db_state() {
  psql_q "SELECT (SELECT count(*) FROM vendors) || ' ' ||
    coalesce((SELECT md5(string_agg(v::text, ',' ORDER BY id)) FROM vendors v), '-') || ' ' ||
    (SELECT count(*) FROM vendor_sources) || ' ' ||
    coalesce((SELECT md5(string_agg(s::text, ',' ORDER BY vendor_id, source_id)) FROM vendor_sources s), '-') || ' ' ||
    (SELECT count(*) FROM import_batches) || ' ' ||
    coalesce((SELECT md5(string_agg(b::text, ',' ORDER BY id)) FROM import_batches b), '-') || ' ' ||
    (SELECT count(*) FROM import_rejects) || ' ' || (SELECT count(*) FROM sources)"
}

new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
printf 'name,website,country\nSeed Co,seed.example,FR\n' >"$T/seed.csv"
"$VM_BIN" -q import "$T/seed.csv" >/dev/null || fail "seed import"
base=$(db_state)

# abort_case NAME FILE EXPECTED-MESSAGE: exit 65, message, database unchanged.
abort_case() {
  local what=$1 file=$2 msg=$3
  vm import "$file"
  expect_rc 65 "$what: aborts"
  expect_contains "$ERR" "$msg" "$what: names file:line:column and reason"
  expect_contains "$ERR" "nothing was imported" "$what: says nothing was imported"
  expect_eq "$base" "$(db_state)" "$what: database unchanged"
}

good='Good One,good1.example,US'
printf 'name,website,country\n%s\nToo,many,fields,here\nGood Two,good2.example,US\n' "$good" >"$T/fields.csv"
abort_case "wrong field count" "$T/fields.csv" "fields.csv:3:17: expected 3 fields, found 4"

printf 'name,website,country\n%s\nBad \xff\xfe Name,bad.example,US\n' "$good" >"$T/utf8.csv"
abort_case "invalid UTF-8" "$T/utf8.csv" "utf8.csv:3:5: invalid UTF-8 (byte 0xFF)"

printf 'name,website,country\n%s\nNul\000Name,nul.example,US\n' "$good" >"$T/nul.csv"
abort_case "NUL byte" "$T/nul.csv" "nul.csv:3:4: NUL byte in field"

printf 'name,website,country\n%s\n,noname.example,US\n' "$good" >"$T/noname.csv"
abort_case "no name" "$T/noname.csv" "noname.csv:3:1: no vendor name"

printf 'name,website,country\n%s\n"Open quote,x.example,US\nmore\n' "$good" >"$T/quote.csv"
abort_case "unterminated quote" "$T/quote.csv" "quote.csv:3:1: unterminated quoted field at end of file"

# A 10 MB field: rejected with a clear message, no crash.
{ printf 'name,website,description\nBig Co,big.example,"'; head -c 10485760 /dev/zero | tr '\0' 'x'; printf '"\n%s\n' "$good"; } >"$T/huge.csv"
abort_case "10 MB field" "$T/huge.csv" "huge.csv:2:20: field exceeds 1 MiB"

# Many bad rows: the first 10 are listed, then a count.
{ printf 'name,website,country\n'; for i in $(seq 1 15); do printf ',bad%d.example,US\n' "$i"; done; } >"$T/many.csv"
abort_case "many bad rows" "$T/many.csv" "many.csv:11:1: no vendor name"
expect_contains "$ERR" "and 5 more" "lists 10 errors then 'and 5 more'"
expect_not_contains "$ERR" "many.csv:12:1" "the 11th error is not listed"
expect_contains "$ERR" "15 bad rows" "the total is given"

# --- skip mode ---------------------------------------------------------------
cat "$T/fields.csv" >"$T/mixed.csv"
printf ',noname.example,US\n"=HYPERLINK(""x"")",,\nBad \xff Byte,b.example,US\n' >>"$T/mixed.csv"
vm import --on-error skip --rejects "$T/rejects.csv" --format json "$T/mixed.csv"
expect_rc 0 "skip mode commits the good rows"
expect_eq "6|3|3" "$(printf '%s' "$OUT" | jq -r '"\(.rows)|\(.inserted)|\(.rejected)"')" "skip summary: 6 rows, 3 inserted, 3 rejected"
expect_eq 4 "$(psql_q 'SELECT count(*) FROM vendors')" "good rows stored"
expect_eq 'file,line,column,reason,raw' "$(head -1 "$T/rejects.csv")" "rejects CSV header"
expect_eq 3 "$(tail -n +2 "$T/rejects.csv" | wc -l)" "rejects CSV has one line per bad row"
expect_contains "$(cat "$T/rejects.csv")" "mixed.csv,3,17,\"expected 3 fields, found 4\",\"Too,many,fields,here\"" "rejects CSV row: file,line,column,reason,raw"
expect_contains "$(cat "$T/rejects.csv")" "mixed.csv,5,1,no vendor name,\",noname.example,US\"" "no-name row rejected"
expect_eq "3|17|expected 3 fields, found 4|Too,many,fields,here
5|1|no vendor name|,noname.example,US
7|5|invalid UTF-8 (byte 0xFF); if the file is in another encoding, name it with --encoding (e.g. --encoding WINDOWS-1252), or save it as UTF-8|Bad � Byte,b.example,US" \
  "$(psql_q 'SELECT line, col, reason, raw FROM import_rejects ORDER BY line')" "import_rejects rows (invalid bytes replaced)"
expect_eq "3" "$(psql_q "SELECT rejected FROM import_batches ORDER BY id DESC LIMIT 1")" "batch records rejected count"
expect_eq '=HYPERLINK("x")' "$(psql_q "SELECT name FROM vendors WHERE name LIKE '=%'")" "formula-looking name stored verbatim"

# --- several files: a bad file stops the run, earlier files stay ---------------
new_db
"$VM_BIN" migrate >/dev/null 2>&1
vm import "$T/seed.csv" "$T/noname.csv"
expect_rc 65 "second file bad"
expect_eq 1 "$(psql_q 'SELECT count(*) FROM vendors')" "first file committed, second rolled back"

finish
