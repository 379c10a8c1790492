#!/usr/bin/env bash
# test_robust: the ranking's robustness through the binary (docs/matching.md
# "Robustness"). On a small catalog whose scores lie close together, the
# figures of `match --format json` equal an independent brute force in
# Python (its own scoring formulas, the same splitmix64 draws, every
# qualifying vendor ranked under each of the 1,000 weightings); the #1/#2
# swap threshold equals Python's analytic one, and re-running the match
# with --weight just past it swaps #1 and #2 while just before it does not.
# Then --explain, saved shortlists, reports, and shortlists saved before
# robustness existed.
. "$(dirname "$0")/lib.sh"
. "$VM_SOURCE_DIR/tests/browser/lib_report.sh"

new_db
vm migrate
expect_rc 0 "migrate"

# name, country, rating, rate, healthcare: Python reads the same table.
cat >"$T/vendors.txt" <<'EOF'
Aster Support|India|4.9|34|1
Birch Care|India|4.5|22|1
Cedar Voice|India|4.7|28|1
Dune Contact|India|4.1|14|1
Elm Helpdesk|India|5.0|38|0
Fern Service|India|4.3|18|1
Grove Calls|India|4.6|30|0
Hazel Desk|India|3.9|12|1
Iris Assist|India|4.4|26|1
Juniper CX|India|4.8|36|1
Kestrel Kenya|Kenya|4.9|15|1
Lark Kenya|Kenya|4.0|30|0
Solo Brazil|Brazil|4.2|20|1
EOF
{
  echo "id,name,country,services,industries,languages,employees,hourly_rate,rating"
  n=0
  while IFS='|' read -r name country rating rate hc; do
    n=$((n + 1))
    ind=Retail; [ "$hc" = 1 ] && ind=Healthcare
    echo "R$n,$name,$country,Customer Support,$ind,English,250-999,\$$rate/hr,$rating"
  done <"$T/vendors.txt"
} >"$T/cat.csv"
vm import --source t "$T/cat.csv"
expect_rc 0 "import the test catalog"
# Manual tags: confidence 1 for every vendor, so Python knows each fraction.
for id in $(psql_q "SELECT id FROM vendors ORDER BY id"); do
  "$VM_BIN" tag set "$id" BPO --reason "test" >/dev/null || fail "tag set $id"
done

jqe() { jq -e "$@" >/dev/null; }

NEED=(--service "customer support" --industry healthcare --max-rate 40)

# brute NEED-JSON WEIGHTS-JSON TOP COUNTRY: Python's figures for the need, as
# JSON {"ranks": [...names], "kept": {...}, "top3": {...}, "swap": {...}}.
cat >"$T/brute.py" <<'EOF'
import json, math, sys

MASK = (1 << 64) - 1
SEED = 0x766D524F42555354
CRITS = ["service_coverage", "industry", "rating", "price", "capacity", "languages", "confidence"]
DEFAULT = {"service_coverage": 40.0, "industry": 10.0, "rating": 15.0, "price": 10.0,
           "capacity": 10.0, "languages": 5.0, "confidence": 10.0}

def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)

def llround(x):  # half away from zero, exact
    f = math.floor(x)
    return int(f) + (1 if x - f >= 0.5 else 0)

def round2(x):
    s = x * 100.0
    return llround(s + 1e-7) / 100.0

def scale(raw):
    total = 0.0
    for c in CRITS:
        total += raw[c]
    return [raw[c] * 100.0 / total for c in CRITS], total

def cents(frac, w):
    total = 0.0
    for c in range(7):
        total += round2(w[c] * frac[c])
    return llround(round2(total) * 100.0)

vendors = []
for line in open(sys.argv[1]):
    name, country, rating, rate, hc = line.strip().split("|")
    vendors.append((name, country, float(rating), float(rate), hc == "1"))
raw = dict(DEFAULT)
raw.update({k: float(v) for k, v in json.loads(sys.argv[2]).items()})
top, country, max_rate, spread, draws = int(sys.argv[3]), sys.argv[4], 40.0, 0.25, 1000
w, wsum = scale(raw)

