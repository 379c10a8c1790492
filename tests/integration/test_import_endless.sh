#!/usr/bin/env bash
# test_import_endless: input that never ends must not run forever. /dev/zero,
# stdin from a character device, and a pipe that sends one line forever all
# stop at the reader's bounds (a NUL at once; 1 MiB per field, 8 MiB per
# record) with FILE:LINE:COL, exit 65 and the database as it was. The pipes
# never end, so finishing at all shows the record is not read whole.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"
printf 'name,website,country\nSeed Co,seed.example,FR\n' >"$T/seed.csv"
vm import "$T/seed.csv"; expect_rc 0 "seed import"

db_state() {
  psql_q "SELECT (SELECT count(*) FROM vendors) || ' ' || (SELECT count(*) FROM import_batches) || ' ' ||
    (SELECT count(*) FROM sources) || ' ' || (SELECT count(*) FROM import_rejects) || ' ' ||
    coalesce((SELECT md5(string_agg(v::text, ',' ORDER BY id)) FROM vendors v), '-')"
}
base=$(db_state)

# run_endless WHAT EXPECTED-MESSAGE CMD...: CMD (a pipeline writing to $T/out,
# $T/err) must exit 65 and say EXPECTED-MESSAGE; 124 would mean it hung.
run_endless() {
  local what=$1 msg=$2; shift 2
  "$@"
  RC=$?
  OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
  expect_rc 65 "$what: refused"
  expect_contains "$ERR" "$msg" "$what: names file:line:column and the bound"
  expect_eq "$base" "$(db_state)" "$what: database unchanged"
}

zero_file() { timeout 60 "$VM_BIN" import /dev/zero >"$T/out" 2>"$T/err"; }
run_endless "import /dev/zero" "/dev/zero:1:1: NUL byte in field (in the header row)" zero_file

zero_stdin() { timeout 60 "$VM_BIN" import - </dev/zero >"$T/out" 2>"$T/err"; }
run_endless "stdin from /dev/zero" "stdin:1:1: NUL byte in field (in the header row)" zero_stdin

# A header then a line that never ends, through a pipe.
endless_line() {
  { printf 'name,website,country\nGood Co,good.example,US\nLong Co,'; yes x | tr -d '\n'; } |
    timeout 60 "$VM_BIN" import "$@" - >"$T/out" 2>"$T/err"
}
run_endless "endless line" \
  "stdin:3:9: field exceeds 1 MiB; the record runs past 8 MiB, so the file was not read further; nothing was imported from this file" \
  endless_line
run_endless "endless line, skip mode" "stdin:3:9: field exceeds 1 MiB; the record runs past 8 MiB" \
  endless_line --on-error skip
expect_not_contains "$OUT" "inserted" "skip mode: no summary, nothing committed"

# An endless header line of delimiters.
endless_header() { yes , | tr -d '\n' | timeout 60 "$VM_BIN" import - >"$T/out" 2>"$T/err"; }
run_endless "endless header" "stdin:1:1: record has more than 100000 fields (in the header row)" \
  endless_header

# An endless quoted field spanning lines is the same record: bounded too.
endless_quoted() {
  { printf 'name,website,country\n"Open'; yes 'more text'; } |
    timeout 60 "$VM_BIN" import - >"$T/out" 2>"$T/err"
}
run_endless "endless quoted field" "stdin:2:1: field exceeds 1 MiB; the record runs past 8 MiB" \
  endless_quoted

# A 2 MiB field ends within the record bound: a bad row like any other.
{ printf 'name,website,description\nBig Co,big.example,"'; head -c 2097152 /dev/zero | tr '\0' x
  printf '"\nGood Two,good2.example,x\n'; } >"$T/big.csv"
vm import --on-error skip --format json "$T/big.csv"
expect_rc 0 "a 2 MiB field in skip mode: the row is set aside"
expect_eq "2|1|1" "$(jq -r '"\(.rows)|\(.inserted)|\(.rejected)"' <<<"$OUT")" "and the next row imports"
finish
