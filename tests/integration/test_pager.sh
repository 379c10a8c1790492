#!/usr/bin/env bash
# test_pager: table output on a terminal goes through the pager
# ($VENDORMATCH_PAGER, then $PAGER, then `less -SFRX`), like git and psql;
# --no-pager, a stdout that is not a terminal, PAGER=cat and PAGER='' turn it
# off; the pager's own exit status never becomes the command's, and a pager
# quit early is not an error. The terminal is a real pseudo-terminal
# (util-linux script); fake pagers record what they were given.
. "$(dirname "$0")/lib.sh"
new_db
vm migrate; expect_rc 0 "migrate"
# A catalog big enough that its JSON overflows a pipe's buffer (64 KiB), so a
# pager that quits without reading makes the next write fail for certain.
{
  echo "id,name,country,services,description"
  for i in $(seq 1 400); do
    echo "P$i,Pager Vendor $i,India,Customer Support;Data Entry,$(printf 'long description %.0s' $(seq 1 12))"
  done
} >"$T/big.csv"
vm import "$T/big.csv"; expect_rc 0 "import a 400-vendor catalog"

# tty_vm ARGS...: the binary on a pseudo-terminal. $OUT is what the terminal
# showed, $ERR its stderr (kept apart in a file), $RC its exit status.
tty_vm() {
  local cmd
  printf -v cmd '%q ' "$VM_BIN" "$@"
  SHELL=/bin/bash script -qec "$cmd 2>$T/tty_err" /dev/null </dev/null >"$T/tty_out"
  RC=$?
  OUT=$(tr -d '\r' <"$T/tty_out")
  ERR=$(cat "$T/tty_err")
}

unset PAGER VENDORMATCH_PAGER LESS
export PAGER="cat >$T/paged"

rm -f "$T/paged"
tty_vm vendors list --limit 5
expect_rc 0 "vendors list on a terminal"
check "the table went to \$PAGER" test -s "$T/paged"
expect_contains "$(cat "$T/paged" 2>/dev/null)" "Pager Vendor" "the pager received the rows"
expect_eq 6 "$(wc -l <"$T/paged" 2>/dev/null)" "the pager received the header and 5 rows, nothing else"
expect_not_contains "$OUT" "Pager Vendor" "nothing was printed past the pager"

rm -f "$T/paged" "$T/paged2"
VENDORMATCH_PAGER="cat >$T/paged2" tty_vm vendors list --limit 5
check "\$VENDORMATCH_PAGER comes before \$PAGER" test -s "$T/paged2"
check "\$PAGER was not used then" test ! -e "$T/paged"

for cmd in "taxonomy list" "stats" "vendors search pager" "shortlists list"; do
  rm -f "$T/paged"
  # shellcheck disable=SC2086
  tty_vm $cmd
  expect_rc 0 "$cmd on a terminal"
  check "$cmd goes through the pager" test -e "$T/paged"
done
vm match --service "customer support" --save paged; expect_rc 0 "save a shortlist"
for cmd in "match --service customer-support" "shortlists show paged" "vendors show 1"; do
  rm -f "$T/paged"
  # shellcheck disable=SC2086
  tty_vm $cmd
  expect_rc 0 "$cmd on a terminal"
  check "$cmd goes through the pager" test -s "$T/paged"
done

# The off-switches.
rm -f "$T/paged"
tty_vm --no-pager vendors list --limit 5
expect_rc 0 "--no-pager"
check "--no-pager: no pager ran" test ! -e "$T/paged"
expect_contains "$OUT" "Pager Vendor 1" "--no-pager: the table is on the terminal"

rm -f "$T/paged"
vm vendors list --limit 5
check "stdout not a terminal: no pager" test ! -e "$T/paged"
expect_contains "$OUT" "Pager Vendor 1" "stdout not a terminal: the table is printed"

for p in cat "" "  "; do
  PAGER=$p tty_vm vendors list --limit 5
  expect_rc 0 "PAGER='$p'"
  expect_contains "$OUT" "Pager Vendor 1" "PAGER='$p' prints straight to the terminal"
done
VENDORMATCH_PAGER=cat PAGER="cat >$T/paged" tty_vm vendors list --limit 5
check "VENDORMATCH_PAGER=cat turns paging off even with PAGER set" test ! -e "$T/paged"

# Without PAGER: `less -SFRX` (a fake less first on PATH records its options).
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "$@" >%q\necho "LESS=$LESS" >>%q\ncat >/dev/null\n' "$T/less_args" "$T/less_args" >"$T/bin/less"
chmod +x "$T/bin/less"
env -u PAGER PATH="$T/bin:$PATH" bash -c "$(declare -f tty_vm); VM_BIN=$VM_BIN T=$T; tty_vm vendors list --limit 3"
expect_eq "-SFRX" "$(head -1 "$T/less_args" 2>/dev/null)" "the default pager is less -SFRX"
PAGER=less env PATH="$T/bin:$PATH" bash -c "$(declare -f tty_vm); VM_BIN=$VM_BIN T=$T; tty_vm vendors list --limit 3"
expect_eq "LESS=FRSX" "$(sed -n 2p "$T/less_args" 2>/dev/null)" "a bare PAGER=less gets LESS=FRSX, as git sets it"

# The pager's exit status is not the command's; quitting it early is quiet.
PAGER="cat >/dev/null; exit 7" tty_vm vendors list --limit 5
expect_rc 0 "a pager exiting 7 leaves the command's status 0"
PAGER="exit 0" tty_vm vendors list --limit 0 --format json
expect_rc 0 "a pager that quits before reading 400 vendors of JSON: still exit 0"
expect_eq "" "$ERR" "and nothing on stderr (no broken pipe, no write error)"
PAGER="head -c 100 >/dev/null" tty_vm vendors list --limit 0 --format csv
expect_rc 0 "a pager that reads 100 bytes and quits: exit 0"
expect_eq "" "$ERR" "and nothing on stderr"
PAGER="cat >$T/paged" tty_vm vendors show no-such-vendor-at-all
expect_rc 1 "a failing command keeps its own exit status on a terminal"
expect_contains "$ERR" "no vendor named" "its error is on stderr"

finish
