#!/usr/bin/env bash
# test_unknown: every hard constraint of `match` has three states, met,
# unknown and failed (issue 13, docs/matching.md "Three states"), end to end
# through the binary. For each constraint a vendor with the fact known and
# met, one whose catalog says nothing about it, and one with the fact known
# and failing: by default the unknown one passes unverified (no points for
# the criterion, a flag and a reason), --strict and --require-known FACT
# make it fail, --require-known of another fact does not. Then open ranges
# and a currency with no exchange rate (unverified too), near misses,
# needs-file columns, bad values, the table, CSV and JSON views, a saved
# shortlist and its html/md/csv reports, and the SQL walk against C scoring
# of every vendor for each need.
. "$(dirname "$0")/lib.sh"

new_db
vm migrate
expect_rc 0 "migrate"

# Every vendor offers customer support and meets every constraint below but
# for its one varied fact (the base: India, English, ISO 27001, 500-999
# people, $20/h, rating 4.5, offshore).
cat >"$T/cat.csv" <<'EOF'
id,name,country,services,languages,certifications,employees,hourly_rate,rating,delivery
B,Base Known,India,Customer Support,English,ISO 27001,500-999,$20/hr,4.5,Offshore
L1,Lang Met,India,Customer Support,English;Hindi,ISO 27001,500-999,$20/hr,4.5,Offshore
L2,Lang Unknown,India,Customer Support,,ISO 27001,500-999,$20/hr,4.5,Offshore
L3,Lang Failed,India,Customer Support,Hindi,ISO 27001,500-999,$20/hr,4.5,Offshore
C1,Cert Met,India,Customer Support,English,ISO 27001;SOC 2,500-999,$20/hr,4.5,Offshore
C2,Cert Unknown,India,Customer Support,English,,500-999,$20/hr,4.5,Offshore
C3,Cert Failed,India,Customer Support,English,ISO 9001,500-999,$20/hr,4.5,Offshore
K1,Country Met,India,Customer Support,English,ISO 27001,500-999,$20/hr,4.5,Offshore
K2,Country Unknown,,Customer Support,English,ISO 27001,500-999,$20/hr,4.5,Offshore
K3,Country Failed,Poland,Customer Support,English,ISO 27001,500-999,$20/hr,4.5,Offshore
E1,Size Met,India,Customer Support,English,ISO 27001,"1,000-4,999",$20/hr,4.5,Offshore
E2,Size Unknown,India,Customer Support,English,ISO 27001,,$20/hr,4.5,Offshore
E3,Size Failed,India,Customer Support,English,ISO 27001,10-49,$20/hr,4.5,Offshore
E4,Size Open,India,Customer Support,English,ISO 27001,10+,$20/hr,4.5,Offshore
R1,Rate Met,India,Customer Support,English,ISO 27001,500-999,$15/hr,4.5,Offshore
R2,Rate Unknown,India,Customer Support,English,ISO 27001,500-999,,4.5,Offshore
R3,Rate Failed,India,Customer Support,English,ISO 27001,500-999,$40/hr,4.5,Offshore
R4,Rate Open,India,Customer Support,English,ISO 27001,500-999,< $30 / hr,4.5,Offshore
R5,Rate No Fx,India,Customer Support,English,ISO 27001,500-999,BWP 40,4.5,Offshore
G1,Rating Met,India,Customer Support,English,ISO 27001,500-999,$20/hr,4.8,Offshore
G2,Rating Unknown,India,Customer Support,English,ISO 27001,500-999,$20/hr,,Offshore
G3,Rating Failed,India,Customer Support,English,ISO 27001,500-999,$20/hr,3.0,Offshore
D1,Delivery Met,India,Customer Support,English,ISO 27001,500-999,$20/hr,4.5,Offshore;Onshore
D2,Delivery Unknown,India,Customer Support,English,ISO 27001,500-999,$20/hr,4.5,
D3,Delivery Failed,India,Customer Support,English,ISO 27001,500-999,$20/hr,4.5,Onshore
T1,Two Facts,India,Customer Support,,ISO 27001,500-999,$40/hr,4.5,Offshore
H1,"=1+1 <script>alert('unv')</script>",India,Customer Support,,ISO 27001,500-999,$20/hr,4.5,Offshore
EOF
vm import --source u "$T/cat.csv"
expect_rc 0 "import the three-state catalog"

# in_results NAME / in_excluded NAME: jq tests on $OUT (a match document).
field() { jq -c --arg n "$1" "[.results[], .excluded[]] | map(select(.name == \$n)) | .[0].$2" <<<"$OUT"; }
where() { # where NAME: results, excluded or absent
  jq -r --arg n "$1" 'if any(.results[]; .name == $n) then "results"
    elif any(.excluded[]; .name == $n) then "excluded" else "absent" end' <<<"$OUT"
}

