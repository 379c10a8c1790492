#!/usr/bin/env bash
# test_terminal_safety: untrusted text never reaches a terminal, a CSV or a
# report raw. Vendor names, service text, descriptions, need names, taxonomy
# phrases, file names and tag reasons carry ESC sequences, a C1 CSI (U+009B),
# DEL, a lone CR, bidi overrides and isolates (U+202E, U+2066), zero-width
# characters (U+200B, U+FEFF) and a tag character; every command and format
# that prints them (tables, messages on stdout and stderr, CSV, rejects CSV,
# HTML, Markdown, JSON) must show U+FFFD (or a \u escape in JSON) instead.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"

ESC=$'\x1b' C1=$'\xc2\x9b' RLO=$'\xe2\x80\xae' ZWSP=$'\xe2\x80\x8b' LRI=$'\xe2\x81\xa6' BOM=$'\xef\xbb\xbf'
TAG=$'\xf3\xa0\x80\x81' DEL=$'\x7f' CR=$'\r'
FFFD=$'\xef\xbf\xbd'
# Service text is split at ';' and ',': the same characters without them.
SEVIL="${ESC}[31m ${C1}2J ${RLO}gnp.exe${ZWSP} ${LRI}x${BOM}${TAG}${DEL}"
EVIL="${ESC}[31m${ESC}]0;pwned${ESC}\\ ${C1}2J ${RLO}gnp.exe${ZWSP} ${LRI}x${BOM}${TAG}${DEL}"

# assert_clean WHAT FILE...: none of the dangerous bytes in FILE: ESC and
# other C0 controls but TAB and LF (CR only before LF), DEL, UTF-8 C1
# controls, bidi controls, zero-width characters, BOM, tag characters.
assert_clean() {
  local what=$1 re='[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xef\xbb\xbf|\xf3\xa0[\x80-\x81]'
  shift
  VM_CHECKS=$((VM_CHECKS + 1))
  if RE=$re perl -0777 -ne 'BEGIN { $found = 0 } $found = 1 if /$ENV{RE}/; END { exit !$found }' "$@"; then
    fail "$what: raw control, bidi or zero-width bytes in the output:"
    RE=$re perl -0777 -ne 'print "$&\n" while /.{0,20}(?:$ENV{RE})/g' "$@" | od -c | head -10 >&2
  else
    echo "ok - $what"
  fi
}
# run_clean WHAT ARGS...: runs the binary; stdout and stderr must be clean.
run_clean() {
  local what=$1; shift
  vm "$@"
  assert_clean "$what (stdout, stderr)" "$T/out" "$T/err"
}

{
  printf 'id,name,country,services,description,hourly_rate,rating,%s\n' "extra${ESC}[1m"
  printf 'E1,"Evil %s Co",India,"Customer Support;%s",%s,$20/hr,4.5,x%s\n' "$EVIL" "$EVIL" "desc $EVIL" "$EVIL"
  printf 'E2,Plain Co,India,Customer Support,"line one%sline two",$25/hr,4.0,y\n' "$CR"
} >"$T/evil.csv"
cp "$T/evil.csv" "$T/file${ESC}[2J${RLO}.csv"
run_clean "import with hostile cells and file name" import --source "src${ESC}[5m" "$T/file${ESC}[2J${RLO}.csv"
expect_rc 0 "the catalog imports"
expect_contains "$OUT" "$FFFD" "the file name's ESC shows as U+FFFD"
expect_eq "Evil $EVIL Co" "$(psql_q "SELECT name FROM vendors WHERE name LIKE 'Evil%'")" "the name is stored verbatim"
id=$(psql_q "SELECT id FROM vendors WHERE name LIKE 'Evil%'")

for fmt in table csv json; do
  run_clean "vendors list --format $fmt" vendors list --format "$fmt"
  expect_rc 0 "vendors list --format $fmt"
  run_clean "vendors show --format $fmt" vendors show "$id" --format "$fmt"
  run_clean "stats --format $fmt" stats --format "$fmt"
