#!/usr/bin/env bash
# test_sources: one vendor, many catalogs (issue 12) through the binary. Each
# source keeps its own record; the vendor row is their merge (a blank never
# erases, lists are unions, scalars from the best source), rows naming one
# vendor in a file merge alike, re-import is idempotent in any order, and
# `sources list|show|drop|priority`, provenance and conflicts work.
. "$(dirname "$0")/lib.sh"

# Everything stored about the catalog but times: vendors and every record.
catalog_sum() {
  psql_q "SELECT md5(coalesce((SELECT string_agg(x, '|' ORDER BY x) FROM (
      SELECT (to_jsonb(v) - 'created_at' - 'updated_at' - 'tagged_at')::text AS x FROM vendors v
      UNION ALL SELECT to_jsonb(vs)::text FROM vendor_sources vs) t), ''))"
}

cat >"$T/a.csv" <<'CSV'
name,website,country,services,languages,certifications,hourly_rate,rating
Acme Support Ltd,https://acme-support.example,Philippines,Customer Support;Technical Support,English;Tagalog,ISO 27001;PCI DSS,$12/hr,4.5
CSV
cat >"$T/b.csv" <<'CSV'
Company,Country,Website
Acme Support Ltd,Philippines,acme-support.example
CSV

# --- The two-catalog example of the issue: b says less, nothing is lost.
new_db; vm migrate
vm import "$T/a.csv"; expect_rc 0 "import a"
vm import "$T/b.csv"; expect_rc 0 "import b"
expect_contains "$OUT" "updated: 1" "b adds its record to the known vendor"
vm vendors show 1 --format json; expect_rc 0 "show the merged vendor"
expect_eq '["customer_support","technical_support"]' "$(jq -c .services <<<"$OUT")" "services kept"
expect_eq '["en","tl"]' "$(jq -c .languages <<<"$OUT")" "languages kept"
expect_eq '["ISO27001","PCIDSS"]' "$(jq -c .certifications <<<"$OUT")" "certifications kept"
expect_eq "12 12 4.5" "$(jq -r '"\(.rate_min) \(.rate_max) \(.rating)"' <<<"$OUT")" "rate and rating kept"
expect_eq "BPO" "$(jq -r .process_type <<<"$OUT")" "still tagged BPO"
expect_eq "a,b" "$(jq -r '[.provenance[].source] | sort | join(",")' <<<"$OUT")" "provenance names both sources"
expect_eq "[]" "$(jq -c .conflicts <<<"$OUT")" "the two agree: no conflict"
expect_eq "2" "$(psql_q "SELECT count(*) FROM vendor_sources WHERE content_hash IS NOT NULL")" "two records"

# --- A, B, A again: A's rows unchanged, nothing changes.
before=$(catalog_sum)
vm import "$T/a.csv"; expect_rc 0 "import a again"
expect_contains "$OUT" "unchanged: 1" "a's row is unchanged"
expect_contains "$OUT" "updated: 0" "nothing updated"
expect_eq "$before" "$(catalog_sum)" "A-B-A: the catalog is exactly as after B"
vm import "$T/b.csv"; expect_contains "$OUT" "unchanged: 1" "b again: unchanged too"
expect_eq "$before" "$(catalog_sum)" "A-B-A-B: still the same"

# --- A disagreeing source: conflicts, priority.
cat >"$T/partners.csv" <<'CSV'
name,website,rating,industries
Acme Support Ltd,acme-support.example,3.9,Healthcare
Lone Partner Co,lone-partner.example,4.0,Retail
CSV
vm import "$T/partners.csv" --source partners; expect_rc 0 "import partners"
vm vendors show 1 --format json
expect_eq "3.9" "$(jq -r .rating <<<"$OUT")" "the most recently changed record wins a scalar"
expect_eq '["healthcare"]' "$(jq -c .industries <<<"$OUT")" "lists are unions"
expect_eq "rating:partners=3.9,a=4.5" \
  "$(jq -r '.conflicts[] | "\(.field):" + ([.values[] | "\(.source)=\(.value)"] | join(","))' <<<"$OUT")" \
  "the conflict lists both values, the chosen one first"
