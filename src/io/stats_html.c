/*
 * stats_html: catalog statistics (built by the stats command) as one
 * self-contained HTML page: the BPO/KPO/HYBRID/UNCLASSIFIED mix as an
 * inline SVG stacked bar with counts and percentages, top countries and
 * services as bar charts, and where the vendors came from. Same rules as
 * the shortlist report: no script, nothing fetched, all text escaped; the
 * charts are drawn from numbers only.
 */
#include "io/report.h"

#include <math.h>

#include "io/report_common.h"

#define STATS_TOP_COUNTRIES 15
#define STATS_TOP_SERVICES 20

static const char stats_css[] =
    ".doc-head{border-bottom:1px solid var(--line);padding-bottom:18px}\n"
    ".doc-head .meta{color:var(--muted);font-size:13px;margin:0}\n"
    ".kpis{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:12px;margin:20px 0}\n"
    ".kpi{border:1px solid var(--line);border-radius:6px;padding:12px 14px}\n"
    ".kpi .v{font-size:24px;font-weight:700;font-variant-numeric:tabular-nums}\n"
    ".kpi .l{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.06em}\n"
    ".chart td{border-bottom:0;padding:3px 8px}\n"
    ".chart td.label{width:38%;overflow-wrap:break-word}\n"
    ".chart td.barcell{width:50%}\n"
    ".chart .bar{height:12px}\n"
    ".chart.wide td.label{width:50%}\n"
    ".chart.wide td.barcell{width:38%}\n"
    ".cols{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:28px}\n"
    "@media screen and (max-width:800px){.cols,.kpis{grid-template-columns:1fr}}\n";

static double count_of(const json_t *obj, const char *key)
{
    double v;
    return rj_num(obj, key, &v) && v > 0 ? v : 0.0;
}

static void bar_row(FILE *f, const char *label, const char *type, double value, double max)
{
    char a[32];
    double w = max > 0 ? 100.0 * value / max : 0.0;
    if (!isfinite(w) || w < 0)
        w = 0;
    fputs("<tr><td class=\"label\">", f);
    rp_html(f, label);
    if (type) {
        fprintf(f, " <span class=\"badge %s\">", rp_type_class(type));
        rp_html(f, type);
        fputs("</span>", f);
    }
    fprintf(
        f,
        "</td><td class=\"barcell\"><svg class=\"bar\" viewBox=\"0 0 100 12\" "
        "preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect class=\"track\" "
        "width=\"100\" height=\"12\" rx=\"2\"/><rect class=\"%s%s\" width=\"%.1f\" height=\"12\" "
        "rx=\"2\"/></svg></td><td class=\"num\">%s</td></tr>\n",
        type ? "fill-" : "", type ? rp_type_class(type) : "val", w > 100 ? 100.0 : w,
        rp_int(value, a, sizeof a));
}

/* Largest count of an array of objects, for scaling its bars. */
static double max_count(const json_t *arr, size_t limit)
{
    double max = 0;
    for (size_t i = 0; i < rj_len(arr) && i < limit; i++) {
        double v = count_of(json_array_get(arr, i), "count");
        if (v > max)
            max = v;
    }
    return max;
}

static void countries_chart(FILE *f, const json_t *arr)
{
    char buf[128];
    fputs("<div>\n<h2>Top countries</h2>\n", f);
    if (!rj_len(arr)) {
        fputs("<p class=\"muted\">No countries recorded.</p>\n</div>\n", f);
        return;
    }
    double max = max_count(arr, STATS_TOP_COUNTRIES);
    fputs("<table class=\"chart\">\n<tbody>\n", f);
    for (size_t i = 0; i < rj_len(arr) && i < STATS_TOP_COUNTRIES; i++) {
        const json_t *c = json_array_get(arr, i);
        const char *code = rj_str(c, "country");
        bar_row(f, code ? rp_country(code, buf, sizeof buf) : "(unknown)", NULL,
                count_of(c, "count"), max);
    }
    fputs("</tbody>\n</table>\n", f);
    if (rj_len(arr) > STATS_TOP_COUNTRIES)
        fprintf(f, "<p class=\"muted\">and %zu more.</p>\n", rj_len(arr) - STATS_TOP_COUNTRIES);
    fputs("</div>\n", f);
}

