#!/usr/bin/env bash
# test_db_embedded: the embedded PostgreSQL in $VENDORMATCH_HOME ($T/home):
# first start creates it (0700, Unix socket only), a second start is a no-op,
# status and url work, psql connects with the url, commands start it on
# demand and migrate it, it recovers from a kill -9 of the postmaster and
# from a stale postmaster.pid naming an unrelated live process, stop and
# restart keep the data, a foreign non-empty directory is refused as a home. Runs as root (the server then runs as
# 'postgres') and as an ordinary user.
. "$(dirname "$0")/lib.sh"
unset VENDORMATCH_DB DATABASE_URL
HOMEDIR=$VENDORMATCH_HOME
stop_all() {
  for h in "$HOMEDIR" "$T/home2"; do VENDORMATCH_HOME=$h "$VM_BIN" -q db stop >/dev/null 2>&1; done
  cleanup
}
trap stop_all EXIT

psql_e() { "$VM_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$URL" -c "$1"; }
status_pid() { "$VM_BIN" db status | awk '$1 == "pid:" {print $2}'; }

vm db status
expect_rc 1 "status before first start"
expect_contains "$OUT" "not running" "status says not running"
expect_contains "$OUT" "$HOMEDIR" "status names the home"

vm db start
expect_rc 0 "first start"
expect_eq "700" "$(stat -c %a "$HOMEDIR")" "home directory is mode 0700"
if [ "$(id -u)" = 0 ]; then
  expect_eq "postgres" "$(stat -c %U "$HOMEDIR")" "as root, the home belongs to the postgres account"
  expect_contains "$ERR" "chmod o+x" "as root, the notice says which ancestor was opened"
  expect_eq "701" "$(stat -c %a "$T")" "the 0700 ancestor got search-only permission for others"
fi
check "server log in the home" test -s "$HOMEDIR/server.log"

vm db start
expect_rc 0 "second start"
expect_contains "$ERR" "already running" "second start says it is already running"

vm db status
expect_rc 0 "status while running"
expect_contains "$OUT" "running" "status says running"
expect_contains "$OUT" "pid:" "status prints the pid"
expect_contains "$OUT" "socket:  $HOMEDIR" "status prints the socket directory"

vm db url
expect_rc 0 "db url"
URL=$OUT
expect_eq "vendormatch|vendormatch" "$(psql_e 'SELECT current_user, current_database()')" "psql connects with the url"
expect_eq "" "$(psql_e 'SHOW listen_addresses')" "no TCP listener (listen_addresses is empty)"
expect_eq "$HOMEDIR" "$(psql_e 'SHOW unix_socket_directories' | tr -d '"')" "the socket is in the home"
expect_eq "on/on" "$(psql_e 'SHOW fsync')/$(psql_e 'SHOW synchronous_commit')" "fsync and synchronous_commit stay on"

# Commands use the embedded database when nothing else is configured, and
# migrate it automatically.
vm migrate --status
expect_rc 0 "migrate --status on the embedded database"
vm -q migrate
expect_rc 0 "migrate on the embedded database"
n=$(ls "$VM_SOURCE_DIR"/migrations/[0-9]*_*.sql | wc -l)
expect_eq "$n" "$(psql_e 'SELECT count(*) FROM schema_migrations')" "every migration recorded"

# Recovery from a postmaster killed with SIGKILL (stale postmaster.pid).
pid=$(status_pid)
kill -9 "$pid"
vm -q migrate --status
expect_rc 0 "a command works again after kill -9 of the postmaster"
newpid=$(status_pid)
check "a new postmaster runs" test -n "$newpid" -a "$newpid" != "$pid"
expect_eq "$n" "$(psql_e 'SELECT count(*) FROM schema_migrations')" "data survives the crash"

