#!/usr/bin/env bash
# test_match: `vendormatch match` end to end on a real PostgreSQL, on a small
# catalog loaded through `import`: every hard constraint alone and combined,
# type inference, weights, the tie-break order, near misses, needs files
# (good and bad), hostile text, and the fast SQL path against C scoring of
# every vendor (VM_MATCH_EXHAUSTIVE=1).
. "$(dirname "$0")/lib.sh"

new_db
vm migrate
expect_rc 0 "migrate"

cat >"$T/cat.csv" <<'EOF'
id,name,country,services,industries,languages,certifications,employees,hourly_rate,rating,delivery
V01,Alpha Care,India,Customer Support;Collections,Retail,English;Hindi,ISO 27001,"1,000 - 9,999",$20/hr,4.5,Offshore
V02,Beta Voice,Philippines,Customer Support,Healthcare,English,ISO 9001,51-200,$15/hr,4.5,Offshore
V03,Gamma Research,India,Equity Research;Investment Research,Financial services,English,ISO 27001;SOC 2,250-999,$40/hr,4.8,Offshore
V04,Delta Insights,USA,Market Research,Retail,English;Spanish,SOC 2,50-249,$90/hr,4.9,Onshore
V05,Epsilon Hybrid,Argentina,Customer Support;Market Research;Equity Research;Technical Support,Retail,Spanish;English,,250-999,$25/hr,4.0,Nearshore
V06,Zeta Collect,USA,Collections,,English,PCI DSS,"1,000 - 9,999",$35/hr,3.8,Onshore
V07,Eta Twin,India,Customer Support,,English,,250-999,$20/hr,4.2,Offshore
V08,Eta Twin,Philippines,Customer Support,,English,,250-999,$20/hr,4.2,Offshore
V09,Theta Norating,India,Customer Support,,English,,250-999,$20/hr,,Offshore
V10,Iota Unknown,India,Basket weaving,,English,,250-999,$20/hr,4.9,Offshore
V11,Kappa Euro,Germany,Customer Support,,German;English,ISO 27001,250-999,EUR 20,4.6,Nearshore
V12,Lambda Legal,United Kingdom,Legal Research;eDiscovery,Legal,English,ISO 27001,50-249,£60,4.7,Onshore
V13,"Robert'); DROP TABLE vendors;--",Philippines,Customer Support,,English,,10-49,,4.0,Offshore
EOF
vm import --source t "$T/cat.csv"
expect_rc 0 "import the test catalog"

# names NEED-ARGS...: runs match --format json and prints the result names, one a line.
names() {
  vm match --format json "$@"
  [ "$RC" = 0 ] || { echo "match failed ($RC): $ERR" >&2; return; }
  jq -r '.results[].name' <<<"$OUT"
}
excluded() { jq -r '.excluded[] | "\(.name): \(.reasons | join(", "))"' <<<"$OUT"; }

# --- type inference -------------------------------------------------------
vm match --service "customer support" --format json
expect_rc 0 "match a BPO need"
expect_eq "BPO true" "$(jq -r '"\(.process_type) \(.process_type_inferred)"' <<<"$OUT")" "customer support infers BPO"
expect_contains "$(jq -r .process_type_reason <<<"$OUT")" "you need a BPO provider because customer support is process work" "the reason is a sentence"
vm match --service "equity research"
expect_contains "$OUT" "you need a KPO provider because equity research" "table output states the type first"
expect_eq "you need a KPO provider" "$(head -1 <<<"$OUT" | cut -c1-23)" "the sentence is the first line"
vm match --service "customer support" --service "market research" --format json
expect_eq "ANY" "$(jq -r .process_type <<<"$OUT")" "BPO + KPO services: either type (HYBRID need)"
expect_contains "$(jq -r .process_type_reason <<<"$OUT")" "either: your services span both (HYBRID)" "HYBRID reason"
got=$(names --service "customer support" --service "market research" --top 20 | sort | tr '\n' '|')
expect_contains "$got" "Delta Insights|" "ANY accepts KPO vendors"
expect_contains "$got" "Alpha Care|" "ANY accepts BPO vendors"
expect_not_contains "$got" "Iota" "UNCLASSIFIED vendors never match"

