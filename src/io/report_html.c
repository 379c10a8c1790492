/*
 * report_html: the shortlist as one self-contained HTML page a consultant
 * can send to a client. Inline CSS only: no script, no font, image or link
 * that a browser would fetch (a Content-Security-Policy of default-src
 * 'none' backs that up should an escape ever be missed). Websites and
 * e-mail addresses are shown as text, never as links. Charts are inline
 * SVG whose only inputs are numbers, so they print as they show.
 */
#include "io/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/report_common.h"

static const char report_css[] =
    ".doc-head{display:flex;justify-content:space-between;align-items:flex-end;gap:24px;"
    "border-bottom:1px solid var(--line);padding-bottom:18px}\n"
    ".doc-head .meta{color:var(--muted);font-size:13px;margin:0}\n"
    ".brand{font-size:12px;color:var(--muted);text-align:right;white-space:nowrap}\n"
    ".lead{font-size:18px;line-height:1.45;margin:0 0 16px;overflow-wrap:break-word}\n"
    ".brief{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:24px;"
    "align-items:start}\n"
    ".reco{background:var(--soft);border-left:4px solid var(--accent);padding:14px 16px;"
    "border-radius:0 6px 6px 0;break-inside:avoid}\n"
    ".reco strong{display:block;margin:6px 0 4px;font-size:15px}\n"
    ".reco p{margin:0;color:var(--muted);font-size:14px;overflow-wrap:break-word}\n"
    ".kpi{border:1px solid var(--line);border-radius:6px;padding:14px 16px}\n"
    ".kpi h4{margin:0 0 4px;font-size:12px;color:var(--muted);font-weight:600;"
    "text-transform:uppercase;letter-spacing:.06em}\n"
    ".rank td.pos{font-weight:700;color:var(--accent);width:1%}\n"
    ".nowrap{white-space:nowrap}\n"
    ".rank td.vendor b{display:block}\n"
    ".rank td.scorecell{width:22%;min-width:90px}\n"
    ".scorebox{display:flex;align-items:center;gap:8px}\n"
    ".scorebox .bar{flex:1}\n"
    ".scorebox b{min-width:36px;text-align:right;font-variant-numeric:tabular-nums}\n"
    ".card{border:1px solid var(--line);border-radius:8px;padding:18px 20px;margin:0 0 16px;"
    "break-inside:avoid;page-break-inside:avoid}\n"
    ".card-head{display:flex;align-items:center;gap:12px;flex-wrap:wrap}\n"
    ".card-head .pos{display:inline-flex;align-items:center;justify-content:center;width:28px;"
    "height:28px;border-radius:50%;background:var(--accent);color:#fff;font-weight:700;"
    "font-size:13px;flex:none}\n"
    ".card-head h3{flex:1;min-width:0}\n"
    ".card-head .score{font-size:22px;font-weight:700;color:var(--accent);"
    "font-variant-numeric:tabular-nums}\n"
    ".card-head .score small{font-size:12px;color:var(--muted);font-weight:500}\n"
    ".reasons{margin:10px 0 14px;padding:0;list-style:none;display:flex;flex-wrap:wrap;"
    "gap:6px}\n"
    ".reasons li{background:var(--soft);border-radius:4px;padding:2px 8px;font-size:13px;"
    "overflow-wrap:break-word}\n"
    ".card-body{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px}\n"
    "dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 14px;"
    "margin:0;font-size:14px}\n"
    "dl.facts dt{color:var(--muted)}\n"
    "dl.facts dd{margin:0;overflow-wrap:break-word}\n"
    "mark.hit{background:#e3eef8;color:var(--ink);border-radius:3px;padding:0 2px;"
    "font-weight:600}\n"
    ".breakdown td,.breakdown th{padding:4px 6px}\n"
    ".breakdown td.barcell{width:40%}\n"
    ".breakdown tfoot td{font-weight:700;border-bottom:0}\n"
    ".misses td.why{color:var(--ink)}\n"
    ".unv{display:inline-block;font-size:12px;font-weight:600;color:#7a4500;background:#fff3dc;"
    "border:1px solid #e8b766;border-radius:4px;padding:0 6px;margin-top:2px}\n"
    ".unverified{border-left:4px solid #e0a030;background:#fff8ec;border-radius:0 6px 6px 0;"
    "padding:8px 12px;margin:0 0 14px;font-size:14px;break-inside:avoid}\n"
    ".unverified ul{margin:4px 0 0;padding-left:20px}\n"
    "@media print{.doc-head{padding-bottom:10px}.lead{font-size:13pt}"
    ".card{padding:12px 14px}}\n"
    "@media screen and (max-width:800px){.brief,.card-body{grid-template-columns:1fr}}\n";

