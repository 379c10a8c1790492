#!/usr/bin/env bash
# match_bench: times `vendormatch match` over a large generated catalog
# against the SQL a user would write instead (ILIKE over the raw imported
# text, ORDER BY rating DESC LIMIT 10), for the same 23 need profiles, in
# the same run, warm cache. Two baselines:
#   naive (vendors): the ILIKE SQL over the *_raw columns of our own
#     `vendors` table, which has the numbers already parsed and an index on
#     rating (so ORDER BY rating LIMIT 10 can stop early);
#   naive (raw text): the same ILIKE SQL over the CSV itself, loaded with
#     `psql \copy` into a plain all-text table (as import_bench.sh does for
#     its reference), with the numbers taken the obvious way from the text
#     (the first number of Rating, Hourly Rate and Headcount: see raw_sql).
# Every figure is a whole process, except the two "inside the process" rows
# of the summary: the same matches with -vv, whose last line gives the time
# from the command's start to its output written.
# Every side is timed as a whole process (vendormatch: start, connect, load
# the taxonomy, match, print; psql: start, connect, query, print), so
# connection cost is in every figure. Then a batch of 1,000 needs (--needs)
# against a second catalog.
#
#   bench/match_bench.sh VM_BIN CONNINFO_1M [CONNINFO_100K] [REPS]
#   RAW_CSV=FILE: the CSV the 1M catalog was imported from (default
#   bench/data/catalog_N.csv, N the catalog's vendor count); it is loaded
#   once into the table match_bench_raw of the 1M database.
#   BASELINE=OTHER_VM_BIN: also time a second build's matches (table, JSON,
#   --explain), each run right after the same run of VM_BIN, so both are
#   measured on the same machine state; BASELINE_DB=CONNINFO gives it its
#   own copy of the catalog (default CONNINFO_1M) when its schema is older
#   (CREATE DATABASE copy TEMPLATE original, before migrating the original).
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
# psql sees the catalog's tables (schema vendormatch, docs/database.md) unqualified.
export PGOPTIONS="-c search_path=vendormatch,public"
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
  '--service "customer support" --max-rate 25@@services_raw ILIKE '\''%customer support%'\'' AND rate_min <= 25'
  '--service "customer support" --max-rate "EUR 20"@@services_raw ILIKE '\''%customer support%'\'' AND rate_min <= 20'
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
base=${BASELINE:-} base_db=${BASELINE_DB:-$db}
run_base() { eval "VENDORMATCH_DB=\"\$base_db\" \"\$base\" -q match $1 --top 10 $2"; }
# The same run's time inside the process (from the command's start to its
# output written: no exec, dynamic loading or exit), as -vv reports it.
run_match_total() {
  eval "VENDORMATCH_DB=\"\$db\" \"\$vm\" -v -v match $1 --top 10 $2" 2>&1 >/dev/null |
    sed -n 's/^vendormatch: match: total: \([0-9.]*\) ms$/\1/p'
}
run_naive() {
  psql -X -q -At -d "$db" -c "SELECT id, name, rating FROM vendors WHERE ($1) ORDER BY rating DESC NULLS LAST LIMIT 10"
}

