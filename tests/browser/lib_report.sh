# lib_report.sh: helpers the report integration tests source after lib.sh.
# insert_shortlist stores a shortlist document the way `match --save` does
# (there is no command to import one); the chromium helpers run Debian's
# headless Chromium with everything that could reach the network switched
# off, and read its net log to prove a page fetched nothing.

# insert_shortlist FILE [NAME]: stores FILE's document as a saved shortlist
# (named NAME, else the document's name) and prints the new id. psql reads
# the file itself (\set from a backtick command: no argv size limit) and the
# JSON travels as a variable quoted with :'doc', never spliced into SQL.
insert_shortlist() {
  local file=$1 name=${2:-}
  "$VM_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$VM_PGHOST" -U "$VM_PGUSER" -d "$DB_NAME" \
    -v file="$file" -v name="$name" <<'SQL'
\set doc `cat :'file'`
INSERT INTO shortlists (name, need, process_type, process_type_inferred, type_reason, weights,
                        catalog, document, created_at)
SELECT coalesce(nullif(:'name', ''), d->>'name'), coalesce(d->'need', '{}'),
       coalesce(d->>'process_type', 'ANY'), coalesce((d->>'process_type_inferred')::boolean, false),
       d->>'process_type_reason', coalesce(d->'weights', '{}'), coalesce(d->'catalog', '[]'), d,
       coalesce((d->>'created_at')::timestamptz, now())
FROM (SELECT :'doc'::jsonb AS d) AS s
RETURNING id AS new_id \gset
UPDATE shortlists SET document = document || jsonb_build_object('id', id, 'name', name)
WHERE id = :new_id;
SELECT :new_id;
SQL
}

# find_chromium: sets CHROMIUM, or fails the test loudly (never a skip: a
# report that was not checked in a browser is not a passing report).
find_chromium() {
  CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$CHROMIUM" ]; then
    fail "chromium is not installed: scripts/test installs it (apt-get install chromium)"
    finish
    exit 1
  fi
}

# chromium_run ARGS...: headless Chromium with a private profile, no sync,
# no component updates, no background networking, a 60 s ceiling.
chromium_run() {
  timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-quic \
    --disable-default-apps --disable-extensions --hide-scrollbars \
    --user-data-dir="$T/chrome" "$@"
}

# page_requests NETLOG: prints the URLs a page asked for. Chromium writes one
# event per line; requests the page made carry its initiator, the browser's
# own housekeeping (update checks...) is "not an origin", and anything aimed
# at the hostile fixture's hosts is listed whoever made it.
page_requests() {
  grep '"url":"' "$1" | grep -v '"url":"file://' |
    { grep -E '"initiator":"[^n]|"initiator":"null"|127\.0\.0\.1|evil' || true; } |
    grep -o '"url":"[^"]*"' | sort -u
}
