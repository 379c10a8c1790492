#!/usr/bin/env bash
# test_need_hints: a need's terms are checked (issue 13 C). A misspelt
# service, country or language is refused with "did you mean ...?" from the
# taxonomy's aliases and the ISO data; an unknown certification gets the
# closest known one on stderr; an industry no vendor lists gets the closest
# label the catalog has; and when no vendor qualifies, stderr names each
# required term that matched no vendor in the catalog at all.
. "$(dirname "$0")/lib.sh"

new_db
vm migrate
expect_rc 0 "migrate"
cat >"$T/cat.csv" <<'EOF2'
id,name,country,services,languages,certifications,hourly_rate,delivery
1,Alpha Care,India,Customer Support,English;Hindi,ISO 27001,$20,Offshore
2,Beta Voice,Philippines,Customer Support;Collections,English,SOC 2,$15,Offshore
EOF2
vm import --source h "$T/cat.csv"
expect_rc 0 "import"

# --- services: did you mean, from the taxonomy ------------------------------------
vm match --service "custmer suprt"
expect_rc 2 "a service no taxonomy stage reads is a usage error"
expect_contains "$ERR" "unknown service 'custmer suprt': did you mean 'customer support'?" "service: did you mean"
expect_eq "" "$OUT" "nothing on stdout"
vm match --service "custmer suport"
expect_rc 0 "the typo docs/classification.md explains ('suport' ties 'support' and 'suporte'; the alias decides) matches"
expect_contains "$ERR" "service 'custmer suport': did you mean 'customer support'? (matched as that)" "service: the tie's reading is said"
expect_contains "$OUT" "Beta Voice" "the customer-support vendor is ranked"
vm match --service "colections"
expect_rc 0 "a typo the taxonomy's fuzzy stage reads still matches"
expect_contains "$ERR" "service 'colections': did you mean 'collection" "service: the fuzzy stage's reading is said"
vm match --service "collections"
expect_not_contains "$ERR" "did you mean" "an exact service: no hint"
vm match --service "basket weaving"
expect_rc 2 "an unknown service"
expect_contains "$ERR" "unknown service 'basket weaving' (not in the taxonomy" "nothing close: no guess"
expect_not_contains "$(head -1 <<<"$ERR")" "did you mean" "nothing close: no did-you-mean"

# --- countries and languages: from the ISO data -------------------------------------
vm match --service "customer support" --country Indai
expect_rc 2 "a misspelt country"
expect_contains "$ERR" "unknown country 'Indai': did you mean 'India'?" "country: did you mean"
vm match --service "customer support" --exclude-country "Phillipines"
expect_contains "$ERR" "did you mean 'Philippines'?" "exclude-country: did you mean"
vm match --service "customer support" --language Englsh
expect_rc 2 "a misspelt language"
expect_contains "$ERR" "unknown language 'Englsh': did you mean 'English'?" "language: did you mean"
vm match --service "customer support" --language "Zzqxv"
expect_contains "$ERR" "unknown language 'Zzqxv' (use a name" "language: nothing close"
expect_not_contains "$(head -1 <<<"$ERR")" "did you mean" "language: nothing close, no guess"

# --- certifications: warned, then checked against the catalog ---------------------------
vm match --service "customer support" --cert "ISO 2700"
expect_rc 0 "an unknown certification still runs"
expect_contains "$ERR" "certification 'ISO 2700' is not one vendormatch knows: did you mean 'ISO 27001'?" "cert: did you mean"
expect_contains "$ERR" "certification 'ISO2700' matched no vendor in the catalog" "cert: matched no vendor"
expect_contains "$OUT" "no vendor meets every constraint" "the table says nothing qualified"
vm match --service "customer support" --cert "Foo Bar Cert"
expect_rc 0 "a certification with nothing close"
expect_not_contains "$ERR" "did you mean" "cert: nothing close, no guess"
expect_contains "$ERR" "certification 'FOOBARCERT' matched no vendor in the catalog" "cert: nothing close, says it matched no vendor"
vm match --service "customer support" --cert "ISO 27001"
expect_eq "" "$ERR" "a known, held certification: stderr silent"