/* A horizontal bar of value out of max, as inline SVG (numbers only). */
static void bar_svg(FILE *f, double value, double max)
{
    double w = max > 0 ? 100.0 * value / max : 0.0;
    if (!isfinite(w) || w < 0)
        w = 0;
    if (w > 100)
        w = 100;
    fprintf(f,
            "<svg class=\"bar\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" "
            "aria-hidden=\"true\"><rect class=\"track\" width=\"100\" height=\"8\" rx=\"2\"/>"
            "<rect class=\"val\" width=\"%.1f\" height=\"8\" rx=\"2\"/></svg>",
            w);
}

static void badge(FILE *f, const char *type)
{
    if (!type)
        return;
    fprintf(f, "<span class=\"badge %s\">", rp_type_class(type));
    rp_html(f, type);
    fputs("</span>", f);
}

/* <dt>label</dt><dd>escaped text</dd>, skipped when text is NULL or empty. */
static void fact(FILE *f, const char *label, const char *text)
{
    if (!text || !*text)
        return;
    fprintf(f, "<dt>%s</dt><dd>", label);
    rp_html(f, text);
    fputs("</dd>\n", f);
}

static void fact_owned(FILE *f, const char *label, char *text)
{
    fact(f, label, text);
    free(text);
}

static bool array_has(const json_t *arr, const char *s)
{
    for (size_t i = 0; i < rj_len(arr); i++) {
        const json_t *v = json_array_get(arr, i);
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return true;
    }
    return false;
}

/* Services offered, the ones matching the need highlighted. */
static void services_fact(FILE *f, const json_t *vendor)
{
    const json_t *all = rj_arr(vendor, "services"), *hit = rj_arr(vendor, "matched_services");
    const json_t *shown = rj_len(all) ? all : hit;
    char buf[256];
    if (!rj_len(shown))
        return;
    fputs("<dt>Services</dt><dd>", f);
    bool first = true;
    for (size_t i = 0; i < rj_len(shown); i++) {
        const json_t *v = json_array_get(shown, i);
        if (!json_is_string(v))
            continue;
        const char *code = json_string_value(v);
        if (!first)
            fputs(", ", f);
        first = false;
        bool matched = array_has(hit, code);
        if (matched)
            fputs("<mark class=\"hit\">", f);
        rp_html(f, rp_service(code, buf, sizeof buf));
        if (matched)
            fputs("</mark>", f);
    }
    fputs("</dd>\n", f);
}

static void contact_fact(FILE *f, const json_t *vendor)
{
    const char *email = rj_str(vendor, "email"), *phone = rj_str(vendor, "phone");
    char *host = rp_host(rj_str(vendor, "website"));
    if ((email && *email) || (phone && *phone) || host) {
        fputs("<dt>Contact</dt><dd>", f);
        const char *parts[] = {email, phone, host};
        bool first = true;
        for (size_t i = 0; i < 3; i++) {
            if (!parts[i] || !*parts[i])
                continue;
            if (!first)
                fputs("<br>", f);
            first = false;
            rp_html(f, parts[i]);
        }
        fputs("</dd>\n", f);
    }
    free(host);
}