# --- each hard constraint alone ------------------------------------------
got=$(names --service "customer support" --top 20 | tr '\n' '|')
expect_not_contains "$got" "Delta" "a vendor offering none of the services is excluded"
expect_contains "$got" "Epsilon Hybrid" "a HYBRID vendor serves a BPO need"
got=$(names --service "customer support" --type KPO --top 20 | tr '\n' '|')
expect_eq "Epsilon Hybrid|" "$got" "--type KPO keeps only KPO/HYBRID vendors"
got=$(names --service "customer support" --cert "ISO/IEC 27001:2013" --top 20 --strict | sort | tr '\n' '|')
expect_eq "Alpha Care|Kappa Euro|" "$got" "--cert --strict"
got=$(names --service "customer support" --cert "ISO/IEC 27001:2013" --top 20 | sort | tr '\n' '|')
expect_eq "Alpha Care|Epsilon Hybrid|Eta Twin|Eta Twin|Kappa Euro|Robert'); DROP TABLE vendors;--|Theta Norating|" "$got" "--cert: vendors listing no certification pass unverified, Beta Voice (ISO 9001 only) fails"
got=$(names --service "customer support" --language German | tr '\n' '|')
expect_eq "Kappa Euro|" "$got" "--language"
got=$(names --service "customer support" --country India --top 20 | sort | tr '\n' '|')
expect_eq "Alpha Care|Eta Twin|Theta Norating|" "$got" "--country"
got=$(names --service "customer support" --exclude-country IN --exclude-country PH --top 20 | sort | tr '\n' '|')
expect_eq "Epsilon Hybrid|Kappa Euro|" "$got" "--exclude-country"
got=$(names --service "customer support" --min-employees 500 --top 20 | sort | tr '\n' '|')
expect_eq "Alpha Care|Epsilon Hybrid|Eta Twin|Eta Twin|Kappa Euro|Theta Norating|" "$got" "--min-employees uses employees_max (250-999 passes 500)"
got=$(names --service "customer support" --max-rate 18 --top 20 | tr '\n' '|')
expect_eq "Beta Voice|Robert'); DROP TABLE vendors;--|" "$got" "--max-rate: EUR 20 converts to \$21.60 (above), unknown rate passes unverified, last (no price points)"
got=$(names --service "customer support" --max-rate 18 --top 20 --require-known rate | tr '\n' '|')
expect_eq "Beta Voice|" "$got" "--max-rate --require-known rate: unknown rate excluded"
got=$(names --service "customer support" --max-rate "EUR 25" --top 20 | sort | tr '\n' '|')
expect_eq "Alpha Care|Beta Voice|Epsilon Hybrid|Eta Twin|Eta Twin|Kappa Euro|Robert'); DROP TABLE vendors;--|Theta Norating|" "$got" "--max-rate in EUR: USD rates convert (\$25 = EUR 23.15)"
got=$(names --service "customer support" --min-rating 4.5 --top 20 | sort | tr '\n' '|')
expect_eq "Alpha Care|Beta Voice|Kappa Euro|Theta Norating|" "$got" "--min-rating (unknown rating passes unverified)"
got=$(names --service "customer support" --min-rating 4.5 --top 20 --strict | sort | tr '\n' '|')
expect_eq "Alpha Care|Beta Voice|Kappa Euro|" "$got" "--min-rating --strict (unknown rating excluded)"
got=$(names --service "customer support" --sensitivity high --top 20 --require-known cert | sort | tr '\n' '|')
expect_eq "Alpha Care|Kappa Euro|" "$got" "--sensitivity high needs a security certification (known: --require-known cert)"
got=$(names --service "customer support" --sensitivity high --top 20 | tr '\n' '|')
expect_not_contains "$got" "Beta Voice" "--sensitivity high: ISO 9001 alone is not a security certification"
expect_contains "$got" "Eta Twin" "--sensitivity high: no certification listed passes unverified"
got=$(names --service "customer support" --delivery nearshore --top 20 | sort | tr '\n' '|')
expect_eq "Epsilon Hybrid|Kappa Euro|" "$got" "--delivery"
# combined
got=$(names --service "customer support" --country IN --country PH --min-rating 4.2 --max-rate 20 --language English --top 20 --strict | sort | tr '\n' '|')
expect_eq "Alpha Care|Beta Voice|Eta Twin|Eta Twin|" "$got" "constraints combined"

