#!/usr/bin/env bash
# match_bench: times `vendormatch match` over a large generated catalog
# against the SQL a user would write instead (ILIKE over the raw imported
# text, ORDER BY rating DESC LIMIT 10), for the same 21 need profiles, in
# the same run, warm cache. Both sides are timed as whole processes
# (vendormatch: start, connect, load the taxonomy, match, print; psql: start,
# connect, query, print), so connection cost is in both figures. Then a
# batch of 1,000 needs (--needs) against a second catalog.
#
#   bench/match_bench.sh VM_BIN CONNINFO_1M [CONNINFO_100K] [REPS]
#
# Load the catalogs first (bench/gen_catalog -n 1000000 | vendormatch import),
# then VACUUM ANALYZE vendors: it sets the visibility map, without which the
# match walk (an Index Only Scan of vendors_quality_idx) still reads heap rows.
# Prints a Markdown summary on stdout.
set -euo pipefail
vm=${1:?VM_BIN}
db=${2:?CONNINFO of the 1M catalog}
db100k=${3:-}
reps=${4:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "match arguments @@ the naive WHERE clause" per profile.
profiles=(
  '--service "customer support"@@services_raw ILIKE '\''%customer support%'\'''
  '--service "customer support" --country India@@services_raw ILIKE '\''%customer support%'\'' AND country_raw ILIKE '\''%india%'\'''
  '--service "customer support" --service collections --country IN --country PH --language English@@(services_raw ILIKE '\''%customer support%'\'' OR services_raw ILIKE '\''%collections%'\'') AND (country_raw ILIKE '\''%india%'\'' OR country_raw ILIKE '\''%philippines%'\'') AND languages_raw ILIKE '\''%english%'\'''
  '--service "equity research" --sensitivity high@@services_raw ILIKE '\''%equity research%'\'' AND (certifications_raw ILIKE '\''%27001%'\'' OR certifications_raw ILIKE '\''%soc 2%'\'' OR certifications_raw ILIKE '\''%pci%'\'')'
  '--service "equity research" --service "investment research" --cert "ISO 27001" --min-rating 4.5@@(services_raw ILIKE '\''%equity research%'\'' OR services_raw ILIKE '\''%investment research%'\'') AND certifications_raw ILIKE '\''%27001%'\'' AND rating >= 4.5'
  '--service "legal research" --country US --min-employees 200@@services_raw ILIKE '\''%legal research%'\'' AND (country_raw ILIKE '\''%usa%'\'' OR country_raw ILIKE '\''%united states%'\'') AND employees_max >= 200'
  '--service "market research" --max-rate 30@@services_raw ILIKE '\''%market research%'\'' AND rate_min <= 30'
  '--service "medical billing" --industry healthcare --cert HIPAA@@services_raw ILIKE '\''%medical billing%'\'' AND industries_raw ILIKE '\''%healthcare%'\'' AND certifications_raw ILIKE '\''%hipaa%'\'''
  '--service "data entry" --max-rate 20 --delivery offshore@@services_raw ILIKE '\''%data entry%'\'' AND rate_min <= 20 AND delivery_raw ILIKE '\''%offshore%'\'''
  '--service "content moderation" --language French@@services_raw ILIKE '\''%content moderation%'\'' AND languages_raw ILIKE '\''%french%'\'''
  '--service pharmacovigilance --country India --cert "ISO 27001" --sensitivity high@@services_raw ILIKE '\''%pharmacovigilance%'\'' AND country_raw ILIKE '\''%india%'\'' AND certifications_raw ILIKE '\''%27001%'\'''
  '--service "technical support" --exclude-country US --min-rating 4@@services_raw ILIKE '\''%technical support%'\'' AND country_raw NOT ILIKE '\''%usa%'\'' AND rating >= 4'
  '--service telesales --country Mexico --language Spanish@@services_raw ILIKE '\''%telesales%'\'' AND country_raw ILIKE '\''%mexico%'\'' AND languages_raw ILIKE '\''%spanish%'\'''
  '--service "patent search" --min-employees 50 --min-rating 4.5@@services_raw ILIKE '\''%patent search%'\'' AND employees_max >= 50 AND rating >= 4.5'
  '--service "data analytics" --service "business intelligence" --industry retail@@(services_raw ILIKE '\''%data analytics%'\'' OR services_raw ILIKE '\''%business intelligence%'\'') AND industries_raw ILIKE '\''%retail%'\'''
  '--type BPO --country Philippines@@country_raw ILIKE '\''%philippines%'\'''
  '--service "claims processing" --industry insurance --max-rate 25@@services_raw ILIKE '\''%claims processing%'\'' AND industries_raw ILIKE '\''%insurance%'\'' AND rate_min <= 25'
  '--service "customer support" --service "market research"@@services_raw ILIKE '\''%customer support%'\'' OR services_raw ILIKE '\''%market research%'\'''
  '--service verification --cert "SOC 2" --country Poland@@services_raw ILIKE '\''%verification%'\'' AND certifications_raw ILIKE '\''%soc 2%'\'' AND country_raw ILIKE '\''%poland%'\'''
  '--service valuation --country UK --language English --min-rating 3@@services_raw ILIKE '\''%valuation%'\'' AND (country_raw ILIKE '\''%uk%'\'' OR country_raw ILIKE '\''%united kingdom%'\'') AND languages_raw ILIKE '\''%english%'\'' AND rating >= 3'
  '--service "back office" --min-employees 1000@@services_raw ILIKE '\''%back office%'\'' AND employees_max >= 1000'
)

