#!/usr/bin/env bash
# test_import_limits: absurd but valid cells must not break an import. The
# matcher's covering index holds the name and the normalised lists, so a
# 300-byte name bound rejects one row cleanly, and over-long lists are capped
# (the original text is kept whole) instead of failing the whole file.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"

long_name=$(head -c 400 /dev/zero | tr '\0' 'N')
many="$(for i in $(seq 1 60); do printf 'Industry number %02d;' "$i"; done)An industry label far too long to be a normalised value of any use"
certs=$(for i in $(seq 1 60); do printf 'Made-up Certification Scheme %02d;' "$i"; done)
services=$(psql_q "SELECT string_agg(name, ';') FROM taxonomy_categories")
{
  echo 'name,country,industries,certifications,services,delivery,languages'
  printf '"%s",India,"%s","%s","%s","%s","%s"\n' "Wide Vendor $long_name" "$many" "$certs" "$services" \
    "$(for i in $(seq 1 30); do printf 'delivery model number %02d;' "$i"; done)" \
    "English;Hindi;Tamil;French;German;Spanish;Portuguese;Italian;Dutch;Polish"
} >"$T/long_name.csv"
{
  echo 'name,country,industries,certifications,services,delivery,languages'
  printf '"%s",India,"%s","%s","%s","%s","%s"\n' "Wide Vendor" "$many" "$certs" "$services" \
    "$(for i in $(seq 1 30); do printf 'delivery model number %02d;' "$i"; done)" \
    "English;Hindi;Tamil;French;German;Spanish;Portuguese;Italian;Dutch;Polish"
} >"$T/wide.csv"

vm import "$T/long_name.csv"
expect_rc 65 "a 400-byte name is bad input"
expect_contains "$ERR" "long_name.csv:2:1: vendor name longer than 300 bytes" "the error names file, line, column"
expect_eq 0 "$(psql_q 'SELECT count(*) FROM vendors')" "nothing committed"

vm import "$T/wide.csv"
expect_rc 0 "a row with every list at its widest imports"
expect_eq 16 "$(psql_q "SELECT cardinality(industries) FROM vendors")" "industries capped at 16"
expect_eq 16 "$(psql_q "SELECT cardinality(certifications) FROM vendors")" "certifications capped at 16"
check "(nearly) every service category kept" test "$(psql_q "SELECT cardinality(services) FROM vendors")" -ge 40
expect_contains "$(psql_q "SELECT industries_raw FROM vendors")" "An industry label far too long" "the original text is kept whole"
vm match --service "customer support" --format json
expect_rc 0 "the wide vendor can be matched"
expect_eq "Wide Vendor" "$(jq -r '.results[0].name' <<<"$OUT")" "and is found"
finish
