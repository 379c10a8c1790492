#!/usr/bin/env bash
# test_fx: the exchange-rate table (issue 13 B): the dated seed of migration
# 0011, `fx set`, `fx list` in every format, and `fx import` of the European
# Central Bank's reference-rate CSV (eurofxref.csv, one row, units per euro)
# and of its history file (many rows; the newest, or --date), converted to
# US dollars per unit through the USD column; bad files change nothing.
. "$(dirname "$0")/lib.sh"

new_db
vm migrate
expect_rc 0 "migrate"

# --- the seed -----------------------------------------------------------------------
vm fx list --format json
expect_rc 0 "fx list"
expect_eq "1.08 2026-12-01 Euro" "$(jq -r '.[] | select(.currency == "EUR") | "\(.usd_per_unit) \(.date) \(.name)"' <<<"$OUT")" "seed: EUR 1.08 USD, dated 2026-12-01"
check "seed: the common currencies" [ "$(jq length <<<"$OUT")" -ge 25 ]
expect_eq "0.85" "$(jq -r '.[] | select(.currency == "GBP") | (1.08 / .usd_per_unit * 100 | round / 100)' <<<"$OUT")" "seed: GBP from its per-euro rate (0.85 per euro)"
expect_eq "0" "$(jq '[.[] | select(.currency == "USD")] | length' <<<"$OUT")" "USD is implied, not stored"
vm fx list
expect_contains "$(head -1 <<<"$OUT")" "CURRENCY  USD PER UNIT" "table header, in the one header style"
expect_contains "$OUT" "seed (migration 0011" "the source is shown"
vm fx list --format csv
expect_eq "currency,usd_per_unit,date,source,name" "$(head -1 <<<"$OUT" | tr -d '\r')" "csv header"

# --- fx set -----------------------------------------------------------------------
vm fx set EUR 1.10 --date 2026-12-02
expect_rc 0 "fx set"
expect_eq "1.1|2026-12-02|manual (fx set)" "$(psql_q "SELECT usd_per_unit::float8, rate_date, source FROM fx_rates WHERE currency = 'EUR'")" "fx set stores rate, date and source"
vm fx set bwp 0.075 --date 2026-12-02
expect_rc 0 "fx set a code the seed lacks, any case"
expect_eq "BWP" "$(psql_q "SELECT currency FROM fx_rates WHERE currency = 'BWP'")" "stored upper-case"
vm fx set USD 1
expect_rc 2 "USD is always 1"
expect_contains "$ERR" "USD is always 1: rates are US dollars per unit of another currency" \
  "says why, not that USD is no ISO 4217 code"
vm fx set XYZ 1
expect_rc 2 "not an ISO 4217 code"
expect_contains "$ERR" "'XYZ' is not an ISO 4217 currency code" "says what XYZ is not"
vm fx set EUR 1e3
expect_rc 2 "strict number: no exponent"
vm fx set EUR -1
expect_rc 2 "no negative rate"
vm fx set EUR 0
expect_rc 2 "no zero rate"
vm fx set EUR 1.2 --date 2026-02-30
expect_rc 2 "no impossible date"
vm fx set "EUR'); DROP TABLE fx_rates;--" 1
expect_rc 2 "hostile code refused"
expect_eq "1.1" "$(psql_q "SELECT usd_per_unit::float8 FROM fx_rates WHERE currency = 'EUR'")" "refusals changed nothing"

# --- fx import: eurofxref.csv ----------------------------------------------------------
printf 'Date, USD, JPY, BGN, CZK, DKK, GBP, HUF, PLN, RON, SEK, CHF, ISK, NOK, TRY, AUD, BRL, CAD, CNY, HKD, IDR, ILS, INR, KRW, MXN, MYR, NZD, PHP, SGD, THB, ZAR, \n07 December 2026, 1.0812, 161.20, 1.9558, 25.050, 7.4590, 0.85120, 395.10, 4.2800, 4.9750, 11.2900, 0.9480, 148.10, 11.6100, 37.2000, 1.6400, 6.1200, 1.4850, 7.7500, 8.4300, 17180.00, 3.9500, 90.110, 1479.50, 19.8200, 4.8500, 1.8000, 62.400, 1.4520, 37.550, 19.6400, \n' >"$T/eurofxref.csv"
vm fx import "$T/eurofxref.csv"
expect_rc 0 "fx import eurofxref.csv"
expect_contains "$OUT" "stored 30 rates of 2026-12-07" "says what it stored"
expect_eq "1.0812|2026-12-07" "$(psql_q "SELECT usd_per_unit::float8, rate_date FROM fx_rates WHERE currency = 'EUR'")" "EUR = the USD column"
expect_eq "1.27021" "$(psql_q "SELECT round(usd_per_unit, 5) FROM fx_rates WHERE currency = 'GBP'")" "GBP = 1.0812 / 0.8512 USD"
expect_eq "0.00671" "$(psql_q "SELECT round(usd_per_unit, 5) FROM fx_rates WHERE currency = 'JPY'")" "JPY = 1.0812 / 161.20 USD"
expect_contains "$(psql_q "SELECT source FROM fx_rates WHERE currency = 'GBP'")" "ECB reference rates" "source names the ECB file"
expect_eq "2026-12-02" "$(psql_q "SELECT rate_date FROM fx_rates WHERE currency = 'BWP'")" "a currency the file lacks keeps its rate"