now_ms() { date +%s%N; }
# time_cmd FILE CMD...: appends the wall time in ms of CMD to FILE.
time_cmd() {
  local f=$1; shift
  local t0 t1
  t0=$(now_ms)
  "$@" >/dev/null
  t1=$(now_ms)
  echo "scale=3; ($t1 - $t0) / 1000000" | bc >>"$f"
}
stats() { # stats FILE -> "median p95 max"
  sort -n "$1" | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.95+0.999)]; printf "%.1f %.1f %.1f", m, p, a[NR]}'
}

run_match() { eval "VENDORMATCH_DB=\"\$db\" \"\$vm\" -q match $1 --top 10 $2"; }
run_naive() {
  psql -X -q -At -d "$db" -c "SELECT id, name, rating FROM vendors WHERE ($1) ORDER BY rating DESC NULLS LAST LIMIT 10"
}

echo "## match vs naive SQL, $(psql -X -At -d "$db" -c 'SELECT count(*) FROM vendors') vendors, $reps runs per profile"
echo
echo "| # | need | match ms (median) | match --format json ms | naive SQL ms (median) | naive / match |"
echo "|---|---|---|---|---|---|"
: >"$tmp/all_match"; : >"$tmp/all_json"; : >"$tmp/all_naive"
i=0
for p in "${profiles[@]}"; do
  i=$((i + 1))
  args=${p%%@@*} where=${p#*@@}
  run_match "$args" "" >/dev/null; run_naive "$where" >/dev/null # warm
  : >"$tmp/m"; : >"$tmp/j"; : >"$tmp/n"
  for _ in $(seq "$reps"); do
    time_cmd "$tmp/m" run_match "$args" ""
    time_cmd "$tmp/j" run_match "$args" "--format json"
    time_cmd "$tmp/n" run_naive "$where"
  done
  cat "$tmp/m" >>"$tmp/all_match"; cat "$tmp/j" >>"$tmp/all_json"; cat "$tmp/n" >>"$tmp/all_naive"
  read -r mm _ _ <<<"$(stats "$tmp/m")"; read -r jm _ _ <<<"$(stats "$tmp/j")"; read -r nm _ _ <<<"$(stats "$tmp/n")"
  echo "$mm" >>"$tmp/med_match"; echo "$nm" >>"$tmp/med_naive"
  printf '| %d | `%s` | %s | %s | %s | %.1fx |\n' "$i" "$args" "$mm" "$jm" "$nm" "$(echo "$nm / $mm" | bc -l)"
done
read -r m50 m95 mmax <<<"$(stats "$tmp/all_match")"
read -r j50 j95 jmax <<<"$(stats "$tmp/all_json")"
read -r n50 n95 nmax <<<"$(stats "$tmp/all_naive")"
sum_m=$(paste -sd+ "$tmp/med_match" | bc -l); sum_n=$(paste -sd+ "$tmp/med_naive" | bc -l)
echo
echo "| all runs | median ms | p95 ms | max ms |"
echo "|---|---|---|---|"
echo "| match (table) | $m50 | $m95 | $mmax |"
echo "| match --format json (near misses too) | $j50 | $j95 | $jmax |"
echo "| naive ILIKE SQL | $n50 | $n95 | $nmax |"
echo
printf 'Sum of per-profile medians: match %.0f ms, naive %.0f ms: naive/match = %.1fx\n' "$sum_m" "$sum_n" "$(echo "$sum_n / $sum_m" | bc -l)"

if [ -n "$db100k" ]; then
  { echo "need,services,countries,languages,certifications,min_employees,max_rate,min_rating,sensitivity"
    svc=("customer support" "collections" "equity research" "market research" "data entry" "medical billing"
         "legal research" "technical support" "telesales" "content moderation" "pharmacovigilance" "valuation")
    cty=("" "India" "Philippines" "USA" "Poland" "" "Mexico" "UK")
    for k in $(seq 1000); do
      s=${svc[$((k % ${#svc[@]}))]}; c=${cty[$((k % ${#cty[@]}))]}
      lang=$([ $((k % 3)) = 0 ] && echo English || true)
      cert=$([ $((k % 5)) = 0 ] && echo "ISO 27001" || true)
      emp=$([ $((k % 4)) = 0 ] && echo 100 || true)
      rate=$([ $((k % 6)) = 0 ] && echo 40 || true)
      rat=$([ $((k % 7)) = 0 ] && echo 4 || true)
      sens=$([ $((k % 9)) = 0 ] && echo high || true)
      echo "n$k,$s,$c,$lang,$cert,$emp,$rate,$rat,$sens"
    done; } >"$tmp/batch.csv"
  n100=$(psql -X -At -d "$db100k" -c 'SELECT count(*) FROM vendors')
  t0=$(now_ms)
  VENDORMATCH_DB="$db100k" "$vm" -q match --needs "$tmp/batch.csv" --format json >"$tmp/batch.json"
  t1=$(now_ms)
  echo
  printf 'Batch: 1,000 needs (--needs, --format json) against %s vendors: %.2f s (%s documents)\n' \
    "$n100" "$(echo "($t1 - $t0) / 1000000000" | bc -l)" "$(jq length "$tmp/batch.json")"
fi
