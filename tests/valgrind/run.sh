#!/usr/bin/env bash
# valgrind/run.sh: memcheck over a plain (non-sanitizer) build: every unit
# test program, then the binary through a whole job (migrate, import with
# hostile rows, classify, match, save, report) on the test server. Any
# memcheck error or definite leak fails the test.
#   usage: run.sh PLAIN_BUILD_DIR
set -uo pipefail
plain=$1
. "$(dirname "$0")/../integration/lib.sh"
VM_TEST_NAME=valgrind
command -v valgrind >/dev/null || { fail "valgrind is not installed (apt-get install valgrind)"; finish; exit 1; }

vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-origins=yes)

for t in "$plain"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  "${vg[@]}" "$t" >"$T/$name.log" 2>&1
  rc=$?
  VM_CHECKS=$((VM_CHECKS + 1))
  if [ $rc = 0 ]; then echo "ok - memcheck clean: $name"
  else fail "memcheck: $name exited $rc"; grep -E '==[0-9]+==' "$T/$name.log" | head -30 >&2; fi
done

new_db
bin=$plain/vendormatch
vgrun() { # vgrun EXPECTED_RC ARGS...
  local want=$1; shift
  "${vg[@]}" "$bin" "$@" >"$T/out" 2>"$T/err" </dev/null
  RC=$?
  VM_CHECKS=$((VM_CHECKS + 1))
  if [ "$RC" = "$want" ]; then echo "ok - memcheck clean: vendormatch $*"
  else fail "vendormatch $* exited $RC under memcheck (wanted $want)"; grep -E '==[0-9]+==|vendormatch:' "$T/err" | head -30 >&2; fi
}
vgrun 0 migrate
vgrun 0 import "$FIX/catalogs/clutch_export.csv" "$FIX/catalogs/canonical.csv"
vgrun 65 import "$FIX/broken/ragged_rows.csv"
vgrun 0 import --on-error skip --rejects "$T/rejects.csv" "$FIX/broken/html_formula.csv"
# Other input formats (src/io/input.c, xlsx_reader.c): gzip, UTF-16, .xlsx, broken ones.
gzip -c "$FIX/catalogs/canonical.csv" >"$T/cat.csv.gz"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$FIX/catalogs/clutch_export.csv"; } >"$T/utf16.csv"
/usr/bin/python3 "$VM_SOURCE_DIR/tests/integration/xlsx_fixture.py" from-csv \
  "$FIX/catalogs/canonical.csv" "$T/cat.xlsx" --sheet Vendors --before Notes || fail "openpyxl"
# Two catalogs under one source: the second header differs, so --remap (the
# header comparison and its summary run under memcheck), then the stop.
vgrun 0 import "$T/cat.csv.gz" "$T/utf16.csv" --source vg --remap
vgrun 65 import "$T/cat.csv.gz" --source vg
vgrun 0 import "$T/cat.xlsx" --sheet Vendors
vgrun 65 import "$T/cat.xlsx" --sheet Missing
head -c 2000 "$T/cat.csv.gz" >"$T/cut.csv.gz"
vgrun 65 import "$T/cut.csv.gz"
head -c 3000 "$T/cat.xlsx" >"$T/cut.xlsx"
vgrun 65 import "$T/cut.xlsx"
vgrun 0 classify
vgrun 0 vendors list --format json
vgrun 0 vendors show 1
vgrun 0 stats --format html
vgrun 0 match --service "customer support" --explain --format json --save vg
vgrun 0 report vg --format html
vgrun 0 report vg --format csv
vgrun 2 match --bogus
vgrun 0 vendors search "meridan research" --format json
vgrun 0 vendors show "meridian research partners"
vgrun 1 vendors show "meridan"
vgrun 0 shortlists delete vg
vgrun 1 shortlists delete vg
vgrun 0 help match
vgrun 0 __complete shortlists
finish
