#!/usr/bin/env bash
# test_report: `vendormatch report` end to end on a real PostgreSQL. A saved
# shortlist (fixtures/shortlists/sample.json) renders in each format exactly
# as the reviewed golden files in tests/golden say (html, md and csv are the
# unit test's too; VM_UPDATE_GOLDEN=1 rewrites sample.report.json, the
# document as PostgreSQL's jsonb gives it back); -o replaces a file
# atomically; ids are tried before names; unknown shortlists and misuse give
# the documented exit codes.
. "$(dirname "$0")/lib.sh"
. "$VM_SOURCE_DIR/tests/browser/lib_report.sh"
GOLD=$VM_SOURCE_DIR/tests/golden

new_db
vm migrate
expect_rc 0 "migrate"
id=$(insert_shortlist "$FIX/shortlists/sample.json")
expect_eq 1 "$id" "sample shortlist stored as id 1"

same_as() { # same_as GOLDEN FILE: byte-for-byte
  cmp -s "$1" "$2" || { diff -u "$1" "$2" | head -40 >&2; return 1; }
}

for fmt in html md csv; do
  "$VM_BIN" report acme-cx --format "$fmt" >"$T/r.$fmt" 2>"$T/err"
  RC=$?; OUT=""; ERR=$(cat "$T/err")
  expect_rc 0 "report --format $fmt"
  check "report --format $fmt matches tests/golden/sample.$fmt" same_as "$GOLD/sample.$fmt" "$T/r.$fmt"
done
"$VM_BIN" report acme-cx --format json >"$T/r.json" 2>"$T/err"
RC=$?; ERR=$(cat "$T/err")
[ -n "${VM_UPDATE_GOLDEN:-}" ] && cp "$T/r.json" "$GOLD/sample.report.json"
expect_rc 0 "report --format json"
check "report --format json matches tests/golden/sample.report.json" same_as "$GOLD/sample.report.json" "$T/r.json"
check "the JSON report is the stored document" \
  bash -c '[ "$(jq -S "del(.id)" "$1")" = "$(jq -S "del(.id)" "$2")" ]' _ "$T/r.json" "$FIX/shortlists/sample.json"

"$VM_BIN" report acme-cx >"$T/default" 2>/dev/null
check "html is the default format" same_as "$GOLD/sample.html" "$T/default"
"$VM_BIN" report 1 --format=csv >"$T/by_id.csv" 2>/dev/null
check "a shortlist by id" same_as "$GOLD/sample.csv" "$T/by_id.csv"
"$VM_BIN" report -o - --format md acme-cx >"$T/dash.md" 2>/dev/null
check "-o - writes standard output" same_as "$GOLD/sample.md" "$T/dash.md"

# -o FILE: written atomically, replacing what was there, no temp file left.
echo "old content" >"$T/out.md"
vm report acme-cx --format md -o "$T/out.md"
expect_rc 0 "report -o FILE"
expect_eq "" "$OUT" "nothing on stdout with -o"
check "-o FILE holds the report" same_as "$GOLD/sample.md" "$T/out.md"
check "no temporary file left behind" bash -c '! ls "$1".tmp.* 2>/dev/null | grep -q .' _ "$T/out.md"
vm report acme-cx --output "$T/out.html"
expect_rc 0 "report --output FILE"
check "--output FILE holds the HTML report" same_as "$GOLD/sample.html" "$T/out.html"
vm report acme-cx -o "$T/no/such/dir/r.html"
expect_rc 1 "-o into a missing directory"
expect_contains "$ERR" "no/such/dir" "the error names the file"

# 200 entries render in every format (their speed is measured in bench/, not here).
jq '.name = "big" | .results as $r | .results = [range(200) as $i | $r[$i % 5]
    | .rank = $i + 1 | .vendor_id = 1000 + $i | .name = "Vendor \($i + 1) <&> Ltd"]' \
  "$FIX/shortlists/sample.json" >"$T/big.json"
insert_shortlist "$T/big.json" >/dev/null
for fmt in html md csv json; do
  vm report big --format "$fmt" -o /dev/null
  expect_rc 0 "report of 200 entries as $fmt into /dev/null"