# --- a valid term no vendor has ----------------------------------------------------
vm match --service "customer support" --language Icelandic --country Iceland --format json
expect_rc 0 "valid terms no vendor has"
expect_contains "$ERR" "language 'is' matched no vendor in the catalog" "language absent from the catalog"
expect_contains "$ERR" "country 'IS' matched no vendor in the catalog" "country absent from the catalog"
expect_eq "0" "$(jq '.results | length' <<<"$OUT")" "JSON on stdout stays clean"
vm match --service "market research"
expect_contains "$ERR" "service 'market_research' matched no vendor in the catalog" "a service no vendor offers"
vm match --service "customer support" --country India --language Tagalog
expect_contains "$ERR" "language 'tl' matched no vendor" "only the absent term is named"
expect_not_contains "$ERR" "country 'IN'" "a present term is not named"
vm match --service "customer support" --delivery onshore
expect_contains "$ERR" "delivery model 'onshore' matched no vendor" "delivery absent"
vm match --service "customer support" --country India
expect_eq "" "$ERR" "results found: no notes"

# --- needs files: the same hints, file:line -------------------------------------------
printf 'need,service,country\nA,custmer suprt,India\n' >"$T/needs1.csv"
vm match --needs "$T/needs1.csv"
expect_rc 65 "needs file with a misspelt service"
expect_contains "$ERR" "did you mean 'customer support'?" "needs file: service did you mean"
printf 'need,service,country\nB,customer support,Indai\n' >"$T/needs2.csv"
vm match --needs "$T/needs2.csv"
expect_contains "$ERR" "did you mean 'India'?" "needs file: country did you mean"
printf 'need,service,language\nC,customer support,Icelandic\n' >"$T/needs3.csv"
vm match --needs "$T/needs3.csv"
expect_rc 0 "needs file runs"
expect_contains "$ERR" "need 'C': language 'is' matched no vendor in the catalog" "needs file: names the need"

# --- hostile input: quoted back safely ---------------------------------------------------
vm match --service "customer support" --cert "x'); DROP TABLE vendors;--"
expect_rc 0 "hostile certification"
expect_eq "2" "$(psql_q 'SELECT count(*) FROM vendors')" "vendors intact"

# --- industries: scored, not required, so a typo would score nothing silently ---------------
printf 'name,country,services,industries\nGamma Health,India,Customer Support,Healthcare;Insurance\nDelta Bank,India,Customer Support,Banking\n' >"$T/ind.csv"
vm import --source ind "$T/ind.csv"
expect_rc 0 "import vendors with industries"
vm match --service "customer support" --industry helthcare
expect_rc 0 "a misspelt industry still runs (industry is scored, not required)"
expect_contains "$ERR" "industry 'helthcare' matched no vendor in the catalog: did you mean 'healthcare'?" "industry: did you mean, from the catalog's industries"
expect_contains "$OUT" "Gamma Health" "the ranking is printed"
vm match --service "customer support" --industry "Bankng" --industry healthcare
expect_contains "$ERR" "industry 'bankng' matched no vendor in the catalog: did you mean 'banking'?" "industry: case folded, did you mean"
expect_not_contains "$ERR" "industry 'healthcare'" "a listed industry is not named"
vm match --service "customer support" --industry "underwater welding"
expect_contains "$ERR" "industry 'underwater welding' matched no vendor in the catalog (no vendor gets its points)" "industry: nothing close says it matched no vendor"
expect_not_contains "$ERR" "did you mean" "industry: nothing close, no guess"
vm match --service "customer support" --industry healthcare
expect_eq "" "$ERR" "a listed industry: stderr silent"
printf 'need,service,industry\nD,customer support,helthcare\n' >"$T/needs4.csv"
vm match --needs "$T/needs4.csv"
expect_rc 0 "needs file with a misspelt industry runs"
expect_contains "$ERR" "need 'D': industry 'helthcare' matched no vendor in the catalog: did you mean 'healthcare'?" "needs file: industry hint names the need"
vm match --service "customer support" --industry "x'); DROP TABLE vendors;--"
expect_rc 0 "hostile industry"
expect_eq "4" "$(psql_q 'SELECT count(*) FROM vendors')" "vendors intact after a hostile industry"

finish