expect_eq "partners" "$(jq -r '.provenance[] | select(.fields | index("rating")) | .source' <<<"$OUT")" \
  "provenance says who gave the rating"
vm vendors show 1
expect_contains "$OUT" "rating 3.9 from partners, 4.5 from a" "the table view lists the conflict"
expect_contains "$OUT" "partners (priority 0): " "the table view says what each source gave"
vm vendors list --conflicts --format json; expect_rc 0 "vendors list --conflicts"
expect_eq "Acme Support Ltd" "$(jq -r '[.[].name] | join(",")' <<<"$OUT")" "only the vendor with a conflict"
vm sources priority a 10; expect_rc 0 "sources priority"
expect_contains "$OUT" "1 shared vendor merged again" "priority re-merges the shared vendor"
vm vendors show 1 --format json
expect_eq "4.5" "$(jq -r .rating <<<"$OUT")" "the higher-priority source wins"
expect_eq "a" "$(jq -r '.conflicts[0].values[0].source' <<<"$OUT")" "the chosen value is a's"
vm sources priority a x; expect_rc 2 "a priority must be a number"
vm sources priority nosuch 1; expect_rc 1 "an unknown source"
expect_contains "$ERR" "no source named 'nosuch'" "says which"

# --- sources list / show.
vm sources list --format json; expect_rc 0 "sources list"
expect_eq "a:10:1:2:1 b:0:1:2:1 partners:0:1:1:2" \
  "$(jq -r '[.[] | "\(.name):\(.priority):\(.files):\(.batches):\(.vendors)"] | join(" ")' <<<"$OUT")" \
  "name, priority, files, batches, vendors"
check "last import is a time" jq -e 'all(.[]; .last_import | test("^[0-9]{4}-"))' <<<"$OUT"
vm sources show partners --format json; expect_rc 0 "sources show"
expect_eq "1" "$(jq '.imports | length' <<<"$OUT")" "its batches"
expect_eq '["name","website","rating","industries"]' "$(jq -c .header <<<"$OUT")" "the remembered header"
vm sources list --format csv; LIST=$OUT
vm sources show partners --format csv
expect_rc 0 "sources show --format csv (SPEC: every command that prints records has csv)"
expect_eq "$(head -1 <<<"$LIST")
$(grep '^partners,' <<<"$LIST")" "$OUT" "its row of sources list, under the same header"
vm sources show nosuch; expect_rc 1 "show an unknown source"

# --- Manual tags survive merges.
vm tag set 1 KPO --reason "analyst review"; expect_rc 0 "tag set"
cat >"$T/c.csv" <<'CSV'
name,website,services
Acme Support Ltd,acme-support.example,Market Research;Equity Research;Data Analytics
CSV
vm import "$T/c.csv" --source analysts; expect_rc 0 "import a third source"
expect_eq "KPO|t|HYBRID" "$(psql_q "SELECT effective_type, manual_type IS NOT NULL, computed_type FROM vendors WHERE id = 1")" \
  "the manual tag wins; the computed tag comes from the merged services"
expect_eq "5" "$(psql_q "SELECT cardinality(service_phrases) FROM vendors WHERE id = 1")" "services from both sources"

# --- A saved shortlist stays frozen through a drop.
vm match --service "customer support" --save frozen; expect_rc 0 "save a shortlist"
shortlist_before=$(psql_q "SELECT md5(string_agg(to_jsonb(e)::text, '|' ORDER BY rank)) FROM shortlist_entries e")

# --- sources drop.
vm sources drop analysts; expect_rc 0 "drop analysts"
expect_contains "$OUT" "1 vendor merged again, 0 deleted" "the drop reports what it did"
expect_eq "2|customer_support,technical_support" \
  "$(psql_q "SELECT cardinality(service_phrases), array_to_string($SERVICE_CODES, ',') FROM vendors v WHERE id = 1")" \
  "the dropped source's services are gone, the others' stay"