static void breakdown_table(FILE *f, const json_t *doc, const json_t *entry,
                            const struct rp_criteria *crit)
{
    const json_t *bd = rj_get(entry, "breakdown"), *weights = rj_get(doc, "weights");
    char a[32], b[32], label[128];
    double total = 0;
    bool any = false;
    fputs("<table class=\"breakdown\">\n<thead><tr><th>Criterion</th><th class=\"num\">Points"
          "</th><th class=\"num\">of</th><th></th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < crit->len; i++) {
        double pts, w;
        bool has_pts = rj_num(bd, crit->keys[i], &pts), has_w = rj_num(weights, crit->keys[i], &w);
        if (!has_pts && !has_w)
            continue;
        any = true;
        fputs("<tr><td>", f);
        rp_html(f, rp_criterion_label(crit->keys[i], label, sizeof label));
        fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num muted\">%s</td>",
                has_pts ? rp_num(pts, a, sizeof a) : "&ndash;",
                has_w ? rp_num(w, b, sizeof b) : "");
        fputs("<td class=\"barcell\">", f);
        bar_svg(f, has_pts ? pts : 0, has_w ? w : 100);
        fputs("</td></tr>\n", f);
        total += has_pts ? pts : 0;
    }
    if (!any)
        fputs("<tr><td colspan=\"4\" class=\"muted\">No breakdown recorded.</td></tr>\n", f);
    fputs("</tbody>\n", f);
    double score;
    if (rj_num(entry, "score", &score) || any)
        fprintf(f,
                "<tfoot><tr><td>Score</td><td class=\"num\">%s</td><td class=\"num "
                "muted\">100</td><td></td></tr></tfoot>\n",
                rp_num(rj_num(entry, "score", &score) ? score : total, a, sizeof a));
    fputs("</table>\n", f);
}

/* The claims the catalog does not back: a box of its own on the card. */
static void unverified_box(FILE *f, const json_t *entry)
{
    const json_t *list = rj_arr(entry, "unverified_reasons");
    if (!rj_len(list))
        return;
    fputs("<div class=\"unverified\"><b>Unverified: check with the vendor</b><ul>", f);
    for (size_t i = 0; i < rj_len(list); i++) {
        const json_t *r = json_array_get(list, i);
        if (!json_is_string(r))
            continue;
        char *claim = rp_unverified_claim(json_string_value(r));
        fputs("<li>", f);
        rp_html(f, claim);
        fputs("</li>", f);
        free(claim);
    }
    fputs("</ul></div>\n", f);
}

/* "unverified: language, hourly rate" under a vendor's name (or after
 * `before`), when any. */
static void unverified_mark(FILE *f, const json_t *entry, const char *before)
{
    char *facts = rp_unverified(entry);
    if (!facts)
        return;
    fputs(before, f);
    fputs("<span class=\"unv\">unverified: ", f);
    rp_html(f, facts);
    fputs("</span>", f);
    free(facts);
}

static void vendor_card(FILE *f, const json_t *doc, const json_t *entry, size_t index,
                        const struct rp_criteria *crit)
{
    const json_t *vendor = rj_get(entry, "vendor");
    const char *name = rj_str(entry, "name");
    double rank, score, v;
    char a[32], *s;

    fprintf(f,
            "<article class=\"card\">\n<div class=\"card-head\"><span class=\"pos\">%s</span>"
            "<h3>",
            rp_num(rj_num(entry, "rank", &rank) ? rank : (double)index + 1, a, sizeof a));
    rp_html(f, name ? name : "(unnamed vendor)");
    fputs("</h3>", f);
    badge(f, rj_str(entry, "process_type"));
    if (rj_num(entry, "score", &score))
        fprintf(f, "<span class=\"score\">%s<small> / 100</small></span>",
                rp_num(score, a, sizeof a));
    fputs("</div>\n", f);

    const json_t *reasons = rj_arr(entry, "reasons");
    if (rj_len(reasons)) {
        fputs("<ul class=\"reasons\">", f);
        for (size_t i = 0; i < rj_len(reasons); i++) {
            const json_t *r = json_array_get(reasons, i);
            if (!json_is_string(r) || rp_is_unverified_reason(entry, json_string_value(r)))
                continue;
            fputs("<li>", f);
            rp_html(f, json_string_value(r));
            fputs("</li>", f);
        }
        fputs("</ul>\n", f);
    }
    unverified_box(f, entry);

    fputs("<div class=\"card-body\">\n<dl class=\"facts\">\n", f);
    fact_owned(f, "Location", rp_location(vendor));
    fact_owned(f, "Size", rp_size(vendor));
    fact_owned(f, "Rate", rp_rate(vendor));
    if (rj_num(vendor, "rating", &v)) {
        s = xasprintf("%s / 5", rp_num(v, a, sizeof a));
        fact_owned(f, "Rating", s);
    }
    services_fact(f, vendor);
    fact_owned(f, "Industries", rj_join(rj_arr(vendor, "industries"), ", ", NULL));
    fact_owned(f, "Languages", rj_join(rj_arr(vendor, "languages"), ", ", rp_language));
    fact_owned(f, "Certifications", rj_join(rj_arr(vendor, "certifications"), ", ", rp_cert));
    if (rj_true(vendor, "manual_tag"))
        fact(f, "Type tag", "set manually by an analyst");
    else if (rj_num(vendor, "confidence", &v)) {
        s = xasprintf("%s%% confidence", rp_num(v * 100.0, a, sizeof a));
        fact_owned(f, "Type tag", s);
    }
    fact_owned(f, "Robustness", rp_robust_plain(entry));
    contact_fact(f, vendor);
    fputs("</dl>\n<div>\n", f);
    breakdown_table(f, doc, entry, crit);
    fputs("</div>\n</div>\n</article>\n", f);
}

