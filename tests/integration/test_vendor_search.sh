#!/usr/bin/env bash
# test_vendor_search: `vendors search TEXT` (name and website, forgiving
# case, accents, punctuation, legal suffixes and typos; best match first)
# and `vendors show NAME|ID` (one match shows it, several list them and exit
# 2, none exits 1 with close names), hostile text included; the trigram
# index a bulk first load leaves out, built by the first search.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"
cat >"$T/cat.csv" <<'CSV'
id,name,country,website,services
V1,Crème Brûlée Analytics GmbH,Germany,https://www.creme-brulee.de/,Market Research
V2,Acme Support,India,acme-in.example,Customer Support
V3,ACME Support Ltd.,Philippines,acme-ph.example,Customer Support
V4,Zephyr Data,India,https://zephyrdata.io/about,Data Entry
V5,Northwind Voice,India,northwind.example,Call Center
V6,"'; DROP TABLE vendors; --",India,,Data Entry
CSV
printf 'V7,\033[31mRed\033[0m Corp,India,red.example,Data Entry\n' >>"$T/cat.csv"
vm import "$T/cat.csv"; expect_rc 0 "import"
total=$(psql_q "SELECT count(*) FROM vendors")
check "7 vendors" test "$total" = 7
creme=$(psql_q "SELECT id FROM vendors WHERE website_host = 'creme-brulee.de'")

first() { jq -r '.[0].name' <<<"$OUT"; }
vm vendors search "creme brulee" --format json
expect_rc 0 "search"
expect_eq "Crème Brûlée Analytics GmbH" "$(first)" "accents and case are folded"
vm vendors search "CREME BRULE" --format json
expect_eq "Crème Brûlée Analytics GmbH" "$(first)" "a typo is forgiven"
vm vendors search "Brûlée" --format json
expect_eq "Crème Brûlée Analytics GmbH" "$(first)" "one word of a longer name is found"
vm vendors search "zephyrdata.io" --format json
expect_eq "Zephyr Data" "$(first)" "a website finds its vendor"
vm vendors search "northwnd" --format json
expect_eq "Northwind Voice" "$(first)" "a missing letter is forgiven"
vm vendors search "acme support" --format json
expect_eq "2" "$(jq length <<<"$OUT")" "both Acme vendors are found, nothing else"
expect_eq "1 1" "$(jq -r '[.[].similarity] | map(tostring) | join(" ")' <<<"$OUT")" "an exact name has similarity 1"
vm vendors search "acme" --limit 1 --format json
expect_eq "1" "$(jq length <<<"$OUT")" "--limit 1"
vm vendors search "zephir dato" --format json
check "results are ordered best first" jq -e '[.[].similarity] == ([.[].similarity] | sort | reverse)' <<<"$OUT"
vm vendors search "creme brulee"
expect_rc 0 "table view"
expect_contains "$OUT" "Crème Brûlée Analytics GmbH" "the table shows the name"
vm vendors search "creme brulee" --format csv
expect_contains "$OUT" "Crème Brûlée Analytics GmbH" "the CSV view"
vm vendors search "qqqxxzzyy"
expect_rc 0 "no match is not an error"
expect_contains "$ERR" "no vendor's name or website looks like that" "and says so"
vm vendors search "!!!"; expect_rc 2 "text with no letters is a usage error"
vm vendors search; expect_rc 2 "search needs a text"
vm vendors search a b; expect_rc 2 "search takes one text"
vm vendors search x --limit -3; expect_rc 2 "negative --limit"
vm vendors search "'; DROP TABLE vendors; --" --format json
expect_rc 0 "an injection string is only text"
expect_eq "'; DROP TABLE vendors; --" "$(first)" "and it finds the vendor named so"
expect_eq "$total" "$(psql_q "SELECT count(*) FROM vendors")" "the catalog is intact"
vm vendors search "red corp"
expect_not_contains "$OUT" $'\033' "no escape sequence reaches the terminal"

# show NAME|ID
vm vendors show "$creme"; expect_rc 0 "show by id"
expect_contains "$OUT" "Crème Brûlée Analytics GmbH" "show by id"
vm vendors show "creme brulee analytics"
expect_rc 0 "show by name without accents or legal suffix"
expect_contains "$OUT" "creme-brulee.de" "shows that vendor"
vm vendors show "CRÈME BRÛLÉE ANALYTICS GMBH" --format json
expect_eq "$creme" "$(jq .id <<<"$OUT")" "show by name in capitals, JSON"
vm vendors show "acme support"
expect_rc 2 "a name two vendors share is ambiguous"
expect_contains "$ERR" "ambiguous, use the id" "says to use the id"
for id in $(psql_q "SELECT id FROM vendors WHERE name_key = 'acme support'"); do
  expect_contains "$OUT" "$id " "lists vendor $id"