# The raw-text baseline: what a user who loaded the CSV as text would
# write. Numbers are the first number in the cell, the obvious regexp
# (thousands separators dropped for the headcount): "4.1" -> 4.1,
# "$25 - $49 / hr" -> 25 (currency ignored), "1,000 - 9,999" -> 1000 (the
# lower end, where our importer uses the upper end for capacity).
num() { echo "substring(replace($1, ',', '') from '[0-9]+([.][0-9]+)?')::numeric"; }
raw_sql() {
  sed -e "s/employees_max/$(num employees_raw)/g" -e "s/rate_min/$(num rate_raw)/g" \
      -e "s/rating >=/$(num rating_raw) >=/g" <<<"$1"
}
run_raw() {
  psql -X -q -At -d "$db" -c "SELECT vendor_name, rating_raw FROM match_bench_raw WHERE ($(raw_sql "$1")) ORDER BY $(num rating_raw) DESC NULLS LAST LIMIT 10"
}
# Loads RAW_CSV into match_bench_raw, all text, with the header's columns
# named as the *_raw columns of vendors (by the header aliases gen_catalog
# uses), so the profiles' WHERE clauses apply to both tables unchanged.
load_raw() {
  local f=$1 cols
  cols=$(head -1 "$f" | tr -d '\r' | tr ',' '\n' | awk '{
    h = tolower($0); c = h; gsub(/[^a-z0-9]+/, "_", c)
    if (h ~ /^(company|vendor|provider|supplier|name)( name)?$/) c = "vendor_name"
    else if (h ~ /service|capabilit|offering/) c = "services_raw"
    else if (h ~ /^(country|hq|location|headquarters)/) c = "country_raw"
    else if (h ~ /industr|sector|vertical/) c = "industries_raw"
    else if (h ~ /language/) c = "languages_raw"
    else if (h ~ /certif/) c = "certifications_raw"
    else if (h ~ /headcount|employees|team size|company size/) c = "employees_raw"
    else if (h ~ /rate|price|pricing/ && h !~ /rating/) c = "rate_raw"
    else if (h ~ /rating|score/) c = "rating_raw"
    else if (h ~ /delivery/) c = "delivery_raw"
    print c " text" }' | paste -sd,)
  psql -X -q -d "$db" -c "DROP TABLE IF EXISTS match_bench_raw" -c "CREATE TABLE match_bench_raw ($cols)" \
    -c "\\copy match_bench_raw FROM '$f' WITH (FORMAT csv, HEADER true)" -c "VACUUM ANALYZE match_bench_raw"
}

nvend=$(psql -X -At -d "$db" -c 'SELECT count(*) FROM vendors')
raw_csv=${RAW_CSV:-bench/data/catalog_$nvend.csv}
if [ "$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_tables WHERE tablename = 'match_bench_raw'")" = 0 ] ||
   [ "$(psql -X -At -d "$db" -c 'SELECT count(*) FROM match_bench_raw')" != "$nvend" ]; then
  load_raw "$raw_csv"
fi

