#!/usr/bin/env bash
# test_completion: the bash completion (completion/vendormatch.bash) loaded
# in bash completes commands, subcommands, options, option values and the
# catalog's shortlist and source names for typed words (COMP_WORDS and
# COMP_CWORD set as bash sets them, then the completion function called);
# it offers every command and every option the --help texts list, so a new
# one cannot be forgotten; `__complete` is quiet and never starts the
# embedded database; the zsh completion parses and registers itself.
. "$(dirname "$0")/lib.sh"
COMP=$VM_SOURCE_DIR/completion
new_db
vm migrate; expect_rc 0 "migrate"
cat >"$T/cat.csv" <<'CSV'
id,name,country,services
S1,First Contact,India,Customer Support
S2,Second Voice,Philippines,Customer Support
CSV
vm import --source partner-a "$T/cat.csv"; expect_rc 0 "import"
vm import --source "partner b" "$T/cat.csv"; expect_rc 0 "import a source with a space"
vm match --service "customer support" --save q3-support; expect_rc 0 "save"
vm match --service "customer support" --save "acme list"; expect_rc 0 "save a name with a space"

# complete WORD...: what bash would offer for the last word, one per line, sorted.
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));
    COMPREPLY=(); _vendormatch; printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMP/vendormatch.bash" "$VM_BIN" "$@"
}
words() { printf '%s\n' "$@" | sort; }

expect_eq "$(words db migrate import sources vendors classify tag taxonomy match shortlists fx report stats help)" \
  "$(complete_words "")" "commands"
expect_eq "$(words shortlists sources stats)" "$(complete_words s)" "commands starting with s"
expect_eq "$(words list set import)" "$(complete_words fx "")" "fx's subcommands"
expect_eq "$(words --no-pager)" "$(complete_words --no)" "a global option"
# Every global option --help lists is offered.
vm --help
for o in $(grep -E -- '^(usage:| +\[| *-)' <<<"$OUT" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  check "global option $o is completed" grep -qx -- "$o" <<<"$(complete_words --)"
done
expect_eq "$(words list search show)" "$(complete_words vendors "")" "vendors' subcommands"
expect_eq "$(words list show delete)" "$(complete_words shortlists "")" "shortlists' subcommands"
expect_eq "$(words --type)" "$(complete_words vendors list --ty)" "an option of vendors list"
expect_eq "$(words BPO KPO HYBRID UNCLASSIFIED)" "$(complete_words vendors list --type "")" "--type values"
expect_eq "$(words BPO KPO any auto)" "$(complete_words match --type "")" "match's --type values"
expect_eq "$(words table csv json)" "$(complete_words vendors list --format "")" "--format values"
expect_eq "$(words html md csv json)" "$(complete_words report x --format "")" "report's --format values"
expect_eq "$(words abort skip)" "$(complete_words import --on-error "")" "--on-error values"
expect_eq "$(words 'acme\ list' q3-support)" "$(complete_words shortlists show "")" "shortlist names from the catalog, quoted"
expect_eq "$(words q3-support)" "$(complete_words shortlists delete q)" "shortlist names by prefix"
expect_eq "$(words 'acme\ list' q3-support)" "$(complete_words report "")" "report takes a shortlist name"
expect_eq "" "$(complete_words report q3-support "")" "and only one"
expect_eq "$(words partner-a 'partner\ b')" "$(complete_words vendors list --source "")" "--source takes source names"
expect_eq "$(words BPO KPO HYBRID UNCLASSIFIED)" "$(complete_words tag set 12 "")" "tag set ID TYPE"
expect_eq "$(words list show drop priority)" "$(complete_words sources "")" "sources' subcommands"
expect_eq "$(words partner-a 'partner\ b')" "$(complete_words sources drop "")" "sources drop takes a source name"
expect_eq "$(words --limit)" "$(complete_words vendors list --format json --lim)" "options after a value"
expect_eq "$(words q3-support)" "$(complete_words --db "$VENDORMATCH_DB" shortlists show q)" "--db's database is asked"
expect_eq "" "$(complete_words --db "$VENDORMATCH_DB" --schema other shortlists show q)" "--schema's schema is asked (empty there)"
expect_eq "$(words start stop status url which)" "$(complete_words db "")" "db's subcommands"
touch "$T/catalog one.csv"
expect_eq "$(words "$T/cat.csv" "$T/catalog one.csv")" "$(cd / && complete_words import "$T/cat")" "import completes files"

# Every command and option the --help texts list is offered (options from
# the usage lines and the lines that describe an option).
vm --help
for c in $(awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1}' <<<"$OUT"); do
  check "command '$c' is completed" grep -qx -- "$c" <<<"$(complete_words "")"
  subs=$(complete_words "$c" "")
  "$VM_BIN" "$c" --help >"$T/help" 2>&1
  for o in $(grep -E -- '^(usage:| +vendormatch | *-)' "$T/help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    found=0
    for s in "" $subs; do
      if [ -n "$s" ]; then got=$(complete_words "$c" "$s" "--"); else got=$(complete_words "$c" "--"); fi
      grep -qx -- "$o" <<<"$got" && found=1 && break
    done
    check "$c: option $o is completed" test $found = 1
  done
done

# __complete: names on stdout, nothing else, never the embedded server.
vm __complete shortlists
expect_rc 0 "__complete shortlists"
expect_eq "$(printf 'acme list\nq3-support')" "$OUT" "one name per line"
expect_eq "" "$ERR" "nothing on stderr"
vm __complete nonsense; expect_rc 0 "an unknown kind is quietly empty"
expect_eq "" "$OUT$ERR" "and says nothing"
unset VENDORMATCH_DB
export VENDORMATCH_HOME=$T/never-started
vm __complete shortlists
expect_rc 0 "no database reachable: exit 0"
expect_eq "" "$OUT$ERR" "no names, no message"
check "the embedded database was not created or started" test ! -e "$T/never-started"
VENDORMATCH_DB="host=$T/no-such-socket-dir dbname=x" vm __complete sources
expect_rc 0 "an unreachable server: exit 0"
expect_eq "" "$OUT$ERR" "and silence"
expect_eq "" "$(complete_words shortlists show "")" "completion offers nothing then, without errors"
vm --help
expect_not_contains "$OUT" "__complete" "__complete is not listed in --help"

# zsh: the function parses and compinit registers it for vendormatch.
check "zsh completion parses" zsh -n "$COMP/_vendormatch"
expect_eq "_vendormatch" "$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D; print -- ${_comps[vendormatch]}' _ "$COMP")" \
  "zsh's compinit registers _vendormatch for vendormatch"
finish
