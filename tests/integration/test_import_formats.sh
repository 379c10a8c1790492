#!/usr/bin/env bash
# test_import_formats: every input format import reads gives the same catalog
# as the same rows in a UTF-8 CSV: gzip (any name, stdin, several members),
# Latin-1 and Windows-1252 with --encoding, UTF-16LE/BE and UTF-8 with a BOM,
# .xlsx workbooks written by openpyxl (inline strings) and XlsxWriter (shared
# strings): first sheet, --sheet, dates, numbers, booleans, sparse rows, and a
# hand-made sheet with prefixes and formulas. Broken files of each kind exit
# 65 with their reason and leave the database exactly as it was. A 100k-row
# workbook is read in flat memory (peak RSS against a 10k-row one).
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3 # Debian's, with python3-openpyxl (not a pyenv shim)
GEN=$VM_SOURCE_DIR/tests/integration/xlsx_fixture.py
CAT=$FIX/catalogs/canonical.csv

# The catalog as stored, without ids, batch numbers and times.
catalog_state() {
  psql_q "SELECT count(*) || ' ' || coalesce(md5(string_agg((to_jsonb(v) - 'id' - 'created_at'
      - 'updated_at' - 'tagged_at' - 'first_batch_id' - 'last_batch_id' - 'manual_at')::text,
      E'\n' ORDER BY v.name, v.website)), '-') || ' ' ||
    coalesce((SELECT string_agg(source_row_id, ',' ORDER BY source_row_id) FROM vendor_sources), '-')
    FROM vendors v"
}

# import_fresh FILE ARGS...: imports into a fresh database; STATE = its catalog.
import_fresh() {
  new_db
  "$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
  vm -q import "$@" --source cat
  if [ "$RC" = 0 ]; then STATE=$(catalog_state); else STATE="import failed (exit $RC): $ERR"; fi
}

# same_as REFERENCE.csv WHAT FILE ARGS...: FILE gives REFERENCE's catalog.
same_as() {
  local ref=$1 what=$2 want; shift 2
  import_fresh "$ref"
  want=$STATE
  import_fresh "$@"
  expect_eq "$want" "$STATE" "$what gives the same catalog as the UTF-8 CSV"
}

# ---- gzip ----
gzip -c "$CAT" >"$T/catalog.csv.gz"
same_as "$CAT" "gzip'd CSV (.csv.gz)" "$T/catalog.csv.gz"
cp "$T/catalog.csv.gz" "$T/catalog.dat"
same_as "$CAT" "gzip'd CSV under another name" "$T/catalog.dat"
import_fresh "$CAT"
want=$STATE
new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
vm_in "$T/catalog.csv.gz" -q import - --source cat
expect_rc 0 "gzip'd CSV on stdin"
expect_eq "$want" "$(catalog_state)" "gzip'd CSV on stdin gives the same catalog"
{ head -n 8 "$CAT" | gzip -c; tail -n +9 "$CAT" | gzip -c; } >"$T/members.csv.gz"
same_as "$CAT" "gzip file of two members" "$T/members.csv.gz"

# ---- encodings ----
CLUTCH=$FIX/catalogs/clutch_export.csv # has á and ó
iconv -f UTF-8 -t LATIN1 "$CLUTCH" >"$T/clutch_latin1.csv"
same_as "$CLUTCH" "Latin-1 with --encoding LATIN1" "$T/clutch_latin1.csv" --encoding LATIN1

cat >"$T/smart.csv" <<'CSV'
name,website,country,hourly_rate,description
Euro Services GmbH,euro.example,DE,€40 - €60 / hr,“Smart” quotes ‘here’ – and … more
Café Résumé Ltd,cafe.example,FR,€35/hr,Naïve façade — ¾ done
CSV
iconv -f UTF-8 -t WINDOWS-1252 "$T/smart.csv" >"$T/smart_1252.csv"
same_as "$T/smart.csv" "Windows-1252 (€, smart quotes) with --encoding WINDOWS-1252" \
  "$T/smart_1252.csv" --encoding WINDOWS-1252
