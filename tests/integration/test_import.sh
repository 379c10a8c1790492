#!/usr/bin/env bash
# test_import: `vendormatch import` end to end on a real server: counts and
# stored values, extra columns, idempotent re-import (same bytes -> nothing
# written, checksums equal), updates in place, cross-catalog dedupe, stdin,
# several files, JSON summary, header-only and empty files, hostile names
# stored verbatim, manual tags surviving re-import, the fixture catalogs.
. "$(dirname "$0")/lib.sh"

# A checksum of every table an import writes to (import_batches apart).
catalog_sum() {
  psql_q "SELECT (SELECT count(*) FROM vendors) || ' ' ||
    coalesce((SELECT md5(string_agg(v::text, ',' ORDER BY id)) FROM vendors v), '-') || ' ' ||
    (SELECT count(*) FROM vendor_sources) || ' ' ||
    coalesce((SELECT md5(string_agg(s::text, ',' ORDER BY vendor_id, source_id)) FROM vendor_sources s), '-')"
}

cat >"$T/alpha.csv" <<'CSV'
ID,Company Name,Website,HQ,Services,Headcount,Hourly Rate,Certifications,Languages,Tier,Notes
A1,Acme Contact Inc,https://www.acme-contact.com/,USA,"Inbound call center; Collections",51-200,$25 - $49 / hr,ISO/IEC 27001:2013,English; es,Gold,"says ""hi"", loudly"
A2,Lexis Research Pvt Ltd,lexisresearch.in,"Bangalore, India","Legal research | Patent search",1000 - 9999,< $25 / hr,ISO 27001,Hindi; English,Silver,
A3,Quantia Analytics GmbH,,Germany,Equity research;Financial analysis,10000+,USD 18,SOC 2,de,,"multi
line note"
CSV

# The same vendors (and one new one) with other header names and no ids.
cat >"$T/beta.csv" <<'CSV'
Vendor;URL;Location;Capabilities;Team Size
Acme Contact;acme-contact.com;United States;Telemarketing;200
Quantia Analytics;;DE;Market research;12000
Northwind Care Ltd;northwind.example;UK;Customer support;20
CSV

new_db
"$VM_BIN" migrate >/dev/null 2>&1 || fail "migrate"

# --- first import ----------------------------------------------------------
vm import "$T/alpha.csv"
expect_rc 0 "import alpha.csv"
expect_contains "$OUT" "inserted: 3" "summary counts 3 inserted"
expect_contains "$OUT" "source \"alpha\"" "default source is the base name"
expect_eq 3 "$(psql_q 'SELECT count(*) FROM vendors')" "3 vendors stored"
expect_eq "US|Acme Contact Inc|acme-contact.com|51|200|25.00|49.00|USD|{ISO27001}|{en,es}" \
  "$(psql_q "SELECT country, name, website_host, employees_min, employees_max, rate_min, rate_max, currency, certifications, languages FROM vendors WHERE name LIKE 'Acme%'")" \
  "normalised values"
expect_eq "USA|https://www.acme-contact.com/|\$25 - \$49 / hr|51-200" \
  "$(psql_q "SELECT country_raw, website, rate_raw, employees_raw FROM vendors WHERE name LIKE 'Acme%'")" \
  "original texts kept beside"
expect_eq "IN|Bangalore" "$(psql_q "SELECT country, city FROM vendors WHERE name LIKE 'Lexis%'")" "City, Country split"
expect_eq '{"Tier": "Gold", "Notes": "says \"hi\", loudly"}' \
  "$(psql_q "SELECT extra FROM vendors WHERE name LIKE 'Acme%'")" "extra columns kept verbatim by header"