/* Below the ranking: the #1/#2 swap sentence and how the robustness
 * figures were drawn (nothing for a document saved before them). */
static void robustness(FILE *f, const json_t *doc)
{
    char *swap = rp_swap_plain(doc), *method = rp_robust_method_plain(doc);
    if (swap) {
        fputs("<p>", f);
        rp_html(f, swap);
        fputs("</p>\n", f);
    }
    if (method) {
        fputs("<p class=\"muted\">", f);
        rp_html(f, method);
        fputs("</p>\n", f);
    }
    free(swap);
    free(method);
}

static void ranking_table(FILE *f, const json_t *results)
{
    char a[32];
    fputs("<table class=\"rank\">\n<thead><tr><th>#</th><th>Vendor</th><th>Type</th>"
          "<th>Location</th><th>Rate</th><th class=\"num\">Rating</th><th>Score</th></tr>"
          "</thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < rj_len(results); i++) {
        const json_t *e = json_array_get(results, i), *vendor = rj_get(e, "vendor");
        const char *name = rj_str(e, "name");
        double rank, score, rating;
        fprintf(f, "<tr><td class=\"pos\">%s</td><td class=\"vendor\"><b>",
                rp_num(rj_num(e, "rank", &rank) ? rank : (double)i + 1, a, sizeof a));
        rp_html(f, name ? name : "(unnamed vendor)");
        fputs("</b>", f);
        char *host = rp_host(rj_str(vendor, "website"));
        if (host) {
            fputs("<span class=\"muted\">", f);
            rp_html(f, host);
            fputs("</span>", f);
            free(host);
        }
        unverified_mark(f, e, "");
        fputs("</td><td>", f);
        badge(f, rj_str(e, "process_type"));
        fputs("</td><td>", f);
        char *loc = rp_location(vendor), *rate = rp_rate(vendor);
        rp_html(f, loc);
        fputs("</td><td class=\"nowrap\">", f);
        rp_html(f, rate);
        free(loc);
        free(rate);
        fprintf(f, "</td><td class=\"num\">%s</td><td class=\"scorecell\"><div class=\"scorebox\">",
                rj_num(vendor, "rating", &rating) ? rp_num(rating, a, sizeof a) : "");
        bool has_score = rj_num(e, "score", &score);
        bar_svg(f, has_score ? score : 0, 100);
        fprintf(f, "<b>%s</b></div></td></tr>\n", has_score ? rp_num(score, a, sizeof a) : "");
    }
    if (!rj_len(results))
        fputs("<tr><td colspan=\"7\" class=\"muted\">No vendor met every requirement.</td></tr>\n",
              f);
    fputs("</tbody>\n</table>\n", f);
}