# --- fx import: the history file -----------------------------------------------------------
printf 'Date,USD,JPY,GBP,\n2026-12-09,1.0900,N/A,0.8600,\n2026-12-08,1.0850,162.00,0.8550,\n2026-12-04,1.0700,160.00,0.8400,\n' >"$T/hist.csv"
vm fx import "$T/hist.csv"
expect_rc 0 "fx import the history file"
expect_eq "1.09|2026-12-09" "$(psql_q "SELECT usd_per_unit::float8, rate_date FROM fx_rates WHERE currency = 'EUR'")" "the newest row"
expect_eq "2026-12-07" "$(psql_q "SELECT rate_date FROM fx_rates WHERE currency = 'JPY'")" "N/A leaves a currency as it was"
vm fx import "$T/hist.csv" --date 2026-12-04
expect_rc 0 "fx import --date"
expect_eq "1.07|2026-12-04" "$(psql_q "SELECT usd_per_unit::float8, rate_date FROM fx_rates WHERE currency = 'EUR'")" "the row of --date"
printf 'Date, USD, GBP, \n03 December 2026, 1.0500, 0.8300, \n' >"$T/older.csv"
vm fx import "$T/older.csv"
expect_rc 0 "fx import of a file older than the stored rates"
expect_eq "stored 0 rates of 2026-12-03 from $T/older.csv (EUR = \$1.0500)
kept EUR: the stored rate is dated after 2026-12-03 (fx list)
kept GBP: the stored rate is dated after 2026-12-03 (fx list)" "$OUT" "says which newer rates it kept"
expect_eq "1.07|2026-12-04" "$(psql_q "SELECT usd_per_unit::float8, rate_date FROM fx_rates WHERE currency = 'EUR'")" "an older file never undoes a newer rate"
vm fx set GBP 1.25 --date 2026-12-01
expect_eq "1.25|2026-12-01" "$(psql_q "SELECT usd_per_unit::float8, rate_date FROM fx_rates WHERE currency = 'GBP'")" "fx set stores what it is told, whatever the date"
vm fx import "$T/older.csv"
expect_contains "$OUT" "stored 1 rate of 2026-12-03" "a newer file row replaces an older stored rate"
expect_eq "2026-12-03" "$(psql_q "SELECT rate_date FROM fx_rates WHERE currency = 'GBP'")" "GBP now of the file's date"
vm fx import "$T/hist.csv" --date 2026-12-05
expect_rc 65 "no row of that date"
expect_contains "$ERR" "no row dated 2026-12-05" "says so"

# --- bad files: exit 65, FILE:LINE, nothing changed (a missing one: 1) -------------------------------------------
before=$(psql_q "SELECT string_agg(currency || usd_per_unit || rate_date, ',' ORDER BY currency) FROM fx_rates")
printf 'name,rate\nx,1\n' >"$T/bad1.csv"
vm fx import "$T/bad1.csv"
expect_rc 65 "not an ECB file"
expect_contains "$ERR" "bad1.csv:1:1: not an ECB reference-rate file" "names file, line and column"
printf 'Date, JPY, GBP\n07 December 2026, 161.2, 0.85\n' >"$T/bad2.csv"
vm fx import "$T/bad2.csv"
expect_rc 65 "no USD column"
expect_contains "$ERR" "bad2.csv:1:1: no USD column" "says the USD column is missing"
printf 'Date, USD, GBP\n07 December 2026, 1.08, abc\n' >"$T/bad3.csv"
vm fx import "$T/bad3.csv"
expect_rc 65 "a bad rate"
expect_contains "$ERR" "bad3.csv:2:25: bad GBP rate 'abc'" "names line, column and value"
printf 'Date, USD, GBP\n32 Foo 2026, 1.08, 0.85\n' >"$T/bad4.csv"
vm fx import "$T/bad4.csv"
expect_rc 65 "a bad date"
printf 'Date, USD, ZZZ\n07 December 2026, 1.08, 0.85\n' >"$T/bad5.csv"
vm fx import "$T/bad5.csv"
expect_rc 65 "an unknown currency column"
printf 'Date, USD, GBP\n07 December 2026, 1.08, 0.85\x00\xff\n' >"$T/bad6.csv"
vm fx import "$T/bad6.csv"
expect_rc 65 "control bytes and invalid UTF-8"
expect_contains "$ERR" "bad6.csv:2:30: invalid UTF-8" "names the line and column of the first bad byte"
printf 'Date, USD, GBP\n07 December 2026, 1.08, 0.85\x27); DROP TABLE fx_rates;--\n' | "$VM_BIN" fx import - >"$T/out" 2>"$T/err"
RC=$? ERR=$(cat "$T/err")
expect_rc 65 "hostile content on standard input"
expect_contains "$ERR" "stdin:2:25: bad GBP rate '0.85'); DROP TABLE fx_rates;--'" "names stdin, line, column and value"
vm fx import "$T/missing.csv"
expect_rc 1 "a missing file: exit 1, as for every input file (test_input_files)"
expect_contains "$ERR" "$T/missing.csv: cannot open: No such file or directory (check the path)" "names the file and why"
expect_eq "$before" "$(psql_q "SELECT string_agg(currency || usd_per_unit || rate_date, ',' ORDER BY currency) FROM fx_rates")" "bad files changed nothing"

