#!/usr/bin/env bash
# test_man_pages: every command in the binary's table has a manual page
# (man/vendormatch-COMMAND.1.scd, built into build/man), each page is a
# document with the nine sections, renders with groff and man without a
# single warning, names every option its command's --help lists, and links
# only to pages that exist. A new command without a page fails here.
. "$(dirname "$0")/lib.sh"
MAN=$VM_BUILD_DIR/man

vm --help
commands=$(awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1}' <<<"$OUT")
check "the command table is not empty" test -n "$commands"
pages=vendormatch.1
for c in $commands; do pages="$pages vendormatch-$c.1"; done
for f in "$MAN"/*.1; do
  check "$(basename "$f") belongs to a command" grep -qw -- "$(basename "$f")" <<<"$pages"
done

for p in $pages; do
  f=$MAN/$p
  check "$p is built" test -s "$f"
  [ -s "$f" ] || continue
  warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$f" 2>&1)
  expect_eq "" "$warnings" "$p: groff -man -ww renders it without warnings"
  text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$f" 2>"$T/man_err")
  expect_eq "" "$(cat "$T/man_err")" "$p: man -l renders it without warnings"
  headings=$(grep -E '^[A-Z][A-Z ]+$' <<<"$text" | tr '\n' ' ')
  for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
    expect_contains "$headings" "$s " "$p has a $s section"
  done
  name=${p%.1}
  expect_contains "$(sed -n '/^NAME/,/^[A-Z]/p' <<<"$text")" "$name - " "$p: NAME names $name"
  # Not a --help dump: the description is prose longer than a usage line.
  desc=$(sed -n '/^DESCRIPTION/,/^OPTIONS/p' <<<"$text" | wc -w)
  check "$p: DESCRIPTION is written out ($desc words)" test "$desc" -ge 40
  for ref in $(grep -o 'vendormatch[a-z-]*([0-9])' <<<"$text" | sort -u); do
    check "$p: link $ref points at a page" test -s "$MAN/${ref%(1)}.1"
  done
done

# Each option a command's --help lists is documented on its page.
for c in $commands; do
  f=$MAN/vendormatch-$c.1
  [ -s "$f" ] || continue
  text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$f" 2>/dev/null)
  "$VM_BIN" "$c" --help >"$T/help"
  for o in $(grep -E -- '^(usage:| +vendormatch | *-)' "$T/help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    expect_contains "$text" "$o" "vendormatch-$c(1) documents $o"
  done
done
text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$MAN/vendormatch.1" 2>/dev/null)
vm --help
for o in $(grep -E -- '^(usage:| *-)' <<<"$OUT" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  expect_contains "$text" "$o" "vendormatch(1) documents the global option $o"
done
for c in $commands; do
  expect_contains "$text" "vendormatch-$c(1)" "vendormatch(1) points at vendormatch-$c(1)"
done
finish
