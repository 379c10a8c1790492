#!/usr/bin/env bash
# import_bench: times `vendormatch import` against `psql \copy` of the same
# file into a plain all-text table, on one private PostgreSQL server with
# default settings (fsync on) except wal_level=minimal and max_wal_senders=0,
# as the embedded server runs (both sides get the same server), and prints
# medians, ratios and peak RSS.
#
#   bench/import_bench.sh                 100k and 1M rows, 3 runs each
#   SIZES="100000" RUNS=5 bench/import_bench.sh
#
# Measured per size: (a) psql \copy into a plain text table (TRUNCATE
# between runs); (b) import into an empty catalog (fresh database per run);
# (c) re-import of a copy with 10% of rows changed, into a catalog holding
# the original; (d) import --no-classify into an empty catalog; (e) the first
# `vendors search` after (b), which builds the name search index, and the next. Data is
# generated under bench/data/ (gitignored) by gen_catalog, deterministically.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SIZES=${SIZES:-"100000 1000000"}
build=build/bench
data=bench/data

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DVM_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target vendormatch gen_catalog -- --no-print-directory >/dev/null
VM=$PWD/$build/vendormatch
GEN=$PWD/$build/bench/gen_catalog
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time >/dev/null 2>&1 || true
fi

mkdir -p "$data"
for n in $SIZES; do
  [ -s "$data/catalog_$n.csv" ] || "$GEN" -n "$n" -o "$data/catalog_$n.csv"
  [ -s "$data/catalog_${n}_changed.csv" ] || "$GEN" -n "$n" --changed 10 -o "$data/catalog_${n}_changed.csv"
done

# --- a private server, default settings --------------------------------------
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)}
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgdir=$(mktemp -d /tmp/vmbench.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$pgdir"
chmod 0700 "$pgdir"
trap 'as_server "$bindir/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1; rm -rf "$pgdir"' EXIT
as_server "$bindir/initdb" -D "$pgdir/data" -U bench --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_server "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$pgdir' -c wal_level=minimal -c max_wal_senders=0" \
  start >/dev/null
PSQL=("$bindir/psql" -X -q -h "$pgdir" -U bench)
conn() { echo "host=$pgdir user=bench dbname=$1"; }
fresh_db() { # NAME: an empty, migrated catalog
  "$bindir/dropdb" -h "$pgdir" -U bench --if-exists "$1" 2>/dev/null
  "$bindir/createdb" -h "$pgdir" -U bench "$1"
  VENDORMATCH_HOME=$pgdir/home "$VM" --db "$(conn "$1")" migrate >/dev/null 2>&1
}

# timed LABEL CMD...: appends "seconds maxrss_kb" for LABEL to $pgdir/times
timed() {
  local label=$1; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$pgdir/t" "$@" >/dev/null
  else
    local s=$(date +%s.%N); "$@" >/dev/null; echo "$(echo "$(date +%s.%N) - $s" | bc) 0" >"$pgdir/t"
  fi
  echo "$label $(cat "$pgdir/t")" >>"$pgdir/times"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$pgdir/times"; }

: >"$pgdir/times"
for n in $SIZES; do
  f=$PWD/$data/catalog_$n.csv
  g=$PWD/$data/catalog_${n}_changed.csv
  ncols=$(head -1 "$f" | awk -F, '{print NF}')
  cols=$(seq 1 "$ncols" | sed 's/^/c/; s/$/ text/' | paste -sd,)
  fresh_db plain
  "${PSQL[@]}" -d plain -c "CREATE TABLE plain ($cols)"
  for r in $(seq 1 "$RUNS"); do
    "${PSQL[@]}" -d plain -c "TRUNCATE plain" -c "CHECKPOINT"
    timed "copy_$n" "${PSQL[@]}" -d plain -c "\\copy plain FROM '$f' WITH (FORMAT csv, HEADER true)"
  done
  # Imports with and without tagging alternate, so a machine that speeds up or
  # slows down during the run weighs on both alike (the tagging ratio).
  for r in $(seq 1 "$RUNS"); do
    fresh_db vm; "${PSQL[@]}" -d vm -c "CHECKPOINT"
    timed "import_$n" "$VM" -q --db "$(conn vm)" import --source bench "$f"
    # The first search builds the name search index the load left out.
    timed "search1_$n" "$VM" -q --db "$(conn vm)" vendors search "meridian research"
    timed "search2_$n" "$VM" -q --db "$(conn vm)" vendors search "meridian research"
    fresh_db vm; "${PSQL[@]}" -d vm -c "CHECKPOINT"
    timed "noclassify_$n" "$VM" -q --db "$(conn vm)" import --no-classify --source bench "$f"
  done
  for r in $(seq 1 "$RUNS"); do
    fresh_db vm
    "$VM" -q --db "$(conn vm)" import --source bench "$f" >/dev/null
    "${PSQL[@]}" -d vm -c "VACUUM ANALYZE" -c "CHECKPOINT"
    timed "reimport_$n" "$VM" -q --db "$(conn vm)" import --source bench "$g"
  done
done

echo
echo "vendormatch import benchmark: $RUNS runs each, medians; $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM"
echo "server: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}'), default settings but wal_level=minimal, max_wal_senders=0"
printf '%-10s %6s %10s %10s %10s %10s %8s %8s %8s %8s %12s\n' rows MB copy_s import_s reimp10_s noclass_s import/x reimp/x nocl/x tagging import_rss
for n in $SIZES; do
  c=$(col "copy_$n" 2 | median); i=$(col "import_$n" 2 | median)
  u=$(col "reimport_$n" 2 | median); q=$(col "noclassify_$n" 2 | median)
  rss=$(col "import_$n" 3 | sort -n | tail -1); rss2=$(col "reimport_$n" 3 | sort -n | tail -1)
  mb=$(du -m "$data/catalog_$n.csv" | cut -f1)
  printf '%-10s %6s %10s %10s %10s %10s %8.2f %8.2f %8.2f %8.3f %9s MB\n' "$n" "$mb" "$c" "$i" "$u" "$q" \
    "$(echo "$i / $c" | bc -l)" "$(echo "$u / $c" | bc -l)" "$(echo "$q / $c" | bc -l)" \
    "$(echo "$i / $q" | bc -l)" \
    "$(( (rss > rss2 ? rss : rss2) / 1024 ))"
done
for n in $SIZES; do
  echo "first search after the first load of $n (builds the name search index): $(col "search1_$n" 2 | median) s; the next: $(col "search2_$n" 2 | median) s"
done
echo "(ratios are to psql \\copy; targets: import <= 2x, re-import of 10% changed <= 2.5x; RSS < 64 MB)"
echo "(tagging: import / import --no-classify, the two alternated; target <= 1.10)"
