#!/usr/bin/env bash
# tagging_bench: what tagging costs an import. Imports the same catalog into a
# fresh database with tagging and with --no-classify, alternating, RUNS pairs,
# on a private embedded server, and prints each run and the median ratio.
#
#   bench/tagging_bench.sh VM_BIN [CSV] [RUNS]
#   e.g. bench/tagging_bench.sh build/rel/vendormatch bench/data/catalog_1000000.csv 3
#
# BASELINE=OTHER_VM_BIN: the same pairs for a second build (say, the previous
# commit's), alternated with VM_BIN's on the same server, so a change is
# compared within one run of this noisy machine. Each run migrates a fresh
# schema with the binary that imports, so the two builds' schemas may differ.
set -euo pipefail
vm=$(realpath "${1:?VM_BIN}")
csv=${2:-bench/data/catalog_1000000.csv}
runs=${3:-3}
bins=("$vm")
[ -n "${BASELINE:-}" ] && bins+=("$(realpath "$BASELINE")")
work=$(mktemp -d /tmp/vmtag.XXXXXX)
export VENDORMATCH_HOME=$work/home # a home of its own: vendormatch refuses one holding other files
trap '"$vm" -q db stop >/dev/null 2>&1; rm -rf "$work"' EXIT
"$vm" -q db start
url=$("$vm" db url)
for b in "${!bins[@]}"; do : >"$work/tag.$b"; : >"$work/notag.$b"; done
for run in $(seq "$runs"); do
  for b in "${!bins[@]}"; do
    for mode in tag notag; do
      psql -X -q "$url" -c "DROP SCHEMA IF EXISTS vendormatch CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;" 2>/dev/null
      "${bins[$b]}" -q migrate
      flag=(); [ $mode = notag ] && flag=(--no-classify)
      s=$(date +%s%N)
      "${bins[$b]}" -q import "${flag[@]}" "$csv" >/dev/null
      ms=$(( ($(date +%s%N) - s) / 1000000 ))
      echo "$ms" >>"$work/$mode.$b"
      label=""; [ ${#bins[@]} -gt 1 ] && label=" ${bins[$b]}"
      echo "run $run$label $mode: $ms ms (load $(cut -d' ' -f1 /proc/loadavg))"
    done
  done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for b in "${!bins[@]}"; do
  t=$(median "$work/tag.$b") n=$(median "$work/notag.$b")
  pairs=$(paste "$work/tag.$b" "$work/notag.$b" |
    awk '{printf "%s%.3f", (NR > 1 ? " " : ""), $1 / $2}')
  label=""; [ ${#bins[@]} -gt 1 ] && label="${bins[$b]}: "
  echo "${label}median: tagging $t ms, --no-classify $n ms, ratio $(echo "scale=3; $t / $n" | bc) (pairs: $pairs)"
done
