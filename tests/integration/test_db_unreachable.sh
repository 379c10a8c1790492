#!/usr/bin/env bash
# test_db_unreachable: every catalog command, when no server answers at the
# --db target, exits 69 (database unavailable) and says it cannot connect:
# no crash on the path where the catalog never opened (`taxonomy list` and
# `taxonomy unknown` once freed a table that was never made).
. "$(dirname "$0")/lib.sh"

nowhere="host=$T/no-server dbname=vendormatch"
mkdir -p "$T/no-server"
printf 'Date, USD, GBP\n07 December 2026, 1.08, 0.85\n' >"$T/ecb.csv"
printf 'phrase,category\ngizmo auditing,customer_support\n' >"$T/tax.csv"
while read -r args; do
  # shellcheck disable=SC2086
  vm --db "$nowhere" $args
  expect_rc 69 "$args: no server"
  expect_contains "$ERR" "cannot connect to the database" "$args: says why"
done <<EOT
vendors list
vendors list --service support
vendors search acme
vendors show 1
vendors show acme
sources list
sources show canonical
sources drop canonical
sources priority canonical 1
fx list
fx set EUR 1.08
fx import $T/ecb.csv
classify
classify --explain
taxonomy list
taxonomy unknown
taxonomy add gizmo customer_support
taxonomy import $T/tax.csv
stats
EOT
finish
