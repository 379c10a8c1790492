#!/usr/bin/env bash
# test_report_browser: the HTML report of a shortlist full of hostile vendor
# text (fixtures/shortlists/hostile.json), opened in a real browser. Headless
# Chromium loads it from file://; the DOM it built must show the names as
# text, hold no <script> element, keep its title (no script ran), and the
# net log must show that the page asked for nothing on the network. A control
# page that does fetch proves the net-log check can see a request.
. "$(dirname "$0")/lib.sh"
. "$VM_SOURCE_DIR/tests/browser/lib_report.sh"
find_chromium

new_db
vm migrate
expect_rc 0 "migrate"
insert_shortlist "$FIX/shortlists/hostile.json" hostile-vendors >/dev/null
vm report hostile-vendors -o "$T/r.html"
expect_rc 0 "report hostile-vendors -o r.html"

chromium_run --log-net-log="$T/net.json" --dump-dom "file://$T/r.html" >"$T/dom.html" 2>"$T/chrome.err"
RC=$?
expect_rc 0 "chromium --dump-dom"
DOM=$(cat "$T/dom.html")
expect_contains "$DOM" "</html>" "chromium returned the whole DOM"

# The names appear as text (serialised back with < > & as entities).
expect_contains "$DOM" "&lt;script&gt;document.title='pwned';fetch('http://127.0.0.1:9/x')&lt;/script&gt;" \
  "the <script> vendor name is text"
expect_contains "$DOM" "&lt;img src=x onerror=alert(1)&gt;" "the <img> vendor name is text"
expect_contains "$DOM" '=HYPERLINK("http://evil","x")' "the formula vendor name is text"
expect_contains "$DOM" "O'Brien &amp; Sons \"Quality\" Support | Ltd" "quotes and ampersands survive as text"
expect_contains "$DOM" "&lt;a href=\"javascript:alert(1)\"&gt;click&lt;/a&gt;" "the near miss with a link is text"
expect_contains "$DOM" "Tom &amp; Jerry's" "a second near miss"

# No element the hostile text could have made, and no script ran.
title=$(grep -o '<title>[^<]*</title>' "$T/dom.html")
expect_eq "<title>Shortlist: hostile-vendors</title>" "$title" "the title is unchanged"
expect_not_contains "$DOM" "pwned</title>" "document.title was not rewritten"
for tag in "<script" "<img" "<iframe" "<a " "<u>" "<h1>injected" "<svg/"; do
  check "the DOM holds no $tag element" bash -c '! grep -qiF -- "$1" "$2"' _ "$tag" "$T/dom.html"
done
check "no element has a URL attribute" bash -c '! grep -qiE "<[a-z][^>]*[[:space:]](href|src|srcset|action|formaction|background)=" "$1"' _ "$T/dom.html"

# The page made no network request.
check "the net log was written" test -s "$T/net.json"
requests=$(page_requests "$T/net.json")
expect_eq "" "$requests" "the report page requested nothing from the network"

# Control: a page that does fetch shows up in the same check.
printf '<!DOCTYPE html><img src="http://127.0.0.1:9/control.png"><script>fetch("http://127.0.0.1:9/f")</script>' >"$T/control.html"
chromium_run --log-net-log="$T/net_control.json" --dump-dom "file://$T/control.html" >/dev/null 2>&1
expect_contains "$(page_requests "$T/net_control.json")" "http://127.0.0.1:9/control.png" \
  "the net-log check sees a request when a page makes one"

# A screenshot: the page renders to a non-empty PNG.
chromium_run --screenshot="$T/shot.png" --window-size=1280,2000 "file://$T/r.html" >/dev/null 2>&1
RC=$?
expect_rc 0 "chromium --screenshot"
check "the screenshot is a non-empty PNG" \
  bash -c '[ "$(head -c 8 "$1" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a ] && [ "$(stat -c %s "$1")" -gt 10000 ]' _ "$T/shot.png"

finish