# --- near misses ------------------------------------------------------------
vm match --service "customer support" --cert "ISO 27001" --country IN --format json
expect_contains "$(excluded)" "Kappa Euro: based in Germany, not an allowed country" "near miss: country"
expect_not_contains "$(excluded)" "Beta Voice" "failing two constraints is not a near miss"
vm match --service "customer support" --cert "ISO 27001" --format json
expect_contains "$(excluded)" "Beta Voice: no ISO 27001" "near miss names the missing certification"
vm match --service "customer support" --max-rate 18 --format json
expect_contains "$(excluded)" "Alpha Care: rate \$20/h above max \$18/h" "near miss names the rate"
expect_contains "$(excluded)" "Kappa Euro: rate €20/h ≈ \$21.60/h at 1.08, rates of 2026-12-01 above max \$18/h" "near miss: another currency, converted"
expect_le5=$(jq '.excluded | length' <<<"$OUT")
check "at most 5 near misses" [ "$expect_le5" -le 5 ]
vm match --service "customer support" --min-rating 4.3 --explain
expect_contains "$OUT" "near misses" "--explain prints near misses"
expect_contains "$OUT" "unverified" "--explain shows the unverified column"
vm match --service "customer support" --min-rating 4.3 --explain --strict
expect_contains "$OUT" "rating unknown (must be known: --strict)" "unknown rating under --strict is a stated reason"
expect_contains "$OUT" "service_coverage" "--explain prints the breakdown"

# --- weights and order -------------------------------------------------------
vm match --service "customer support" --country IN --country PH --format json
first=$(jq -r '.results[0].name' <<<"$OUT")
expect_eq "Alpha Care" "$first" "default weights: Alpha Care first"
sum=$(jq '[.weights[]] | add' <<<"$OUT")
expect_eq "100" "$sum" "weights sum to 100"
vm match --service "customer support" --country IN --country PH --weight rating=0 --weight confidence=0 --weight capacity=100 --format json
expect_eq "100" "$(jq '[.weights[]] | add | round' <<<"$OUT")" "custom weights are rescaled to 100"
expect_eq "Alpha Care" "$(jq -r '.results[0].name' <<<"$OUT")" "capacity weight keeps the largest first"
vm match --service "customer support" --country IN --country PH --max-rate 30 --weight price=300 --format json
expect_eq "Beta Voice" "$(jq -r '.results[0].name' <<<"$OUT")" "a heavy price weight puts the cheapest first"
# tie: the two Eta Twins have equal score and rating: ordered by name, then id
vm match --service "customer support" --country IN --country PH --format json
ids=$(jq -r '[.results[] | select(.name == "Eta Twin") | .vendor_id] | join(" ")' <<<"$OUT")
scores=$(jq -r '[.results[] | select(.name == "Eta Twin") | .score] | unique | length' <<<"$OUT")
expect_eq "1" "$scores" "the twins tie on score"
check "tied vendors ordered by id" [ "$(cut -d' ' -f1 <<<"$ids")" -lt "$(cut -d' ' -f2 <<<"$ids")" ]
a=$(jq -c '.results | map([.rank, .vendor_id, .score])' <<<"$OUT")
vm match --service "customer support" --country IN --country PH --format json
expect_eq "$a" "$(jq -c '.results | map([.rank, .vendor_id, .score])' <<<"$OUT")" "same data and need, same order"
vm match --service "customer support" --format json --top 20
expect_eq "Theta Norating" "$(jq -r '.results[-1].name' <<<"$OUT")" "unknown rating sorts last among equals"

