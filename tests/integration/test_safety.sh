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
expect_eq "Alpha Care,Beta Voice,Kappa Euro" "$(jq -r '[.results[].name] | sort | join(",")' <<<"$OUT")" "EUR 25 keeps the EUR vendor and the USD ones within it, converted"
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
# vendors show NAME|ID: only plain digits are an id; "0x1" and " +1" are
# names (exit 1, no such vendor), never read as vendor 1.
vm vendors show 0x1
expect_rc 1 "vendors show 0x1 is a name, not id 1"
expect_contains "$ERR" "no vendor named '0x1'" "and is looked up as one"
vm vendors show 99999999999999999999
expect_rc 2 "vendors show with an id over bigint"
vm vendors show " +1"
expect_rc 1 "vendors show ' +1' is a name, not id 1"
expect_contains "$ERR" "no vendor named ' +1'" "and is looked up as one"
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

# --- output files: never onto an input, never through a link, atomic ---------
batches() { psql_q "SELECT count(*) FROM import_batches"; }
{ cat "$T/cat.csv"; echo 'V04,"unterminated'; } >"$T/same.csv"
sum0=$(sha256sum <"$T/same.csv")
b0=$(batches)
vm import "$T/same.csv" --on-error skip --rejects "$T/same.csv"
expect_rc 2 "--rejects naming the catalog itself is refused"
expect_contains "$ERR" "same file as the input $T/same.csv" "the message says it is the input"
expect_eq "$sum0" "$(sha256sum <"$T/same.csv")" "the catalog file is untouched"
expect_eq "$b0" "$(batches)" "nothing was imported"
ln "$T/same.csv" "$T/hardlink.csv"
vm import "$T/same.csv" --on-error skip --rejects "$T/hardlink.csv"
expect_rc 2 "--rejects naming a hard link of the catalog is refused"
expect_eq "$sum0" "$(sha256sum <"$T/same.csv")" "the catalog is untouched (hard link)"
vm import "$T/cat.csv" "$T/same.csv" --on-error skip --rejects "$T/same.csv"
expect_rc 2 "--rejects naming the second of two catalogs is refused"
vm_in "$T/same.csv" import - --source stdin --on-error skip --rejects "$T/hardlink.csv"
expect_rc 2 "--rejects naming the file on standard input is refused"
expect_contains "$ERR" "standard input" "the message names standard input"
expect_eq "$sum0" "$(sha256sum <"$T/same.csv")" "the catalog is untouched (stdin)"
expect_eq "$b0" "$(batches)" "nothing was imported by the refused runs"

echo precious >"$T/target.txt"
ln -s "$T/target.txt" "$T/link.csv"
vm import "$T/same.csv" --on-error skip --rejects "$T/link.csv"
expect_rc 2 "--rejects through a symbolic link is refused"
expect_contains "$ERR" "symbolic link" "the message says it is a link"
expect_eq "precious" "$(cat "$T/target.txt")" "the link's target is untouched"
check "the link is still a link" test -L "$T/link.csv"
ln -s "$T/nothing-here.csv" "$T/dangling.csv"
vm import "$T/same.csv" --on-error skip --rejects "$T/dangling.csv"
expect_rc 2 "--rejects through a dangling link is refused"
check "the dangling link's target was not created" test ! -e "$T/nothing-here.csv"
mkdir "$T/adir"
vm import "$T/same.csv" --on-error skip --rejects "$T/adir"
expect_rc 2 "--rejects naming a directory is refused"

# A good run replaces the file by rename: a new inode, a second name of the
# old file keeps the old content, no temporary file is left.
echo old >"$T/rejects.csv"
ln "$T/rejects.csv" "$T/rejects-old.csv"
ino=$(stat -c %i "$T/rejects.csv")
vm import "$T/same.csv" --on-error skip --rejects "$T/rejects.csv"
expect_rc 0 "import with --rejects"
expect_eq "file,line,column,reason,raw" "$(head -1 "$T/rejects.csv")" "the rejects file starts with its header"
expect_contains "$(cat "$T/rejects.csv")" "$T/same.csv,5," "the rejects file holds the bad row"
check "the rejects file is a new inode (renamed into place, not rewritten)" test "$(stat -c %i "$T/rejects.csv")" != "$ino"
expect_eq "old" "$(cat "$T/rejects-old.csv")" "the old file's other name still holds the old content"
check "no temporary file left" bash -c '! ls "$1"/rejects.csv.tmp.* 2>/dev/null | grep -q .' _ "$T"
# A failed run leaves the old rejects file as it was.
: >"$T/empty.csv"
cp "$T/rejects.csv" "$T/rejects.before"
vm import "$T/same.csv" "$T/empty.csv" --on-error skip --rejects "$T/rejects.csv"
expect_rc 65 "a run whose second file is empty fails"
check "a failed run leaves the rejects file as it was" cmp -s "$T/rejects.before" "$T/rejects.csv"
check "no temporary file left after a failed run" bash -c '! ls "$1"/rejects.csv.tmp.* 2>/dev/null | grep -q .' _ "$T"
vm import "$T/same.csv" --on-error skip --rejects /dev/null
expect_rc 0 "--rejects /dev/null is written directly"
vm import "$T/same.csv" --on-error skip --rejects - --format json
expect_rc 0 "--rejects - writes standard output"
expect_contains "$OUT" "file,line,column,reason,raw" "the rejects CSV is on standard output"

# report -o: the same helper.
vm match --service "customer support" --save safety
expect_rc 0 "save a shortlist"
vm report safety -o "$T/link.csv"
expect_rc 2 "report -o through a symbolic link is refused"
expect_eq "precious" "$(cat "$T/target.txt")" "the link's target is untouched by report"
echo old >"$T/report.html"
ln "$T/report.html" "$T/report-old.html"
vm report safety -o "$T/report.html"
expect_rc 0 "report -o FILE"
expect_contains "$(cat "$T/report.html")" "Alpha Care" "the report is in place"
expect_eq "old" "$(cat "$T/report-old.html")" "report -o replaced the file by rename"
vm report safety -o /dev/null
expect_rc 0 "report -o /dev/null"

finish