same_as "$T/smart.csv" "Windows-1252 with --encoding cp1252" "$T/smart_1252.csv" --encoding cp1252
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$CAT"; } >"$T/utf16le.csv"
same_as "$CAT" "UTF-16LE with a BOM, no --encoding" "$T/utf16le.csv"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$CAT"; } >"$T/utf16be.csv"
same_as "$CAT" "UTF-16BE with a BOM, no --encoding" "$T/utf16be.csv"
iconv -f UTF-8 -t UTF-16LE "$CAT" >"$T/utf16le_nobom.csv"
same_as "$CAT" "UTF-16LE without a BOM, --encoding UTF-16LE" "$T/utf16le_nobom.csv" --encoding UTF-16LE
{ printf '\xef\xbb\xbf'; cat "$CAT"; } >"$T/bom.csv"
same_as "$CAT" "UTF-8 with a BOM" "$T/bom.csv"
gzip -c "$T/utf16le.csv" >"$T/utf16le.csv.gz"
same_as "$CAT" "gzip'd UTF-16LE with a BOM" "$T/utf16le.csv.gz"
same_as "$CAT" "--encoding UTF-8" "$CAT" --encoding UTF-8

# Positions in a converted file count characters of the decoded text.
{ printf '\xff\xfe'; printf 'name,website,country\nGood Co,good.example,FR\nÉtoile “Co”,x.example,FR,extra\n' |
  iconv -f UTF-8 -t UTF-16LE; } >"$T/pos_utf16.csv"
vm import "$T/pos_utf16.csv"
expect_rc 65 "a bad row in a UTF-16 file"
expect_contains "$ERR" "pos_utf16.csv:3:26: expected 3 fields, found 4" "its column counts decoded characters"

# ---- xlsx ----
"$PY" "$GEN" from-csv "$CAT" "$T/catalog.xlsx" || fail "openpyxl wrote catalog.xlsx"
same_as "$CAT" "xlsx workbook by openpyxl (inline strings; first sheet)" "$T/catalog.xlsx"
"$PY" "$GEN" from-csv "$CAT" "$T/shared.xlsx" --writer xlsxwriter || fail "XlsxWriter wrote shared.xlsx"
check "XlsxWriter's workbook has a shared-strings table" \
  "$PY" -c 'import sys, zipfile; sys.exit("xl/sharedStrings.xml" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$T/shared.xlsx"
same_as "$CAT" "xlsx workbook by XlsxWriter (shared strings; first sheet)" "$T/shared.xlsx"
cp "$T/catalog.xlsx" "$T/catalog.bin"
same_as "$CAT" "xlsx workbook under another name" "$T/catalog.bin"
new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
vm_in "$T/catalog.xlsx" -q import - --source cat
expect_rc 0 "xlsx workbook on stdin"
expect_eq "$want" "$(catalog_state)" "xlsx on stdin gives the same catalog"

"$PY" "$GEN" from-csv "$CAT" "$T/two.xlsx" --sheet "Vendor List" --before Notes ||
  fail "openpyxl wrote two.xlsx"
same_as "$CAT" "xlsx --sheet 'Vendor List' (the second sheet, openpyxl)" "$T/two.xlsx" --sheet "Vendor List"
"$PY" "$GEN" from-csv "$CAT" "$T/two_xw.xlsx" --writer xlsxwriter --sheet "Vendor List" --before Notes ||
  fail "XlsxWriter wrote two_xw.xlsx"
same_as "$CAT" "xlsx --sheet 'vendor list' (the second sheet, XlsxWriter, any case)" "$T/two_xw.xlsx" --sheet "vendor list"

