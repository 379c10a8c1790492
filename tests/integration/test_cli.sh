#!/usr/bin/env bash
# test_cli: the command-line skeleton and connection resolution: usage errors
# exit 2, --help and --version work for every command, an unreachable
# database exits 69 without ever printing its password, the documented
# precedence --db > VENDORMATCH_DB > DATABASE_URL, and the refusal of a
# database with pending migrations by catalog commands.
. "$(dirname "$0")/lib.sh"

vm --version
expect_rc 0 "--version"
expect_contains "$OUT" "vendormatch 0." "--version prints the version"

vm frobnicate
expect_rc 2 "unknown command"
expect_contains "$ERR" "usage: vendormatch" "unknown command prints usage on stderr"
vm --bogus migrate
expect_rc 2 "unknown global option"
expect_contains "$ERR" "usage: vendormatch" "bad option prints usage on stderr"
vm
expect_rc 2 "no command"
vm migrate --bogus
expect_rc 2 "unknown migrate option"
expect_contains "$ERR" "usage: vendormatch migrate" "migrate usage on stderr"
# A usage error shows the message, the synopsis and where the rest is, whole
# even for the longest --help (match's is over 3 KB).
vm match --no-such-option
expect_rc 2 "match: an unknown option is a usage error"
expect_contains "$ERR" "match: unknown option" "the message comes first"
expect_contains "$ERR" "usage: vendormatch match" "then the synopsis"
expect_contains "$ERR" "Run 'vendormatch match --help' for every option." "then where the rest is"
expect_not_contains "$ERR" "Need options" "not the whole --help"
vm db frob
expect_rc 2 "unknown db subcommand"
vm db
expect_rc 2 "db without subcommand"
vm --db
expect_rc 2 "--db without a value"

vm --help
expect_rc 0 "--help"
commands=$(echo "$OUT" | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && $1 != "Commands:" {print $1}')
check "--help lists db and migrate" grep -qx migrate <<<"$commands"
for c in $commands; do
  vm "$c" --help
  expect_rc 0 "$c --help"
  expect_contains "$OUT" "usage: vendormatch $c" "$c --help prints its usage on stdout"
done

# Unreachable targets: exit 69, the target named, the password never shown.
for target in 'postgresql://bob:hunter2@127.0.0.1:1/x' 'password=hunter2 host=/nonexistent' \
              "password='hunter2' host=/nonexistent dbname=x" 'postgresql://bob@127.0.0.1:1/x?password=hunter2'; do
  vm --db "$target" migrate
  expect_rc 69 "unreachable --db $target"
  expect_not_contains "$OUT$ERR" "hunter2" "no password in the output for $target"
  expect_contains "$ERR" "***" "the password is shown redacted"
done
vm --db 'postgresql://bob:hunter2@127.0.0.1:1/x' migrate
expect_contains "$ERR" "127.0.0.1" "the unreachable target is named"
expect_contains "$ERR" "--db" "the message says where the target came from"
vm --db 'password=hunter2 host=/nonexistent' migrate
expect_contains "$ERR" "/nonexistent" "the unreachable socket directory is named"
vm --db 'postgresql://bob:hunter2@[::1/x' migrate
expect_rc 2 "an unparseable --db is a usage error"
expect_not_contains "$OUT$ERR" "hunter2" "no password when libpq cannot parse the string"
VENDORMATCH_DB='postgresql://bob:hunter2@127.0.0.1:1/x' vm migrate
expect_rc 69 "unreachable VENDORMATCH_DB"
expect_contains "$ERR" "VENDORMATCH_DB" "the message names VENDORMATCH_DB"
expect_not_contains "$OUT$ERR" "hunter2" "no password from VENDORMATCH_DB"

# Precedence: --db, then VENDORMATCH_DB, then DATABASE_URL (empty counts as unset).
new_db
good=$VENDORMATCH_DB
bad='host=/nonexistent dbname=nowhere'
DATABASE_URL=$bad vm migrate --status
expect_rc 0 "VENDORMATCH_DB wins over DATABASE_URL"
vm --db "$bad" migrate --status
expect_rc 69 "--db wins over VENDORMATCH_DB"
VENDORMATCH_DB=$bad vm --db "$good" migrate --status
expect_rc 0 "--db wins over a bad VENDORMATCH_DB"
unset VENDORMATCH_DB
DATABASE_URL=$good vm migrate --status
expect_rc 0 "DATABASE_URL is used when VENDORMATCH_DB is unset"
VENDORMATCH_DB= DATABASE_URL=$good vm migrate --status
expect_rc 0 "an empty VENDORMATCH_DB counts as unset"
DATABASE_URL=$bad vm migrate --status
expect_rc 69 "a bad DATABASE_URL is reported"
expect_contains "$ERR" "DATABASE_URL" "the message names DATABASE_URL"
export VENDORMATCH_DB=$good

# A catalog command refuses a non-embedded database with pending migrations.
catalog_cmd=()
if grep -qx stats <<<"$commands"; then catalog_cmd=(stats)
elif grep -qx vendors <<<"$commands"; then catalog_cmd=(vendors list); fi
if [ ${#catalog_cmd[@]} -gt 0 ]; then
  vm "${catalog_cmd[@]}"
  expect_rc 1 "${catalog_cmd[*]} refuses an unmigrated database"
  expect_contains "$ERR" "vendormatch migrate" "the refusal says to run vendormatch migrate"
  vm migrate
  expect_rc 0 "migrate"
  last=$(psql_q "SELECT max(version) FROM schema_migrations")
  psql_q "DELETE FROM schema_migrations WHERE version = $last" >/dev/null
  vm "${catalog_cmd[@]}"
  expect_rc 1 "${catalog_cmd[*]} refuses a database missing its last migration"
  expect_contains "$ERR" "pending migration" "the refusal says migrations are pending"
  expect_not_contains "$(psql_q "SELECT count(*) FROM schema_migrations WHERE version = $last")" "1" \
    "a catalog command never migrates a non-embedded database"
else
  echo "skip - no catalog command (stats, vendors) built yet"
fi

finish