# --- matching converts rates into the need's currency -----------------------------------
new_db
vm migrate
cat >"$T/fxcat.csv" <<'CSV'
id,name,country,services,hourly_rate,rating
F1,Euro Fifteen,Germany,Customer Support,EUR 15,4.5
F2,Dollar Eighteen,India,Customer Support,$18/hr,4.4
F3,Pula Forty,Botswana,Customer Support,BWP 40,4.3
F4,Euro Range,France,Customer Support,EUR 20-30,4.2
CSV
vm import --source fx "$T/fxcat.csv"
expect_rc 0 "import a catalog in three currencies"
expect_eq "BWP" "$(psql_q "SELECT currency FROM vendors WHERE name = 'Pula Forty'")" "BWP stored as the vendor's currency"
fxnames() { vm match --format json "$@"; jq -r '.results[].name' <<<"$OUT" | sort | tr '\n' '|'; }
got=$(fxnames --service "customer support" --max-rate 25)
expect_eq "Dollar Eighteen|Euro Fifteen|Euro Range|Pula Forty|" "$got" "--max-rate 25 (USD): EUR 15 = \$16.20 passes, EUR 20-30 from \$21.60, BWP (no rate) kept"
vm match --service "customer support" --max-rate 25 --format json
expect_eq "16.2 USD 1.08 2026-12-01" "$(jq -r '.results[] | select(.name == "Euro Fifteen") | .rate_converted | "\(.amount) \(.currency) \(.rate) \(.date)"' <<<"$OUT")" "JSON rate_converted: amount, currency, rate, date"
expect_contains "$(jq -r '.results[] | select(.name == "Euro Fifteen") | .reasons | join("|")' <<<"$OUT")" "rate €15/h ≈ \$16.20/h at 1.08, rates of 2026-12-01 within max \$25/h" "the reason shows the conversion"
expect_eq "null" "$(jq -c '.results[] | select(.name == "Dollar Eighteen") | .rate_converted' <<<"$OUT")" "same currency: no conversion"
expect_eq "0" "$(jq '.results[] | select(.name == "Pula Forty") | .breakdown.price' <<<"$OUT")" "a currency with no rate gets no price points"
check "a converted rate gets price points" [ "$(jq '.results[] | select(.name == "Euro Fifteen") | .breakdown.price > 0' <<<"$OUT")" = true ]
expect_contains "$(jq -r '.results[] | select(.name == "Pula Forty") | .reasons | join("|")' <<<"$OUT")" "rate BWP 40/h, no exchange rate for BWP (fx set BWP ...)" "the reason says how to add the rate"
vm fx set EUR 2
expect_rc 0 "fx set EUR 2"
got=$(fxnames --service "customer support" --max-rate 25)
expect_eq "Dollar Eighteen|Pula Forty|" "$got" "at EUR 2 USD, EUR 15 = \$30 fails --max-rate 25"
vm match --service "customer support" --max-rate 25 --format json
expect_contains "$(jq -r '.excluded[] | select(.name == "Euro Fifteen") | .reasons | join("|")' <<<"$OUT")" "rate €15/h ≈ \$30/h at 2" "the near miss shows the new conversion"
vm fx set EUR 1.08 --date 2026-12-01
got=$(fxnames --service "customer support" --max-rate "EUR 20")
expect_eq "Dollar Eighteen|Euro Fifteen|Euro Range|Pula Forty|" "$got" "--max-rate 'EUR 20' keeps \$18 (EUR 16.67)"
got=$(fxnames --service "customer support" --max-rate "EUR 16")
expect_eq "Euro Fifteen|Pula Forty|" "$got" "--max-rate 'EUR 16' drops \$18 (EUR 16.67)"
got=$(fxnames --service "customer support" --min-rate 20)
expect_eq "Euro Range|Pula Forty|" "$got" "--min-rate 20 (USD): EUR 30 = \$32.40 passes, EUR 15 and \$18 fail"
vm match --service "customer support" --max-rate 25 --format csv
expect_contains "$OUT" "≈ \$16.20/h at 1.08" "CSV reasons show the conversion"

finish