# --- the fast path is exact: compare with C scoring every vendor -----------------
for need in "--service 'customer support'" "--service 'customer support' --top 2" \
  "--service 'customer support' --service 'market research' --top 3" \
  "--service collections --max-rate 30" "--service 'equity research' --sensitivity high" \
  "--service 'customer support' --min-rating 4.2 --top 1" "--service 'customer support' --weight rating=80 --top 3"; do
  eval "vm match $need --format json"; fast=$(jq -c '[.results, .excluded]' <<<"$OUT")
  check "match $need succeeds" [ "$RC" = 0 ]
  eval "VM_MATCH_EXHAUSTIVE=1 vm match $need --format json"; slow=$(jq -c '[.results, .excluded]' <<<"$OUT")
  expect_eq "$slow" "$fast" "SQL retrieval = C over every vendor: $need"
done

# --- formats ---------------------------------------------------------------
vm match --service "customer support" --format csv --top 3
expect_rc 0 "csv"
expect_eq "need,status,rank,vendor_id,name,type,score,country,rating,rate_from,currency,rate,unverified,service_coverage,industry,rating_points,price,capacity,languages,confidence,reasons" "$(head -1 <<<"$OUT" | tr -d '\r')" "csv header"
expect_eq "4" "$(wc -l <<<"$OUT" | tr -d ' ')" "csv: header + 3 rows"

# --- option errors (exit 2) -------------------------------------------------
vm match --service "customer support" --type XPO
expect_rc 2 "unknown --type"
expect_contains "$ERR" "usage:" "usage printed"
vm match --service "customer support" --weight speed=3
expect_rc 2 "unknown criterion"
vm match --service "customer support" --min-rating lots
expect_rc 2 "bad --min-rating"
vm match --service "customer support" --sensitivity extreme
expect_rc 2 "bad --sensitivity"
vm match --service "customer support" --country Atlantis
expect_rc 2 "unknown country"
vm match --service "underwater basket weaving zzz"
expect_rc 2 "unknown service"
expect_contains "$ERR" "taxonomy add" "says how to add it"
vm match --service "customer support" --bogus
expect_rc 2 "unknown option"
vm match --needs "$FIX/needs/batch.csv" --country IN
expect_rc 2 "--needs with need options"

# --- needs files ---------------------------------------------------------
vm match --needs "$FIX/needs/batch.csv" --format json
expect_rc 0 "batch needs file"
expect_eq "12" "$(jq length <<<"$OUT")" "one document per need, in an array"
expect_eq "cx-asia" "$(jq -r '.[0].need.name' <<<"$OUT")" "need column names each"
expect_eq "KPO" "$(jq -r '.[] | select(.need.name == "legal") | .process_type' <<<"$OUT")" "explicit type from the file"
vm match --needs "$FIX/needs/single_kpo.csv"
expect_rc 0 "single KPO need"
expect_contains "$OUT" "you need a KPO provider" "KPO inferred"
vm match --needs "$FIX/needs/single_bpo.csv" --format csv
expect_rc 0 "single BPO need as CSV"
expect_contains "$OUT" "acme-cx,result,1," "need name in CSV rows"
vm match --needs "$FIX/needs/bad_row.csv"
expect_rc 65 "a bad needs row"
expect_contains "$ERR" "bad_row.csv:4:25: unknown country 'Atlantis'" "file:line:column: reason"
expect_eq "" "$OUT" "nothing printed for a bad file"
printf 'need,services,sensitivity\nx,customer support,extreme\n' >"$T/bad2.csv"
vm match --needs "$T/bad2.csv"
expect_rc 65 "unknown sensitivity in a file"
expect_contains "$ERR" "bad2.csv:2:20: unknown sensitivity 'extreme'" "sensitivity position"
printf 'need,services,favourite colour\nx,customer support,blue\n' >"$T/bad3.csv"
vm match --needs "$T/bad3.csv"
expect_rc 65 "unknown column"
expect_contains "$ERR" "bad3.csv:1:15: unknown column 'favourite colour'" "column position"
printf 'need,services\nx,caf\xc3\n' >"$T/bad4.csv"
vm match --needs "$T/bad4.csv"
expect_rc 65 "invalid UTF-8 in a needs file"
printf 'need,services,min_employees\nx,customer support,many\n' >"$T/bad5.csv"
vm match --needs "$T/bad5.csv"
expect_rc 65 "bad number"
expect_contains "$ERR" "bad5.csv:2:20: bad employee count 'many'" "number position"
printf 'need;services;countries\nsemi;customer support|collections;IN,PH\n' >"$T/semi.csv"
vm match --needs "$T/semi.csv" --format json
expect_rc 0 "semicolon needs file"
expect_eq '["IN","PH"]' "$(jq -c '.[0].need.countries' <<<"$OUT")" "multi-valued cells split as in catalogs"
vm_in "$FIX/needs/single_bpo.csv" match --needs - --format json
expect_rc 0 "needs from stdin"

