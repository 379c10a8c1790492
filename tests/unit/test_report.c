/*
 * test_report: the report renderers as pure functions of a shortlist
 * document. Hostile vendor text in every format (no markup survives in HTML
 * or Markdown, spreadsheet formulas are defused in CSV, JSON round-trips
 * exactly), the need in plain words, documents with missing keys and
 * nulls, the fixture against its reviewed golden files, and the time to
 * render 200 entries. VM_UPDATE_GOLDEN=1 rewrites the golden files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "io/output.h"
#include "io/report.h"
#include "io/report_common.h"

static json_t *load_fixture(const char *name)
{
    char path[1024];
    json_error_t je;
    snprintf(path, sizeof path, "%s/shortlists/%s", VM_FIXTURES_DIR, name);
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc)
        fail_msg("%s:%d: %s", path, je.line, je.text);
    return doc;
}

/* Renders into a malloc'd string; asserts the renderer succeeded. */
static char *render(const json_t *doc, enum report_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    struct vm_err err;
    vm_err_clear(&err);
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    int rc = report_render(doc, fmt, f, &err);
    fclose(f);
    if (rc != 0)
        fail_msg("render failed: %s", err.msg);
    return buf;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

static void assert_absent(const char *out, const char *needle)
{
    if (contains_ci(out, needle))
        fail_msg("output contains forbidden [%s]", needle);
}

static void assert_present(const char *out, const char *needle)
{
    if (!strstr(out, needle))
        fail_msg("output lacks [%s]", needle);
}

/* --- HTML ---------------------------------------------------------------- */

static void test_html_escapes_hostile_text(void **state)
{
    (void)state;
    json_t *doc = load_fixture("hostile.json");
    char *out = render(doc, REPORT_HTML);
    static const char *const forbidden[] = {"<script", "<img",   "<iframe",   "<svg/",
                                            "<a ",     "<u>",    "<b>USD",    "<h1>injected",
                                            "href=\"", "src=\"", "</style><", "onload=\""};
    for (size_t i = 0; i < sizeof forbidden / sizeof *forbidden; i++)
        assert_absent(out, forbidden[i]);
    assert_present(out, "&lt;script&gt;document.title=&#39;pwned&#39;;fetch(&#39;"
                        "http://127.0.0.1:9/x&#39;)&lt;/script&gt;");
    assert_present(out, "&lt;img src=x onerror=alert(1)&gt;");
    assert_present(out, "=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)");
    /* unverified facts and claims are vendor-derived text too */
    assert_present(out, "<li>&lt;script&gt;alert(&#39;unverified&#39;)&lt;/script&gt; | *x*</li>");
    assert_present(out, "unverified: language, =cmd|&#39; /C calc&#39;!A0, &lt;img src=x "
                        "onerror=alert(1)&gt;</span>");
    assert_present(out, "O&#39;Brien &amp; Sons &quot;Quality&quot; Support | Ltd");
    assert_present(out, "<title>Shortlist: hostile &lt;b&gt;&quot;quoted&quot; &amp; "
                        "&#39;single&#39;&lt;/b&gt;</title>");
    /* Exactly one style element, and the CSP that forbids scripts and fetches. */
    const char *first = strstr(out, "<style"), *last = first;
    for (const char *p = first; p && (p = strstr(p + 1, "<style"));)
        last = p;
    assert_ptr_equal(first, last);
    assert_present(out, "content=\"default-src 'none';");
    /* A website that is not a host name is left out; a real one shows its host. */
    assert_present(out, "evil.example:8443");
    assert_absent(out, "user:pw");
    free(out);
    json_decref(doc);
}

static void test_html_sections(void **state)
{
    (void)state;
    json_t *doc = load_fixture("sample.json");
    char *out = render(doc, REPORT_HTML);
    assert_present(out, "<title>Shortlist: acme-cx</title>");
    assert_present(out, "Recommendation: a BPO provider");
    assert_present(out, "<mark class=\"hit\">customer support</mark>");
    assert_present(out, "Near misses");
    assert_present(out, "cheapest rate $38/h above $30/h; rating 3.6 below 4");
    assert_present(out, "clutch_export.csv");
    assert_present(out, "Service coverage 40");
    assert_present(out, "@media print");
    assert_present(out, "<b>BPO</b> 3 <span class=\"muted\">(60%)</span>");
    /* An unverified fact: marked in the ranking, its own box on the card
     * (the claim to check with the vendor), not among the reasons. */
    assert_present(out, "<span class=\"unv\">unverified: language</span>");
    assert_present(out, "<div class=\"unverified\"><b>Unverified: check with the vendor</b>"
                        "<ul><li>languages not listed by any source</li></ul></div>");
    assert_absent(out, "<li>languages not listed by any source: unverified</li>");
    free(out);
    json_decref(doc);
}

/* --- Markdown ------------------------------------------------------------ */

static void test_md_escapes_hostile_text(void **state)
{
    (void)state;
    json_t *doc = load_fixture("hostile.json");
    char *out = render(doc, REPORT_MD);
    assert_absent(out, "<script");
    assert_absent(out, "<img");
    assert_absent(out, "<iframe");
    assert_absent(out, "<a ");
    assert_absent(out, "[link](");
    assert_present(out, "&lt;script&gt;document.title='pwned'");
    assert_present(out, "Support \\| Ltd second line");
    assert_present(out, "fin\\|tech \\*bold\\* \\_it\\_ \\`code\\` \\[link\\](javascript");
    assert_present(out, "- &lt;script&gt;alert('unverified')&lt;/script&gt; \\| \\*x\\*\n");
    /* Every table row keeps its column count: escaped pipes do not split cells. */
    for (char *line = out, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (strncmp(line, "| # |", 5) == 0 || strncmp(line, "| 4 | O'Brien", 13) == 0) {
            size_t bars = 0;
            for (const char *p = line; *p; p++)
                bars += *p == '|' && (p == line || p[-1] != '\\');
            assert_int_equal(bars, 8);
        }
    }
    free(out);
    json_decref(doc);
}

/* --- CSV ----------------------------------------------------------------- */

/* Splits RFC 4180 CSV into cells, calling check on each unquoted value. */
static size_t csv_cells(const char *s, void (*check)(const char *cell, size_t row))
{
    char cell[4096];
    size_t n = 0, row = 0, cells = 0;
    bool quoted = false;
    for (const char *p = s;; p++) {
        if (quoted) {
            if (*p == '"' && p[1] == '"')
                cell[n++] = *++p;
            else if (*p == '"')
                quoted = false;
            else if (*p)
                cell[n++] = *p;
            else
                fail_msg("unterminated quote");
            continue;
        }
        if (*p == '"' && n == 0) {
            quoted = true;
        } else if (*p == ',' || *p == '\r' || *p == '\0') {
            cell[n] = '\0';
            if (!(*p == '\0' && n == 0 && cells == 0))
                check(cell, row);
            n = 0;
            if (*p == '\r') {
                p++; /* the \n */
                row++;
            }
            if (*p == '\0')
                break;
        } else {
            cell[n++] = *p;
        }
        assert_true(n < sizeof cell);
        cells++;
    }
    return row;
}

static void check_defused(const char *cell, size_t row)
{
    (void)row;
    if (csv_cell_needs_defusing(cell))
        fail_msg("CSV cell not defused: [%s]", cell);
}

static void test_csv_defuses_formulas(void **state)
{
    (void)state;
    json_t *doc = load_fixture("hostile.json");
    char *out = render(doc, REPORT_CSV);
    assert_int_equal(csv_cells(out, check_defused), 5); /* header + 4 entries */
    assert_present(out, "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
    assert_present(out, "\"'=1+1; +cmd|' /C calc'!A0; -2+3; @SUM(A1)\"");
    assert_present(out, "\"'=cmd@evil.example\"");
    /* rating is the vendor's stars; the score's points have their own columns */
    assert_present(out, "rank,vendor_id,name,process_type,score,rating,rate,country,languages,"
                        "points_service_coverage,points_industry,points_rating,points_price,"
                        "points_capacity,points_languages,points_confidence,unverified,reasons,"
                        "website,email,phone,robustness\r\n");
    free(out);
    json_decref(doc);
}

/* --- robustness ---------------------------------------------------------- */

/* The hostile fixture with robustness figures and a swap added, as match
 * writes them (docs/shortlist-json.md). */
static json_t *hostile_with_robustness(const char *direction, double threshold)
{
    json_t *doc = load_fixture("hostile.json"), *e;
    size_t i;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        json_t *rob = json_pack("{s:f, s:f, s:i, s:f}", "rank_kept", i ? 0.536 : 0.9995,
                                "top3_kept", i ? 0.004 : 1.0, "draws", 1000, "spread", 0.25);
        json_object_set_new(e, "rank", json_integer((json_int_t)i + 1));
        json_object_set_new(e, "robustness", rob);
    }
    json_object_set_new(doc, "robustness",
                        json_pack("{s:i, s:f, s:s, s:s, s:i}", "draws", 1000, "spread", 0.25,
                                  "generator", "splitmix64", "seed", "0x766D524F42555354",
                                  "compared", 9));
    json_object_set_new(doc, "swap",
                        json_pack("{s:i, s:i, s:s?, s:s?, s:f, s:f, s:i}", "leader_id", 1,
                                  "challenger_id", 2, "criterion",
                                  direction ? "service_coverage" : NULL, "direction", direction,
                                  "weight", 40.0, "threshold", threshold, "max_weight", 1000));
    return doc;
}

static void test_robustness_sentences(void **state)
{
    (void)state;
    json_t *doc = hostile_with_robustness("falls", 31.5);
    char *md = render(doc, REPORT_MD), *html = render(doc, REPORT_HTML);
    char *csv = render(doc, REPORT_CSV);
    /* 99.95% is not "100%", 0.4% is not "0%". */
    assert_present(md, "| Robustness | #1 in 99% of weightings, top 3 in 100% |");
    assert_present(md, "| Robustness | #2 in 54% of weightings, top 3 in 1% |");
    assert_present(md, "takes first place if the service coverage weight falls below 31.5 "
                       "(now 40).");
    assert_present(md, "*Robustness: each weight varied by up to \xc2\xb1"
                       "25%, 1,000 draws, 9 "
                       "vendors compared.*");
    assert_present(html, "<dt>Robustness</dt><dd>#1 in 99% of weightings, top 3 in 100%</dd>");
    assert_present(html, "<p>#2 =HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;) takes first");
    assert_present(csv, "#2 in 54% of weightings, top 3 in 1%; #2 =HYPERLINK(");
    assert_absent(html, "<script"); /* names in the sentences are escaped like any */
    free(md);
    free(html);
    free(csv);
    json_decref(doc);

    doc = hostile_with_robustness(NULL, 0); /* no single weight swaps them */
    md = render(doc, REPORT_MD);
    assert_present(md, "No single weight from 0 to 1000 puts #2 =HYPERLINK");
    assert_present(md, "ahead of #1 &lt;script&gt;");
    free(md);
    json_decref(doc);

    doc = hostile_with_robustness("falls", 0);
    md = render(doc, REPORT_MD);
    assert_present(md, "weight falls to 0 (now 40).");
    free(md);
    json_decref(doc);

    doc = load_fixture("sample.json"); /* saved before robustness: no sentence */
    md = render(doc, REPORT_MD);
    html = render(doc, REPORT_HTML);
    assert_absent(md, "weightings");
    assert_absent(md, "first place");
    assert_absent(html, "Robustness");
    free(md);
    free(html);
    json_decref(doc);
}

/* --- JSON ---------------------------------------------------------------- */

static void test_json_round_trips(void **state)
{
    (void)state;
    static const char *const names[] = {"hostile.json", "sample.json"};
    for (size_t i = 0; i < 2; i++) {
        json_t *doc = load_fixture(names[i]);
        char *out = render(doc, REPORT_JSON);
        json_error_t je;
        json_t *back = json_loads(out, 0, &je);
        assert_non_null(back);
        assert_true(json_equal(doc, back));
        json_decref(back);
        free(out);
        json_decref(doc);
    }
}

/* --- the need in plain words --------------------------------------------- */

static void test_need_plain_words(void **state)
{
    (void)state;
    json_t *doc = load_fixture("sample.json");
    char *s = rp_need_plain(json_object_get(doc, "need"));
    assert_string_equal(s, "Customer support and collections, in India or the Philippines, "
                           "healthcare experience, English spoken, ISO 27001 required, at "
                           "least 100 staff, at most $30/h, rated 4 or better, high data "
                           "sensitivity, offshore delivery.");
    free(s);
    json_decref(doc);

    json_t *need =
        json_pack("{s:[s], s:s, s:[s,s,s], s:[s], s:f, s:s, s:n}", "service_categories",
                  "investment_research", "type", "KPO", "countries", "US", "GB", "DE",
                  "exclude_countries", "CN", "max_rate", 62.5, "currency", "EUR", "min_rating");
    s = rp_need_plain(need);
    assert_string_equal(s, "Investment research from a KPO provider, in the United States, the "
                           "United Kingdom or Germany, not in China, at most €62.50/h.");
    free(s);
    json_decref(need);

    s = rp_need_plain(NULL);
    assert_string_equal(s, "Any service.");
    free(s);
}

/* --- missing keys and nulls ---------------------------------------------- */

static void test_missing_and_null_fields(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{}",
        "{\"name\": null, \"need\": null, \"results\": null, \"excluded\": null, "
        "\"weights\": null, \"catalog\": null, \"created_at\": null, \"process_type\": null}",
        "{\"results\": [{}, null, 3, {\"name\": null, \"score\": null, \"breakdown\": null, "
        "\"reasons\": [null, 1], \"vendor\": {\"rating\": null, \"services\": null, "
        "\"employees_min\": 5, \"rate_max\": 9}}], \"excluded\": [{}, {\"reasons\": []}], "
        "\"catalog\": [{}, null], \"weights\": {\"custom_fit\": 3}, \"need\": {\"services\": "
        "[], \"countries\": [\"ZZ\", 7]}, \"created_at\": \"yesterday\"}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        json_error_t je;
        json_t *doc = json_loads(docs[i], 0, &je);
        assert_non_null(doc);
        for (int fmt = REPORT_HTML; fmt <= REPORT_JSON; fmt++) {
            char *out = render(doc, (enum report_format)fmt);
            assert_true(strlen(out) > 0);
            if (i == 2 && fmt == REPORT_HTML) {
                assert_present(out, "(unnamed vendor)");
                assert_present(out, "&lt; $9/h");
                assert_present(out, "Custom fit 3");
                assert_present(out, "prepared yesterday");
            }
            if (i == 2 && fmt == REPORT_CSV)
                assert_present(out, ",points_custom_fit,unverified,reasons,");
            free(out);
        }
        json_decref(doc);
    }
    struct vm_err err;
    json_t *arr = json_array();
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(report_render(arr, REPORT_HTML, f, &err), VM_EXIT_FAILURE);
    assert_int_equal(report_render(NULL, REPORT_MD, f, &err), VM_EXIT_FAILURE);
    assert_int_equal(stats_render_html(arr, f, &err), VM_EXIT_FAILURE);
    fclose(f);
    json_decref(arr);
}

