#!/usr/bin/env bash
# test_import_remap: a source remembers the mapping of its last import (--map,
# --delimiter, header row; issue 12). A re-import whose header differs from the
# remembered one names the columns added, missing or moved, writes nothing and
# exits 65, with or without a remembered --map, with or without a new --map,
# with --dry-run too; --remap accepts the new header and remembers it. A pure
# reorder of the same named columns is no difference (columns are read by name);
# one that changes which column a field is read from is. Hostile header names
# in the message are printed safely.
. "$(dirname "$0")/lib.sh"

ESC=$'\e'
FFFD=$'\xef\xbf\xbd'

# --- A remembered --map: re-used, and a changed header stops.
new_db; vm migrate
printf 'Firm,Offer,Site\nMapped Co,Customer Support,mapped.example\n' >"$T/mapped.csv"
vm import "$T/mapped.csv" --map name=Firm --map services=Offer; expect_rc 0 "import with --map"
before=$(db_checksum)
vm import "$T/mapped.csv"; expect_rc 0 "re-import without --map uses the remembered mapping"
expect_contains "$OUT" "unchanged: 1" "nothing lost, nothing changed"
vm import "$T/mapped.csv" --format json
expect_eq "null" "$(jq -c .header_change <<<"$OUT")" "the same header: no header_change"
before=$(db_checksum)

printf 'Firm,Offering,Site\nMapped Co,Data Entry,mapped.example\n' >"$T/mapped.csv"
vm import "$T/mapped.csv"; expect_rc 65 "a changed header with a remembered mapping stops"
expect_contains "$ERR" 'the columns differ from those of source "mapped"'"'"'s last import (new: "Offering"; missing: "Offer")' \
  "and says which columns differ"
expect_contains "$ERR" "nothing was imported" "says nothing was imported"
expect_contains "$ERR" "re-run with --remap" "says how to go on"
expect_contains "$ERR" "(its remembered options: --map name=Firm --map services=Offer)" "lists the remembered options"
expect_eq "" "$OUT" "no summary on stdout"
expect_eq "$before" "$(db_checksum)" "nothing was written"

vm import "$T/mapped.csv" --dry-run; expect_rc 65 "--dry-run reports the same difference"
expect_contains "$ERR" '(new: "Offering"; missing: "Offer")' "naming the columns"
vm import "$T/mapped.csv" --map name=Firm --map services=Offering; expect_rc 65 "a new --map alone does not accept a changed header"
expect_contains "$ERR" '(new: "Offering"; missing: "Offer")' "and names the columns too"
vm import "$T/mapped.csv" --format json; expect_rc 65 "--format json stops alike"
expect_eq "" "$OUT" "with nothing on stdout"
expect_eq "$before" "$(db_checksum)" "none of these wrote anything"

vm import "$T/mapped.csv" --remap --map name=Firm --map services=Offering --dry-run --format json
expect_rc 0 "--remap --dry-run shows what the import would do"
expect_eq '{"added":["Offering"],"removed":["Offer"],"moved":[]}' "$(jq -c .header_change <<<"$OUT")" \
  "the JSON summary carries the change"
expect_eq "1" "$(jq .updated <<<"$OUT")" "and the row it would update"
expect_eq "$before" "$(db_checksum)" "a dry run writes nothing"

vm import "$T/mapped.csv" --remap --map name=Firm --map services=Offering; expect_rc 0 "--remap with the new mapping"
expect_contains "$ERR" "changed since the source's last import (--remap): new: \"Offering\"; missing: \"Offer\"" \
  "what was understood says what changed"
expect_eq "Data Entry" "$(psql_q "SELECT array_to_string(service_phrases, ',') FROM vendors")" \
  "a source's new record replaces its old one"
vm sources show mapped --format json
expect_eq '["name=Firm","services=Offering"] ["Firm","Offering","Site"]' \
  "$(jq -c .column_map <<<"$OUT") $(jq -c .header <<<"$OUT")" "the new mapping and header are remembered"
vm import "$T/mapped.csv"; expect_rc 0 "the next import needs no option"
expect_contains "$OUT" "unchanged: 1" "and reads the same columns"

# --- No remembered --map: a changed header stops all the same.
new_db; vm migrate
printf 'name,website,services\nPlain Co,plain.example,Data Entry\n' >"$T/plain.csv"
vm import "$T/plain.csv"; expect_rc 0 "import by header names"
before=$(db_checksum)
printf 'name,website,services,rating\nPlain Co,plain.example,Data Entry,4.1\n' >"$T/plain.csv"
vm import "$T/plain.csv"; expect_rc 65 "a new column stops the import"
expect_contains "$ERR" '(new: "rating")' "names the new column"
expect_not_contains "$ERR" "remembered options" "no remembered options to list"
expect_eq "$before" "$(db_checksum)" "nothing was written"
vm import "$T/plain.csv" --remap; expect_rc 0 "--remap accepts it"
expect_eq "4.10" "$(psql_q "SELECT rating FROM vendors")" "and the new column is read"

# --- Order: the same named columns in another order are the same columns.
printf 'services,rating,website,name\nData Entry,4.1,plain.example,Plain Co\n' >"$T/plain.csv"
vm import "$T/plain.csv" --format json; expect_rc 0 "a pure reorder imports without --remap"
expect_eq "1 0 null" "$(jq -r '"\(.unchanged) \(.updated) \(.header_change)"' <<<"$OUT")" \
  "the same values read the same way: unchanged, no header change"