cands = []
for name, c, rating, rate, hc in vendors:
    if c != country:
        continue
    price = 0.5 + (1.0 - 0.5) * (max_rate - rate) / max_rate
    frac = [1.0, 1.0 if hc else 0.0, min(max(rating / 5.0, 0.0), 1.0),
            min(max(price, 0.0), 1.0), 1.0, 1.0, 1.0]
    cands.append({"name": name, "rating": rating, "frac": frac})

def order(w):
    keyed = [(-cents(v["frac"], w), -v["rating"], v["name"].encode()) for v in cands]
    return sorted(range(len(cands)), key=lambda i: keyed[i])

base = order(w)
compared = [cands[i] for i in base[:top + 5]]  # the shown ones and 5 more
cands = compared
base = order(w)
kept = {v["name"]: 0 for v in cands}
top3 = dict(kept)
state = SEED
for d in range(draws):
    dw, total = [], 0.0
    for c in range(7):
        state, z = splitmix64(state)
        u = (z >> 11) * 2.0 ** -53
        x = w[c] * (1.0 + spread * (2.0 * u - 1.0))
        dw.append(x)
        total += x
    dw = [x * 100.0 / total for x in dw]
    for r, i in enumerate(order(dw)):
        kept[cands[i]["name"]] += base[r] == i
        top3[cands[i]["name"]] += r < 3

# Swap: the weight of one criterion (in --weight units) at which #1 and #2
# score the same, the others as they are; the nearest within 0..1000.
swap = None
if len(cands) >= 2:
    a, b = cands[base[0]]["frac"], cands[base[1]]["frac"]
    unit = wsum / 100.0
    diff = sum(w[c] * (a[c] - b[c]) for c in range(7))
    best = None
    for c in range(7):
        delta = a[c] - b[c]
        if abs(delta) < 1e-12:
            continue
        x = -(diff - w[c] * delta) / delta
        rises = delta < 0
        if (rises and x * unit >= 1000) or (not rises and x <= 0):
            continue
        if best is None or abs(x - w[c]) < best[0]:
            best = (abs(x - w[c]), CRITS[c], rises, x * unit, w[c] * unit)
    if best:
        swap = {"criterion": best[1], "direction": "rises" if best[2] else "falls",
                "threshold": best[3], "weight": best[4]}
        # The margin (in points, unrounded) of #1 over #2 at a --weight value.
        def margin(value):
            r = dict(raw); r[best[1]] = value
            ws, _ = scale(r)
            return sum(ws[c] * (a[c] - b[c]) for c in range(7))
        # The smallest step either side whose margin clears the rounding
        # of points to hundredths (at most 7 x 0.005 per score, so 0.07
        # between two).
        for step in (0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0):
            lo, hi = best[3] - step, best[3] + step
            past, before = (hi, lo) if best[2] else (lo, hi)
            if past >= 0 and before >= 0 and margin(past) < -0.07 and margin(before) > 0.07:
                swap["past"], swap["before"] = round(past, 2), round(before, 2)
                break
print(json.dumps({"ranks": [cands[i]["name"] for i in base],
                  "kept": kept, "top3": top3, "swap": swap}))
EOF

# compare OUT-JSON BRUTE-JSON: the figures of every shown result agree.
compare_figures() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
doc, brute = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ok = True
for r in doc["results"]:
    n, rob = r["name"], r["robustness"]
    want = (brute["kept"][n] / 1000, brute["top3"][n] / 1000)
    got = (rob["rank_kept"], rob["top3_kept"])
    if got != want or rob["draws"] != 1000 or rob["spread"] != 0.25:
        print("mismatch for %s: binary %s, brute force %s" % (n, got, want), file=sys.stderr)
        ok = False
if [r["name"] for r in doc["results"]] != brute["ranks"][:len(doc["results"])]:
    print("order differs: %s" % brute["ranks"], file=sys.stderr); ok = False
sys.exit(0 if ok else 1)
EOF
}