# A sheet as other writers make it: a namespace prefix, inline strings (rich-text
# runs), formula results, booleans, an error value, cells without references.
"$PY" - "$T/catalog.xlsx" "$T/crafted.xlsx" <<'PY' || fail "made crafted.xlsx"
import sys, zipfile
src, dst = sys.argv[1:]
def inl(t, ref=""):
    r = f' r="{ref}"' if ref else ""
    return f'<x:c{r} t="inlineStr"><x:is><x:t xml:space="preserve">{t}</x:t></x:is></x:c>'
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
  '<x:row r="1">' + inl("name", "A1") +
  '<x:c r="B1" t="inlineStr"><x:is><x:r><x:t>web</x:t></x:r><x:r><x:t>site</x:t></x:r></x:is></x:c>' +
  inl("country", "C1") + inl("verified", "D1") + inl("notes", "E1") + '</x:row>'
  '<x:row r="3">' + inl("Inline &amp; Co", "A3") +
  '<x:c r="C3" t="str"><x:f>"F"&amp;"R"</x:f><x:v>FR</x:v></x:c>'
  '<x:c r="D3" t="b"><x:v>1</x:v></x:c><x:c r="E3"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row>'
  '<x:row r="4">' + inl("Second Co") + inl("second.example") + inl("DE") +
  '<x:c t="b"><x:v>0</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>'
  '<x:row r="5"><x:c r="B5" s="0"/></x:row>'
  '</x:sheetData></x:worksheet>')
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
    for item in zi.infolist():
        data = zi.read(item.filename)
        if item.filename == "xl/worksheets/sheet1.xml":
            data = sheet.encode()
        zo.writestr(item, data)
PY
printf 'name,website,country,verified,notes\nInline & Co,,FR,TRUE,2\nSecond Co,second.example,DE,FALSE,#N/A\n' >"$T/crafted.csv"
same_as "$T/crafted.csv" "xlsx with inline strings, formulas, a prefix, unreferenced cells" "$T/crafted.xlsx"

cat >"$T/dates.csv" <<'CSV'
name,website,country,founded,rating,last_review,reviewed_at,verified,employees
Date Co,date.example,FR,1999,4.5,2024-03-01,2023-12-31 14:30:00,TRUE,120
Leap Co,leap.example,DE,2012,3.25,2024-02-29,2000-01-01 00:00:01,FALSE,
Sparse Co,,,,,1999-12-31,,,7
CSV
"$PY" "$GEN" from-csv "$T/dates.csv" "$T/dates.xlsx" || fail "openpyxl wrote dates.xlsx"
same_as "$T/dates.csv" "xlsx with dates, date-times, numbers, booleans, empty cells (openpyxl)" "$T/dates.xlsx"
"$PY" "$GEN" from-csv "$T/dates.csv" "$T/dates_xw.xlsx" --writer xlsxwriter || fail "XlsxWriter wrote dates_xw.xlsx"
same_as "$T/dates.csv" "xlsx with dates, date-times, numbers, booleans, empty cells (XlsxWriter)" "$T/dates_xw.xlsx"
expect_eq "2024-03-01|2023-12-31 14:30:00|TRUE|1999|4.5" \
  "$(psql_q "SELECT extra->>'last_review', extra->>'reviewed_at', extra->>'verified', founded_raw, rating_raw FROM vendors WHERE name = 'Date Co'")" \
  "xlsx dates become ISO dates, numbers and booleans their text"

# ---- broken files: exit 65, a reason, nothing written ----
db_state() {
  psql_q "SELECT (SELECT count(*) FROM vendors) || ' ' ||
    coalesce((SELECT md5(string_agg(v::text, ',' ORDER BY id)) FROM vendors v), '-') || ' ' ||
    (SELECT count(*) FROM import_batches) || ' ' || (SELECT count(*) FROM import_rejects) || ' ' ||
    (SELECT count(*) FROM sources)"
}
new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
printf 'name,website,country\nSeed Co,seed.example,FR\n' >"$T/seed.csv"
"$VM_BIN" -q import "$T/seed.csv" >/dev/null || fail "seed import"
base=$(db_state)

# broken WHAT CODE MESSAGE FILE ARGS...: exit CODE, MESSAGE on stderr, database unchanged.
broken() {
  local what=$1 code=$2 msg=$3; shift 3
  vm import "$@"
  expect_rc "$code" "$what"
  expect_contains "$ERR" "$msg" "$what: says why"
  expect_eq "$base" "$(db_state)" "$what: database unchanged"
}

