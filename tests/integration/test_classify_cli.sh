#!/usr/bin/env bash
# test_classify_cli: classify, taxonomy and tag through the binary on a real
# PostgreSQL: tags computed, taxonomy changes re-tag exactly the affected
# vendors, manual tags win and survive, imports are all-or-nothing, hostile
# phrases are stored verbatim.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"

psql_q "INSERT INTO vendors (name, name_key, content_hash, service_phrases, description) VALUES
  ('Alpha', 'alpha', 'h1', '{\"Customer Support\",\"Collections\"}', NULL),
  ('Beta', 'beta', 'h2', '{\"Equity research\",\"Financial modelling\"}', NULL),
  ('Gamma', 'gamma', 'h3', '{\"Widget polishing\"}', NULL),
  ('Delta', 'delta', 'h4', '{}', 'We run a call centre and a market research practice.'),
  ('Eps', 'eps', 'h5', '{\"Widget polishing\",\"Data entry\"}', NULL)" >/dev/null

vm classify; expect_rc 0 "classify tags the catalog"
expect_eq "1|BPO 2|KPO 3|UNCLASSIFIED 4|HYBRID 5|BPO" \
  "$(psql_q "SELECT id || '|' || computed_type FROM vendors ORDER BY id" | tr '\n' ' ' | sed 's/ $//')" "computed tags"
expect_eq "{customer_support,collections}" "$(psql_q "SELECT $SERVICE_CODES FROM vendors v WHERE v.id = 1")" "categories stored as ids, in order"
expect_eq '{"widget polishing"}' "$(psql_q "SELECT unknown_phrases FROM vendors WHERE id = 3")" "unknown phrase stored"

vm taxonomy unknown --format csv; expect_rc 0 "taxonomy unknown"
expect_contains "$OUT" "widget polishing,2" "unknown phrase counted across vendors"

vm classify; expect_contains "$OUT" "0 tags changed, 0 updated" "re-classify changes nothing"

vm taxonomy add "Widget Polishing" market_research; expect_rc 0 "taxonomy add"
vm classify --format json; expect_rc 0 "classify after add"
expect_eq "2" "$(echo "$OUT" | jq .tags_changed)" "exactly the two affected vendors changed"
expect_eq "3|KPO 5|HYBRID" "$(psql_q "SELECT id || '|' || computed_type FROM vendors WHERE id IN (3,5) ORDER BY id" | tr '\n' ' ' | sed 's/ $//')" "affected vendors re-tagged"

vm taxonomy add "customer support" market_research; expect_rc 1 "alias mapped elsewhere is refused"
expect_contains "$ERR" "already maps to category 'customer_support'" "says where it maps"
vm taxonomy add "foo" no_such_category; expect_rc 1 "unknown category"
expect_contains "$ERR" "unknown category 'no_such_category'" "names the category"

hostile="x'); DROP TABLE vendors; -- \"quoted\" \\ back"
vm taxonomy add "$hostile" back_office; expect_rc 0 "hostile phrase accepted"
expect_eq "$hostile" "$(psql_q "SELECT phrase FROM taxonomy_aliases WHERE origin = 'user' AND phrase LIKE 'x''%'")" "stored verbatim"
expect_eq "5" "$(psql_q "SELECT count(*) FROM vendors")" "vendors table intact"

vm tag set 1 KPO --reason "client confirmed research work"; expect_rc 0 "tag set"
vm classify; expect_rc 0 "classify after tag set"
expect_eq "KPO|BPO|client confirmed research work" "$(psql_q "SELECT effective_type || '|' || computed_type || '|' || manual_reason FROM vendors WHERE id = 1")" "manual tag wins and survives classify"
vm classify --explain --vendor 1; expect_rc 0 "explain one vendor"
expect_contains "$ERR" "classified 1 vendor: 0 tags changed" "one vendor, one tag: singular"
expect_contains "$OUT" "manual: client confirmed research work" "explain shows the manual reason"
expect_contains "$OUT" "customer_support" "explain shows evidence"
vm tag set 1 KPO; expect_rc 2 "reason required"
vm tag set 1 FOO --reason x; expect_rc 2 "bad type"
vm tag set 2 hybrid --reason "any case, as match --type reads it"; expect_rc 0 "tag set in lower case"
expect_contains "$OUT" "manual tag HYBRID" "stored and shown as the tag's name"
expect_eq "HYBRID" "$(psql_q "SELECT effective_type FROM vendors WHERE id = 2")" "the manual tag is HYBRID"
vm tag clear 2; expect_rc 0 "tag clear"
vm tag set 999 KPO --reason x; expect_rc 1 "unknown vendor"
vm tag clear 1; expect_rc 0 "tag clear"
expect_eq "BPO" "$(psql_q "SELECT effective_type FROM vendors WHERE id = 1")" "computed tag back"
vm classify --vendor 999; expect_rc 1 "classify unknown vendor"