ranks_above() { # ranks_above A B: A is ranked above B in $OUT
  jq -e --arg a "$1" --arg b "$2" \
    '(.results | map(.name) | index($a)) < (.results | map(.name) | index($b))' <<<"$OUT" >/dev/null
}

# three FACT "NEED ARGS" MET UNKNOWN FAILED PHRASE FAILURE [CRITERION]:
# the three states of one constraint, under the default, --strict,
# --require-known FACT and --require-known of another fact.
three() {
  local fact=$1 need=$2 met=$3 unk=$4 failed=$5 phrase=$6 failure=$7 crit=${8:-} other=rating
  [ "$fact" = rating ] && other=language
  eval "vm match --service 'customer support' $need --top 50 --format json"
  expect_rc 0 "$fact: match $need"
  expect_eq "results []" "$(where "$met") $(field "$met" unverified)" "$fact: known and met ranks, nothing unverified"
  expect_eq "results [\"$fact\"]" "$(where "$unk") $(field "$unk" unverified)" "$fact: unknown passes, flagged unverified"
  expect_eq "[\"$phrase: unverified\"]" "$(field "$unk" unverified_reasons)" "$fact: the unverified reason"
  expect_eq "\"$phrase: unverified\"" "$(field "$unk" 'reasons[-1]')" "$fact: the reason closes the reasons"
  expect_eq "excluded" "$(where "$failed")" "$fact: known and failed is excluded (a near miss)"
  expect_contains "$(field "$failed" reasons)" "$failure" "$fact: the failure says why"
  if [ -n "$crit" ]; then
    expect_eq "0" "$(field "$unk" "breakdown.$crit")" "$fact: unknown gets no $crit points"
    check "$fact: known and met gets $crit points" [ "$(field "$met" "breakdown.$crit")" != 0 ]
    check "$fact: unverified ranks below known" ranks_above "$met" "$unk"
  fi
  eval "vm match --service 'customer support' $need --top 50 --format json --strict"
  expect_eq "results excluded excluded" "$(where "$met") $(where "$unk") $(where "$failed")" "$fact --strict: unknown excluded"
  expect_eq "[\"$phrase (must be known: --strict)\"]" "$(field "$unk" reasons)" "$fact --strict: the reason"
  expect_eq "true" "$(jq .need.strict <<<"$OUT")" "$fact --strict: recorded in the need"
  eval "vm match --service 'customer support' $need --top 50 --format json --require-known $fact"
  expect_eq "results excluded excluded" "$(where "$met") $(where "$unk") $(where "$failed")" "$fact --require-known $fact: unknown excluded"
  expect_eq "[\"$phrase (must be known: --require-known $fact)\"]" "$(field "$unk" reasons)" "$fact --require-known: the reason"
  expect_eq "[\"$fact\"]" "$(jq -c .need.require_known <<<"$OUT")" "$fact --require-known: recorded in the need"
  eval "vm match --service 'customer support' $need --top 50 --format json --require-known $other"
  expect_eq "results [\"$fact\"]" "$(where "$unk") $(field "$unk" unverified)" "$fact --require-known $other: still unverified"
  # the SQL walk decides as C does over every vendor, in each mode
  for mode in "" "--strict" "--require-known $fact"; do
    eval "vm match --service 'customer support' $need --top 3 --format json $mode"; fast=$OUT
    eval "VM_MATCH_EXHAUSTIVE=1 vm match --service 'customer support' $need --top 3 --format json $mode"
    expect_eq "$OUT" "$fast" "walk = C over every vendor: $need $mode"
  done
}

three language "--language English" "Lang Met" "Lang Unknown" "Lang Failed" \
  "languages not listed by any source" "does not list English" languages
three cert "--cert 'ISO 27001'" "Cert Met" "Cert Unknown" "Cert Failed" \
  "certifications not listed by any source" "no ISO 27001"
three cert "--sensitivity high" "Cert Met" "Cert Unknown" "Cert Failed" \
  "certifications not listed by any source (high sensitivity needs a security certification)" \
  "no security certification"
three country "--country India" "Country Met" "Country Unknown" "Country Failed" \
  "country unknown" "based in Poland, not an allowed country"
three country "--exclude-country Poland" "Country Met" "Country Unknown" "Country Failed" \
  "country unknown, may be an excluded one" "based in Poland, an excluded country"
three employees "--min-employees 300" "Size Met" "Size Unknown" "Size Failed" \
  "headcount unknown" "10-49 employees, below min 300" capacity