done
vm report big -o "$T/big.html"
expect_eq 200 "$(grep -c '<article class="card">' "$T/big.html")" "a card per entry of 200"

# A number is an id first, then a name.
insert_shortlist "$FIX/shortlists/hostile.json" 999 >/dev/null
insert_shortlist "$FIX/shortlists/hostile.json" 1 >/dev/null
vm report 999 --format json
expect_rc 0 "report 999: no id 999, so the shortlist named 999"
expect_eq 999 "$(echo "$OUT" | jq -r .name)" "report 999 is the one named 999"
vm report 1 --format json
expect_rc 0 "report 1"
expect_eq acme-cx "$(echo "$OUT" | jq -r .name)" "report 1 is id 1, not the shortlist named 1"
vm report 99999999999 --format json
expect_rc 1 "a number too large to be an id is looked up as a name"

# Unknown shortlists and misuse.
vm report nosuch
expect_rc 1 "unknown shortlist"
expect_contains "$ERR" "nosuch" "the error names the shortlist"
expect_contains "$ERR" "vendormatch shortlists list" "the error says how to list shortlists"
expect_eq "" "$OUT" "nothing on stdout for an unknown shortlist"
vm report 424242
expect_rc 1 "unknown shortlist id"
vm report
expect_rc 2 "no SHORTLIST"
vm report acme-cx --format pdf
expect_rc 2 "unknown --format"
expect_contains "$ERR" "pdf" "the usage error names the format"
vm report acme-cx extra
expect_rc 2 "two SHORTLIST arguments"
vm report acme-cx -o
expect_rc 2 "-o without a file"
vm report acme-cx --bogus
expect_rc 2 "unknown option"
vm report --help
expect_rc 0 "report --help"
expect_contains "$OUT" "usage: vendormatch report SHORTLIST" "--help prints the usage"

# --- a shortlist from a real match: names, not codes; rating in stars ----------
cat >"$T/cat.csv" <<'EOF'
name,country,services,languages,hourly_rate,rating
Pune Care,India,Customer Support,English;Hindi,EUR 20,4.6
Berlin Voice,Germany,Customer Support,German,$30/hr,4.2
Manila Help,Philippines,Customer Support,English;Tagalog,$12/hr,3.9
EOF
vm import --source names "$T/cat.csv"
expect_rc 0 "import a small catalog"
vm match --service "customer support" --country India --country Germany --language English --save names
expect_rc 0 "match and save"
vm report names --format md
expect_rc 0 "report md"
expect_contains "$OUT" "| Pune Care | BPO | India | €20/h | 4.6 |" "ranking: country name, rate with currency"
expect_contains "$OUT" "| Languages | English, Hindi |" "languages by name"
expect_contains "$OUT" "Berlin Voice | does not list English" "a near miss names the language"
expect_contains "$OUT" "Manila Help | based in Philippines, not an allowed country" "a near miss names the country"
expect_not_contains "$OUT" "language en" "no language code in the reasons"
expect_not_contains "$OUT" "based in IN" "no country code in the reasons"
vm report names --format html
expect_contains "$OUT" "does not list English" "html near misses name the language"
vm report names --format csv
expect_rc 0 "report csv"
hdr=$(head -1 <<<"$OUT" | tr -d '\r')
expect_eq "rank,vendor_id,name,process_type,score,rating,rate,country,languages,points_service_coverage,points_industry,points_rating,points_price,points_capacity,points_languages,points_confidence,unverified,reasons,website,email,phone,robustness" "$hdr" "csv header: rating, then the points in their own columns"
row=$(sed -n 2p <<<"$OUT" | tr -d '\r')
col() { python3 -c 'import csv,sys; r=next(csv.reader([sys.argv[1]])); print(",".join(r[int(i)] for i in sys.argv[2:]))' "$row" "$@"; }
expect_eq "1,Pune Care,4.6,€20/h,India,English; Hindi" "$(col 0 2 5 6 7 8)" \
  "csv: rating in stars, rate with currency, country and language names"
vm shortlists show names --format json
expect_eq "$(jq -r '.results[0].breakdown.rating' <<<"$OUT")" "$(col 11)" \
  "csv: points_rating holds the rating criterion's points"

finish
