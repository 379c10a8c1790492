#!/usr/bin/env bash
# test_ranges: open rate and headcount ranges keep their meaning end to end
# (issue 13 A): "< $25 / hr" is an upper bound with no lower one, "$150+ / hr"
# a lower bound with no upper one; stored with the open end NULL (never 0),
# shown as "< $25/h" / "$150+/h", and compared by --max-rate, --min-rate and
# --min-employees by the known bound (docs/matching.md, "Open ranges"); the
# SQL retrieval agrees with C scoring of every vendor; migration 0010 fixes
# rows stored the old way.
. "$(dirname "$0")/lib.sh"

new_db
vm migrate
expect_rc 0 "migrate"

cat >"$T/cat.csv" <<'EOF2'
id,name,country,services,languages,employees,hourly_rate,rating
R1,Under Twentyfive,India,Customer Support,English,< 50,< $25 / hr,4.0
R2,Below Twenty,India,Customer Support,English,up to 50,under $25,4.0
R3,Pricey Plus,India,Customer Support,English,"10,000+",$150+ / hr,4.0
R4,Greater Than,India,Customer Support,English,> 500,> 150,4.0
R5,From Forty,India,Customer Support,English,500 and up,from $40,4.0
R6,Forty And Up,India,Customer Support,English,10+,40 and up,4.0
R7,Closed Twenty,India,Customer Support,English,51-200,$18 - $22 / hr,4.0
R8,Up To Twentyfive,India,Customer Support,English,"fewer than 1,000",up to 25,4.0
EOF2
vm import --source r "$T/cat.csv"
expect_rc 0 "import open ranges"

# --- stored values: the open end is NULL -------------------------------------
q="SELECT coalesce(rate_min::text, 'null') || '..' || coalesce(rate_max::text, 'null') || ' ' ||
      coalesce(employees_min::text, 'null') || '..' || coalesce(employees_max::text, 'null')
   FROM vendors WHERE name ="
expect_eq "null..25.00 null..50" "$(psql_q "$q 'Under Twentyfive'")" "< \$25 / hr and < 50: no lower end"
expect_eq "null..25.00 null..50" "$(psql_q "$q 'Below Twenty'")" "under \$25 and up to 50"
expect_eq "150.00..null 10000..null" "$(psql_q "$q 'Pricey Plus'")" "\$150+ / hr and 10,000+: no upper end"
expect_eq "150.00..null 500..null" "$(psql_q "$q 'Greater Than'")" "> 150 and > 500"
expect_eq "40.00..null 500..null" "$(psql_q "$q 'From Forty'")" "from \$40 and 500 and up"
expect_eq "40.00..null 10..null" "$(psql_q "$q 'Forty And Up'")" "40 and up and 10+"
expect_eq "18.00..22.00 51..200" "$(psql_q "$q 'Closed Twenty'")" "a closed range keeps both ends"
expect_eq "0" "$(psql_q "SELECT count(*) FROM vendors WHERE rate_min = 0 OR employees_min = 0")" "no open end stored as 0"

# --- vendors show ------------------------------------------------------------
id=$(psql_q "SELECT id FROM vendors WHERE name = 'Under Twentyfive'")
vm vendors show "$id" --format json
expect_rc 0 "vendors show json"
expect_eq "null 25 < \$25 / hr" "$(jq -r '"\(.rate_min) \(.rate_max) \(.rate_raw)"' <<<"$OUT")" "vendors show: rate_min null, rate_max 25, the text as written"
expect_eq "null 50" "$(jq -r '"\(.employees_min) \(.employees_max)"' <<<"$OUT")" "vendors show: employees_min null"
vm vendors show "$id"
expect_rc 0 "vendors show table"
expect_contains "$OUT" "< \$25 / hr" "vendors show prints the rate as written"
expect_not_contains "$(grep -i 'rate from' <<<"$OUT")" " 0" "vendors show never says the rate starts at 0"
expect_contains "$OUT" "employees        < 50" "vendors show prints the headcount as the range it is"
vm vendors show "$(psql_q "SELECT id FROM vendors WHERE name = 'Pricey Plus'")"
expect_contains "$OUT" "employees        10000+  (from \"10,000+\")" "an open headcount: its lower end and +"