expect_eq "BPO" "$(psql_q "SELECT computed_type FROM vendors WHERE id = 1")" "re-tagged from what remains"
vm sources drop partners; expect_rc 0 "drop partners"
expect_contains "$OUT" "1 deleted" "the vendor only partners listed is deleted"
expect_eq "0" "$(psql_q "SELECT count(*) FROM vendors WHERE name = 'Lone Partner Co'")" "Lone Partner Co is gone"
expect_eq "4.50|" "$(psql_q "SELECT rating, array_to_string(industries, ',') FROM vendors WHERE id = 1")" \
  "partners' values are gone from the merge"
expect_eq "a,b" "$(psql_q "SELECT string_agg(name, ',' ORDER BY name) FROM sources")" "the source row is gone"
expect_eq "$shortlist_before" "$(psql_q "SELECT md5(string_agg(to_jsonb(e)::text, '|' ORDER BY rank)) FROM shortlist_entries e")" \
  "the saved shortlist did not change"
vm sources drop nosuch; expect_rc 1 "drop an unknown source"

# --- Three rows naming one vendor in one file: merged by the same rules,
# on a first load (empty catalog) and into a catalog that has vendors.
cat >"$T/three.csv" <<'CSV'
name,website,services,rating,languages
Trio Services Ltd,trio.example,Customer Support,,English
Trio Services Ltd,trio.example,Data Entry,4.1,
Trio Services Ltd,trio.example,Technical Support,,Spanish
Solo Co,solo.example,Market Research,4.0,
CSV
for path in empty nonempty; do
  new_db; vm migrate
  if [ $path = nonempty ]; then vm import "$T/b.csv"; expect_rc 0 "$path: seed"; fi
  vm import "$T/three.csv" --format json; expect_rc 0 "$path: import three rows"
  expect_eq "2 2" "$(jq -r '"\(.inserted) \(.merged)"' <<<"$OUT")" "$path: two vendors, two rows merged"
  expect_eq "Customer Support,Data Entry,Technical Support|4.10|en,es|BPO" \
    "$(psql_q "SELECT array_to_string(ARRAY(SELECT unnest(service_phrases) ORDER BY 1), ','), rating,
       array_to_string(ARRAY(SELECT unnest(languages) ORDER BY 1), ','), computed_type
       FROM vendors WHERE website_host = 'trio.example'")" "$path: every row's services and languages, the one rating"
  eval "sum_$path=\$(psql_q \"SELECT string_agg(content_hash, ',' ORDER BY website_host) FROM vendor_sources vs JOIN sources s ON s.id = vs.source_id WHERE s.name = 'three'\")"
  before=$(catalog_sum)
  vm import "$T/three.csv" --format json
  expect_eq "2 0 0" "$(jq -r '"\(.unchanged) \(.updated) \(.inserted)"' <<<"$OUT")" "$path: the same file again is unchanged"
  expect_eq "$before" "$(catalog_sum)" "$path: and changes nothing"
done
expect_eq "$sum_empty" "$sum_nonempty" "both load paths give the same merged records"

