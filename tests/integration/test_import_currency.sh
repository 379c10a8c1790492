#!/usr/bin/env bash
# test_import_currency: where an imported rate's currency comes from, through
# the binary: the cell's own, else the rate header's ("Hourly rate (EUR)",
# "Rate €/h", "Rate (GBP/hour)"), else `import --currency CODE`, else USD; an
# unknown --currency is a usage error that changes nothing; the summary (table
# and JSON) says which currency the bare rates were read in.
. "$(dirname "$0")/lib.sh"

new_db
vm migrate
expect_rc 0 "migrate"
cur() { psql_q "SELECT coalesce(rate_min::float8::text, '-') || ' ' || coalesce(rate_max::float8::text, '-') || ' ' || currency FROM vendors WHERE name = '$1'"; }

# --- the header names the currency; a cell's own currency wins -------------------
cat >"$T/eur.csv" <<'EOF'
name,country,Hourly rate (EUR)
Bare Euro,France,25
Dollar Cell,France,$12
Pound Cell,France,GBP 30
Open Euro,France,< 40
EOF
vm import "$T/eur.csv"
expect_rc 0 "import a file with a (EUR) rate header"
expect_eq "25 25 EUR" "$(cur 'Bare Euro')" "a bare number under 'Hourly rate (EUR)' is EUR"
expect_eq "12 12 USD" "$(cur 'Dollar Cell')" "a cell's \$12 under a EUR header stays USD (cell wins)"
expect_eq "30 30 GBP" "$(cur 'Pound Cell')" "a cell's GBP 30 stays GBP"
expect_eq "- 40 EUR" "$(cur 'Open Euro')" "an open range takes the header's currency too"
expect_contains "$OUT" 'rate currency: EUR (from the header "Hourly rate (EUR)")' "the summary says where the currency came from"
expect_eq "0" "$(psql_q "SELECT count(*) FROM vendors WHERE extra ? 'Hourly rate (EUR)'")" "the header is read as the rate column, not kept as extra"

printf 'name,Rate €/h\nSymbol Header,18\n' >"$T/sym.csv"
vm import "$T/sym.csv"
expect_eq "18 18 EUR" "$(cur 'Symbol Header')" "'Rate €/h' is a EUR rate column"
printf 'name,Rate (GBP/hour)\nPound Header,40\n' >"$T/gbp.csv"
vm import "$T/gbp.csv"
expect_eq "40 40 GBP" "$(cur 'Pound Header')" "'Rate (GBP/hour)' is a GBP rate column"
printf 'name,Tarif horaire (EUR)\nMapped Header,33\n' >"$T/map.csv"
vm import --map "hourly_rate=Tarif horaire (EUR)" "$T/map.csv"
expect_eq "33 33 EUR" "$(cur 'Mapped Header')" "a --map'd rate column's header names the currency"

# --- --currency: bare numbers only; the header still wins ----------------------------
printf 'name,Hourly Rate\nBare Pound,20\nDollar Pound,$15\n' >"$T/plain.csv"
vm import --currency GBP "$T/plain.csv" --format json
expect_rc 0 "import --currency GBP"
expect_eq "20 20 GBP" "$(cur 'Bare Pound')" "--currency GBP applies to a bare number"
expect_eq "15 15 USD" "$(cur 'Dollar Pound')" "--currency leaves a cell's own currency"
expect_eq "GBP --currency" "$(jq -r '"\(.rate_currency) \(.rate_currency_from)"' <<<"$OUT")" "JSON summary: rate_currency and where from"
printf 'name,Hourly rate (EUR)\nHeader Wins,50\n' >"$T/both.csv"
vm import --currency gbp "$T/both.csv"
expect_rc 0 "--currency in lower case"
expect_eq "50 50 EUR" "$(cur 'Header Wins')" "the header's currency wins over --currency"
printf 'name,Hourly Rate\nPlain Dollar,20\n' >"$T/usd.csv"
vm import "$T/usd.csv" --format json
expect_eq "20 20 USD" "$(cur 'Plain Dollar')" "no currency anywhere: USD"
expect_eq "USD default" "$(jq -r '"\(.rate_currency) \(.rate_currency_from)"' <<<"$OUT")" "JSON summary: the default"
printf 'name,country\nNo Rate,India\n' >"$T/norate.csv"
vm import "$T/norate.csv" --format json
expect_eq "null" "$(jq -r '.rate_currency' <<<"$OUT")" "no rate column: rate_currency null"
vm import "$T/norate.csv"
expect_not_contains "$OUT" "rate currency" "no rate column: no currency line"

# --- an unknown code: usage error, nothing imported -------------------------------
before=$(psql_q "SELECT count(*) FROM vendors")
printf 'name,Hourly Rate\nNever Stored,20\n' >"$T/never.csv"
for bad in XYZ 'US$' EU EURO '' 'E;R'; do
  vm import --currency "$bad" "$T/never.csv"
  expect_rc 2 "--currency '$bad' is refused"
  expect_contains "$ERR" "not an ISO 4217 currency code" "the error says why ('$bad')"
done
expect_eq "$before" "$(psql_q "SELECT count(*) FROM vendors")" "refused imports stored nothing"

# --- the converted rate matches: a EUR header's vendors compare in USD ------------------
vm match --service "customer support" --max-rate 30 --format json
expect_rc 0 "match runs over the imported rates"

vm import --help
expect_contains "$OUT" "--currency CODE" "--help documents --currency"
finish