# ... unless the reorder changes the column a field is read from.
new_db; vm migrate
printf 'name,Website,URL\nTwo Sites,first.example,second.example\n' >"$T/sites.csv"
vm import "$T/sites.csv"; expect_rc 0 "two columns name the website; the first is read"
before=$(db_checksum)
printf 'name,URL,Website\nTwo Sites,second.example,first.example\n' >"$T/sites.csv"
vm import "$T/sites.csv"; expect_rc 65 "a reorder that moves a field stops"
expect_contains "$ERR" '(moved: website from "URL" (was "Website"))' "and says which field moved"
expect_eq "$before" "$(db_checksum)" "nothing was written"
vm import "$T/sites.csv" --remap --format json; expect_rc 0 "--remap accepts it"
expect_eq '[{"field":"website","header":"URL","was":"Website"}]' "$(jq -c .header_change.moved <<<"$OUT")" \
  "the JSON summary names the move"

# --- Several files of one source in one run: each is checked against the last.
new_db; vm migrate
printf 'name,website\nOne,one.example\n' >"$T/p1.csv"
printf 'name,website,country\nTwo,two.example,India\n' >"$T/p2.csv"
vm import "$T/p1.csv" "$T/p2.csv" --source parts; expect_rc 65 "the second file's header differs from the first's"
expect_contains "$ERR" 'p2.csv: the columns differ from those of source "parts"'"'"'s last import (new: "country")' "names the file and column"
expect_eq "One" "$(psql_q "SELECT string_agg(name, ',') FROM vendors")" "the first file stays committed"
expect_not_contains "$ERR" "give it a source of its own" "--source was given: no hint to give one"
vm import "$T/p1.csv" "$T/p2.csv" --source parts --remap; expect_rc 0 "--remap accepts each file's header"
# Standard input is the source "stdin" unless --source: another catalog stops.
vm_in "$T/p1.csv" import -; expect_rc 0 "a catalog on stdin"
vm_in "$T/p2.csv" import -; expect_rc 65 "another one on stdin"
expect_contains "$ERR" 'stdin: the columns differ from those of source "stdin"' "names stdin"
expect_contains "$ERR" "If it is another catalog, give it a source of its own: --source NAME" \
  "and hints at --source"
vm_in "$T/p2.csv" import - --source other; expect_rc 0 "with a source of its own it imports"

# --- Hostile header names are printed safely.
new_db; vm migrate
printf 'Company,Website\nAcme,acme.example\n' >"$T/evil.csv"
vm import "$T/evil.csv"; expect_rc 0 "a plain first import"
before=$(db_checksum)
long=$(printf 'L%.0s' {1..200})
printf 'Company,Website,"Evil%s[31mRed","Bidi\xe2\x80\xaeTxt","two\nlines","Quo""te","=HYPERLINK(""http://x"")",%s\nAcme,acme.example,1,2,3,4,5,6\n' \
  "$ESC" "$long" >"$T/evil.csv"
vm import "$T/evil.csv"; expect_rc 65 "hostile new headers stop the import"
expect_not_contains "$ERR" "$ESC" "no ESC reaches stderr"
expect_not_contains "$ERR" $'\xe2\x80\xae' "no bidi override reaches stderr"
expect_contains "$ERR" "\"Evil$FFFD[31mRed\"" "ESC shows as U+FFFD"
expect_contains "$ERR" "\"Bidi${FFFD}Txt\"" "the bidi override shows as U+FFFD"
expect_contains "$ERR" '"two lines"' "a newline in a header stays on one line"
expect_eq 1 "$(wc -l <<<"$ERR")" "the whole message is one line"
expect_contains "$ERR" '"Quo"te"' "a quote is shown as written"
expect_contains "$ERR" '"=HYPERLINK("http://x")"' "a formula is only text"
expect_contains "$ERR" "\"$(printf 'L%.0s' {1..48})\"..." "a long header is cut"
expect_not_contains "$ERR" "$(printf 'L%.0s' {1..49})" "and not printed whole"
expect_eq "$before" "$(db_checksum)" "nothing was written"
vm import "$T/evil.csv" --remap --dry-run --format json; expect_rc 0 "the JSON of the change"
expect_eq "Evil${ESC}[31mRed" "$(jq -r '.header_change.added[0]' <<<"$OUT")" "keeps the header exact"
expect_not_contains "$OUT" "$ESC" "and escapes it (no raw ESC on stdout)"
# Many new columns: the first ones are named, the rest counted.
printf 'Company,Website,%s\nAcme,acme.example%s\n' "$(seq -s, -f 'c%g' 1 30)" "$(printf ',x%.0s' {1..30})" >"$T/evil.csv"
vm import "$T/evil.csv"; expect_rc 65 "thirty new columns"
expect_contains "$ERR" '"c8" and 22 more' "eight are named, the rest counted"
# A header that is not UTF-8 stops in the reader, before any comparison.
printf 'Company,Bad\xff\xfeHead\nAcme,1\n' >"$T/evil.csv"
vm import "$T/evil.csv"; expect_rc 65 "invalid UTF-8 in a header"
expect_contains "$ERR" "evil.csv:1:12: invalid UTF-8 (byte 0xFF)" "names the place"
expect_not_contains "$ERR" $'\xff' "the bad byte is not echoed"
# ... and read in its declared encoding, it is a new column like any other.
vm import "$T/evil.csv" --encoding LATIN1; expect_rc 65 "the LATIN1 header differs"
expect_contains "$ERR" '(new: "BadÿþHead"; missing: "Website")' "named in UTF-8"
expect_eq "$before" "$(db_checksum)" "none of them wrote anything"

finish