done
vm vendors show "Acme Suport"
expect_rc 1 "an unknown name"
expect_contains "$ERR" "no vendor named 'Acme Suport'; did you mean: " "says so"
expect_contains "$ERR" "Acme Support (id " "and suggests the close name"
vm vendors show "qqqxxzzyy"; expect_rc 1 "a name nothing resembles"
expect_contains "$ERR" "vendors search TEXT" "points at search"
vm vendors show "$(printf '\033[31mRed\033[0m Corp')"
expect_rc 0 "show by a name holding escape sequences, typed as stored"
expect_contains "$OUT" "red.example" "finds that vendor"
expect_not_contains "$OUT" $'\033' "and prints no escape sequence"
vm vendors show "$(printf '\033[31mRed\033[0m Kord')"
expect_rc 1 "a hostile unknown name"
expect_not_contains "$ERR" $'\033' "the message carries no escape sequence"
expect_contains "$ERR" "did you mean: " "close names are offered"
vm vendors show 999999; expect_rc 1 "an unknown id"
expect_contains "$ERR" "no vendor with id 999999" "says which id"
vm vendors list --format csv; LIST=$OUT
vm vendors show "$creme" --format csv
expect_rc 0 "show --format csv (SPEC: every command that prints records has csv)"
expect_eq "2" "$(wc -l <<<"$OUT")" "a header and one row"
expect_eq "$(head -1 <<<"$LIST")" "$(head -1 <<<"$OUT")" "show's CSV has the header of list's"
check "the row is the vendor's row of list" grep -qxF -- "$(tail -1 <<<"$OUT")" <<<"$LIST"
vm vendors show; expect_rc 2 "show needs an argument"

# A database where another application installed pg_trgm in public before us:
# the migration and the search use it where it is.
new_db
psql_q "CREATE EXTENSION pg_trgm" >/dev/null
vm migrate; expect_rc 0 "migrate with pg_trgm already in public"
expect_eq "public" "$(psql_q "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'pg_trgm'")" \
  "the extension stays where it was"
expect_eq "public" "$(psql_q "SELECT o.opcnamespace::regnamespace FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_opclass o ON o.oid = i.indclass[0]
  WHERE c.relname = 'vendors_name_key_trgm'")" "the trigram index uses its operator class"
vm import "$T/cat.csv"; expect_rc 0 "import"
vm vendors search "CREME BRULE" --format json
expect_eq "Crème Brûlée Analytics GmbH" "$(first)" "search finds through public's pg_trgm"