# --- hostile text is data -------------------------------------------------------
vm match --service "customer support'); DROP TABLE vendors;--" --format json
expect_rc 0 "an injection string in a service is matched as text"
expect_eq "customer support'); DROP TABLE vendors;--" "$(jq -r '.need.services[0]' <<<"$OUT")" "kept verbatim in the need"
vm match --service "customer support" --industry "x'); DROP TABLE vendors;--" --delivery '"; SELECT 1; --' --format json
expect_rc 0 "injection strings in industry/delivery"
expect_eq "x'); drop table vendors;--" "$(jq -r '.need.industries[0]' <<<"$OUT")" "kept as data (case folded like catalogs)"
expect_eq "13" "$(psql_q 'SELECT count(*) FROM vendors')" "vendors table intact"
vm match --service "customer support" --country PH --min-rating 4 --format json
expect_contains "$(jq -r '.results[].name' <<<"$OUT")" "Robert'); DROP TABLE vendors;--" "a hostile vendor name is returned as data"
printf 'need,services\n"Robert""); DROP TABLE shortlists;--",customer support\n' >"$T/hostile.csv"
vm match --needs "$T/hostile.csv" --save "x'; DROP TABLE shortlists;--" --format json
expect_rc 0 "hostile need name and shortlist prefix"
expect_eq "1" "$(psql_q "SELECT count(*) FROM shortlists WHERE name LIKE 'x''; DROP%'")" "saved under the hostile name"