# --- vendors list: the EMPLOYEES column shows the range, open ends included ----
vm vendors list --source r
expect_rc 0 "vendors list table"
row() { grep -E "^[0-9]+ +$1 " <<<"$OUT" | sed -E 's/  +/|/g'; }
expect_contains "$(row 'Pricey Plus')" "|10000+|\$150+/h|" "10,000+ is shown, not left blank"
expect_contains "$(row 'Under Twentyfive')" "|< 50|< \$25/h|" "< 50 is an upper bound"
expect_contains "$(row 'Closed Twenty')" "|51-200|\$18-22/h|" "a closed range shows both ends"

# --- match: --max-rate ---------------------------------------------------------
reasons() { jq -r --arg n "$1" '(.results[], .excluded[]) | select(.name == $n) | .reasons | join("; ")' <<<"$OUT"; }
price() { jq -r --arg n "$1" '.results[] | select(.name == $n) | .breakdown.price' <<<"$OUT"; }
names() { jq -r '.results[].name' <<<"$OUT" | sort | tr '\n' '|'; }

vm match --service "customer support" --max-rate 25 --top 20 --format json
expect_rc 0 "match --max-rate 25"
expect_contains "$(reasons 'Under Twentyfive')" "rate < \$25/h within max \$25/h" "< \$25 meets max 25"
expect_eq "5" "$(price 'Under Twentyfive')" "< \$25 against max 25 is priced at 25 (half the price points)"
expect_eq "< \$25/h" "$(jq -r '.results[] | select(.name == "Under Twentyfive") | .vendor.rate_text' <<<"$OUT")" "JSON rate_text"
expect_eq "null" "$(jq -r '.results[] | select(.name == "Under Twentyfive") | .vendor.rate_min' <<<"$OUT")" "JSON rate_min null for an open lower end"
expect_contains "$(jq -r '.excluded[] | "\(.name): \(.reasons | join(", "))"' <<<"$OUT")" "rate \$150+/h above max \$25/h" "\$150+ fails max 25"
vm match --service "customer support" --max-rate 30 --top 20 --format json
expect_contains "$(reasons 'Under Twentyfive')" "rate < \$25/h within max \$30/h" "< \$25 meets max 30"
vm match --service "customer support" --max-rate 20 --top 20 --format json
expect_rc 0 "match --max-rate 20"
expect_contains "$(names)" "Under Twentyfive|" "< \$25 against max 20: not excluded"
expect_contains "$(reasons 'Under Twentyfive')" "rate < \$25/h, may exceed max \$20/h" "< \$25 against max 20: cannot say, and says so"
expect_eq "0" "$(price 'Under Twentyfive')" "< \$25 against max 20: no price points"
expect_eq "Closed Twenty" "$(jq -r '.results[0].name' <<<"$OUT")" "a known rate within the max ranks above an unsure one"
expect_not_contains "$(jq -r '.results[].reasons[]' <<<"$OUT")" "rate \$0/h" "no rate is ever shown as \$0"
vm match --service "customer support" --max-rate 100 --top 20 --format json
expect_not_contains "$(names)" "Pricey Plus" "\$150+ against max 100: excluded"
expect_not_contains "$(names)" "Greater Than" "> 150 against max 100: excluded"
expect_contains "$(names)" "From Forty|" "from \$40 against max 100: met (its cheapest is 40)"
vm match --service "customer support" --max-rate 20 --top 20
expect_rc 0 "match table"
expect_contains "$OUT" "< \$25/h" "the table shows an open rate as < \$25/h"
expect_not_contains "$OUT" "0.00" "the table shows no rate of 0"
vm match --service "customer support" --top 20
expect_contains "$OUT" "\$150+/h" "the table shows an open upper end as \$150+/h"

