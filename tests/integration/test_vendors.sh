#!/usr/bin/env bash
# test_vendors: `vendors list|show` and `stats` through the binary: filters
# normalised like catalogs, every output format, hostile text kept verbatim
# in JSON and made harmless in table and CSV views, exit codes.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"
vm import "$FIX/catalogs/canonical.csv" "$FIX/catalogs/partner_overlap.csv" "$FIX/catalogs/excel_semicolon.csv"
expect_rc 0 "import three catalogs"
vm import "$FIX/broken/html_formula.csv" "$FIX/broken/injection.csv"
expect_rc 0 "import hostile but valid catalogs"

total=$(psql_q "SELECT count(*) FROM vendors")

vm vendors list --limit 0 --format json
expect_rc 0 "list as JSON"
expect_eq "$total" "$(jq length <<<"$OUT")" "JSON list has every vendor"
expect_eq "id,name,website,country,process_type,confidence,tag_manual,services,industries,languages,certifications,employees_min,employees_max,rate_min,rate_max,currency,rating,founded,source,extra" \
  "$(jq -r '.[0] | [keys_unsorted[] | select(. != "city" and . != "sources")] | join(",")' <<<"$OUT")" \
  "JSON objects carry the documented keys in a stable order"
expect_eq "<script>alert(1)</script>" "$(jq -r '.[] | select(.website=="xss.example") | .name' <<<"$OUT")" \
  "an HTML name is stored and returned verbatim"

# Filters are normalised the way catalogs are.
vm vendors list --country "United Kingdom" --format json
n_gb=$(psql_q "SELECT count(*) FROM vendors WHERE country = 'GB'")
expect_eq "$n_gb" "$(jq length <<<"$OUT")" "--country 'United Kingdom' finds the GB vendors"
vm vendors list --cert "ISO/IEC 27001:2013" --format json
n_iso=$(psql_q "SELECT count(*) FROM vendors WHERE 'ISO27001' = ANY(certifications)")
expect_eq "$n_iso" "$(jq length <<<"$OUT")" "--cert spelled differently finds ISO27001 vendors"
vm vendors list --language Spanish --format json
n_es=$(psql_q "SELECT count(*) FROM vendors WHERE 'es' = ANY(languages)")
expect_eq "$n_es" "$(jq length <<<"$OUT")" "--language Spanish finds 'es' speakers"
vm vendors list --type KPO --format json
n_kpo=$(psql_q "SELECT count(*) FROM vendors WHERE effective_type = 'KPO'")
expect_eq "$n_kpo" "$(jq length <<<"$OUT")" "--type KPO"
check "KPO list is not empty" test "$n_kpo" -gt 0
vm vendors list --type kpo --format json
expect_rc 0 "--type in any case, as match --type reads it"
expect_eq "$n_kpo" "$(jq length <<<"$OUT")" "--type kpo finds the KPO vendors"
vm vendors list --source partner_overlap --format json
n_src=$(psql_q "SELECT count(*) FROM vendor_sources vs JOIN sources s ON s.id = vs.source_id WHERE s.name = 'partner_overlap'")
expect_eq "$n_src" "$(jq length <<<"$OUT")" "--source"
vm vendors list --service market_research --country DE --format json
expect_eq "$(psql_q "SELECT count(*) FROM vendors WHERE (SELECT id FROM taxonomy_categories WHERE code = 'market_research') = ANY(services) AND country = 'DE'")" \
  "$(jq length <<<"$OUT")" "filters combine"

vm vendors list --service "call centre" --format json
expect_eq "$(psql_q "SELECT count(*) FROM vendors WHERE (SELECT id FROM taxonomy_categories WHERE code = 'contact_center') = ANY(services)")" \
  "$(jq length <<<"$OUT")" "--service takes a phrase and finds its category"
vm vendors list --service "zzz unknown thing"; expect_rc 2 "--service that matches nothing"

vm vendors list --limit 3
expect_rc 0 "table view"
expect_eq 4 "$(wc -l <<<"$OUT")" "--limit 3 prints a header and 3 rows"
vm vendors list --limit 0
expect_not_contains "$OUT" $'\x1b' "no escape characters reach the terminal"
check "table view of NULL cells is clean text" bash -c '! LC_ALL=C grep -q "[^[:print:][:space:]]" <<<"$(tr -d "\200-\377" <<<"$1")"' _ "$OUT"

vm vendors list --limit 0 --format csv
expect_rc 0 "CSV view"
expect_contains "$OUT" "\"'=HYPERLINK(" "a formula name is defused in CSV"
expect_not_contains "$OUT" ",=HYPERLINK(" "no live formula in CSV"

# Bad filters are usage errors.
vm vendors list --country Atlantis; expect_rc 2 "unknown country"
expect_contains "$ERR" "unknown country 'Atlantis'" "the message names the value"
vm vendors list --type SOMETHING; expect_rc 2 "unknown type"
vm vendors list --limit -1; expect_rc 2 "negative limit"
vm vendors bogus; expect_rc 2 "unknown subcommand"
vm vendors show; expect_rc 2 "show without an id"
vm vendors show abc; expect_rc 1 "show with a name no vendor has (names are welcome; test_vendor_search)"
vm vendors show 999999; expect_rc 1 "show an unknown id"
expect_contains "$ERR" "no vendor with id 999999" "says which id"

id=$(psql_q "SELECT id FROM vendors WHERE name LIKE 'Meridian Research Partners%' ORDER BY id LIMIT 1")
vm vendors show "$id"
expect_rc 0 "show"
expect_contains "$OUT" "evidence:" "show prints the tag evidence"
expect_contains "$OUT" '(from "http://meridianresearch.in/about-us")' "show keeps the original text beside the value"
vm vendors show "$id" --format json
expect_eq "$id" "$(jq .id <<<"$OUT")" "show JSON"
check "show JSON has evidence rows" test "$(jq '.evidence | length' <<<"$OUT")" -gt 0
check "show JSON has provenance from two sources" test "$(jq '.provenance | length' <<<"$OUT")" -ge 2
vm tag set "$id" BPO --reason "client says so"; expect_rc 0 "manual tag"
vm vendors show "$id"
expect_contains "$OUT" "manual: client says so" "show marks a manual tag with its reason"

vm stats --format json
expect_rc 0 "stats JSON"
expect_eq "$total" "$(jq .total <<<"$OUT")" "stats total"
expect_eq "$total" "$(jq '[.by_type[]] | add' <<<"$OUT")" "by_type adds up to the total"
vm stats
expect_contains "$OUT" "UNCLASSIFIED" "stats table lists every type"
vm stats --format csv
expect_contains "$OUT" "dimension,value,label,vendors" "stats CSV header"
vm stats --format html
expect_contains "$OUT" "<svg" "stats HTML has a chart"
expect_not_contains "$OUT" "<script" "stats HTML runs nothing"
vm stats --top 0; expect_rc 2 "--top 0 is a usage error"
finish