# --- A re-import stages the rows whose content a record of the source already
# has without their columns; when such a row must be merged after all (the
# file now names its vendor twice), its columns come from that record.
cat >"$T/duo1.csv" <<'CSV'
name,website,services,rating,description
Duo Works Ltd,duo.example,Market Research,4.0,"Survey panels, ""quoted"" \ back\slash"
Other Co,other.example,Data Entry,3.0,
CSV
cat >"$T/duo2.csv" <<'CSV'
name,website,services,rating,description
Duo Works Ltd,duo.example,Market Research,4.0,"Survey panels, ""quoted"" \ back\slash"
Other Co,other.example,Data Entry,3.0,
Duo Works Ltd,duo.example,Customer Support,,
CSV
duo_row() {
  psql_q "SELECT (to_jsonb(v) - 'id' - 'created_at' - 'updated_at' - 'tagged_at' - 'first_batch_id'
      - 'last_batch_id')::text FROM vendors v WHERE website_host = 'duo.example'"
  psql_q "SELECT vs.content_hash FROM vendor_sources vs JOIN vendors v ON v.id = vs.vendor_id
      WHERE v.website_host = 'duo.example'"
}
new_db; vm migrate
vm import "$T/duo2.csv" --source duo; expect_rc 0 "duo2 into an empty catalog"
want=$(duo_row)
# A file under 4 MB is staged whole (reading a large source's hashes would
# cost more); VM_IMPORT_SLIM_MIN_BYTES=0 takes the slim path for it. Both
# paths must give the same vendor and record.
for slim_min in 0 ""; do
  what=${slim_min:+slim}; what=${what:-whole}
  new_db; vm migrate
  vm import "$T/duo1.csv" --source duo; expect_rc 0 "duo1"
  export VM_IMPORT_SLIM_MIN_BYTES=$slim_min
  vm import "$T/duo2.csv" --source duo --format json; expect_rc 0 "$what: duo2 over duo1"
  unset VM_IMPORT_SLIM_MIN_BYTES
  expect_eq "0 1 1" "$(jq -r '"\(.inserted) \(.updated) \(.unchanged)"' <<<"$OUT")" "$what: duo2: Duo merged again, Other unchanged"
  expect_eq "$want" "$(duo_row)" "$what: the known row's columns came back whole: the same vendor and record as a direct load"
  expect_eq "HYBRID" "$(psql_q "SELECT computed_type FROM vendors WHERE website_host = 'duo.example'")" \
    "$what: and the merged vendor is tagged from both rows (support: BPO, research: KPO)"
done

# --- The fast path of a re-import: a row repeating a record of its source is
# found by its hash and, when no other row of the file names its vendor,
# goes no further. Every step runs on both paths (slim: the source's hashes
# read first; whole: every row staged with its columns), and each step's
# counts and the whole catalog must be the same on both.
cat >"$T/f1.csv" <<'CSV'
name,website,country,services,rating
Alpha Calls,alpha.example,Philippines,Customer Support,4.1
Beta Data,beta.example,India,Data Entry,3.5
Gamma Labs,gamma.example,Kenya,Market Research,4.8
Delta Desk,delta.example,Mexico,Technical Support,
Epsilon BPO,epsilon.example,Egypt,Back Office,3.9
CSV
# one row changed (Beta's rating)
sed 's/^Beta Data,beta.example,India,Data Entry,3.5$/Beta Data,beta.example,India,Data Entry,3.7/' "$T/f1.csv" >"$T/f2.csv"
# Gamma's unchanged row, and a changed row naming Gamma too
{ cat "$T/f2.csv"; echo "Gamma Labs,gamma.example,Kenya,Data Analytics,"; } >"$T/f3.csv"
# another source describes Alpha too, and wins its rating
cat >"$T/fb.csv" <<'CSV'
name,website,country,rating
Alpha Calls,alpha.example,Philippines,2.0
CSV
head -3 "$T/f2.csv" >"$T/f4.csv" # Alpha and Beta, unchanged since f2
{ cat "$T/f4.csv"; sed -n 2p "$T/f4.csv"; } >"$T/f5.csv" # Alpha's unchanged row twice: they merge
counts() { jq -r '"\(.inserted) \(.updated) \(.unchanged) \(.merged) \(.retired)"' <<<"$OUT"; }
fast_path_run() { # runs the steps; prints each step's counts, then the catalog's sum
  new_db; vm migrate
  vm import "$T/f1.csv" --source fast --format json; expect_rc 0 "$1: first load"
  export VM_IMPORT_SLIM_MIN_BYTES=$2
  for f in f1 f2 f3 fb f3 f4 f5; do
    local opts=(--source fast) dry
    [ "$f" = fb ] && opts=(--source fb)
    [ "$f" = f4 ] && opts+=(--full)
    vm import "$T/$f.csv" "${opts[@]}" --format json --dry-run; expect_rc 0 "$1: $f --dry-run"
    dry=$(counts)
    vm import "$T/$f.csv" "${opts[@]}" --format json; expect_rc 0 "$1: $f"
    expect_eq "$dry" "$(counts)" "$1: $f: the dry run's counts are the real import's"
    echo "$f $(counts)" >>"$T/fast_$1"
  done
  unset VM_IMPORT_SLIM_MIN_BYTES
  catalog_sum >>"$T/fast_$1"
}
fast_path_run slim 0
fast_path_run whole ""
expect_eq "f1 0 0 5 0 0
f2 0 1 4 0 0
f3 0 1 4 1 0
fb 0 1 0 0 0
f3 0 0 5 1 0
f4 0 0 2 0 3
f5 0 1 1 1 0" "$(head -7 "$T/fast_slim")" \
  "slim: unchanged rows; one changed row; an unchanged row merged with a changed row naming its vendor; A-B-A; --full;
  an unchanged row twice"