size=$(stat -c %s "$T/catalog.csv.gz")
cp "$T/catalog.csv.gz" "$T/corrupt.csv.gz"
printf 'XXXXXXXXXXXXXXXX' | dd of="$T/corrupt.csv.gz" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
broken "corrupt gzip" 65 "corrupt.csv.gz: corrupt gzip data" "$T/corrupt.csv.gz" --on-error skip
head -c $((size / 2)) "$T/catalog.csv.gz" >"$T/truncated.csv.gz"
broken "truncated gzip" 65 "truncated.csv.gz: truncated gzip file" "$T/truncated.csv.gz" --on-error skip
printf '\x1f\x8b' >"$T/tiny.gz"
broken "gzip magic only" 65 "tiny.gz: truncated gzip file" "$T/tiny.gz"

broken "Windows-1252 without --encoding" 65 \
  "smart_1252.csv:2:36: invalid UTF-8 (byte 0x80); if the file is in another encoding, name it with --encoding" \
  "$T/smart_1252.csv"
printf 'name,website,country\nGood Co,good.example,FR\nBad \x81 Co,bad.example,FR\n' >"$T/bad_1252.csv"
broken "byte 0x81 (undefined in Windows-1252)" 65 \
  "bad_1252.csv:3:5: not valid WINDOWS-1252 text (byte 0x81)" "$T/bad_1252.csv" \
  --encoding WINDOWS-1252 --on-error skip
{ printf '\xff\xfe'; printf 'name,website\nA Co,a.example\nB' | iconv -f UTF-8 -t UTF-16LE;
  printf '\x00\xd8'; printf ' Co,b.example\n' | iconv -f UTF-8 -t UTF-16LE; } >"$T/surrogate.csv"
broken "UTF-16 with a lone surrogate" 65 "surrogate.csv:3:2: not valid UTF-16LE text (bytes 0x00 0xD8)" \
  "$T/surrogate.csv" --on-error skip
{ printf '\xff\xfe'; printf 'name,website\nA Co,a.example\n' | iconv -f UTF-8 -t UTF-16LE; printf 'x'; } >"$T/odd.csv"
broken "UTF-16 with an odd byte at the end" 65 "odd.csv:3:1: the file ends inside a UTF-16LE character" \
  "$T/odd.csv" --on-error skip
broken "UTF-16LE without a BOM or --encoding" 65 \
  "utf16le_nobom.csv: looks like UTF-16LE text without a byte order mark; name its encoding with --encoding UTF-16LE" \
  "$T/utf16le_nobom.csv"
iconv -f UTF-8 -t UTF-16BE "$CAT" >"$T/utf16be_nobom.csv"
broken "UTF-16BE without a BOM or --encoding" 65 "name its encoding with --encoding UTF-16BE" \
  "$T/utf16be_nobom.csv"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest of an OLE2 file' >"$T/old.xls"
broken "an Excel 97-2003 .xls" 65 "old.xls: an Excel 97-2003 (.xls) workbook" "$T/old.xls"
broken "unknown --encoding" 2 "--encoding KLINGON: unknown encoding" "$CAT" --encoding KLINGON
broken "--sheet on a CSV" 2 "--sheet applies to .xlsx workbooks" "$CAT" --sheet Vendors
broken "--encoding on a workbook" 2 "--encoding applies to CSV files" "$T/catalog.xlsx" --encoding LATIN1

xsize=$(stat -c %s "$T/catalog.xlsx")
head -c $((xsize / 2)) "$T/catalog.xlsx" >"$T/truncated.xlsx"
broken "truncated xlsx" 65 "truncated.xlsx: not a readable .xlsx workbook" "$T/truncated.xlsx"
"$PY" - "$T/catalog.xlsx" "$T/badxml.xlsx" <<'PY' || fail "made badxml.xlsx"
import sys, zipfile
src, dst = sys.argv[1:]
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
    for item in zi.infolist():
        data = zi.read(item.filename)
        if item.filename == "xl/worksheets/sheet1.xml":
            data = data.replace(b"</row>", b"</rwo>", 3)
        zo.writestr(item, data)
