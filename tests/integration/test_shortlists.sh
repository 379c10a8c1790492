#!/usr/bin/env bash
# test_shortlists: `match --save`, `shortlists list|show`. A saved shortlist
# is frozen: re-importing its vendors with different data changes nothing
# in it; names are unique unless --replace; show --format json prints the
# stored document.
. "$(dirname "$0")/lib.sh"

new_db
vm migrate
expect_rc 0 "migrate"
cat >"$T/cat.csv" <<'EOF'
id,name,country,services,languages,certifications,employees,hourly_rate,rating
S1,First Contact,India,Customer Support,English,ISO 27001,250-999,$20/hr,4.5
S2,Second Voice,Philippines,Customer Support;Collections,English,,"1,000 - 9,999",$15/hr,4.1
S3,Third Research,India,Market Research,English,SOC 2,50-249,$60/hr,4.8
EOF
vm import --source s "$T/cat.csv"
expect_rc 0 "import"

vm match --service "customer support" --country IN --country PH --save demo
expect_rc 0 "match --save"
vm shortlists list
expect_rc 0 "shortlists list"
expect_contains "$OUT" "demo" "list shows the name"
vm shortlists list --format json
expect_eq "demo 2" "$(jq -r '.[0] | "\(.name) \(.results)"' <<<"$OUT")" "list json"
vm shortlists show demo --format json
expect_rc 0 "show by name"
before=$OUT
id=$(jq -r .id <<<"$before")
expect_eq "demo" "$(jq -r .name <<<"$before")" "document has the name"
check "document has created_at" grep -q '"created_at": "20' <<<"$before"
expect_eq "2" "$(jq -r '.results | length' <<<"$before")" "ranked entries stored"
first=$(jq -r '.results[0].name' <<<"$before")
first_rating=$(jq -r '.results[0].vendor.rating' <<<"$before")
expect_eq "s" "$(jq -r '.catalog[0].source' <<<"$before")" "catalog batches recorded"
vm shortlists show "$id" --format json
expect_eq "$before" "$OUT" "show by id = show by name"
expect_eq "2" "$(psql_q "SELECT count(*) FROM shortlist_entries WHERE shortlist_id = $id")" "entries rows"
expect_eq "$first|$first_rating" "$(psql_q "SELECT name, (vendor->>'rating') FROM shortlist_entries WHERE shortlist_id = $id AND rank = 1")" "entry snapshot"
doc_db=$(psql_q "SELECT document::text FROM shortlists WHERE id = $id" | jq -S .)
expect_eq "$doc_db" "$(jq -S . <<<"$before")" "show json prints the stored document"

# the same name again: refused, unless --replace
vm match --service "customer support" --save demo
expect_rc 1 "a used name is refused"
expect_contains "$ERR" "--replace" "the error says how to replace"

# re-import the vendors with different data: the shortlist does not change
cat >"$T/cat2.csv" <<'EOF'
id,name,country,services,languages,certifications,employees,hourly_rate,rating
S1,First Contact Renamed,India,Collections,English,,10-49,$80/hr,2.0
S2,Second Voice,Philippines,Customer Support,English,,"1,000 - 9,999",$15/hr,4.9
EOF
vm import --source s "$T/cat2.csv"
expect_rc 0 "re-import with different data"
vm shortlists show demo --format json
expect_eq "$before" "$OUT" "saved shortlist unchanged after re-import"
vm shortlists show demo
expect_contains "$OUT" "First Contact" "table view of the frozen entries"
expect_contains "$OUT" "you need a BPO provider" "table view states the type"
vm shortlists show demo --format csv
expect_contains "$OUT" "First Contact" "csv view"

vm match --service "customer support" --country IN --country PH --save demo --replace --format json
expect_rc 0 "--replace"
expect_eq "Second Voice" "$(jq -r '.results[].name' <<<"$OUT")" "the new match sees the new data"
vm shortlists show demo --format json
expect_eq "Second Voice" "$(jq -r '.results[].name' <<<"$OUT")" "replaced"
expect_eq "1" "$(psql_q "SELECT count(*) FROM shortlists WHERE name = 'demo'")" "one shortlist of that name"

vm match --needs "$FIX/needs/single_bpo.csv" --save batch
expect_rc 0 "save from a needs file"
expect_eq "1" "$(psql_q "SELECT count(*) FROM shortlists WHERE name = 'batch-acme-cx'")" "saved as PREFIX-need"

vm shortlists show nosuch
expect_rc 1 "unknown shortlist"
vm shortlists
expect_rc 2 "missing subcommand"
vm shortlists show
expect_rc 2 "show without a name"

finish