expect_eq "$(cat "$T/fast_whole")" "$(cat "$T/fast_slim")" "both paths: the same counts and the same catalog"
expect_eq "Alpha Calls,Beta Data" "$(psql_q "SELECT string_agg(name, ',' ORDER BY name) FROM vendors")" \
  "--full after a fast-path re-import retired exactly the vendors the file no longer names"
expect_eq "3.70" "$(psql_q "SELECT rating FROM vendors WHERE name = 'Beta Data'")" "the changed row was written"
expect_eq "fast=4.10|fb=2.00" "$(psql_q "SELECT string_agg(s.name || '=' || vs.rating, '|' ORDER BY s.name)
  FROM vendor_sources vs JOIN sources s ON s.id = vs.source_id JOIN vendors v ON v.id = vs.vendor_id
  WHERE v.name = 'Alpha Calls'")" "each source kept its own record of Alpha"
# A-B-A on the slim path: after B, A again changes nothing at all.
new_db; vm migrate
vm import "$T/f1.csv" --source fast; vm import "$T/fb.csv" --source fb
before=$(catalog_sum)
VM_IMPORT_SLIM_MIN_BYTES=0 vm import "$T/f1.csv" --source fast --format json; expect_rc 0 "A again, slim"
expect_eq "0 0 5 0 0" "$(counts)" "A again: every row unchanged"
expect_eq "$before" "$(catalog_sum)" "A-B-A (slim): the catalog is exactly as after B"
VM_IMPORT_SLIM_MIN_BYTES=0 vm import "$T/f3.csv" --source fast --format json
vm import "$T/f1.csv" --source fast --format json
VM_IMPORT_SLIM_MIN_BYTES=0 vm import "$T/f1.csv" --source fast --format json
expect_eq "0 0 5 0 0" "$(counts)" "A, changed A, A, A: the last is unchanged"
expect_eq "$(psql_q "SELECT string_agg(id || ':' || last_batch_id, ',' ORDER BY id) FROM vendors")" \
  "$(psql_q "SELECT string_agg(vendor_id || ':' || (SELECT max(last_batch_id) FROM vendor_sources x
     WHERE x.vendor_id = vs.vendor_id), ',' ORDER BY vendor_id) FROM (SELECT DISTINCT vendor_id FROM vendor_sources) vs")" \
  "a vendor's last batch is the last that changed one of its records (unchanged rows move none)"