# --- the figures against the brute force ----------------------------------
for case in '{}|4' '{"price": 30}|4' '{"industry": 0, "rating": 25}|3' '{}|10'; do
  weights=${case%|*} top=${case#*|}
  wargs=()
  for kv in $(jq -r 'to_entries[] | "\(.key)=\(.value)"' <<<"$weights"); do wargs+=(--weight "$kv"); done
  vm match "${NEED[@]}" --country India "${wargs[@]}" --top "$top" --format json
  expect_rc 0 "match weights $weights top $top"
  DOC=$OUT
  BRUTE=$(python3 "$T/brute.py" "$T/vendors.txt" "$weights" "$top" India)
  check "weights $weights top $top: rank_kept and top3_kept equal the brute force" \
    compare_figures "$DOC" "$BRUTE"
  expect_eq "{\"draws\":1000,\"spread\":0.25,\"compared\":$(jq '.ranks | length' <<<"$BRUTE")}" \
    "$(jq -c '.robustness | {draws, spread, compared}' <<<"$DOC")" \
    "weights $weights: draws, spread and vendors compared"
done
# The figures are not trivial: some vendor moves in some weightings.
vm match "${NEED[@]}" --country India --top 4 --format json
DOC=$OUT
check "some shown vendor loses its rank under some weightings" \
  jqe '[.results[].robustness.rank_kept] | min < 1' <<<"$DOC"
expect_eq 9 "$(jq '.robustness.compared' <<<"$DOC")" "top 4 compares 4 + 5 vendors"
vm match "${NEED[@]}" --country India --top 4 --format json
expect_eq "$DOC" "$OUT" "the same need gives the same figures again"
vm match "${NEED[@]}" --country India --top 4 --format json --explain
expect_eq "$DOC" "$OUT" "--explain changes nothing in JSON"
VM_MATCH_EXHAUSTIVE=1 vm match "${NEED[@]}" --country India --top 4 --format json
expect_eq "$DOC" "$OUT" "the walk and the exhaustive scorer give the same document"

# --- the swap threshold, analytic and through --weight ---------------------
for weights in '{}' '{"price": 30}' '{"rating": 40}'; do
  wargs=()
  for kv in $(jq -r 'to_entries[] | "\(.key)=\(.value)"' <<<"$weights"); do wargs+=(--weight "$kv"); done
  vm match "${NEED[@]}" --country India "${wargs[@]}" --top 4 --format json
  DOC=$OUT
  BRUTE=$(python3 "$T/brute.py" "$T/vendors.txt" "$weights" 4 India)
  crit=$(jq -r '.swap.criterion' <<<"$DOC")
  expect_eq "$(jq -r '.swap.criterion, .swap.direction' <<<"$BRUTE")" \
    "$(jq -r '.swap.criterion, .swap.direction' <<<"$DOC")" "weights $weights: the swap criterion and direction"
  check "weights $weights: threshold $(jq '.swap.threshold' <<<"$DOC") within 0.01 of the analytic $(jq '.swap.threshold' <<<"$BRUTE")" \
    jqe --argjson b "$BRUTE" '(.swap.threshold - $b.swap.threshold) | fabs <= 0.01' <<<"$DOC"
  check "weights $weights: the current weight" \
    jqe --argjson b "$BRUTE" '(.swap.weight - $b.swap.weight) | fabs < 0.005' <<<"$DOC"
  first=$(jq -r '.results[0].name' <<<"$DOC") second=$(jq -r '.results[1].name' <<<"$DOC")
  for side in past before; do
    value=$(jq -r ".swap.$side" <<<"$BRUTE")
    [ "$value" != null ] || { fail "weights $weights: no step clears the rounding"; continue; }
    # The other weights as they are, the criterion's set to the value: the
    # two change places (a third vendor may pass both: it is about the pair).
    vm match "${NEED[@]}" --country India "${wargs[@]}" --weight "$crit=$value" --top 10 --format json
    got=$(jq -r --arg a "$first" --arg b "$second" \
      '[.results[].name | select(. == $a or . == $b)] | join(",")' <<<"$OUT")
    if [ $side = past ]; then want="$second,$first"; else want="$first,$second"; fi
    expect_eq "$want" "$got" "weights $weights, --weight $crit=$value ($side the threshold): the order of #1 and #2"
  done
done

# No single weight swaps a #1 that is at least as good on every criterion.
vm match "${NEED[@]}" --country Kenya --format json
expect_rc 0 "match in Kenya"
expect_eq '{"criterion":null,"direction":null,"threshold":null}' \
  "$(jq -c '.swap | {criterion, direction, threshold}' <<<"$OUT")" "a dominant #1: no swap"
expect_eq "1 1" "$(jq -r '[.results[].robustness.rank_kept] | join(" ")' <<<"$OUT")" \
  "a dominant #1 keeps its rank in every weighting, and #2 too"
vm match "${NEED[@]}" --country Kenya --explain
expect_contains "$OUT" "No single weight from 0 to 1000 puts #2 Lark Kenya ahead of #1 Kestrel Kenya." \
  "--explain says no weight swaps them"
vm match "${NEED[@]}" --country Brazil --format json
expect_eq "null 1" "$(jq -r '.swap, .results[0].robustness.rank_kept' <<<"$OUT" | paste -sd' ')" \
  "one result: no swap, always #1"

# --- --explain, saved shortlists and reports --------------------------------
vm match "${NEED[@]}" --country India --top 4 --format json
DOC=$OUT
vm match "${NEED[@]}" --country India --top 4 --explain
expect_rc 0 "match --explain"
# block_of RANK: the --explain block of that result (its heading to the blank line).
block_of() { awk -v r="#$1" '$1 == r { on = 1 } on && /^$/ { exit } on' <<<"$OUT"; }
for i in 0 1 2 3; do
  blk=$(block_of $((i + 1)))
  expect_contains "$blk" "$(jq -r --argjson i $i '.results[$i].name' <<<"$DOC")" \
    "--explain: the block of result $((i + 1)) names it"
  expect_contains "$blk" "    robust   #$((i + 1)) in " "--explain: the robustness line of result $((i + 1))"
done
expect_contains "$OUT" "Robustness: each weight varied by up to ±25%, 1,000 draws, 9 vendors compared." \
  "--explain states the method"
sentence=$(jq -r '"#2 \(.results[1].name) takes first place if the \(.swap.criterion) weight \(.swap.direction)"' <<<"$DOC")
expect_contains "$OUT" "$sentence" "--explain: the swap sentence"
vm match "${NEED[@]}" --country India --top 4
expect_not_contains "$OUT" "weightings" "the plain table has no robustness lines"
vm -v -v match "${NEED[@]}" --country India --top 4 --format json
expect_contains "$ERR" "match: robustness of 9 vendors: " "-vv times the robustness"
grep "robustness of" <<<"$ERR"

vm match "${NEED[@]}" --country India --top 4 --save robust-new
expect_rc 0 "match --save"
vm shortlists show robust-new --format json
expect_eq "$(jq -cS '[.robustness, .swap, [.results[].robustness]]' <<<"$DOC")" \
  "$(jq -cS '[.robustness, .swap, [.results[].robustness]]' <<<"$OUT")" \
  "the saved document holds the figures"
vm shortlists show robust-new --explain
expect_contains "$OUT" "$sentence" "shortlists show --explain: the swap sentence"
expect_contains "$(block_of 1)" "    robust   #1 in " "shortlists show --explain: the robustness lines"
for fmt in html md csv; do
  vm report robust-new --format $fmt
  expect_rc 0 "report --format $fmt"
  expect_contains "$OUT" "#1 in " "report $fmt: a robustness sentence per vendor"
  expect_contains "$OUT" "takes first place if the" "report $fmt: the swap sentence"
done

# A shortlist saved before robustness existed: no such keys, still read fine.
jq 'del(.robustness, .swap, .id, .created_at) | .name = "robust-old" | .results |= map(del(.robustness))' \
  <<<"$DOC" >"$T/old.json"
insert_shortlist "$T/old.json" robust-old >/dev/null
vm shortlists show robust-old --explain
expect_rc 0 "an old shortlist shows"
expect_not_contains "$OUT" "weightings" "an old shortlist shows no robustness"
for fmt in html md csv json; do
  vm report robust-old --format $fmt
  expect_rc 0 "report --format $fmt of an old shortlist"
  expect_not_contains "$OUT" "takes first place" "report $fmt of an old shortlist: no swap sentence"
done

finish