three rate "--max-rate 25" "Rate Met" "Rate Unknown" "Rate Failed" \
  "rate unknown" "rate \$40/h above max \$25/h" price
three rating "--min-rating 4" "Rating Met" "Rating Unknown" "Rating Failed" \
  "rating unknown" "rating 3.0 below min 4.0" rating
three delivery "--delivery offshore" "Delivery Met" "Delivery Unknown" "Delivery Failed" \
  "delivery model unknown" "delivers onshore, not a requested model"

# --- open ranges and a currency with no rate: the same unverified state -------
vm match --service "customer support" --min-employees 300 --top 50 --format json
expect_eq "results [\"employees\"]" "$(where "Size Open") $(field "Size Open" unverified)" "10+ against min 300: unverified"
expect_eq "[\"10+ employees, may be below min 300: unverified\"]" "$(field "Size Open" unverified_reasons)" "open headcount reason"
vm match --service "customer support" --max-rate 25 --top 50 --format json
expect_eq "results [\"rate\"]" "$(where "Rate Open") $(field "Rate Open" unverified)" "< \$30 against max 25: unverified"
expect_eq "[\"rate < \$30/h, may exceed max \$25/h: unverified\"]" "$(field "Rate Open" unverified_reasons)" "open rate reason"
expect_eq "results [\"rate\"]" "$(where "Rate No Fx") $(field "Rate No Fx" unverified)" "a currency with no exchange rate: unverified"
expect_eq "[\"rate BWP 40/h, no exchange rate for BWP (fx set BWP ...): unverified\"]" "$(field "Rate No Fx" unverified_reasons)" "no-rate currency reason"
expect_eq "0 0" "$(field "Rate Open" breakdown.price) $(field "Rate No Fx" breakdown.price)" "no price points for either"
vm match --service "customer support" --max-rate 25 --top 50 --format json --require-known rate
expect_eq "excluded excluded" "$(where "Rate Open") $(where "Rate No Fx")" "--require-known rate excludes open and unconvertible rates"
expect_contains "$(field "Rate Open" reasons)" "rate < \$30/h, may exceed max \$25/h (must be known: --require-known rate)" "open rate under --require-known"
vm match --service "customer support" --max-rate 35 --top 50 --format json --strict
expect_eq "results" "$(where "Rate Open")" "< \$30 against max 35 is met, even with --strict"

# --- near misses: unknown is not a failure unless strict ----------------------
vm match --service "customer support" --language English --max-rate 25 --top 50 --format json
expect_eq "excluded [\"language\"]" "$(where "Two Facts") $(field "Two Facts" unverified)" "one failure and one unknown: still a near miss, flagged"
expect_eq "[\"rate \$40/h above max \$25/h\"]" "$(field "Two Facts" reasons)" "its one failure"
vm match --service "customer support" --language English --max-rate 25 --top 50 --format json --strict
expect_eq "absent" "$(where "Two Facts")" "--strict: the unknown is a second failure, no near miss"
vm match --service "customer support" --language English --max-rate 25 --top 50 --explain --strict
expect_contains "$OUT" "near misses" "--explain --strict lists near misses"
expect_contains "$OUT" "languages not listed by any source (must be known: --strict)" "--explain shows the strict failure"

# --- the table and CSV views mark unverified rows -----------------------------
vm match --service "customer support" --language English --top 50
expect_rc 0 "table"
check "the unverified row has a ? after its score" bash -c 'grep "Lang Unknown" <<<"$1" | grep -Eq "^ *[0-9]+ +[0-9.]+[?] "' _ "$OUT"
check "a verified row has no mark" bash -c '! grep "Lang Met" <<<"$1" | grep -q "[0-9][?]"' _ "$OUT"
expect_contains "$OUT" "? passed a constraint the catalog does not state: unverified" "a note under the table says what ? means"
check "the table keeps to 100 columns with the mark and the note" \
  python3 -c 'import sys; sys.exit(max(len(l) for l in sys.argv[1].splitlines()) > 100)' "$OUT"
vm match --service "customer support" --cert "ISO 27001" --country India --top 3
expect_not_contains "$OUT" "unverified" "no mark and no note when no row needs it"
vm match --service "customer support" --language English --max-rate 25 --top 50 --explain
expect_rc 0 "--explain"
block="$(sed -n '/^#[0-9]*  Lang Unknown/,/^$/p' <<<"$OUT")"
expect_contains "$block" "    unknown  languages not listed by any source" "--explain: the block has the unverified reason on its own line"
expect_eq "1" "$(grep -c 'languages not listed by any source' <<<"$block")" "--explain: not repeated among the verified reasons"
expect_contains "$(grep -A1 'Two Facts' <<<"$OUT")" "unverified: language" "--explain: a near miss says what it left unverified"
vm match --service "customer support" --language English --top 50 --format csv
expect_contains "$(head -1 <<<"$OUT")" ",rate,unverified,service_coverage," "CSV has an unverified column"
expect_contains "$(grep 'Lang Unknown' <<<"$OUT")" ",language," "CSV: the unverified fact"