static void services_chart(FILE *f, const json_t *arr)
{
    char buf[128];
    fputs("<div>\n<h2>Top services</h2>\n", f);
    if (!rj_len(arr)) {
        fputs("<p class=\"muted\">No services recorded.</p>\n</div>\n", f);
        return;
    }
    double max = max_count(arr, STATS_TOP_SERVICES);
    fputs("<table class=\"chart wide\">\n<tbody>\n", f);
    for (size_t i = 0; i < rj_len(arr) && i < STATS_TOP_SERVICES; i++) {
        const json_t *s = json_array_get(arr, i);
        const char *name = rj_str(s, "name");
        if (!name)
            name = rp_service(rj_str(s, "service"), buf, sizeof buf);
        bar_row(f, *name ? name : "(unknown)", rj_str(s, "process_type"), count_of(s, "count"),
                max);
    }
    fputs("</tbody>\n</table>\n", f);
    if (rj_len(arr) > STATS_TOP_SERVICES)
        fprintf(f, "<p class=\"muted\">and %zu more.</p>\n", rj_len(arr) - STATS_TOP_SERVICES);
    fputs("</div>\n", f);
}

static void sources_table(FILE *f, const json_t *arr)
{
    char a[32], buf[128];
    fputs("<h2>Sources</h2>\n", f);
    if (!rj_len(arr)) {
        fputs("<p class=\"muted\">Nothing imported yet.</p>\n", f);
        return;
    }
    fputs("<table>\n<thead><tr><th>Source</th><th class=\"num\">Vendors</th>"
          "<th class=\"num\">Imports</th><th>Last import</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < rj_len(arr); i++) {
        const json_t *s = json_array_get(arr, i);
        fputs("<tr><td>", f);
        rp_html(f, rj_str(s, "source"));
        fprintf(f, "</td><td class=\"num\">%s</td>", rp_int(count_of(s, "vendors"), a, sizeof a));
        fprintf(f, "<td class=\"num\">%s</td><td>", rp_int(count_of(s, "batches"), a, sizeof a));
        rp_html(f, rp_date(rj_str(s, "last_import"), buf, sizeof buf));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
}

int stats_render_html(const json_t *stats, FILE *f, struct vm_err *err)
{
    const json_t *by_type = rj_get(stats, "by_type");
    size_t counts[RP_NTYPES];
    char a[32], buf[128];
    double total;

    if (!stats || !json_is_object(stats))
        return vm_err_set(err, VM_EXIT_FAILURE, "the statistics are not a JSON object");
    for (int t = 0; t < RP_NTYPES; t++)
        counts[t] = (size_t)count_of(by_type, rp_type_names[t]);
    if (!rj_num(stats, "total", &total)) {
        total = 0;
        for (int t = 0; t < RP_NTYPES; t++)
            total += (double)counts[t];
    }

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"vendormatch\">\n"
          "<title>Vendor catalog overview</title>\n<style>\n",
          f);
    fputs(rp_html_base_css, f);
    fputs(stats_css, f);
    fputs("</style>\n</head>\n<body>\n<main>\n<header class=\"doc-head\">\n"
          "<p class=\"eyebrow\">Vendor catalog</p>\n<h1>Catalog overview</h1>\n<p class=\"meta\">",
          f);
    fprintf(f, "%s vendor%s", rp_int(total, a, sizeof a), total == 1 ? "" : "s");
    const char *generated = rj_str(stats, "generated_at");
    if (generated) {
        fputs(" &middot; generated ", f);
        rp_html(f, rp_date(generated, buf, sizeof buf));
    }
    fputs("</p>\n</header>\n<div class=\"kpis\">\n", f);
    fprintf(f, "<div class=\"kpi\"><div class=\"v\">%s</div><div class=\"l\">Vendors</div></div>\n",
            rp_int(total, a, sizeof a));
    for (int t = 0; t < RP_NTYPES; t++)
        fprintf(f,
                "<div class=\"kpi\"><div class=\"v\">%s</div><div class=\"l\"><span "
                "class=\"swatch fill-%s\"></span>%s</div></div>\n",
                rp_int((double)counts[t], a, sizeof a), rp_type_class(rp_type_names[t]),
                rp_type_names[t]);
    fputs("</div>\n<h2>BPO / KPO mix</h2>\n", f);
    rp_html_mix_chart(f, counts, "Vendors by process type");
    fputs("<div class=\"cols\">\n", f);
    countries_chart(f, rj_arr(stats, "by_country"));
    services_chart(f, rj_arr(stats, "by_service"));
    fputs("</div>\n", f);
    sources_table(f, rj_arr(stats, "sources"));
    fputs("<footer><p>Produced by vendormatch stats.</p></footer>\n</main>\n</body>\n</html>\n", f);
    if (ferror(f))
        return vm_err_set(err, VM_EXIT_FAILURE, "could not write the statistics page");
    return 0;
}