expect_eq "multi
line note" "$(psql_q "SELECT extra->>'Notes' FROM vendors WHERE name LIKE 'Quantia%'")" "multi-line extra cell"
expect_eq "10000|" "$(psql_q "SELECT employees_min, employees_max FROM vendors WHERE name LIKE 'Quantia%'")" "open-ended headcount"
expect_eq "BPO" "$(psql_q "SELECT computed_type FROM vendors WHERE name LIKE 'Acme%'")" "tagged during import (BPO)"
expect_eq "KPO" "$(psql_q "SELECT computed_type FROM vendors WHERE name LIKE 'Lexis%'")" "tagged during import (KPO)"
expect_eq "t" "$(psql_q "SELECT services <> '{}' AND confidence > 0 FROM vendors WHERE name LIKE 'Acme%'")" "services stored"
vm vendors show "$(psql_q "SELECT id FROM vendors WHERE name LIKE 'Acme%'")" --format json
expect_eq "Inbound call center|services|contains|BPO" \
  "$(printf '%s' "$OUT" | jq -r '.evidence[0] | [.phrase, .field, .stage, .side] | join("|")')" "evidence stored"
expect_eq "{\"Inbound call center\",Collections}" "$(psql_q "SELECT service_phrases FROM vendors WHERE name LIKE 'Acme%'")" "service phrases"
expect_eq "1|alpha|$T/alpha.csv|3|3|0|0|0|t|64" \
  "$(psql_q "SELECT b.id, s.name, b.file_name, b.rows_read, b.inserted, b.updated, b.unchanged, b.rejected, b.finished_at >= b.started_at, length(b.file_sha256) FROM import_batches b JOIN sources s ON s.id = b.source_id")" \
  "import batch recorded"
expect_eq "$(sha256sum "$T/alpha.csv" | cut -d' ' -f1)" "$(psql_q 'SELECT file_sha256 FROM import_batches')" "batch SHA-256 is the file's"

# --- same bytes again: nothing written ---------------------------------------
before=$(catalog_sum)
upd_before=$(psql_q "SELECT string_agg(updated_at::text, ',' ORDER BY id) FROM vendors")
vm import "$T/alpha.csv"
expect_rc 0 "re-import the same file"
expect_contains "$OUT" "unchanged: 3" "says unchanged: 3"
expect_contains "$OUT" "updated: 0" "says updated: 0"
expect_eq "$before" "$(catalog_sum)" "vendors and vendor_sources identical after re-import"
expect_eq "$upd_before" "$(psql_q "SELECT string_agg(updated_at::text, ',' ORDER BY id) FROM vendors")" "updated_at untouched"
expect_eq 2 "$(psql_q 'SELECT count(*) FROM import_batches')" "the re-import is recorded too"

# --- manual tags survive, a changed row updates in place ----------------------
psql_q "UPDATE vendors SET manual_type = 'KPO', manual_reason = 'analyst' WHERE name LIKE 'Acme%'" >/dev/null
sed 's/51-200/201-500/' "$T/alpha.csv" >"$T/alpha2.csv"
vm import --source alpha "$T/alpha2.csv"
expect_rc 0 "import a changed copy"
expect_contains "$OUT" "updated: 1" "one vendor updated"
expect_contains "$OUT" "unchanged: 2" "two unchanged"
expect_eq "3|201|500|KPO|analyst" \
  "$(psql_q "SELECT (SELECT count(*) FROM vendors), employees_min, employees_max, effective_type, manual_reason FROM vendors WHERE name LIKE 'Acme%'")" \
  "updated in place, manual tag kept"

# --- another catalog, other headers: the same vendors merge -----------------
vm import --format json "$T/beta.csv"
expect_rc 0 "import beta.csv (other headers, ';')"
expect_eq "3|2|1|0|0" "$(printf '%s' "$OUT" | jq -r '[.rows, .updated, .inserted, .unchanged, .rejected] | join("|")')" \
  "JSON summary: 2 matched (by website, by name+country), 1 new"
expect_eq "beta" "$(printf '%s' "$OUT" | jq -r .source)" "JSON summary source"
expect_eq "true" "$(printf '%s' "$OUT" | jq '(.batch_id | type) == "number" and (.seconds | type) == "number"')" "JSON batch_id and seconds"
expect_eq 4 "$(psql_q 'SELECT count(*) FROM vendors')" "4 vendors after both catalogs"
expect_eq "alpha,beta" "$(psql_q "SELECT string_agg(s.name, ',' ORDER BY s.name) FROM vendor_sources vs JOIN sources s ON s.id = vs.source_id JOIN vendors v ON v.id = vs.vendor_id WHERE v.website_host = 'acme-contact.com'")" \
  "the merged vendor remembers both sources"