# --- options and needs files -----------------------------------------------------
vm match --service "customer support" --require-known colour
expect_rc 2 "an unknown fact to require known"
expect_contains "$ERR" "unknown fact 'colour'" "the error names it"
expect_contains "$ERR" "language, cert, country, employees, rate, rating or delivery" "and the facts"
vm match --service "customer support" --require-known language --require-known rate --format json
expect_eq '["language","rate"]' "$(jq -c .need.require_known <<<"$OUT")" "--require-known repeats"
vm match --service "customer support" --strict --format json
expect_eq '["language","cert","country","employees","rate","rating","delivery"]' "$(jq -c .need.require_known <<<"$OUT")" "--strict requires every fact known"
cat >"$T/needs.csv" <<'EOF'
need,services,languages,max_rate,strict,require_known
all,customer support,English,25,yes,
some,customer support,English,25,no,language
none,customer support,English,25,,
EOF
vm match --needs "$T/needs.csv" --top 50 --format json
expect_rc 0 "needs file with strict and require_known columns"
expect_eq "true [] false [\"language\"] false []" \
  "$(jq -r '[.[0].need.strict, (.[0].need.require_known | length | if . == 7 then [] else . end), .[1].need.strict, .[1].need.require_known, .[2].need.strict, .[2].need.require_known] | map(tojson) | join(" ")' <<<"$OUT")" \
  "strict and require_known read per row"
expect_eq "false false true" \
  "$(jq -r '[.[] | any(.results[]; .name == "Lang Unknown")] | map(tojson) | join(" ")' <<<"$OUT")" \
  "Lang Unknown: excluded by strict and by require_known language, unverified otherwise"
expect_eq "false true true" \
  "$(jq -r '[.[] | any(.results[]; .name == "Rate Unknown")] | map(tojson) | join(" ")' <<<"$OUT")" \
  "Rate Unknown: excluded by strict only"
printf 'need,services,strict\nx,customer support,maybe\n' >"$T/bad_strict.csv"
vm match --needs "$T/bad_strict.csv"
expect_rc 65 "a bad strict cell"
expect_contains "$ERR" "bad_strict.csv:2:20: bad strict value 'maybe'" "file:line:column"
printf 'need,services,require known\nx,customer support,language;colour\n' >"$T/bad_known.csv"
vm match --needs "$T/bad_known.csv"
expect_rc 65 "a bad require_known cell"
expect_contains "$ERR" "bad_known.csv:2:20: unknown fact 'colour'" "file:line:column"

# --- a saved shortlist and its reports show the unverified facts apart ----------
vm match --service "customer support" --language English --max-rate 25 --top 50 --save unk
expect_rc 0 "save a shortlist with unverified results"
expect_eq '["language"]' "$(psql_q "SELECT document->'results' FROM shortlists WHERE name = 'unk'" |
  jq -c '.[] | select(.name == "Lang Unknown") | .unverified')" "the stored document carries unverified"
vm shortlists show unk --format json
expect_eq '["languages not listed by any source: unverified"]' "$(jq -c '.results[] | select(.name == "Lang Unknown") | .unverified_reasons' <<<"$OUT")" "shortlists show: unverified reasons"
vm report unk --format html -o "$T/unk.html"
expect_rc 0 "html report"
html=$(cat "$T/unk.html")
expect_contains "$html" '<span class="unv">unverified: language</span>' "html: the ranking marks the row"
expect_contains "$html" '<div class="unverified"><b>Unverified: check with the vendor</b><ul><li>languages not listed by any source</li></ul></div>' "html: the card's unverified box"
expect_contains "$html" '<span class="unv">unverified: hourly rate</span>' "html: an unverified rate"
expect_not_contains "$html" "<script>alert" "html: a hostile name stays text"
vm report unk --format md
expect_contains "$OUT" "Lang Unknown **(unverified: language)**" "md: the ranking marks the row"
expect_contains "$OUT" "**Unverified: check with the vendor**" "md: the vendor's unverified section"
vm report unk --format csv
expect_contains "$(head -1 <<<"$OUT")" ",unverified,reasons," "csv report: an unverified column"
expect_contains "$(grep 'Lang Unknown' <<<"$OUT")" ",language,\"" "csv report: the fact"
expect_contains "$(grep 'unv' <<<"$OUT")" "'=1+1 <script>" "csv report: a formula-like name is defused"

finish