/* --- helpers ------------------------------------------------------------- */

static void test_labels_and_numbers(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(rp_num(30.0, b, sizeof b), "30");
    assert_string_equal(rp_num(87.5, b, sizeof b), "87.5");
    assert_string_equal(rp_num(4.25, b, sizeof b), "4.25");
    assert_string_equal(rp_num(-0.001, b, sizeof b), "0");
    assert_string_equal(rp_int(1234567, b, sizeof b), "1,234,567");
    assert_string_equal(rp_int(-1000, b, sizeof b), "-1,000");
    assert_string_equal(rp_int(999, b, sizeof b), "999");
    assert_string_equal(rp_country("IN", b, sizeof b), "India");
    assert_string_equal(rp_country_in("PH", b, sizeof b), "the Philippines");
    assert_string_equal(rp_country("QQ", b, sizeof b), "QQ");
    assert_string_equal(rp_language("hi", b, sizeof b), "Hindi");
    assert_string_equal(rp_cert("ISO27001", b, sizeof b), "ISO 27001");
    assert_string_equal(rp_cert("SOC2", b, sizeof b), "SOC 2");
    assert_string_equal(rp_cert("HIPAA", b, sizeof b), "HIPAA");
    assert_string_equal(rp_date("2026-11-24T01:02:03Z", b, sizeof b),
                        "24 November 2026, 01:02 UTC");
    assert_string_equal(rp_date("2026-11-24T01:02:03.123+02:00", b, sizeof b),
                        "24 November 2026, 01:02 +02:00");
    assert_string_equal(rp_date("2026-13-24T01:02:03Z", b, sizeof b), "2026-13-24T01:02:03Z");

    static const char *const hosts[][2] = {
        {"acme.example", "acme.example"},
        {"https://WWW.Acme.example/en/?q=1", "www.acme.example"},
        {"//cdn.example/x", "cdn.example"},
        {"http://user:pw@host.example:8080/", "host.example:8080"},
        {"javascript:alert(1)", NULL},
        {"data:text/html,<script>", NULL},
        {"http://<b>/", NULL},
        {"", NULL},
        {"münchen.example", "münchen.example"},
    };
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++) {
        char *h = rp_host(hosts[i][0]);
        if (hosts[i][1])
            assert_string_equal(h, hosts[i][1]);
        else if (h)
            fail_msg("[%s] should not be a host, got [%s]", hosts[i][0], h);
        free(h);
    }

    enum report_format fmt;
    struct vm_err err;
    assert_int_equal(report_format_parse("md", &fmt, &err), 0);
    assert_int_equal(fmt, REPORT_MD);
    assert_int_equal(report_format_parse("pdf", &fmt, &err), VM_EXIT_USAGE);
}