expect_eq "alpha,beta" "$(psql_q "SELECT string_agg(s.name, ',' ORDER BY s.name) FROM vendor_sources vs JOIN sources s ON s.id = vs.source_id JOIN vendors v ON v.id = vs.vendor_id WHERE v.name_key = 'quantia analytics'")" \
  "name + country match remembers both sources"

# --- stdin, several files, JSON array ----------------------------------------
new_db
"$VM_BIN" migrate >/dev/null 2>&1
vm_in "$T/alpha.csv" import - --source piped
expect_rc 0 "import from stdin"
expect_contains "$OUT" "inserted: 3" "stdin rows inserted"
expect_eq "piped|stdin" "$(psql_q "SELECT s.name, b.file_name FROM import_batches b JOIN sources s ON s.id = b.source_id")" "stdin batch recorded"
vm import --format json "$T/alpha.csv" "$T/beta.csv"
expect_rc 0 "two files in one call"
expect_eq "2|alpha,beta" "$(printf '%s' "$OUT" | jq -r '"\(length)|\(map(.source) | join(","))"')" "JSON array, one object per file"

# --- header-only and empty files ---------------------------------------------
printf 'name,website\n' >"$T/header_only.csv"
vm import "$T/header_only.csv"
expect_rc 0 "header-only file is not an error"
expect_contains "$ERR" "no data rows" "header-only warning"
expect_contains "$OUT" "rows: 0" "header-only summary"
: >"$T/empty.csv"
vm import "$T/empty.csv"
expect_rc 65 "empty file"
expect_contains "$ERR" "empty.csv:1:1: file is empty" "empty file message"
vm import "$T/missing.csv"
expect_rc 1 "missing file"
expect_contains "$ERR" "missing.csv: cannot open" "missing file message"
vm import
expect_rc 2 "no file is a usage error"
vm import "$T/alpha.csv" --on-error maybe
expect_rc 2 "bad --on-error"
vm import "$T/alpha.csv" --map nonsense=Company
expect_rc 2 "bad --map field"

# --- --map and --delimiter ---------------------------------------------------
new_db
"$VM_BIN" migrate >/dev/null 2>&1
printf 'Firm|Site|Where\nZeta Works|zeta.example|France\n' >"$T/mapped.txt"
vm import --delimiter '|' --map name=Firm --map website=Site --map country=Where "$T/mapped.txt"
expect_rc 0 "import with --map and --delimiter"
expect_eq "Zeta Works|zeta.example|FR|{}" "$(psql_q 'SELECT name, website_host, country, extra FROM vendors')" "--map routes columns"

# --- hostile names are data, stored verbatim ----------------------------------
cat >"$T/hostile_names.csv" <<'CSV'
name,website,notes
"Robert'); DROP TABLE vendors;--",bobby.example,x
<script>alert(1)</script>,xss.example,"<img src=x onerror=alert(1)>"
"=HYPERLINK(""http://evil"",""click"")",formula.example,=1+1
"back\slash	tab",tab.example,"\N"
CSV
vm import "$T/hostile_names.csv"
expect_rc 0 "hostile names import"
expect_eq 5 "$(psql_q 'SELECT count(*) FROM vendors')" "vendors table intact"
expect_eq "Robert'); DROP TABLE vendors;--" "$(psql_q "SELECT name FROM vendors WHERE website_host = 'bobby.example'")" "SQL injection text verbatim"
expect_eq "<script>alert(1)</script>" "$(psql_q "SELECT name FROM vendors WHERE website_host = 'xss.example'")" "<script> verbatim"
expect_eq '=HYPERLINK("http://evil","click")' "$(psql_q "SELECT name FROM vendors WHERE website_host = 'formula.example'")" "=HYPERLINK verbatim"
expect_eq 'back\slash	tab|\N' "$(psql_q "SELECT name, extra->>'notes' FROM vendors WHERE website_host = 'tab.example'")" "backslash, tab and \\N survive COPY"

