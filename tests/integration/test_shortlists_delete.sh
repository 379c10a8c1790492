#!/usr/bin/env bash
# test_shortlists_delete: `shortlists delete ID|NAME` removes one saved
# shortlist with its entries and exclusions, by id first then by name, and
# leaves every other shortlist as it was; unknown names exit 1, misuse 2.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"
cat >"$T/cat.csv" <<'CSV'
id,name,country,services
S1,First Contact,India,Customer Support
S2,Second Voice,Philippines,Customer Support
S3,Third Research,India,Market Research
CSV
vm import "$T/cat.csv"; expect_rc 0 "import"
vm match --service "customer support" --save keep; expect_rc 0 "save keep"
vm match --service "customer support" --save gone; expect_rc 0 "save gone"
vm match --service "market research" --save "'; DROP TABLE shortlists; --"; expect_rc 0 "save a hostile name"
keep_id=$(psql_q "SELECT id FROM shortlists WHERE name = 'keep'")
gone_id=$(psql_q "SELECT id FROM shortlists WHERE name = 'gone'")
keep_before=$(psql_q "SELECT document::text FROM shortlists WHERE name = 'keep'")
# A shortlist named like another's id: the id wins, as `shortlists show` reads it.
vm match --service "market research" --save "$keep_id"; expect_rc 0 "save a shortlist named like an id"

vm shortlists delete gone
expect_rc 0 "delete by name"
expect_contains "$ERR" "deleted shortlist 'gone' (id $gone_id)" "says what it deleted"
expect_eq "0" "$(psql_q "SELECT count(*) FROM shortlists WHERE name = 'gone'")" "the shortlist row is gone"
expect_eq "0" "$(psql_q "SELECT count(*) FROM shortlist_entries WHERE shortlist_id = $gone_id")" "its entries are gone"
expect_eq "0" "$(psql_q "SELECT count(*) FROM shortlist_excluded WHERE shortlist_id = $gone_id")" "its exclusions are gone"
expect_eq "$keep_before" "$(psql_q "SELECT document::text FROM shortlists WHERE name = 'keep'")" "the other shortlist is untouched"
check "the other shortlist keeps its entries" test "$(psql_q "SELECT count(*) FROM shortlist_entries WHERE shortlist_id = $keep_id")" -gt 0
vm shortlists show gone; expect_rc 1 "show after delete"

vm shortlists delete gone
expect_rc 1 "delete it again"
expect_contains "$ERR" "no saved shortlist with id or name 'gone'" "says there is none"

vm shortlists delete "'; DROP TABLE shortlists; --"
expect_rc 0 "delete the hostile name, as plain text"
expect_eq "2" "$(psql_q "SELECT count(*) FROM shortlists")" "two shortlists left"

vm -q shortlists delete "$keep_id"
expect_rc 0 "delete by id"
expect_eq "" "$ERR" "-q: nothing on stderr"
expect_eq "$keep_id" "$(psql_q "SELECT name FROM shortlists")" "the id won over the shortlist named '$keep_id'"

vm shortlists delete; expect_rc 2 "delete needs a name"
vm shortlists delete a b; expect_rc 2 "delete takes one name"
vm shortlists delete --format json; expect_rc 2 "delete has no options"
vm shortlists delete --help; expect_rc 0 "--help"
expect_contains "$OUT" "shortlists delete ID|NAME" "the usage names delete"
finish
