#!/usr/bin/env bash
# test_taxonomy_real: the taxonomy against real listings, through the binary.
# fixtures/labelled/real_providers.csv imported into a fresh database: no
# service phrase that three or more providers list is left to `taxonomy
# unknown`, and the stored tags agree with the labels (>= 95%, no BPO<->KPO
# swap). Ambiguous abbreviations (RPO, RCM) take the reading their context
# gives, and with no context record both readings at weight 0 with no tag;
# the stored evidence decodes with those stages; the knowledge services of
# migration 0009 tag on their side.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"

vm import "$FIX/labelled/real_providers.csv"; expect_rc 0 "import the real providers"
expect_eq "172" "$(psql_q "SELECT count(*) FROM vendors")" "every provider imported"
vm taxonomy unknown --limit 100000 --format csv; expect_rc 0 "taxonomy unknown over the real set"
OUT=$(tr -d '\r' <<<"$OUT")
expect_eq "vendors" "$(head -1 <<<"$OUT" | cut -d, -f2)" "unknown lists phrase,vendors"
common=$(tail -n +2 <<<"$OUT" | awk -F, '$NF >= 3')
expect_eq "" "$common" "no unknown service phrase listed by three or more providers"
expect_contains "$(tail -n +2 <<<"$OUT" | awk -F, '$NF >= 2')" "," "the listing does hold rarer phrases"
agree=$(psql_q "SELECT count(*) FILTER (WHERE computed_type = extra->>'expected') || ' ' ||
  count(*) FILTER (WHERE computed_type || (extra->>'expected') IN ('BPOKPO', 'KPOBPO')) || ' ' ||
  count(*) FROM vendors")
read -r same swaps total <<<"$agree"
expect_eq "172" "$total" "every provider has a label in extra"
check "real providers: $same/$total tags agree with the labels (>= 95%)" [ $((same * 100)) -ge $((total * 95)) ]
expect_eq "0" "$swaps" "no BPO<->KPO swap on the real providers"

new_db
vm migrate; expect_rc 0 "migrate a fresh database"

cat >"$T/abbr.csv" <<'CSV'
name,services,description
Hirewell,RPO; onboarding support,We source and screen candidates for employers hiring at volume.
Quantbridge,RPO; equity research; financial modelling,Offshore analysts for asset managers.
Bare Abbrev,RPO,
Claimwise,RCM; medical coding,Billing for physician practices.
Plantcare Eng,RCM,Reliability studies for oil and gas plant equipment.
Designworks,CAD/CAE; embedded software; scan-to-BIM,Engineering services outsourcing.
Ledgerly,Accounting & bookkeeping; F&A,
CSV
vm import "$T/abbr.csv"; expect_rc 0 "import the abbreviations catalog"
tags=$(psql_q "SELECT name || '|' || computed_type FROM vendors ORDER BY name" | tr '\n' ' ' | sed 's/ $//')
expect_eq "Bare Abbrev|UNCLASSIFIED Claimwise|BPO Designworks|KPO Hirewell|BPO Ledgerly|BPO Plantcare Eng|KPO Quantbridge|KPO" \
  "$tags" "each vendor tagged from its context"
expect_eq "{recruitment_process_outsourcing}" \
  "$(psql_q "SELECT $SERVICE_CODES FROM vendors v WHERE name = 'Hirewell'" | sed 's/,.*}/}/')" \
  "RPO read as recruitment process outsourcing"
expect_eq "{}" "$(psql_q "SELECT $SERVICE_CODES FROM vendors v WHERE name = 'Bare Abbrev'")" \
  "an unresolved abbreviation stores no category"
expect_eq "{}" "$(psql_q "SELECT unknown_phrases FROM vendors WHERE name = 'Bare Abbrev'")" \
  "an ambiguous abbreviation is not an unknown phrase"

id=$(psql_q "SELECT id FROM vendors WHERE name = 'Quantbridge'")
vm classify --explain --vendor "$id" --format json; expect_rc 0 "explain the research reading"
expect_eq "research_general|KPO|abbreviation" \
  "$(jq -r '.[0].evidence[] | select(.phrase == "RPO") | "\(.category)|\(.side)|\(.stage)"' <<<"$OUT")" \
  "RPO read as research process outsourcing"
id=$(psql_q "SELECT id FROM vendors WHERE name = 'Bare Abbrev'")
vm classify --explain --vendor "$id" --format json; expect_rc 0 "explain the bare abbreviation"
expect_eq "recruitment_process_outsourcing|BPO|ambiguous|0 research_general|KPO|ambiguous|0" \
  "$(jq -r '[.[0].evidence[] | "\(.category)|\(.side)|\(.stage)|\(.weight)"] | join(" ")' <<<"$OUT")" \
  "no context: both readings at weight 0"
vm vendors show "$id" --format json; expect_rc 0 "vendors show decodes the stored evidence"
expect_contains "$OUT" '"ambiguous"' "vendors show names the stage"

vm match --service RPO; expect_rc 2 "a need naming only an ambiguous abbreviation"
expect_contains "$ERR" "ambiguous service 'RPO': write the one you mean, 'recruitment process outsourcing' or 'research process outsourcing'" \
  "the error names both readings"
vm match --service "research process outsourcing" --format json; expect_rc 0 "the reading written out matches"
expect_eq "Quantbridge" "$(jq -r '.results[0].name' <<<"$OUT")" "the research provider ranks first"
vm match --service cloud; expect_rc 2 "a neutral service is no need"
expect_contains "$ERR" "information technology, neither BPO nor KPO" "the error says why"

vm classify --format json; expect_rc 0 "re-classify"
expect_eq "0 0" "$(jq -r '"\(.tags_changed) \(.updated)"' <<<"$OUT")" \
  "classify stores what import stored"
finish