# --- a Clutch export: its header aliases and "40% Service" cells -------------
new_db
"$VM_BIN" migrate >/dev/null 2>&1
vm import "$FIX/catalogs/clutch_export.csv"
expect_rc 0 "import the Clutch export"
expect_eq 0 "$(psql_q "SELECT count(*) FROM vendors WHERE computed_type = 'UNCLASSIFIED'")" "Service Focus read as services: every vendor tagged"
expect_eq 0 "$(psql_q "SELECT count(*) FROM vendors WHERE rate_max IS NULL OR rating IS NULL OR founded IS NULL")" "Avg. Hourly Rate, Reviews Rating, Year Founded recognised"
expect_eq '{"Call Center Services","Customer Service","Technical Support"}||25.00|4.80|2009' \
  "$(psql_q "SELECT service_phrases, rate_min, rate_max, rating, founded FROM vendors WHERE name = 'Bluewave Contact Solutions'")" \
  "service shares stripped; rate, rating and founded normalised"
expect_eq '$1,000+|37' "$(psql_q "SELECT extra->>'Min Project Size', extra->>'Reviews' FROM vendors WHERE name = 'Bluewave Contact Solutions'")" "unrecognised Clutch columns kept as extra"
vm vendors show 1
expect_rc 0 "vendors show on a Clutch vendor"
expect_contains "$OUT" "founded          2009" "vendors show: founded year"
expect_contains "$OUT" "rating           4.80" "vendors show: rating"

# --- no name column, duplicate extra headers ----------------------------------
printf 'Website,Notes,Notes\nnoname.example,a,b\n' >"$T/noname_col.csv"
vm import "$T/noname_col.csv"
expect_rc 65 "a file without a name column"
expect_contains "$ERR" "noname_col.csv:1:1: no name column" "no name column message, at the header line"
printf '\xEF\xBB\xBF\n\nWebsite;Notes\nnoname.example;a\n' >"$T/noname_late.csv"
vm import "$T/noname_late.csv"
expect_rc 65 "no name column, header after blank lines"
expect_contains "$ERR" "noname_late.csv:3:1: no name column" "names the header's own line"
printf 'Vendor,Notes,Notes\nDup Headers Ltd,a,b\n' >"$T/dup_headers.csv"
vm import "$T/dup_headers.csv"
expect_rc 0 "duplicate extra headers"
expect_eq 'a|b' "$(psql_q "SELECT extra->>'Notes', extra->>'Notes (2)' FROM vendors WHERE name = 'Dup Headers Ltd'")" "extra columns with unique names"