cat >"$T/good.csv" <<'CSV'
phrase,category,process_type,weight,name
gizmo auditing,gizmo_audit,KPO,1.2,Gizmo auditing
sprocket counting,back_office,,,
CSV
vm taxonomy import "$T/good.csv"; expect_rc 0 "taxonomy import"
expect_eq "KPO" "$(psql_q "SELECT process_type FROM taxonomy_categories WHERE code = 'gizmo_audit'")" "category created"
aliases=$(psql_q "SELECT count(*) FROM taxonomy_aliases")
cat >"$T/bad.csv" <<'CSV'
phrase,category,process_type
doohickey review,doohickey,KPO
thing,collections,XPO
CSV
vm taxonomy import "$T/bad.csv"; expect_rc 65 "bad import file"
expect_contains "$ERR" "bad.csv:3:" "error names file and line"
expect_eq "$aliases" "$(psql_q "SELECT count(*) FROM taxonomy_aliases")" "nothing committed"
expect_eq "0" "$(psql_q "SELECT count(*) FROM taxonomy_categories WHERE code = 'doohickey'")" "no category committed"
# An unknown category is the category cell's fault: the error points at it
# (line 2, column 14 = where "nosuch_cat" starts), not at the phrase.
printf 'phrase,category\nbasket stuff,nosuch_cat\n' >"$T/badcat.csv"
vm taxonomy import "$T/badcat.csv"; expect_rc 65 "an unknown category in a file"
expect_contains "$ERR" "badcat.csv:2:14: unknown category 'nosuch_cat'" "names the category's cell"
printf 'phrase,category\n!!!,back_office\n' >"$T/badphrase.csv"
vm taxonomy import "$T/badphrase.csv"; expect_rc 65 "a phrase with no letters"
expect_contains "$ERR" "badphrase.csv:2:1: phrase '!!!'" "names the phrase's cell"

vm taxonomy list --format csv; expect_rc 0 "taxonomy list"
expect_contains "$OUT" "gizmo_audit,KPO" "list shows the new category"
# Import and classify tag vendors by separate paths (the import's binary COPY,
# several 1 MiB buffers of rows here; classify's re-tag table). Both must
# store the same tags, byte for byte: after a first load, then after a
# re-import of a changed copy.
"$VM_BUILD_DIR/bench/gen_catalog" -n 6000 -s 7 -o "$T/gen.csv"
"$VM_BUILD_DIR/bench/gen_catalog" -n 6000 -s 7 --changed 20 -o "$T/gen_changed.csv"
new_db
vm migrate
vm import "$T/gen.csv"; expect_rc 0 "import of a generated catalog (direct load)"
expect_eq "6000" "$(psql_q "SELECT count(*) FROM vendors WHERE computed_type <> 'UNCLASSIFIED'")" \
  "every generated vendor tagged"
vm classify --format json; expect_rc 0 "classify after the import"
expect_eq "0 0" "$(jq -r '"\(.tags_changed) \(.updated)"' <<<"$OUT")" \
  "classify finds the direct load's tags exactly as it computes them"
vm import "$T/gen_changed.csv"; expect_rc 0 "re-import of a changed copy (staging path)"
vm classify --format json; expect_rc 0 "classify after the re-import"
expect_eq "0 0" "$(jq -r '"\(.tags_changed) \(.updated)"' <<<"$OUT")" \
  "classify finds the re-import's tags exactly as it computes them"
finish