echo "## match vs naive SQL, $nvend vendors, $reps runs per profile"
echo
echo "| # | need | match ms (median) | match --format json ms | match --explain ms | naive (vendors) ms | naive (raw text) ms | vendors / match | raw / match |${base:+ baseline: table, json, explain ms |}"
echo "|---|---|---|---|---|---|---|---|---|${base:+---|}"
: >"$tmp/all_match"; : >"$tmp/all_json"; : >"$tmp/all_naive"; : >"$tmp/all_raw"; : >"$tmp/all_explain"
: >"$tmp/all_bm"; : >"$tmp/all_bj"; : >"$tmp/all_be"
: >"$tmp/all_match_in"; : >"$tmp/all_json_in"
i=0
for p in "${profiles[@]}"; do
  i=$((i + 1))
  args=${p%%@@*} where=${p#*@@}
  run_match "$args" "" >/dev/null; run_naive "$where" >/dev/null; run_raw "$where" >/dev/null # warm
  [ -z "$base" ] || run_base "$args" "" >/dev/null
  : >"$tmp/m"; : >"$tmp/j"; : >"$tmp/e"; : >"$tmp/n"; : >"$tmp/r"; : >"$tmp/bm"; : >"$tmp/bj"; : >"$tmp/be"
  for _ in $(seq "$reps"); do
    time_cmd "$tmp/m" run_match "$args" ""
    [ -z "$base" ] || time_cmd "$tmp/bm" run_base "$args" ""
    time_cmd "$tmp/j" run_match "$args" "--format json"
    [ -z "$base" ] || time_cmd "$tmp/bj" run_base "$args" "--format json"
    time_cmd "$tmp/e" run_match "$args" "--explain"
    [ -z "$base" ] || time_cmd "$tmp/be" run_base "$args" "--explain"
    time_cmd "$tmp/n" run_naive "$where"
    time_cmd "$tmp/r" run_raw "$where"
    run_match_total "$args" "" >>"$tmp/all_match_in"
    run_match_total "$args" "--format json" >>"$tmp/all_json_in"
  done
  cat "$tmp/m" >>"$tmp/all_match"; cat "$tmp/j" >>"$tmp/all_json"; cat "$tmp/n" >>"$tmp/all_naive"; cat "$tmp/r" >>"$tmp/all_raw"
  cat "$tmp/e" >>"$tmp/all_explain"; cat "$tmp/bm" >>"$tmp/all_bm"; cat "$tmp/bj" >>"$tmp/all_bj"; cat "$tmp/be" >>"$tmp/all_be"
  read -r mm _ _ <<<"$(stats "$tmp/m")"; read -r jm _ _ <<<"$(stats "$tmp/j")"; read -r em _ _ <<<"$(stats "$tmp/e")"
  read -r nm _ _ <<<"$(stats "$tmp/n")"; read -r rm _ _ <<<"$(stats "$tmp/r")"
  echo "$mm" >>"$tmp/med_match"; echo "$nm" >>"$tmp/med_naive"; echo "$rm" >>"$tmp/med_raw"
  bcol=
  if [ -n "$base" ]; then
    read -r bmm _ _ <<<"$(stats "$tmp/bm")"; read -r bjm _ _ <<<"$(stats "$tmp/bj")"; read -r bem _ _ <<<"$(stats "$tmp/be")"
    bcol=" $bmm, $bjm, $bem |"
  fi
  printf '| %d | `%s` | %s | %s | %s | %s | %s | %.1fx | %.1fx |%s\n' "$i" "$args" "$mm" "$jm" "$em" "$nm" "$rm" \
    "$(echo "$nm / $mm" | bc -l)" "$(echo "$rm / $mm" | bc -l)" "$bcol"
done
read -r m50 m95 mmax <<<"$(stats "$tmp/all_match")"
read -r j50 j95 jmax <<<"$(stats "$tmp/all_json")"
read -r e50 e95 emax <<<"$(stats "$tmp/all_explain")"
read -r n50 n95 nmax <<<"$(stats "$tmp/all_naive")"
read -r r50 r95 rmax <<<"$(stats "$tmp/all_raw")"
read -r mi50 mi95 mimax <<<"$(stats "$tmp/all_match_in")"
read -r ji50 ji95 jimax <<<"$(stats "$tmp/all_json_in")"
sum_m=$(paste -sd+ "$tmp/med_match" | bc -l); sum_n=$(paste -sd+ "$tmp/med_naive" | bc -l)
sum_r=$(paste -sd+ "$tmp/med_raw" | bc -l)
echo
echo "| all runs | median ms | p95 ms | max ms |"
echo "|---|---|---|---|"
echo "| match (table) | $m50 | $m95 | $mmax |"
echo "| match --format json (near misses too) | $j50 | $j95 | $jmax |"
echo "| match --explain (near misses too) | $e50 | $e95 | $emax |"
echo "| match (table), inside the process | $mi50 | $mi95 | $mimax |"
echo "| match --format json, inside the process | $ji50 | $ji95 | $jimax |"
echo "| naive ILIKE SQL over vendors' *_raw columns | $n50 | $n95 | $nmax |"
echo "| naive ILIKE SQL over the raw CSV text (\\copy) | $r50 | $r95 | $rmax |"
if [ -n "$base" ]; then
  read -r b50 b95 bmax <<<"$(stats "$tmp/all_bm")"; read -r bj50 bj95 bjmax <<<"$(stats "$tmp/all_bj")"
  read -r be50 be95 bemax <<<"$(stats "$tmp/all_be")"
  echo "| baseline ($base): match (table) | $b50 | $b95 | $bmax |"
  echo "| baseline: match --format json | $bj50 | $bj95 | $bjmax |"
  echo "| baseline: match --explain | $be50 | $be95 | $bemax |"
fi
echo
printf 'Sum of per-profile medians: match %.0f ms, naive (vendors) %.0f ms, naive (raw text) %.0f ms: vendors/match = %.1fx, raw/match = %.1fx\n' \
  "$sum_m" "$sum_n" "$sum_r" "$(echo "$sum_n / $sum_m" | bc -l)" "$(echo "$sum_r / $sum_m" | bc -l)"
echo "load average: $(cat /proc/loadavg)"

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