# --- the fixture catalogs: each imports, and re-imports unchanged ------------
for f in "$FIX"/catalogs/*.csv; do
  [ -e "$f" ] || continue
  new_db
  "$VM_BIN" migrate >/dev/null 2>&1
  vm import --format json "$f"
  expect_rc 0 "fixture $(basename "$f")"
  n=$(printf '%s' "$OUT" | jq -r '.inserted + .updated + .merged')
  expect_eq "$n" "$(( $(psql_q 'SELECT count(*) FROM vendors') + $(printf '%s' "$OUT" | jq -r .merged) ))" "fixture $(basename "$f"): vendors stored"
  before=$(catalog_sum)
  vm import --format json "$f"
  expect_eq "0 0" "$(printf '%s' "$OUT" | jq -r '"\(.inserted) \(.updated)"')" "fixture $(basename "$f"): re-import changes nothing"
  expect_eq "$before" "$(catalog_sum)" "fixture $(basename "$f"): checksum identical"
done

# --- values through the binary COPY, on both load paths --------------------
# Numbers (numeric scale, zero, large), empty and filled arrays, JSON with
# quotes, a backslash and a tab, the tag columns and the load time, stored
# the same by the direct load into an empty catalog and by the staged merge.
printf 'Name,Country,Services,Hourly Rate,Rating,Headcount,Founded,Languages,Extra Note\nCents Ltd,India,"Data entry",$0.50 - $12345.67 / hr,4.75,1-10,1999,,"\xc3\xa9 ""q"" \\ tab\tx"\nRound Co,UK,,$100,5,10000+,,English; French,\nBig Rate Inc,US,Market research,EUR 99999999.99,0,"1,000 - 9,999",2024,de,"{""a"": 1}"\n' >"$T/values.csv"
values_q="SELECT name, rate_min, rate_max, currency, rating, employees_min, employees_max, founded,
  $SERVICE_CODES, languages, extra, computed_type, confidence, tag_evidence, unknown_phrases,
  tagged_at = created_at AND now() - tagged_at < interval '10 minutes'
  FROM vendors v WHERE name IN ('Cents Ltd', 'Round Co', 'Big Rate Inc') ORDER BY name"
expected_values='Big Rate Inc|99999999.99|99999999.99|EUR|0.00|1000|9999|2024|{market_research}|{de}|{"Extra Note": "{\"a\": 1}"}|KPO|0.632|s0:33:e:1|{}|t
Cents Ltd|0.50|12345.67|USD|4.75|1|10|1999|{data_entry}|{}|{"Extra Note": "é \"q\" \\ tab\tx"}|BPO|0.632|s0:18:e:1|{}|t
Round Co|100.00|100.00|USD|5.00|10000|||{}|{en,fr}|{}|UNCLASSIFIED|0||{}|t'
new_db
"$VM_BIN" migrate >/dev/null 2>&1
vm import "$T/values.csv"
expect_rc 0 "values.csv into an empty catalog"
expect_eq "$expected_values" "$(psql_q "$values_q")" "direct load: values stored exactly"
expect_eq "1" "$(psql_q "SELECT count(*) FROM pg_stats WHERE tablename = 'vendors' AND attname = 'website_host'")" \
  "direct load: the catalog has planner statistics"
expect_eq "t" "$(psql_q "SELECT relpages > 0 AND relallvisible = relpages FROM pg_class WHERE oid = 'vendors'::regclass")" \
  "direct load: rows written frozen, every page all-visible (no hint-bit rewrite by the first reader)"
new_db
"$VM_BIN" migrate >/dev/null 2>&1
vm import "$T/alpha.csv"
vm import "$T/values.csv"
expect_rc 0 "values.csv into a catalog with vendors"
expect_eq "$expected_values" "$(psql_q "$values_q")" "staged merge: values stored exactly"

# A batch that outnumbers the catalog (indexes rebuilt) leaves statistics too.
awk 'BEGIN { print "Name,Country,Services"; for (i = 1; i <= 10001; i++) printf "Bulk Vendor %d,India,Data entry\n", i }' >"$T/bulk.csv"
vm import "$T/bulk.csv"
expect_rc 0 "a 10,001-row batch into a 6-vendor catalog"
expect_eq "10007" "$(psql_q "SELECT count(*) FROM vendors")" "bulk batch stored"
# (the 6 earlier vendors are a third Indian; with the batch, nearly all are)
expect_eq "t" "$(psql_q "SELECT most_common_freqs[1] > 0.9 FROM pg_stats WHERE tablename = 'vendors' AND attname = 'country'")" \
  "bulk merge: the catalog's statistics were refreshed"

# A role that may write the catalog but not alter it (not the owner) can
# still load a batch that outnumbers the catalog: the index and foreign-key
# drops are skipped, not fatal.
new_db
"$VM_BIN" migrate >/dev/null 2>&1
vm import "$T/values.csv"
role="vmit_writer_$$_$RANDOM"
psql_q "CREATE ROLE $role LOGIN; GRANT USAGE ON SCHEMA vendormatch TO $role;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA vendormatch TO $role;
  GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA vendormatch TO $role;
  GRANT TEMP ON DATABASE $DB_NAME TO $role" >/dev/null
indexes_before=$(psql_q "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename IN ('vendors', 'vendor_sources')")
VENDORMATCH_DB="host=$VM_PGHOST user=$role dbname=$DB_NAME" vm import "$T/bulk.csv"
expect_rc 0 "a non-owner role loads a 10,001-row batch into a 3-vendor catalog"
expect_eq "10004 10004 2" "$(psql_q "SELECT (SELECT count(*) FROM vendors) || ' ' || (SELECT count(*) FROM vendor_sources) || ' ' ||
  (SELECT count(*) FROM pg_constraint WHERE conrelid = 'vendor_sources'::regclass AND contype = 'f')")" \
  "non-owner: vendors, links and both foreign keys"
expect_eq "$indexes_before" "$(psql_q "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename IN ('vendors', 'vendor_sources')")" \
  "non-owner: the indexes are as they were"
psql_q "DROP OWNED BY $role; DROP ROLE $role" >/dev/null

finish
