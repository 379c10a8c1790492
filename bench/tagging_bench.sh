#!/usr/bin/env bash
# tagging_bench: what tagging costs an import. Imports the same catalog into a
# fresh database with tagging and with --no-classify, alternating, RUNS pairs,
# on a private embedded server, and prints each run and the median ratio.
#
#   bench/tagging_bench.sh VM_BIN [CSV] [RUNS]
#   e.g. bench/tagging_bench.sh build/rel/vendormatch bench/data/catalog_1000000.csv 3
set -euo pipefail
vm=$(realpath "${1:?VM_BIN}")
csv=${2:-bench/data/catalog_1000000.csv}
runs=${3:-3}
export VENDORMATCH_HOME=$(mktemp -d /tmp/vmtag.XXXXXX)
trap '"$vm" -q db stop >/dev/null 2>&1; rm -rf "$VENDORMATCH_HOME"' EXIT
"$vm" -q db start
url=$("$vm" db url)
: >"$VENDORMATCH_HOME/tag"; : >"$VENDORMATCH_HOME/notag"
for run in $(seq "$runs"); do
  for mode in tag notag; do
    psql -X -q "$url" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" 2>/dev/null
    "$vm" -q migrate
    flag=(); [ $mode = notag ] && flag=(--no-classify)
    s=$(date +%s%N)
    "$vm" -q import "${flag[@]}" "$csv" >/dev/null
    ms=$(( ($(date +%s%N) - s) / 1000000 ))
    echo "$ms" >>"$VENDORMATCH_HOME/$mode"
    echo "run $run $mode: $ms ms (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t=$(median "$VENDORMATCH_HOME/tag") n=$(median "$VENDORMATCH_HOME/notag")
echo "median: tagging $t ms, --no-classify $n ms, ratio $(echo "scale=3; $t / $n" | bc)"
