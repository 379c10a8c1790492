#!/usr/bin/env bash
# test_safety: issue 17's hostile-input findings, through the binary.
# Numbers: every numeric option of every command and every number in a needs
# or taxonomy file is a plain decimal in range (exit 2 for an option, 65 with
# file:line:column for a file), unknown currencies and empty need text are
# refused. Output files (import --rejects, report -o): written atomically,
# never through a symbolic link, never onto one of the command's inputs.
. "$(dirname "$0")/lib.sh"

new_db
vm -q migrate
expect_rc 0 "migrate"
cat >"$T/cat.csv" <<'EOF'
id,name,country,services,employees,hourly_rate,rating
V01,Alpha Care,India,Customer Support,"1,000 - 9,999",$20/hr,4.5
V02,Beta Voice,Philippines,Customer Support,51-200,$15/hr,4.5
V03,Kappa Euro,Germany,Customer Support,250-999,EUR 20,4.6
EOF
vm -q import --source t "$T/cat.csv"
expect_rc 0 "import the test catalog"

# --- strict numbers: options ------------------------------------------------
# bad OPTION VALUE EXPECTED-TEXT: match with the option exits 2 and says the accepted form.
bad() {
  vm match --service "customer support" "$1" "$2"
  expect_rc 2 "match $1 '$2' is a usage error"
  expect_contains "$ERR" "$3" "match $1 '$2': the message states the accepted form"
}
bad --max-rate 1e400 "bad rate '1e400'"
bad --max-rate 30abc "unknown currency 'abc'"
bad --max-rate "XYZ 25" "unknown currency 'XYZ'"
bad --max-rate 0x10 "from 0 to 1000000"
bad --max-rate inf "plain number"
bad --max-rate nan "plain number"
bad --max-rate -5 "bad rate"
bad --max-rate 1000001 "from 0 to 1000000"
bad --min-employees 2147483648 "whole number from 0 to 10000000"
bad --min-employees 0x10 "whole number"
bad --min-employees 30abc "whole number"
bad --min-employees " +5" "whole number"
bad --min-rating 4.5x "plain number from 0 to 5"
bad --min-rating 1e0 "plain number from 0 to 5"
bad --min-rating 0x1 "plain number from 0 to 5"
bad --weight rating=0x1p3 "plain number from 0 to 1000"
bad --weight rating=1e2 "plain number"
bad --weight rating=nan "plain number"
bad --top 5abc "whole number from 1 to 1000"
bad --top 0x5 "whole number from 1 to 1000"
bad --top 99999999999999999999 "whole number from 1 to 1000"
for opt in --service --country --exclude-country --industry --language --cert --delivery --type --sensitivity; do
  vm match --service "customer support" "$opt" ""
  expect_rc 2 "match $opt '' is a usage error"
done
expect_contains "$ERR" "--sensitivity" "the empty-value error names the option"
vm match --service ""
expect_rc 2 "an empty --service alone is a usage error"
expect_contains "$ERR" "empty service value" "the message says the service is empty"

# The accepted forms still work and mean what they say.
vm match --service "customer support" --max-rate "EUR 25" --format json
expect_rc 0 "--max-rate 'EUR 25'"
expect_eq "Kappa Euro" "$(jq -r '[.results[].name] | join(",")' <<<"$OUT")" "EUR 25 keeps only the EUR vendor"
vm match --service "customer support" --max-rate '$16/hr' --min-employees 1,000 --min-rating 90% --format json
expect_rc 0 "--max-rate \$16/hr, --min-employees 1,000, --min-rating 90%"
expect_eq "16|USD|1000|4.5" "$(jq -r '.need | "\(.max_rate)|\(.currency)|\(.min_employees)|\(.min_rating)"' <<<"$OUT")" \
  "the need holds the parsed values"
vm match --service "customer support" --max-rate 20-30 --min-employees 50-200 --format json
expect_eq "30|50" "$(jq -r '.need | "\(.max_rate | floor)|\(.min_employees)"' <<<"$OUT")" "ranges: the rate's upper end, the headcount's lower end"

# Other commands' numeric options.
vm stats --top 5abc
expect_rc 2 "stats --top 5abc"
expect_contains "$ERR" "whole number from 1 to 10000" "stats --top states its range"
vm stats --top 0x10
expect_rc 2 "stats --top 0x10"
vm vendors list --limit 1e3
expect_rc 2 "vendors list --limit 1e3"
expect_contains "$ERR" "whole number from 0" "vendors --limit states its range"
vm vendors list --limit " 5"
expect_rc 2 "vendors list --limit ' 5'"
vm vendors show 0x1
expect_rc 2 "vendors show 0x1"
vm vendors show 99999999999999999999
expect_rc 2 "vendors show with an id over bigint"
vm vendors show " +1"
expect_rc 2 "vendors show ' +1'"
vm taxonomy unknown --limit 10x
expect_rc 2 "taxonomy unknown --limit 10x"
vm classify --vendor 1e2
expect_rc 2 "classify --vendor 1e2"
vm tag set 0x1 BPO --reason test
expect_rc 2 "tag set 0x1"

# --- strict numbers: files ---------------------------------------------------
printf 'need,services,max_rate\nok,customer support,30\nbad,customer support,1e400\n' >"$T/needs.csv"
vm match --needs "$T/needs.csv"
expect_rc 65 "a needs file with rate 1e400"
expect_contains "$ERR" "$T/needs.csv:3:22: bad rate '1e400'" "the error names file:line:column"
printf 'need,services,min_employees\nbad,customer support,2147483648\n' >"$T/needs2.csv"
vm match --needs "$T/needs2.csv"
expect_rc 65 "a needs file with headcount 2147483648"
expect_contains "$ERR" "needs2.csv:2:22: bad employee count" "file:line:column for the headcount"
printf 'need,services,weights\nbad,customer support,rating=0x1p3\n' >"$T/needs3.csv"
vm match --needs "$T/needs3.csv"
expect_rc 65 "a needs file with weight rating=0x1p3"
expect_contains "$ERR" "needs3.csv:2:22: bad weight" "file:line:column for the weight"
printf 'need,services,max_rate\nbad,customer support,XYZ 25\n' >"$T/needs4.csv"
vm match --needs "$T/needs4.csv"
expect_rc 65 "a needs file with an unknown currency"
expect_contains "$ERR" "unknown currency 'XYZ'" "the unknown currency is named"
printf 'phrase,category,process_type,weight\nzz widgets,zz_widgets,BPO,0x10\n' >"$T/tax.csv"
vm taxonomy import "$T/tax.csv"
expect_rc 65 "taxonomy import with weight 0x10"
expect_contains "$ERR" "tax.csv:2:27: weight must be a plain number" "the taxonomy file's weight is strict"

finish
