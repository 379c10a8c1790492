#!/usr/bin/env bash
# test_taxonomy_real: the taxonomy against real listings, through the binary.
# Ambiguous abbreviations (RPO, RCM) take the reading their context gives,
# and with no context record both readings at weight 0 with no tag; the
# stored evidence decodes with those stages; the knowledge services of
# migration 0007 tag on their side.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"

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

vm classify --format json; expect_rc 0 "re-classify"
expect_eq "0 0" "$(jq -r '"\(.tags_changed) \(.updated)"' <<<"$OUT")" \
  "classify stores what import stored"
finish
