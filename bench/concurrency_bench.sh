#!/usr/bin/env bash
# concurrency_bench: how long `vendormatch match` takes while a big import
# runs into a non-empty catalog, against the same matches with the server
# idle. Readers must never wait for an import's locks, so the figures during
# the import should only show the CPU the import takes from them.
#
#   bench/concurrency_bench.sh VM_BIN [IMPORT_ROWS] [BASE_ROWS]
#   BASELINE=OTHER_VM_BIN: the same run with a second build afterwards
#   GEN=PATH: gen_catalog (default: bench/gen_catalog next to VM_BIN)
#
# On a private embedded server (VENDORMATCH_HOME in a temporary directory,
# the tool's own settings): migrate, a first load of BASE_ROWS (default
# 50,000) generated vendors, then IMPORT_ROWS (default 200,000) vendors of
# another seed and source (nearly all new: the batch outnumbers the catalog,
# the case that used to drop the vendor indexes). While it runs, `match` is
# run back to back over three need profiles; each run's wall time (a whole
# process: start, connect, match, print) is recorded, and every 0.1 s the
# number of sessions waiting for a table lock is sampled. Prints, per build,
# the idle and during-import median / p95 / max, the number of matches (and
# of failed ones) and how many samples saw a lock wait.
set -euo pipefail
rows=${2:-200000}
base_rows=${3:-50000}
bins=("$(realpath "${1:?VM_BIN}")")
[ -n "${BASELINE:-}" ] && bins+=("$(realpath "$BASELINE")")
gen=${GEN:-$(dirname "${bins[0]}")/bench/gen_catalog}
[ -x "$gen" ] || { echo "no gen_catalog at $gen (set GEN=)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/vmconc.XXXXXX)
export VENDORMATCH_HOME=$tmp/home
unset VENDORMATCH_DB DATABASE_URL
trap '"${bins[0]}" -q db stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT

"$gen" -n "$base_rows" -s 1 -o "$tmp/base.csv"
"$gen" -n "$rows" -s 2 -o "$tmp/big.csv"
"${bins[0]}" -q db start
url=$("${bins[0]}" db url)

profiles=(
  '--service "customer support" --country IN --country PH'
  '--service "market research" --max-rate 30'
  '--type BPO --country Philippines --min-rating 4'
)
# match_once FILE: one match (profiles in turn), its wall time in ms to FILE;
# a failed one (a lock wait past the match's statement_timeout) is counted.
n_match=0 failed=0
match_once() {
  local s
  s=$(date +%s%N)
  eval "\"\$vm\" -q match ${profiles[$((n_match % ${#profiles[@]}))]} --top 10" >/dev/null \
    2>>"$tmp/match.err" || failed=$((failed + 1))
  echo $((($(date +%s%N) - s) / 1000000)) >>"$1"
  n_match=$((n_match + 1))
}
# sample_waits: every 0.1 s, how many sessions wait for a table lock (one
# line per sample, until killed).
sample_waits() {
  while :; do
    psql -X -q -A -t "$url" -c "SELECT count(DISTINCT pid) FROM pg_locks
      WHERE NOT granted AND locktype = 'relation'" 2>/dev/null
    sleep 0.1
  done
}
stats() { # FILE -> "median p95 max n"
  sort -n "$1" | awk '{a[NR]=$1} END {printf "%d ms / %d ms / %d ms (%d matches)",
    a[int((NR+1)/2)], a[int(NR*0.95+0.999)], a[NR], NR}'
}

for vm in "${bins[@]}"; do
  psql -X -q "$url" -c "DROP SCHEMA IF EXISTS vendormatch CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;" 2>/dev/null
  "$vm" -q migrate
  "$vm" -q import "$tmp/base.csv" --source base >/dev/null
  : >"$tmp/idle" && : >"$tmp/during"
  for _ in $(seq 30); do match_once "$tmp/idle"; done
  failed=0
  sample_waits >"$tmp/waits" &
  sampler=$!
  s=$(date +%s%N)
  "$vm" -q import "$tmp/big.csv" --source big >"$tmp/import.out" &
  imp=$!
  while kill -0 "$imp" 2>/dev/null; do match_once "$tmp/during"; done
  wait "$imp"
  secs=$(echo "scale=1; ($(date +%s%N) - $s) / 1000000000" | bc)
  kill "$sampler"
  wait "$sampler" 2>/dev/null || true
  echo "$vm: $rows-row import into a $base_rows-vendor catalog took $secs s"
  echo "  match idle:          median / p95 / max $(stats "$tmp/idle")"
  echo "  match during import: median / p95 / max $(stats "$tmp/during"), $failed failed"
  echo "  lock waits: $(awk '$1 > 0 {w++} END {printf "%d of %d samples", w, NR}' "$tmp/waits")" \
    "(0.1 s apart) saw a session waiting for a table lock"
done