# (The remembered mapping and --remap: test_import_remap.sh.)
# --- import --full: the file is the source's whole catalog.
new_db; vm migrate
cat >"$T/dir1.csv" <<'CSV'
name,website,services
Xeno Support,xeno.example,Customer Support
Yara Data,yara.example,Data Entry
Zeta Research,zeta.example,Market Research
CSV
cat >"$T/other.csv" <<'CSV'
name,website,rating
Yara Data,yara.example,4.2
CSV
cat >"$T/dir2.csv" <<'CSV'
name,website,services
Xeno Support,xeno.example,Customer Support
CSV
vm import "$T/dir1.csv" --source dir; expect_rc 0 "import dir"
vm import "$T/other.csv"; expect_rc 0 "import other"
vm import "$T/dir2.csv" --source dir --format json; expect_rc 0 "a smaller file without --full"
expect_eq "0 3" "$(jq -r '.retired' <<<"$OUT") $(psql_q "SELECT count(*) FROM vendors")" "absent vendors are left alone"
# --dry-run writes nothing: the whole database's data, sequences included, is the same.
before=$(db_checksum)
vm import "$T/dir2.csv" --source dir --full --dry-run --format json; expect_rc 0 "--full --dry-run"
expect_eq "2 1 true null" "$(jq -r '"\(.retired) \(.unchanged) \(.dry_run) \(.batch_id)"' <<<"$OUT")" \
  "the dry run reports what --full would retire"
expect_eq "$before" "$(db_checksum)" "--dry-run changed nothing in the database"
vm import "$T/three.csv" --dry-run; expect_rc 0 "--dry-run of new vendors"
expect_contains "$OUT" "dry run: nothing was written" "the summary says so"
expect_contains "$OUT" "inserted: 2" "and what would be inserted"
expect_eq "$before" "$(db_checksum)" "still nothing changed"
vm import "$T/dir2.csv" --source dir --full; expect_rc 0 "--full"
expect_contains "$OUT" "retired: 2" "the summary counts the retired vendors"
expect_eq "Xeno Support,Yara Data" "$(psql_q "SELECT string_agg(name, ',' ORDER BY name) FROM vendors")" \
  "the vendor no other source lists is gone"
expect_eq "other|4.20|" "$(psql_q "SELECT string_agg(s.name, ','), min(v.rating), array_to_string(min(v.service_phrases), ',')
  FROM vendors v JOIN vendor_sources vs ON vs.vendor_id = v.id JOIN sources s ON s.id = vs.source_id
  WHERE v.name = 'Yara Data'")" "the vendor another source lists keeps only that source's facts"
new_db; vm migrate
before=$(db_checksum)
vm import "$T/three.csv" --dry-run; expect_rc 0 "--dry-run into an empty catalog"
expect_eq "$before" "$(db_checksum)" "a first-load dry run writes nothing either"
# --- The summary says what the import understood of the file.
new_db; vm migrate
cat >"$T/understood.csv" <<'CSV'
Company,Country,Website,Rate,Notes,Services
Acme,Narnia,acme.example,call us,hi,Customer Support
Beta,India,beta.example,$20/hr,,Underwater basket weaving
CSV
vm import "$T/understood.csv"; expect_rc 0 "import a file with values it cannot normalise"
expect_contains "$ERR" 'columns: "Company" -> name, "Country" -> country, "Website" -> website, "Rate" -> hourly_rate,' \
  "which header went to which field"
expect_contains "$ERR" '"Services" -> services' "and the services column"
expect_contains "$ERR" 'extra: "Notes"' "which columns went to extra"
expect_contains "$ERR" "unclassified: 1 of 2 vendors" "how many rows ended UNCLASSIFIED"
expect_contains "$ERR" 'not normalised: country 1 row (e.g. "Narnia"), hourly_rate 1 row (e.g. "call us")' \
  "what could not be normalised, per field"
vm import "$T/understood.csv" --format json --dry-run
expect_eq '{"Company":"name","Country":"country","Website":"website","Rate":"hourly_rate","Services":"services"}|["Notes"]|1|{"country":1,"hourly_rate":1}' \
  "$(jq -c '[(.columns | map({(.header): .field}) | add), .extra_columns, .unclassified, (.not_normalised | with_entries(select(.value > 0)))] | map(tojson) | join("|")' <<<"$OUT" | jq -r .)" "the same in JSON"
finish
