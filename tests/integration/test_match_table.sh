#!/usr/bin/env bash
# test_match_table: the match table a person reads. On the demo catalogs and
# on hostile names (very long, wide CJK, combining accents, emoji, control
# characters) every line of the default table output is at most 100 display
# columns (measured by Python's unicodedata, not by the code under test), a
# cut name ends in an ellipsis on a whole character, rates show their
# currency, and --explain prints one block per vendor below the table.
. "$(dirname "$0")/lib.sh"

new_db
vm migrate
expect_rc 0 "migrate"
vm import "$FIX/catalogs/clutch_export.csv" "$FIX/catalogs/excel_semicolon.csv" \
  "$FIX/catalogs/canonical.csv" "$FIX/catalogs/partner_overlap.csv"
expect_rc 0 "import the demo catalogs"

# widest FILE: the widest line of FILE in display columns, then the line.
widest() {
  python3 - "$1" <<'PY'
import sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ('Mn', 'Me', 'Cf'):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ('W', 'F') else 1
    return w
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
best = max(lines, key=width)
print(width(best), best)
PY
}

# fits DESCRIPTION: the last output is valid UTF-8 and no line passes 100 columns.
fits() {
  printf '%s\n' "$OUT" >"$T/shown"
  local w
  check "$1: prints a table" [ -n "$OUT" ]
  w=$(widest "$T/shown")
  check "$1: every line <= 100 columns (widest: ${w%% *})" [ "${w%% *}" -le 100 ]
  [ "${w%% *}" -le 100 ] || echo "widest line: ${w#* }" >&2
}

needs=(
  "--service 'customer support' --service 'technical support' --language English --max-rate 25 --top 10"
  "--service 'equity research' --service 'financial modelling' --sensitivity high --top 10"
  "--service 'customer support' --top 30"
  "--service 'market research' --type any --top 30"
)
for need in "${needs[@]}"; do
  eval "vm match $need"
  expect_rc 0 "match $need"
  fits "demo: match $need"
done

# --- the default table's columns -----------------------------------------
vm match --service "customer support" --service "technical support" --language English --max-rate 25 --top 5
check "header: upper case, one style" bash -c 'sed -n 3p <<<"$1" | grep -Eq "^RANK  SCORE  +NAME  "' _ "$OUT"
for col in RANK SCORE NAME TYPE COUNTRY RATE REASON; do
  expect_contains "$(sed -n 3p <<<"$OUT")" "$col" "the table has $col"
done
expect_not_contains "$OUT" "SERVICE COVERAGE" "no criterion columns without --explain"
expect_contains "$OUT" "€14/h" "a euro rate shows its currency"
expect_contains "$OUT" "CAD 30/h" "other currencies show their ISO code"
expect_eq "5" "$(grep -cE '^[0-9]+ +[0-9]+\.[0-9]{2}[?]? ' <<<"$OUT")" "one line per ranked vendor (a ? marks an unverified fact)"

# --- --explain: a block per vendor below the table ---------------------------
vm match --service "customer support" --service "technical support" --language English --max-rate 25 --top 5 --explain
expect_rc 0 "--explain"
fits "--explain"
expect_eq "5" "$(grep -c '^#[0-9]' <<<"$OUT")" "one block per ranked vendor"
expect_eq "5" "$(grep -c '^    points   ' <<<"$OUT")" "each block has its points"
expect_eq "5" "$(grep -c '^    reasons  ' <<<"$OUT")" "each block has its reasons"
expect_contains "$OUT" "service_coverage 40/40" "points per criterion, of the weight"
expect_contains "$OUT" "rate €14/h ≈ \$15.12/h at 1.08, rates of 2026-12-01 within max \$25/h" "full reasons, not cut"
expect_contains "$OUT" "(vendor " "the block names the vendor id"
expect_contains "$OUT" "Romania" "the block names the country"
table_end=$(grep -n '^$' <<<"$OUT" | head -1 | cut -d: -f1)
first_block=$(grep -n '^#1 ' <<<"$OUT" | cut -d: -f1)
check "the blocks come after the table" [ "$first_block" -gt "$table_end" ]
expect_contains "$OUT" "near misses" "near misses listed"

# --- hostile names -------------------------------------------------------------
long=$(printf 'Extremely Long Vendor Name %.0s' {1..9})Inc
{
  echo 'name,country,services,hourly_rate,rating'
  echo "\"$long\",India,Customer Support,\$20/hr,4.5"
  echo '"東京カスタマーサポート株式会社東京カスタマーサポート株式会社東京カスタマーサポート株式会社",Japan,Customer Support,JPY 3000,4.1'
  printf '"%s",France,Customer Support,EUR 22,4.2\n' "$(printf 'Cafe\xcc\x81 Re\xcc\x81sume\xcc\x81 %.0s' {1..10})"
  echo '"😀😀😀 Emoji Support Services 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",Brazil,Customer Support,$18/hr,4.0'
  printf '"Ctrl\x1b[31mRed\x07Bell Support Team With A Long Tail Of Words To Be Cut Here",India,Customer Support,$19/hr,4.3\n'
} >"$T/hostile.csv"
vm import --source hostile "$T/hostile.csv"
expect_rc 0 "import hostile names"
vm match --service "customer support" --top 50
expect_rc 0 "match over hostile names"
fits "hostile names"
expect_contains "$OUT" "Extremely Long Vendor Name …" "a long name is cut to its column"
expect_contains "$OUT" "…" "a cut name ends in an ellipsis"
expect_not_contains "$OUT" $'\x1b' "no escape reaches the terminal"
python3 - "$T/shown" <<'PY' && ok=1 || ok=0
import sys, unicodedata
text = open(sys.argv[1], encoding='utf-8').read()   # raises on invalid UTF-8
for line in text.split('\n'):
    i = line.find('\u2026')
    # a cut never leaves a combining mark without its letter
    if i > 0 and unicodedata.combining(line[i - 1]) and not line[i - 2].isalpha():
        sys.exit(1)
PY
check "the table is valid UTF-8, cut on whole characters" [ "$ok" = 1 ]
vm match --service "customer support" --top 50 --explain
fits "hostile names, --explain"
expect_contains "$(tr -s ' \n' '  ' <<<"$OUT")" "$long" "--explain keeps the whole name (wrapped)"

# --- the same style in shortlists show -----------------------------------------
vm match --service "customer support" --top 50 --save wide
vm shortlists show wide
expect_rc 0 "shortlists show"
fits "shortlists show"

finish