# A stale postmaster.pid naming a live process that is not our server (the
# kernel reused the dead postmaster's pid): judged by what the process is.
# The stand-in runs as the server's account, the case PostgreSQL itself
# refuses to start over ("lock file already exists").
# as_server CMD...: execs CMD as the server's account (for a background job,
# so that $! is CMD's pid).
as_server() { if [ "$(id -u)" = 0 ]; then exec setpriv --reuid=postgres --regid=postgres --clear-groups -- "$@"; else exec "$@"; fi; }
# stale_lock PID: the locks say PID, owner and mode kept (written in place).
stale_lock() {
  for f in "$HOMEDIR/data/postmaster.pid" "$HOMEDIR/.s.PGSQL.5432.lock"; do
    { echo "$1"; tail -n +2 "$f"; } >"$T/lock.tmp" && cat "$T/lock.tmp" >"$f"
  done
}
pid=$(status_pid)
kill -9 "$pid"
for i in $(seq 100); do pgrep -f -- "-D $HOMEDIR/data" >/dev/null || break; sleep 0.1; done
(as_server sleep 600) &
impostor=$!
for i in $(seq 50); do [ "$(stat -c %U /proc/$impostor)" = "$(stat -c %U "$HOMEDIR/data")" ] && break; sleep 0.1; done
check "the stand-in runs as the server's account" test "$(stat -c %U /proc/$impostor)" = "$(stat -c %U "$HOMEDIR/data")"
stale_lock "$impostor"
vm db status
expect_rc 1 "status: a stale pid naming a live unrelated process is not running"
expect_contains "$OUT" "not running" "status says not running"
vm db stop
expect_rc 0 "stop with a stale pid file"
expect_contains "$ERR" "not running" "stop says it was not running"
check "stop did not signal the unrelated process" kill -0 "$impostor"
vm migrate --status
expect_rc 0 "a command starts the server over a stale pid file (no 69)"
expect_contains "$ERR" "removed the stale" "the start says it removed the stale lock"
newpid=$(status_pid)
check "a new postmaster runs" test -n "$newpid" -a "$newpid" != "$impostor"
check "the unrelated process was left alone" kill -0 "$impostor"
expect_eq "$n" "$(psql_e 'SELECT count(*) FROM schema_migrations')" "data survives"
if [ "$(id -u)" = 0 ]; then
  # Root without ptrace rights (a container's usual root) cannot read the
  # server's /proc exe and cwd; the command line decides.
  noptrace() { setpriv --bounding-set -sys_ptrace -- "$@"; }
  noptrace "$VM_BIN" db status >"$T/np.out" 2>&1
  expect_eq "0" "$?" "without ptrace rights a running server is still running"
  sleep 600 &
  rootproc=$!
  cp "$HOMEDIR/data/postmaster.pid" "$T/pid.saved"
  { echo "$rootproc"; tail -n +2 "$T/pid.saved"; } >"$T/lock.tmp" && cat "$T/lock.tmp" >"$HOMEDIR/data/postmaster.pid"
  vm db status
  expect_rc 1 "status: a pid naming a root process is not our server"
  noptrace "$VM_BIN" db stop >"$T/np.out" 2>&1
  check "stop leaves the root process alone" kill -0 "$rootproc"
  kill "$rootproc"
  cat "$T/pid.saved" >"$HOMEDIR/data/postmaster.pid"
  vm db status
  expect_rc 0 "the real pid file: running again"
fi
kill "$impostor"

vm db stop
expect_rc 0 "stop"
vm db status
expect_rc 1 "status after stop"
vm db stop
expect_rc 0 "second stop is a no-op"
expect_contains "$ERR" "not running" "second stop says it was not running"
vm db start
expect_rc 0 "restart"
expect_eq "$n" "$(psql_e 'SELECT count(*) FROM schema_migrations')" "data survives a restart"
vm db stop
expect_rc 0 "stop again"