PY
broken "bad XML in the sheet" 65 "badxml.xlsx: xl/worksheets/sheet1.xml:1:" "$T/badxml.xlsx" --on-error skip
expect_contains "$ERR" "bad XML: mismatched tag" "bad XML: expat's reason"
"$PY" - "$T/notxlsx.zip" <<'PY' || fail "made notxlsx.zip"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("readme.txt", "just a zip")
PY
broken "a zip that is no workbook" 65 "notxlsx.zip: a zip file but not an .xlsx workbook" "$T/notxlsx.zip"
broken "--sheet naming no sheet" 65 'no sheet named "Missing" (the workbook has "Notes", "Vendor List")' \
  "$T/two.xlsx" --sheet Missing
broken "the first sheet is not a catalog" 65 "two.xlsx[Notes]" "$T/two.xlsx"

printf 'name,website,country\nGood Co,good.example,FR\n,noname.example,US\n' >"$T/noname.csv"
"$PY" "$GEN" from-csv "$T/noname.csv" "$T/noname.xlsx" || fail "openpyxl wrote noname.xlsx"
broken "a bad row in a workbook" 65 "noname.xlsx[Vendors]:4:1: no vendor name" "$T/noname.xlsx"

# ---- a 100k-row workbook in flat memory ----
"$PY" "$GEN" big 10000 "$T/big10k.xlsx" "$T/big10k.csv" || fail "XlsxWriter wrote big10k.xlsx"
"$PY" "$GEN" big 100000 "$T/big100k.xlsx" "$T/big100k.csv" || fail "XlsxWriter wrote big100k.xlsx"
peak_kb() { # peak_kb FILE: imports FILE into a fresh database; RSS = peak RSS in KiB
  new_db
  "$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"
  # Under ASan freed memory waits in a quarantine (RSS then grows with any
  # work); without it, ASan's allocator reuses memory as malloc does.
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0" \
    /usr/bin/time -v "$VM_BIN" -q import "$1" --source big --no-classify >/dev/null 2>"$T/time.txt" ||
    { fail "import $1"; cat "$T/time.txt" >&2; }
  RSS=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time.txt")
}
peak_kb "$T/big10k.xlsx"
rss10k=$RSS
peak_kb "$T/big100k.xlsx"
rss100k=$RSS
echo "# peak RSS: 10k-row workbook ${rss10k} KiB, 100k-row workbook ${rss100k} KiB"
expect_eq "100000" "$(psql_q "SELECT count(*) FROM vendors")" "the 100k-row workbook imports every row"
expect_eq "B-100000|Vendor 100000 Services|https://v100000.example|2022-09-27|4.2" \
  "$(psql_q "SELECT s.source_row_id, v.name, v.website, v.extra->>'last_review', v.rating_raw FROM vendors v
     JOIN vendor_sources s ON s.vendor_id = v.id WHERE s.source_row_id = 'B-100000'")" \
  "the last row's shared strings, date and number"
check "peak RSS of 100k rows stays within 8 MiB of 10k rows" [ "$rss100k" -lt $((rss10k + 8192)) ]
gzip -c "$T/big100k.csv" >"$T/big100k.csv.gz"
peak_kb "$T/big100k.csv.gz"
rssgz=$RSS
expect_eq "100000" "$(psql_q "SELECT count(*) FROM vendors")" "the 100k-row gzip'd CSV imports every row"
peak_kb "$T/big100k.csv"
rsscsv=$RSS
echo "# peak RSS: 100k-row CSV ${rsscsv} KiB, gzip'd ${rssgz} KiB"
check "peak RSS of a gzip'd CSV stays within 4 MiB of the plain CSV" [ "$rssgz" -lt $((rsscsv + 4096)) ]

finish
