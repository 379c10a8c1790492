#!/usr/bin/env bash
# test_install: `cmake --install` (into a DESTDIR, prefix /usr and the
# default /usr/local) puts the binary, a manual page per command, the bash
# and zsh completions and the migrations where the system looks for them:
# man finds the pages, bash-completion's on-demand loader finds the
# completion, zsh's compinit registers it, and the installed binary runs.
. "$(dirname "$0")/lib.sh"

install_to() { # install_to DESTDIR PREFIX
  DESTDIR=$1 cmake --install "$VM_BUILD_DIR" --prefix "$2" >"$T/install.log" 2>&1
}

D=$T/dest
install_to "$D" /usr
check "cmake --install --prefix /usr succeeds" test $? = 0
check "the binary is in bin" test -x "$D/usr/bin/vendormatch"
expect_contains "$("$D/usr/bin/vendormatch" --version)" "vendormatch " "the installed binary runs"

"$VM_BIN" --help >"$T/help"
commands=$(awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1}' "$T/help")
check "man1/vendormatch.1" test -s "$D/usr/share/man/man1/vendormatch.1"
for c in $commands; do
  check "man1/vendormatch-$c.1 is installed" test -s "$D/usr/share/man/man1/vendormatch-$c.1"
done
expect_eq "$D/usr/share/man/man1/vendormatch-match.1" \
  "$(MANPATH=$D/usr/share/man man -w vendormatch-match 2>&1)" "man finds an installed page by name"

bash_dir=$(pkg-config --define-variable=datadir=/usr/share --variable=completionsdir bash-completion)
check "bash-completion's completionsdir is known" test -n "$bash_dir"
check "bash completion in $bash_dir" test -s "$D$bash_dir/vendormatch"
expect_contains "$(XDG_DATA_DIRS=$D/usr/share bash -c '. /usr/share/bash-completion/bash_completion
  __load_completion vendormatch; complete -p vendormatch' 2>&1)" "complete -F _vendormatch vendormatch" \
  "bash-completion's loader finds and loads it"
check "zsh completion in share/zsh/vendor-completions" test -s "$D/usr/share/zsh/vendor-completions/_vendormatch"
expect_eq "_vendormatch" "$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D; print -- ${_comps[vendormatch]}' _ "$D/usr/share/zsh/vendor-completions")" \
  "zsh registers the installed completion"
check "migrations in share/vendormatch/migrations" test -s "$D/usr/share/vendormatch/migrations/0001_schema.sql"

# The default prefix keeps everything under /usr/local.
L=$T/dest-local
install_to "$L" /usr/local
check "cmake --install --prefix /usr/local succeeds" test $? = 0
check "bin" test -x "$L/usr/local/bin/vendormatch"
check "man" test -s "$L/usr/local/share/man/man1/vendormatch-vendors.1"
check "bash completion under /usr/local" test -s "$L/usr/local/share/bash-completion/completions/vendormatch"
check "zsh completion under /usr/local" test -s "$L/usr/local/share/zsh/vendor-completions/_vendormatch"
check "nothing outside the prefix" test "$(cd "$L" && find . -type f | grep -v '^./usr/local/' | wc -l)" = 0
finish