# --- the walk over several chunks is exact: 3,000 generated vendors --------------
# Ratings repeat (ties on the key), some are unknown, rates in four currencies
# (USD, EUR and GBP convert at the seeded rates; BWP has no rate: unknown),
# open rate and headcount ranges ("< $25 / hr", "$40+ / hr", "from $30",
# "500+", "< 300", "up to 300"), types and services varied, so walks span many chunks, tiers and near-miss branches.
# Every constrained fact is sometimes missing (no languages, certifications,
# country, headcount, rate, rating or delivery listed: unknown, which passes
# unverified by default and fails under --strict / --require-known).
new_db
vm migrate
awk 'BEGIN {
  srand(7); OFS = ",";
  split("Customer Support|Collections|Market Research|Equity Research|Data Entry|Technical Support|Legal Research|Medical Billing", svc, "|");
  split("India|Philippines|USA|Poland|Mexico|Germany|", cty, "|");
  split("English|Spanish|French|German|Hindi", lng, "|");
  split("ISO 27001|SOC 2|PCI DSS||ISO 9001|", crt, "|");
  split("Offshore|Onshore|Nearshore|Remote", dlv, "|");
  split("Retail|Healthcare|Insurance|Financial services", ind, "|");
  print "id,name,country,services,industries,languages,certifications,employees,hourly_rate,rating,delivery";
  for (i = 1; i <= 3000; i++) {
    s = svc[1 + int(rand() * 8)]; if (rand() < 0.5) s = s ";" svc[1 + int(rand() * 8)];
    if (rand() < 0.2) s = s ";" svc[1 + int(rand() * 8)];
    r = rand() < 0.08 ? "" : sprintf("%.1f", 3 + int(rand() * 21) / 10);
    x = rand(); cur = x < 0.1 ? "EUR " : x < 0.15 ? "GBP " : x < 0.18 ? "BWP " : "$"; amt = 10 + int(rand() * 60); rate = cur amt "/hr";
    if (i % 9 == 0) rate = "< " cur amt " / hr"; else if (i % 11 == 0) rate = cur amt "+ / hr";
    else if (i % 13 == 0) rate = "from " cur amt;
    if (rand() < 0.05) rate = "";
    emp = (10 + int(rand() * 40)) * (1 + int(rand() * 30));
    if (i % 10 == 0) emp = emp "+"; else if (i % 12 == 0) emp = "< " emp; else if (i % 17 == 0) emp = "up to " emp;
    if (i % 19 == 0) emp = "";
    langs = "\"" lng[1 + int(rand() * 5)] ";" lng[1 + int(rand() * 5)] "\""; if (i % 7 == 0) langs = "";
    d = dlv[1 + int(rand() * 4)]; if (i % 8 == 0) d = "";
    print "W" i, "Vendor " int(rand() * 2500), cty[1 + int(rand() * 7)], "\"" s "\"", ind[1 + int(rand() * 4)],
      langs, crt[1 + int(rand() * 6)], emp, rate, r, d;
  }
}' >"$T/big.csv"
vm import --source big "$T/big.csv"
expect_rc 0 "import 3,000 generated vendors"
psql_q "ANALYZE vendors" >/dev/null
walk_needs=(
  "--service 'customer support'" "--service 'customer support' --top 50"
  "--service 'customer support' --service collections --top 20"
  "--service 'customer support' --service collections --service 'data entry' --top 15"
  "--service 'market research' --max-rate 30" "--service 'market research' --max-rate 'EUR 40' --top 25"
  "--service 'equity research' --sensitivity high --top 30"
  "--service 'data entry' --country India --language English"
  "--service 'technical support' --min-employees 300 --min-rating 4"
  "--type BPO --country Philippines --top 40"
  "--service 'legal research' --cert 'ISO 27001' --delivery onshore"
  "--service 'customer support' --exclude-country IN --top 100"
  "--service 'medical billing' --industry healthcare --weight industry=50 --top 20"
  "--service collections --weight confidence=80 --weight rating=5 --top 12"
  "--service 'customer support' --service 'market research' --weight service_coverage=0 --top 30"
  "--service 'customer support' --cert 'SOC 2' --country India --top 3"
  "--type any --top 200"
  "--service 'customer support' --type KPO"
  "--service 'equity research' --type BPO --country India --language Hindi"
  "--service 'market research' --service 'equity research' --type KPO --max-rate 25 --min-employees 500"
  "--service 'data entry' --language French --language German --cert 'ISO 9001' --top 1"
  "--service 'customer support' --max-rate 15 --min-rating 4.5 --delivery remote --exclude-country US"
  "--service 'customer support' --max-rate 25 --min-employees 400 --top 30"
  "--service collections --max-rate 40 --weight price=60 --top 25"
  "--service 'customer support' --max-rate 'GBP 30' --weight price=50 --top 40"
  "--service 'market research' --min-rate 'EUR 30' --top 30"
  "--service collections --max-rate 'EUR 35' --min-rate 20 --top 25"
  "--service 'data entry' --min-employees 1000 --weight capacity=70 --top 25"
  "--service 'customer support' --max-rate 25" "--service 'customer support' --max-rate 25 --type any"
  "--service 'customer support' --max-rate 'EUR 20'" "--service collections --max-rate 12 --top 5"
  "--service 'customer support' --language English --strict --top 30"
  "--service 'data entry' --language French --require-known language --top 20"
  "--service 'market research' --max-rate 30 --strict"
  "--service 'market research' --max-rate 30 --require-known rate --top 25"
  "--service 'customer support' --max-rate 20 --min-employees 500 --require-known employees --top 30"
  "--service 'technical support' --min-employees 300 --min-rating 4 --strict"
  "--service 'legal research' --cert 'ISO 27001' --delivery onshore --strict"
  "--service 'customer support' --delivery remote --require-known delivery --top 25"
  "--service 'customer support' --country India --country Mexico --exclude-country PL --strict --top 20"
  "--service 'customer support' --country India --exclude-country US --top 20"
  "--service 'equity research' --sensitivity high --require-known cert --top 30"
  "--service collections --max-rate 'EUR 35' --min-rate 20 --strict --top 25"
  "--service collections --max-rate 'EUR 35' --min-rate 20 --require-known rate --require-known rating --min-rating 3.5 --top 25"
  "--service 'customer support' --min-rating 4.5 --top 40"
  "--service 'customer support' --language English --language Spanish --max-rate 25 --min-employees 400 --min-rating 4 --delivery offshore --top 30"
  "--service 'customer support' --service collections --language German --cert 'SOC 2' --max-rate 30 --weight languages=40 --top 20"
  "--type any --exclude-country IN --require-known country --top 50"
)
apart=0
for need in "${walk_needs[@]}"; do
  eval "vm -v -v match $need --format json"; fast=$OUT; info=$(grep -o '[0-9]* rows read in [0-9]* queries' <<<"$ERR")
  apart=$((apart + $(grep -c 'qualifying vendors read apart' <<<"$ERR")))
  check "match $need succeeds with results" [ "$RC" = 0 ] && [ "$(jq '.results | length' <<<"$fast")" -gt 0 ]
  eval "VM_MATCH_EXHAUSTIVE=1 vm match $need --format json"; slow=$OUT
  expect_eq "$slow" "$fast" "walk = C over every vendor, byte for byte ($info): $need"