# A non-empty directory vendormatch did not make is refused as a home;
# nothing in it is created, chmodded or chowned.
mkdir -p "$T/foreign/sub" && echo keep >"$T/foreign/notes.txt" && chmod 0755 "$T/foreign"
before=$(stat -c '%a %U %G' "$T/foreign" "$T/foreign/notes.txt" "$T/foreign/sub")
VENDORMATCH_HOME=$T/foreign vm db start
expect_rc 69 "db start in a foreign non-empty directory"
expect_contains "$ERR" "not a vendormatch database home" "the message says it is not a database home"
expect_contains "$ERR" "Set VENDORMATCH_HOME to a new or empty directory" "the message says what to do"
VENDORMATCH_HOME=$T/foreign vm vendors list
expect_rc 69 "a catalog command refuses the foreign home too"
expect_eq "$before" "$(stat -c '%a %U %G' "$T/foreign" "$T/foreign/notes.txt" "$T/foreign/sub")" "nothing in it was chmodded or chowned"
expect_eq "notes.txt sub" "$(ls "$T/foreign" | tr '\n' ' ' | sed 's/ $//')" "nothing was created in it"
mkdir -p "$T/foreign2/data" && echo x >"$T/foreign2/data/mine.txt"
VENDORMATCH_HOME=$T/foreign2 vm db start
expect_rc 69 "a home whose data/ is not a cluster is refused"

# Concurrent first use of a new home: one creates and starts it, all succeed.
# The home exists already, empty: that is accepted.
mkdir "$T/home2"
export VENDORMATCH_HOME=$T/home2
for i in 1 2 3; do "$VM_BIN" migrate >"$T/c$i.out" 2>"$T/c$i.err" & done
rcs=""
for job in $(jobs -p); do wait "$job"; rcs="$rcs$?"; done
expect_eq "000" "$rcs" "three concurrent first uses all exit 0"
expect_eq "1" "$(cat "$T"/c[123].err | grep -c 'creating the embedded database')" "the cluster is created once"
URL=$("$VM_BIN" db url)
expect_eq "$n" "$(psql_e 'SELECT count(*) FROM schema_migrations')" "migrations applied once"
vm -q db stop
expect_rc 0 "stop the second home"
export VENDORMATCH_HOME=$HOMEDIR

# Where the home is: VENDORMATCH_HOME, then XDG_DATA_HOME, then ~/.local/share.
VENDORMATCH_HOME= XDG_DATA_HOME=$T/xdg vm db status
expect_contains "$OUT" "home:    $T/xdg/vendormatch" "XDG_DATA_HOME/vendormatch without VENDORMATCH_HOME"
(unset VENDORMATCH_HOME XDG_DATA_HOME; HOME=$T/h vm db status; echo "$OUT" >"$T/home.out")
expect_contains "$(cat "$T/home.out")" "home:    $T/h/.local/share/vendormatch" "~/.local/share/vendormatch by default"
check "status creates nothing" test ! -e "$T/xdg"

# Clear errors: a socket path over the Unix limit, missing server programs.
VENDORMATCH_HOME=$T/$(printf 'x%.0s' $(seq 110)) vm db start
expect_rc 69 "a home too long for a Unix socket"
expect_contains "$ERR" "shorter" "the error says to use a shorter home"
PG_BINDIR=$T/nowhere VENDORMATCH_HOME=$T/other vm db start
expect_rc 69 "PG_BINDIR without the server programs"
expect_contains "$ERR" "PG_BINDIR" "the error names PG_BINDIR"

# As root, an ordinary user's lifecycle works too (when that user can run the binary).
if [ "$(id -u)" = 0 ] && runuser -u postgres -- test -x "$VM_BIN" 2>/dev/null; then
  mkdir -p "$T/user" && chown postgres: "$T/user"
  asuser() { runuser -u postgres -- env VENDORMATCH_HOME="$T/user/home" "$VM_BIN" "$@"; }
  asuser -q db start >"$T/u.out" 2>&1
  expect_eq "0" "$?" "start as an ordinary user"
  asuser db status >"$T/u.out" 2>&1
  expect_eq "0" "$?" "status as an ordinary user"
  asuser -q db stop >"$T/u.out" 2>&1
  expect_eq "0" "$?" "stop as an ordinary user"
fi

finish