# The search index on demand: a first load that takes the bulk path (a file
# of unknown size, a pipe on stdin, counts as large) drops vendors_name_key_trgm and
# does not build it again; the first search does, once.
trgm_index() { psql_q "SELECT count(*) FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
  WHERE i.indrelid = 'vendors'::regclass AND x.relname = 'vendors_name_key_trgm'"; }
new_db
vm migrate; expect_rc 0 "migrate"
expect_eq 1 "$(trgm_index)" "the migration creates the search index on the empty table"
vm_in <(cat "$T/cat.csv") import - --source piped; expect_rc 0 "bulk first load from a pipe"
expect_eq 0 "$(trgm_index)" "the bulk first load leaves the search index out"
expect_eq 1 "$(psql_q "SELECT count(*) FROM pg_indexes WHERE indexname = 'vendors_website_host_idx'")" \
  "and rebuilds the other indexes"
vm stats --format json; expect_rc 0 "stats needs no search index"
vm vendors list --format json; expect_rc 0 "list needs no search index"
vm classify --vendor "$(psql_q "SELECT min(id) FROM vendors")"; expect_rc 0 "classify needs no search index"
vm match --service "data entry" --format json; expect_rc 0 "match needs no search index"
vm vendors show "$(psql_q "SELECT min(id) FROM vendors")"; expect_rc 0 "show by id needs no search index"
expect_eq 0 "$(trgm_index)" "and none of them built it"

# A role that may read the catalog but not build an index searches without it.
ro="vmit_reader_$$_$RANDOM"
psql_q "CREATE ROLE $ro LOGIN; GRANT USAGE ON SCHEMA vendormatch TO $ro;
  GRANT SELECT ON ALL TABLES IN SCHEMA vendormatch TO $ro" >/dev/null
VENDORMATCH_DB="host=$VM_PGHOST user=$ro dbname=$DB_NAME" vm vendors search "CREME BRULE" --format json
expect_rc 0 "a read-only role searches"
expect_eq "Crème Brûlée Analytics GmbH" "$(first)" "and finds by a sequential scan"
expect_contains "$ERR" "searching without it, which is slower" "and says why it is slower"
VENDORMATCH_DB="host=$VM_PGHOST user=$ro dbname=$DB_NAME" vm -q vendors search "CREME BRULE" --format json
expect_rc 0 "-q read-only search"
expect_eq "" "$ERR" "-q keeps the note off stderr"
psql_q "DROP OWNED BY $ro; DROP ROLE $ro" >/dev/null
# The owner in a read-only transaction (a standby, say) too.
VENDORMATCH_DB="$VENDORMATCH_DB options='-c default_transaction_read_only=on'" \
  vm vendors show "Acme Suport"
expect_rc 1 "show of an unknown name in a read-only transaction"
expect_contains "$ERR" "searching without it, which is slower" "notes the slower search"
expect_contains "$ERR" "Acme Support (id " "still suggest the close name"
expect_eq 0 "$(trgm_index)" "the readers built nothing"

vm vendors show "Acme Suport"
expect_rc 1 "show of an unknown name by the owner"
expect_contains "$ERR" "Acme Support (id " "suggests the close name"
expect_not_contains "$ERR" "building the name search index" "no note for a small catalog"
expect_eq 1 "$(trgm_index)" "the suggestions built the search index"
expect_eq "gin" "$(psql_q "SELECT am.amname FROM pg_class x JOIN pg_am am ON am.oid = x.relam
  WHERE x.relname = 'vendors_name_key_trgm'")" "a GIN index"
vm vendors search "CREME BRULE" --format json
expect_eq "Crème Brûlée Analytics GmbH" "$(first)" "search with the built index"
expect_eq "" "$ERR" "nothing on stderr once the index is there"

# A second import (into a non-empty catalog) keeps the index.
printf 'id,name,country,website,services\nW1,Meridian Research Partners,India,meridian.example,Market Research\n' \
  >"$T/more.csv"
vm_in "$T/more.csv" import - --source more; expect_rc 0 "second import"
expect_eq 1 "$(trgm_index)" "a second import keeps the search index"
vm vendors search "meridan reserch" --format json
expect_eq "Meridian Research Partners" "$(first)" "and search finds the new vendor"

# A large fresh catalog: the first search says it builds the index; two
# searches at once both succeed and one index results.
new_db
vm migrate
awk 'BEGIN { print "id,name,country,services"
  for (i = 1; i <= 50001; i++) printf "B%d,Bulkname %d Services,India,Data Entry\n", i, i
  print "B0,Quillfeather Analytics,India,Market Research" }' >"$T/big.csv"
vm_in "$T/big.csv" import - --source big --no-classify; expect_rc 0 "bulk load of 50,002 vendors"
expect_eq 0 "$(trgm_index)" "no search index after the bulk load"
"$VM_BIN" vendors search "quilfeather" --format json >"$T/s1.out" 2>"$T/s1.err" </dev/null & p1=$!
"$VM_BIN" vendors search "quillfether analytics" --format json >"$T/s2.out" 2>"$T/s2.err" </dev/null & p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
expect_eq "0 0" "$r1 $r2" "two searches building the index at once both succeed ($(cat "$T/s1.err" "$T/s2.err"))"
expect_eq "Quillfeather Analytics" "$(jq -r '.[0].name' "$T/s1.out")" "the first finds the vendor"
expect_eq "Quillfeather Analytics" "$(jq -r '.[0].name' "$T/s2.out")" "the second too"
expect_eq "1" "$(cat "$T/s1.err" "$T/s2.err" | grep -c 'building the name search index once (50002 vendors)...')" \
  "one of them notes the build on stderr, with the catalog's size"
expect_eq 1 "$(trgm_index)" "one search index results"
new_db
vm migrate
vm_in "$T/big.csv" import - --source big --no-classify
vm -q vendors search "quilfeather" --format json
expect_eq "Quillfeather Analytics" "$(first)" "-q search builds the index"
expect_eq "" "$ERR" "and -q keeps the note off stderr"
expect_eq 1 "$(trgm_index)" "the quiet search built it"
finish