done
vm vendors list; expect_contains "$OUT" "Evil $FFFD[31m" "table: ESC becomes U+FFFD"
vm vendors list --format csv; expect_contains "$OUT" "Evil $FFFD[31m" "CSV: ESC becomes U+FFFD"
vm vendors show "$id"; expect_contains "$OUT" "${FFFD}gnp.exe${FFFD}" "show: U+202E and U+200B become U+FFFD"
vm vendors list --format json
expect_eq "Evil $EVIL Co" "$(jq -r '.[] | select(.id=='"$id"') | .name' <<<"$OUT")" "JSON keeps the text exact (as escapes)"
expect_contains "$OUT" 'Evil \u001B[31m' "JSON: ESC as \\u001B"
expect_contains "$OUT" '\u202Egnp.exe\u200B' "JSON: U+202E and U+200B as \\u escapes"
expect_contains "$OUT" '\u009B2J' "JSON: C1 CSI as \\u009B"
expect_contains "$OUT" '\uDB40\uDC01\u007F' "JSON: tag character and DEL as \\u escapes"
run_clean "stats --format html" stats --format html

# Taxonomy phrases (the alias phrase is then service text in a need).
run_clean "taxonomy add echoes the phrase" taxonomy add "phrase $SEVIL" customer_support
expect_rc 0 "taxonomy add"
expect_contains "$OUT" "added alias 'phrase $FFFD[31m" "the echo shows U+FFFD"
run_clean "taxonomy add again" taxonomy add "phrase $SEVIL" customer_support
run_clean "taxonomy add an unknown category (error quotes it)" taxonomy add x "cat${ESC}[2J${RLO}"
printf 'phrase,category\n"imp %s",customer_support\n"bad %s","nope%s"\n' "$EVIL" "$EVIL" "$EVIL" >"$T/tax.csv"
run_clean "taxonomy import with a bad row (file:line:col quotes the cell)" taxonomy import "$T/tax.csv"
head -2 "$T/tax.csv" >"$T/tax_ok.csv"
run_clean "taxonomy import" taxonomy import "$T/tax_ok.csv"
for fmt in table csv json; do
  run_clean "taxonomy list --format $fmt" taxonomy list --format "$fmt"
  run_clean "taxonomy unknown --format $fmt" taxonomy unknown --format "$fmt"
done

# Needs: a need name and service text with the same characters.
{
  echo 'need,services,countries'
  printf '"need %s",customer support,India\n' "$EVIL"
  printf 'other,"customer support;phrase %s",India\n' "$SEVIL"
} >"$T/needs.csv"
for fmt in table csv json; do
  run_clean "match --needs --format $fmt" match --needs "$T/needs.csv" --explain --format "$fmt"
  expect_rc 0 "match --needs --format $fmt"
done
vm match --needs "$T/needs.csv"; expect_contains "$OUT" "== need: need $FFFD[31m" "the need name shows U+FFFD"
expect_contains "$OUT" "phrase $FFFD[31m $FFFD" "the service text in the type reason shows U+FFFD"
printf 'need,services,sensitivity,countries\nbad,customer support,"extreme %s",India\n' "$SEVIL" >"$T/badneed.csv"
run_clean "match --needs: file:line:col error quotes a hostile cell" match --needs "$T/badneed.csv"
expect_rc 65 "a bad needs file is bad input"
expect_contains "$ERR" "badneed.csv:2:" "the error names file:line:col"
expect_contains "$ERR" "extreme $FFFD[31m" "and quotes the cell with U+FFFD"
printf 'need,services,countries\nbad,customer support,"Atlan %s"\n' "$SEVIL" >"$T/badneed2.csv"
run_clean "match --needs: an unknown country quoted" match --needs "$T/badneed2.csv"
expect_rc 65 "an unknown country in a needs file"
run_clean "match --service with hostile text" match --service "customer support" --service "$EVIL"
run_clean "match --service unknown hostile text (error message)" match --service "$EVIL"
run_clean "match: hostile unknown option is echoed safely" match "--x${ESC}[2J"
expect_rc 2 "unknown option"
run_clean "match --save a hostile name" match --service "customer support" --save "list $EVIL"
expect_rc 0 "saved"
run_clean "match --needs --save" match --needs "$T/needs.csv" --save "batch${ESC}"
expect_rc 0 "saved a batch"
sid=$(psql_q "SELECT id FROM shortlists WHERE name LIKE 'list %'")
for fmt in table csv json; do
  run_clean "shortlists list --format $fmt" shortlists list --format "$fmt"
  run_clean "shortlists show --format $fmt" shortlists show "$sid" --explain --format "$fmt"