static void misses_table(FILE *f, const json_t *excluded)
{
    if (!rj_len(excluded)) {
        fputs("<p class=\"muted\">No other vendor came close.</p>\n", f);
        return;
    }
    fputs("<table class=\"misses\">\n<thead><tr><th>Vendor</th><th>Why it is not on the list</th>"
          "</tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < rj_len(excluded); i++) {
        const json_t *e = json_array_get(excluded, i);
        const char *name = rj_str(e, "name");
        fputs("<tr><td>", f);
        rp_html(f, name ? name : "(unnamed vendor)");
        fputs("</td><td class=\"why\">", f);
        char *why = rj_join(rj_arr(e, "reasons"), "; ", NULL);
        rp_html(f, *why ? why : "not recorded");
        free(why);
        unverified_mark(f, e, " ");
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
}

static void footer(FILE *f, const json_t *doc, const struct rp_criteria *crit)
{
    char *produced = rp_produced_plain(doc), *weights = rp_weights_plain(doc, crit);
    const json_t *catalog = rj_arr(doc, "catalog");

    fputs("<footer>\n<p>", f);
    rp_html(f, produced);
    fputs(" Scores are frozen as computed then; later catalog changes do not alter them.</p>\n"
          "<p>Catalog files: ",
          f);
    if (!rj_len(catalog))
        fputs("not recorded", f);
    for (size_t i = 0; i < rj_len(catalog); i++) {
        const json_t *c = json_array_get(catalog, i);
        const char *file = rj_str(c, "file");
        char *detail = rp_catalog_detail(c);
        fputs(i ? "; <b>" : "<b>", f);
        rp_html(f, file ? file : "(unnamed file)");
        fputs("</b>", f);
        if (*detail) {
            fputs(" (", f);
            rp_html(f, detail);
            fputs(")", f);
        }
        free(detail);
    }
    fputs(".</p>\n<p>Weights: ", f);
    rp_html(f, weights ? weights : "not recorded");
    fputs(".</p>\n</footer>\n", f);
    free(produced);
    free(weights);
}

static void brief(FILE *f, const json_t *doc, const json_t *results)
{
    const char *type = rj_str(doc, "process_type");
    const char *reason = rj_str(doc, "process_type_reason");
    const char *headline = rp_type_headline(type);
    char *need = rp_need_plain(rj_get(doc, "need"));

    fputs("<h2>The brief</h2>\n<div class=\"brief\">\n<div>\n<p class=\"lead\">", f);
    rp_html(f, need);
    free(need);
    fputs("</p>\n", f);
    if (type) {
        fputs("<div class=\"reco\">", f);
        badge(f, type);
        fputs(rj_true(doc, "process_type_inferred") ? "<strong>Recommendation: "
                                                    : "<strong>Requested: ",
              f);
        rp_html(f, headline ? headline : type);
        fputs("</strong>", f);
        if (reason) {
            fputs("<p>", f);
            rp_html(f, reason);
            fputs("</p>", f);
        }
        fputs("</div>\n", f);
    }
    fputs("</div>\n<div class=\"kpi\">\n<h4>Shortlist by type</h4>\n", f);
    size_t counts[RP_NTYPES] = {0};
    for (size_t i = 0; i < rj_len(results); i++)
        counts[rp_type_of(rj_str(json_array_get(results, i), "process_type"))]++;
    rp_html_mix_chart(f, counts, "Shortlisted vendors by type");
    fputs("</div>\n</div>\n", f);
}

int report_render_html(const json_t *doc, FILE *f, struct vm_err *err)
{
    const char *name = rj_str(doc, "name");
    if (!name)
        name = rj_str(rj_get(doc, "need"), "name");
    const json_t *results = rj_arr(doc, "results"), *excluded = rj_arr(doc, "excluded");
    struct rp_criteria crit;

    rp_criteria_of(doc, &crit);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"vendormatch\">\n<title>Shortlist: ",
          f);
    rp_html(f, name ? name : "untitled");
    fputs("</title>\n<style>\n", f);
    fputs(rp_html_base_css, f);
    fputs(report_css, f);
    fputs("</style>\n</head>\n<body>\n<main>\n<header class=\"doc-head\">\n<div>\n"
          "<p class=\"eyebrow\">Vendor shortlist</p>\n<h1>",
          f);
    rp_html(f, name ? name : "Untitled shortlist");
    fputs("</h1>\n<p class=\"meta\">", f);
    char *summary = rp_summary_plain(doc);
    rp_html(f, summary);
    free(summary);
    fputs("</p>\n</div>\n<div class=\"brand\">vendormatch report</div>\n</header>\n", f);

    brief(f, doc, results);
    fputs("<h2>Ranking</h2>\n", f);
    ranking_table(f, results);
    robustness(f, doc);
    if (rj_len(results)) {
        fputs("<h2>Vendor profiles</h2>\n", f);
        for (size_t i = 0; i < rj_len(results); i++)
            vendor_card(f, doc, json_array_get(results, i), i, &crit);
    }
    fputs("<h2>Near misses</h2>\n", f);
    misses_table(f, excluded);
    footer(f, doc, &crit);
    fputs("</main>\n</body>\n</html>\n", f);
    rp_criteria_free(&crit);
    if (ferror(f))
        return vm_err_set(err, VM_EXIT_FAILURE, "could not write the HTML report");
    return 0;
}