# --- match: --min-rate -----------------------------------------------------------
vm match --service "customer support" --min-rate 30 --top 20 --format json
expect_rc 0 "match --min-rate 30"
expect_eq "Forty And Up|From Forty|Greater Than|Pricey Plus|" "$(names)" "--min-rate 30: < \$25 and \$18-22 excluded, open upper ends met"
expect_contains "$(jq -r '.excluded[].reasons[]' <<<"$OUT")" "below min \$30/h" "--min-rate names the failure"
vm match --service "customer support" --min-rate 45 --top 20 --format json
expect_contains "$(reasons 'From Forty')" "rate \$40+/h, may be below min \$45/h" "from \$40 against min 45: cannot say"
vm match --service "customer support" --min-rate 20 --max-rate 30 --top 20 --format json
expect_contains "$(names)" "Closed Twenty|" "--min-rate with --max-rate: \$18-22 inside"
expect_eq "20 30" "$(jq -r '"\(.need.min_rate) \(.need.max_rate)"' <<<"$OUT")" "the need's JSON has min_rate and max_rate"
vm match --service "customer support" --min-rate "EUR 10" --max-rate 30 --format json
expect_eq "EUR" "$(jq -r .need.currency <<<"$OUT")" "a rate with no currency takes the other rate's"
vm match --service "customer support" --min-rate "EUR 10" --max-rate "USD 30"
expect_rc 2 "two currencies in one need"
expect_contains "$ERR" "use one currency for --min-rate and --max-rate" "two currencies: said why"
vm match --service "customer support" --min-rate 40 --max-rate 30
expect_rc 2 "min rate above max rate"
vm match --service "customer support" --min-rate "20abc"
expect_rc 2 "--min-rate junk rejected"

# --- match: --min-employees --------------------------------------------------------
vm match --service "customer support" --min-employees 500 --top 20 --format json
expect_rc 0 "match --min-employees 500"
expect_contains "$(reasons 'Pricey Plus')" "10000+ employees" "10,000+ meets min 500"
expect_contains "$(reasons 'Forty And Up')" "10+ employees, may be below min 500" "10+ against 500: cannot say"
expect_eq "0" "$(jq -r '.results[] | select(.name == "Forty And Up") | .breakdown.capacity' <<<"$OUT")" "10+ against 500: no capacity points"
expect_not_contains "$(names)" "Under Twentyfive" "< 50 against min 500: excluded"
expect_contains "$(names)" "Up To Twentyfive|" "fewer than 1,000 against 500: met by its upper end"
vm match --service "customer support" --min-employees 100 --format json
expect_contains "$(jq -r '.excluded[] | "\(.name): \(.reasons | join(", "))"' <<<"$OUT")" "< 50 employees, below min 100" "near miss names the open headcount"

# --- SQL retrieval = C over every vendor, open ranges included --------------------------
for need in "--max-rate 20" "--max-rate 25" "--max-rate 100 --min-employees 500" "--min-rate 30" \
  "--min-rate 45 --max-rate 200" "--min-employees 100 --weight capacity=80" "--max-rate 20 --weight price=90 --top 3"; do
  eval "vm match --service 'customer support' $need --top 20 --format json"; fast=$(jq -c '[.results, .excluded]' <<<"$OUT")
  eval "VM_MATCH_EXHAUSTIVE=1 vm match --service 'customer support' $need --top 20 --format json"; slow=$(jq -c '[.results, .excluded]' <<<"$OUT")
  expect_eq "$slow" "$fast" "SQL retrieval = C over every vendor: $need"
done

# --- migration 0010 brings rows stored the old way in line ---------------------------
psql_q "UPDATE vendors SET rate_min = 0 WHERE name = 'Under Twentyfive';
        UPDATE vendors SET rate_max = -1 WHERE name = 'Pricey Plus';
        UPDATE vendors SET rate_max = 40 WHERE name = 'From Forty';
        UPDATE vendors SET employees_min = 0 WHERE name = 'Under Twentyfive';
        UPDATE vendors SET rate_min = 0, rate_max = 20, rate_raw = '\$0 - \$20' WHERE name = 'Closed Twenty';
        DELETE FROM schema_migrations WHERE version = 10" >/dev/null
vm migrate
expect_rc 0 "re-apply migration 0010"
expect_eq "null..25.00 null..50" "$(psql_q "$q 'Under Twentyfive'")" "0010: old < \$25 (0..25) becomes null..25"
expect_eq "150.00..null 10000..null" "$(psql_q "$q 'Pricey Plus'")" "0010: old -1 upper end becomes null"
expect_eq "40.00..null 500..null" "$(psql_q "$q 'From Forty'")" "0010: old from \$40 (40..40) becomes 40..null"
expect_eq "0.00..20.00 51..200" "$(psql_q "$q 'Closed Twenty'")" "0010: a real \$0-\$20 range is left alone"

finish
