#!/usr/bin/env bash
# test_help: `help COMMAND` prints exactly what `COMMAND --help` prints, for
# every command in the table; `help` alone is the overview; hidden helpers
# (__complete) are neither listed nor helped; misuse exits 2.
. "$(dirname "$0")/lib.sh"
vm --help; expect_rc 0 "--help"
overview=$OUT
commands=$(awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1}' <<<"$overview")
check "the overview lists commands" test "$(wc -l <<<"$commands")" -ge 12
expect_contains "$commands" "help" "help is a listed command"
expect_not_contains "$overview" "__complete" "the hidden completion helper is not listed"
vm help; expect_rc 0 "help alone"
expect_eq "$overview" "$OUT" "help alone = --help"
for c in $commands; do
  vm "$c" --help; want=$OUT
  vm help "$c"
  expect_rc 0 "help $c"
  expect_eq "$want" "$OUT" "help $c = $c --help"
done
vm help nosuch; expect_rc 2 "help for an unknown command"
expect_contains "$ERR" "unknown command 'nosuch'" "names it"
vm help __complete; expect_rc 2 "no help for the hidden helper"
vm help vendors list; expect_rc 2 "help takes one command"
vm help --help; expect_rc 0 "help --help"
expect_contains "$OUT" "usage: vendormatch help [COMMAND]" "help's own usage"
finish