done
for id2 in $(psql_q "SELECT id FROM shortlists WHERE name LIKE 'batch%'"); do
  run_clean "shortlists show a --needs shortlist" shortlists show "$id2" --explain
done
for fmt in html md csv json; do
  vm report "$sid" --format "$fmt" -o "$T/report.$fmt"
  expect_rc 0 "report --format $fmt"
  assert_clean "report --format $fmt (file)" "$T/report.$fmt"
  run_clean "report --format $fmt to stdout" report "$sid" --format "$fmt"
done
expect_contains "$(cat "$T/report.html")" "${FFFD}gnp.exe${FFFD}" "HTML: bidi and zero-width shown as U+FFFD"
expect_contains "$(cat "$T/report.md")" "${FFFD}gnp.exe${FFFD}" "Markdown: bidi and zero-width shown as U+FFFD"

# Tag reasons.
run_clean "tag set with a hostile reason" tag set "$id" KPO --reason "why $EVIL"
expect_rc 0 "tag set"
run_clean "vendors show with a hostile manual reason" vendors show "$id"
run_clean "classify --explain" classify --explain "$id"
run_clean "classify --explain --format csv" classify --explain "$id" --format csv

# Bad rows: the rejects CSV and the file:line:col messages quote the cells.
{
  echo 'name,country,rating'
  printf '"Bad %s",India,4\n' "$EVIL"
  printf '"Rated %s",India,"nine %s"\n' "$EVIL" "$EVIL"
  printf '"Land %s","Atlan%s",4\n' "$EVIL" "$EVIL"
  printf '%s,India\n' "$EVIL"
} >"$T/bad.csv"
run_clean "import abort: messages quote hostile cells" import "$T/bad.csv"
expect_rc 65 "import of bad rows aborts"
run_clean "import --map to a missing column lists the hostile headers" import --map "name=nope${ESC}" "$T/evil.csv"
expect_rc 2 "a bad --map is a usage error"
expect_contains "$ERR" "extra$FFFD[1m" "the header list shows U+FFFD"
run_clean "import skip with rejects" import --on-error skip --rejects "$T/rejects.csv" "$T/bad.csv"
expect_rc 0 "skip mode"
assert_clean "rejects CSV" "$T/rejects.csv"
check "the rejects CSV lists the bad row" grep -q 'expected 3 fields' "$T/rejects.csv"
run_clean "import skip with rejects on stdout" import --on-error skip --rejects - "$T/bad.csv"

# Hostile command names and global options are echoed safely too.
run_clean "unknown command" "cmd${ESC}[2J"
expect_rc 2 "unknown command exits 2"
run_clean "unknown global option" "--x${ESC}[2J"
run_clean "vendors list: bad country filter quoted" vendors list --country "$EVIL"
run_clean "report of an unknown shortlist name" report "no $EVIL"

# Paths and names from the user's own environment are quoted safely too: the
# embedded server's notices name its home, and -v names the database.
evhome="$T/home${ESC}[2J${RLO}"
VENDORMATCH_DB= DATABASE_URL= VENDORMATCH_HOME=$evhome run_clean "embedded start in a hostile home" -v db start
expect_rc 0 "the embedded database starts in a home with ESC in its name"
expect_contains "$ERR" "home$FFFD[2J$FFFD" "the home's ESC and U+202E show as U+FFFD"
VENDORMATCH_DB= DATABASE_URL= VENDORMATCH_HOME=$evhome run_clean "-v on the embedded database" -v stats
expect_rc 0 "stats on it"
VENDORMATCH_DB= DATABASE_URL= VENDORMATCH_HOME=$evhome vm db stop
expect_rc 0 "db stop"
finish