done
# Some of them read the qualifying vendors apart from the near misses
# (docs/matching.md, "Qualifying vendors apart"), the rest together.
check "needs above read the qualifying vendors apart ($apart walks)" [ "$apart" -ge 1 ]
# The near misses failing only the type, read by the bitmap of the rejected
# types' partial service key indexes (migrations/0015), in key spans, with
# their own stop rule:
# a large catalog takes that path on its own (docs/matching.md), this one is
# made to (VM_MATCH_TYPE_BITMAP), for every need above. Same documents.
bitmap_chunks=0
for need in "${walk_needs[@]}" "--service 'customer support' --type KPO --top 25" \
  "--service 'market research' --type BPO --top 25" \
  "--service 'customer support' --service 'equity research' --type BPO --language English" \
  "--service collections --type KPO --industry retail --weight industry=40" \
  "--service 'data entry' --type KPO --max-rate 30 --min-employees 200 --top 20"; do
  eval "VM_MATCH_TYPE_BITMAP=1 vm -v -v match $need --format json"; fast=$OUT
  bitmap_chunks=$((bitmap_chunks + $(grep -c 'classes 0x2, .*(fallback)' <<<"$ERR")))
  eval "VM_MATCH_EXHAUSTIVE=1 vm match $need --format json"; slow=$OUT
  expect_eq "$slow" "$fast" "type class by the bitmap = C over every vendor, byte for byte: $need"
done
check "the forced needs read the type class by the bitmap ($bitmap_chunks chunks)" [ "$bitmap_chunks" -ge 10 ]
# migrations/0015 keys a vendor's first 8 services; one with more carries
# the key -1, which every key span asks for. A top-rated KPO vendor (manual
# tag) whose tenth service is collections is a near miss of a BPO need for
# collections, found by the bitmap as by C over every vendor.
printf '%s\n' 'name,country,services,hourly_rate,rating' 'Tenfold Research,US,collections,$30/hr,5' >"$T/ten.csv"
vm import --source ten "$T/ten.csv"
expect_rc 0 "import a vendor to give ten services"
psql_q "UPDATE vendors SET manual_type = 'KPO', manual_reason = 'test',
          services = ARRAY(SELECT id FROM taxonomy_categories WHERE code <> 'collections' ORDER BY id LIMIT 9)
                     || (SELECT id FROM taxonomy_categories WHERE code = 'collections')
        WHERE name = 'Tenfold Research'" >/dev/null
for need in "--service collections --top 25" "--service collections --country US --max-rate 40"; do
  eval "VM_MATCH_TYPE_BITMAP=1 vm -v -v match $need --format json"; fast=$OUT
  check "the type class by the bitmap: $need" grep -q 'classes 0x2, .*(fallback)' <<<"$ERR"
  eval "VM_MATCH_EXHAUSTIVE=1 vm match $need --format json"; slow=$OUT
  expect_eq "$slow" "$fast" "a vendor of ten services, by the bitmap = C over every vendor: $need"