/* --- golden files: the fixture as reviewed ------------------------------- */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(m);
    fclose(f);
    return buf;
}

static void test_golden_files(void **state)
{
    (void)state;
    static const struct {
        enum report_format fmt;
        const char *file;
    } golden[] = {
        {REPORT_HTML, "sample.html"}, {REPORT_MD, "sample.md"}, {REPORT_CSV, "sample.csv"}};
    bool update = getenv("VM_UPDATE_GOLDEN") != NULL;
    json_t *doc = load_fixture("sample.json");
    for (size_t i = 0; i < sizeof golden / sizeof *golden; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/golden/%s", VM_SOURCE_DIR, golden[i].file);
        char *out = render(doc, golden[i].fmt);
        if (update) {
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            fputs(out, f);
            fclose(f);
        }
        char *want = read_all(path);
        if (!want)
            fail_msg("missing %s (run with VM_UPDATE_GOLDEN=1 and review it)", path);
        if (strcmp(want, out) != 0)
            fail_msg("%s differs from the rendering of fixtures/shortlists/sample.json", path);
        free(want);
        free(out);
    }
    json_decref(doc);
}

/* --- stats page ---------------------------------------------------------- */

static void test_stats_html(void **state)
{
    (void)state;
    const char *text =
        "{\"total\": 1234, \"by_type\": {\"BPO\": 600, \"KPO\": 400, \"HYBRID\": 150, "
        "\"UNCLASSIFIED\": 84}, \"by_country\": [{\"country\": \"IN\", \"count\": 300}, "
        "{\"country\": \"<i>\", \"count\": 2}], \"by_service\": [{\"service\": "
        "\"customer_support\", \"name\": \"Customer support\", \"process_type\": \"BPO\", "
        "\"count\": 420}, {\"service\": \"x\", \"name\": \"<script>alert(1)</script>\", "
        "\"process_type\": \"\\\" onload=\\\"x\", \"count\": 1}], \"sources\": [{\"source\": "
        "\"clutch\", \"vendors\": 500, \"batches\": 2, \"last_import\": "
        "\"2026-11-24T01:00:00Z\"}], \"generated_at\": \"2026-11-24T02:00:00Z\"}";
    json_error_t je;
    json_t *stats = json_loads(text, 0, &je);
    assert_non_null(stats);
    char *buf = NULL;
    size_t len = 0;
    struct vm_err err;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(stats_render_html(stats, f, &err), 0);
    fclose(f);
    assert_absent(buf, "<script");
    assert_absent(buf, "<i>");
    assert_present(buf, "&lt;i&gt;");
    assert_absent(buf, "onload=\"");
    assert_present(buf, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_present(buf, "<b>BPO</b> 600 <span class=\"muted\">(49%)</span>");
    assert_present(buf, "<b>UNCLASSIFIED</b> 84 <span class=\"muted\">(7%)</span>");
    assert_present(buf, "1,234 vendors");
    assert_present(buf, "India");
    assert_present(buf, "class=\"badge unclassified\">&quot; onload=&quot;x</span>");
    free(buf);
    json_decref(stats);

    buf = NULL;
    f = open_memstream(&buf, &len);
    json_t *empty = json_object();
    assert_int_equal(stats_render_html(empty, f, &err), 0);
    fclose(f);
    assert_present(buf, "Nothing imported yet.");
    free(buf);
    json_decref(empty);
}

/* --- 200 entries --------------------------------------------------------- */

static json_t *big_document(size_t n)
{
    json_t *doc = load_fixture("sample.json");
    json_t *results = json_object_get(doc, "results");
    json_t *model = json_deep_copy(json_array_get(results, 0));
    json_array_clear(results);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_deep_copy(model);
        char name[64];
        snprintf(name, sizeof name, "Vendor %zu <&> Ltd", i + 1);
        json_object_set_new(e, "rank", json_integer((json_int_t)i + 1));
        json_object_set_new(e, "vendor_id", json_integer((json_int_t)i + 1000));
        json_object_set_new(e, "name", json_string(name));
        json_object_set_new(e, "process_type", json_string(rp_type_names[i % 3]));
        json_object_set_new(e, "score", json_real(99.0 - (double)i * 0.4));
        json_array_append_new(results, e);
    }
    json_decref(model);
    return doc;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Renders 200 entries in every format and checks the content; the time is
 * printed, not asserted (speed is measured by benchmarks, not by tests: under
 * valgrind on a loaded machine one render can take over a second). */
static void test_200_entries_render(void **state)
{
    (void)state;
    json_t *doc = big_document(200);
    static const char *const names[] = {"html", "md", "csv", "json"};
    for (int fmt = REPORT_HTML; fmt <= REPORT_JSON; fmt++) {
        double t0 = now_ms();
        char *out = render(doc, (enum report_format)fmt);
        double ms = now_ms() - t0;
        printf("# 200 entries, %-4s: %7.2f ms, %zu bytes\n", names[fmt], ms, strlen(out));
        assert_true(strlen(out) > 200 * 20);
        if (fmt == REPORT_HTML) {
            assert_present(out, "Vendor 200 &lt;&amp;&gt; Ltd");
            assert_absent(out, "<&>");
        }
        free(out);
    }
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escapes_hostile_text),
        cmocka_unit_test(test_html_sections),
        cmocka_unit_test(test_md_escapes_hostile_text),
        cmocka_unit_test(test_csv_defuses_formulas),
        cmocka_unit_test(test_json_round_trips),
        cmocka_unit_test(test_need_plain_words),
        cmocka_unit_test(test_missing_and_null_fields),
        cmocka_unit_test(test_labels_and_numbers),
        cmocka_unit_test(test_golden_files),
        cmocka_unit_test(test_robustness_sentences),
        cmocka_unit_test(test_stats_html),
        cmocka_unit_test(test_200_entries_render),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