done
vm match --service collections --top 25 --format json
expect_contains "$(jq -r '.excluded[].name' <<<"$OUT")" "Tenfold Research" "the KPO vendor of ten services is a near miss"
# The price bound: with --max-rate no vendor gets more price points than the
# catalog's cheapest rate would, converted (migrations/0013's index). Cheap
# vendors in other currencies, with low ratings (low keys, far down the
# walk), where price weighs most: a bound that missed a currency or its
# conversion would stop the walk before them.
printf '%s\n' 'name,country,services,hourly_rate,rating' \
  'Yen Helpdesk,PH,customer support,JPY 300/hr,2.1' 'Euro Cheap Care,PL,customer support,EUR 3/hr,1.5' \
  'Pound Lite Support,IN,customer support,< GBP 4 / hr,2.0' >"$T/cheap.csv"
vm import --source cheap "$T/cheap.csv"
expect_rc 0 "import vendors cheaper than the rest, in three currencies"
for need in "--service 'customer support' --max-rate 25 --weight price=80" \
  "--service 'customer support' --max-rate 'EUR 20' --weight price=80 --top 3" \
  "--service 'customer support' --max-rate 5 --weight price=60 --top 5"; do
  eval "vm match $need --format json"; fast=$OUT
  eval "VM_MATCH_EXHAUSTIVE=1 vm match $need --format json"; slow=$OUT
  expect_eq "$slow" "$fast" "walk = C over every vendor with cheap foreign rates: $need"
done
vm match --service 'customer support' --max-rate 25 --weight price=80 --top 3 --format json
expect_eq "Yen Helpdesk" "$(jq -r '.results[0].name' <<<"$OUT")" "the yen vendor (about \$2/h) ranks first by price"
# A rate with no currency is in USD: the cheapest-rate probe of the NULL
# currency (written in the index's order) finds it, here the cheapest of all
# ($1/h; a probe that missed it would cap the price points at the yen
# vendor's and stop the walk before this low-rated vendor).
psql_q "UPDATE vendors SET currency = NULL, rate_min = 1, rate_max = 1 WHERE name = 'Pound Lite Support'" >/dev/null
need="--service 'customer support' --max-rate 25 --weight price=80 --top 3"
eval "vm match $need --format json"; fast=$OUT
eval "VM_MATCH_EXHAUSTIVE=1 vm match $need --format json"; slow=$OUT
expect_eq "$slow" "$fast" "walk = C over every vendor with a cheapest rate of no currency"
expect_eq "Pound Lite Support" "$(jq -r '.results[0].name' <<<"$fast")" "the \$1/h vendor of no currency ranks first"
psql_q "UPDATE vendors SET currency = 'GBP', rate_min = NULL, rate_max = 4 WHERE name = 'Pound Lite Support'" >/dev/null
# A catalog without that index (not migrated yet) is matched without the bound.
psql_q "DROP INDEX vendors_cheapest_rate_idx" >/dev/null
need="--service 'customer support' --max-rate 25 --weight price=80"
eval "vm match $need --format json"; fast=$OUT
eval "VM_MATCH_EXHAUSTIVE=1 vm match $need --format json"; slow=$OUT
expect_eq "$slow" "$fast" "walk = C over every vendor without the cheapest-rate index"
psql_q "CREATE INDEX vendors_cheapest_rate_idx ON vendors (currency, (COALESCE(rate_min, rate_max)))" >/dev/null

vm -v match --service "customer support" --top 100 --format json
expect_contains "$ERR" "queries" "the walk reports its reads with -v"
check "a broad need reads several chunks" [ "$(grep -o 'in [0-9]* queries' <<<"$ERR" | tr -dc 0-9)" -ge 2 ]
vm match --service "customer support" --country India --top 100 --format json
expect_eq "5" "$(jq '.excluded | length' <<<"$OUT")" "five near misses from the walks"
vm -v -v match --service "market research" --max-rate 30 --format json
expect_contains "$ERR" "classes main+" "-vv traces each chunk and the classes it reads"
expect_contains "$ERR" "taxonomy load:" "-vv times each phase"
# --save after a walk: the walk's statement time limit is off for the save
vm match --service "customer support" --save walked
expect_rc 0 "a match saved after a walk"

finish
