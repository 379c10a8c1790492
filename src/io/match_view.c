/*
 * match_view: the match document as a person and a spreadsheet read it
 * (match_view.h). Every view works from the document alone, so a shortlist
 * saved months ago reads the same way as a fresh match. The table keeps to
 * MATCH_VIEW_WIDTH columns by narrowing its widest cells (output.c); the
 * --explain blocks wrap instead, so no reason is ever cut.
 */
#include "io/match_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/need.h"
#include "core/normalize.h"
#include "core/score.h"
#include "io/report_common.h"

/* Text of a JSON scalar for a table cell ("" for null). */
static void cell_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v))
        snprintf(buf, size, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, size, "%.2f", json_real_value(v));
    else
        buf[0] = '\0';
}

/* obj[key] as a string, "" when absent or not a string (an old or
 * hand-edited shortlist). */
static const char *str_of(const json_t *obj, const char *key)
{
    const char *s = rj_str(obj, key);
    return s ? s : "";
}

static char *joined(const json_t *arr, const char *sep)
{
    struct sbuf b;
    size_t i;
    json_t *s;
    sbuf_init(&b);
    sbuf_puts(&b, "");
    json_array_foreach(arr, i, s)
    {
        if (i)
            sbuf_puts(&b, sep);
        sbuf_puts(&b, json_string_value(s) ? json_string_value(s) : "");
    }
    return sbuf_detach(&b);
}

/* ---- CSV: every column, one row per result and near miss --------------- */

enum {
    RCOL_NEED,
    RCOL_STATUS,
    RCOL_RANK,
    RCOL_ID,
    RCOL_NAME,
    RCOL_TYPE,
    RCOL_SCORE,
    RCOL_COUNTRY,
    RCOL_RATING,
    RCOL_RATE,
    RCOL_CURRENCY,
    RCOL_RATE_TEXT,
    RCOL_UNVERIFIED,
    RCOL_CRIT,
    RCOL_REASONS = RCOL_CRIT + CRIT_COUNT,
    RCOL_COUNT
};

static const char *const row_headers[RCOL_COUNT] = {
    "need",       "status",           "rank",     "vendor_id",     "name",     "type",
    "score",      "country",          "rating",   "rate_from",     "currency", "rate",
    "unverified", "service_coverage", "industry", "rating_points", "price",    "capacity",
    "languages",  "confidence",       "reasons",
};

/* One result or excluded vendor as a row of RCOL_COUNT cells. */
static void doc_row(const json_t *doc, const json_t *e, bool excluded, struct table *t)
{
    char buf[RCOL_COUNT][64];
    const char *cells[RCOL_COUNT];
    const json_t *vendor = json_object_get(e, "vendor");
    const json_t *bd = json_object_get(e, "breakdown");
    char *reasons = joined(json_object_get(e, "reasons"), "; ");
    char *unverified = joined(json_object_get(e, "unverified"), ",");
    for (int i = 0; i < RCOL_COUNT; i++)
        cells[i] = buf[i];
    cell_text(json_object_get(json_object_get(doc, "need"), "name"), buf[RCOL_NEED], 64);
    snprintf(buf[RCOL_STATUS], 64, "%s", excluded ? "excluded" : "result");
    cell_text(json_object_get(e, "rank"), buf[RCOL_RANK], 64);
    cell_text(json_object_get(e, "vendor_id"), buf[RCOL_ID], 64);
    cells[RCOL_NAME] = json_string_value(json_object_get(e, "name"));
    cell_text(json_object_get(e, "process_type"), buf[RCOL_TYPE], 64);
    cell_text(json_object_get(e, excluded ? "would_be_score" : "score"), buf[RCOL_SCORE], 64);
    cell_text(json_object_get(vendor, "country"), buf[RCOL_COUNTRY], 64);
    cell_text(json_object_get(vendor, "rating"), buf[RCOL_RATING], 64);
    cell_text(json_object_get(vendor, "rate_min"), buf[RCOL_RATE], 64);
    cell_text(json_object_get(vendor, "currency"), buf[RCOL_CURRENCY], 64);
    cell_text(json_object_get(vendor, "rate_text"), buf[RCOL_RATE_TEXT], 64);
    for (int c = 0; c < CRIT_COUNT; c++)
        cell_text(json_object_get(bd, criterion_name(c)), buf[RCOL_CRIT + c], 64);
    cells[RCOL_UNVERIFIED] = unverified;
    cells[RCOL_REASONS] = reasons;
    table_add_row(t, cells);
    free(reasons);
    free(unverified);
}

static void add_doc_csv_rows(const json_t *doc, bool explain, struct table *t)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "results"), i, e) doc_row(doc, e, false, t);
    if (explain)
        json_array_foreach(json_object_get(doc, "excluded"), i, e) doc_row(doc, e, true, t);
}

/* ---- the table: what a person reads first ------------------------------ */

/* The criterion on which a result lost the most points (its weight in the
 * need less the points it got), or -1 when it lost under half a point. */
static int weakest_criterion(const json_t *doc, const json_t *e)
{
    const json_t *weights = json_object_get(doc, "weights");
    const json_t *bd = json_object_get(e, "breakdown");
    int worst = -1;
    double most = 0.5;
    for (int c = 0; c < CRIT_COUNT; c++) {
        const json_t *w = json_object_get(weights, criterion_name(c));
        const json_t *p = json_object_get(bd, criterion_name(c));
        double lost = json_number_value(w) - json_number_value(p);
        if (json_is_number(w) && json_is_number(p) && lost > most) {
            most = lost;
            worst = c;
        }
    }
    return worst;
}

/* The one reason the table shows: the one about the criterion that cost
 * the vendor the most points (what to ask the vendor about first), else
 * its first reason. */
static const char *short_reason(const json_t *doc, const json_t *e)
{
    const json_t *reasons = json_object_get(e, "reasons");
    int worst = weakest_criterion(doc, e);
    size_t i;
    json_t *r;
    json_array_foreach(reasons, i, r)
    {
        if (worst >= 0 && json_is_string(r) &&
            score_reason_criterion(json_string_value(r)) == worst)
            return json_string_value(r);
    }
    return json_string_value(json_array_get(reasons, 0));
}

/* Whether e passed a constraint its catalog does not state. */
static bool has_unverified(const json_t *e)
{
    return json_array_size(json_object_get(e, "unverified")) > 0;
}

static void print_ranking(FILE *f, const json_t *doc)
{
    static const char *const headers[] = {"rank",    "score", "name",  "type",
                                          "country", "rate",  "reason"};
    struct table t;
    size_t i;
    json_t *e;
    table_init(&t, sizeof headers / sizeof *headers, headers);
    t.max_width = 60;
    t.fit = MATCH_VIEW_WIDTH;
    bool any_unverified = false;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        const json_t *vendor = json_object_get(e, "vendor");
        char rank[32], score[32], type[32], country[32], rate[64];
        cell_text(json_object_get(e, "rank"), rank, sizeof rank);
        cell_text(json_object_get(e, "score"), score, sizeof score - 1);
        if (has_unverified(e)) {
            strcat(score, "?");
            any_unverified = true;
        }
        cell_text(json_object_get(e, "process_type"), type, sizeof type);
        cell_text(json_object_get(vendor, "country"), country, sizeof country);
        cell_text(json_object_get(vendor, "rate_text"), rate, sizeof rate);
        const char *row[] = {rank,
                             score,
                             json_string_value(json_object_get(e, "name")),
                             type,
                             country,
                             rate,
                             short_reason(doc, e)};
        table_add_row(&t, row);
    }
    table_print_aligned(&t, f);
    table_free(&t);
    if (any_unverified)
        output_print_wrapped(f, "", "  ",
                             "? passed a constraint the catalog does not state: unverified, "
                             "no points for it (--explain says which)",
                             MATCH_VIEW_WIDTH);
}

/* ---- --explain: one block per vendor, then the near misses ------------- */

#define EXPLAIN_INDENT "             " /* under the text of a labelled line */

void match_explain_line(FILE *f, const char *label, const char *text)
{
    char *first = xasprintf("    %-8s ", label);
    output_print_wrapped(f, first, EXPLAIN_INDENT, text, MATCH_VIEW_WIDTH);
    free(first);
}

/* "80.63 of 100: service_coverage 40/40, industry 10/10, ..." */
static char *points_line(const json_t *doc, const json_t *e)
{
    const json_t *weights = json_object_get(doc, "weights");
    const json_t *bd = json_object_get(e, "breakdown");
    char a[32], b[32];
    struct sbuf s;
    sbuf_init(&s);
    sbuf_printf(&s,
                "%s of 100:", rp_num(json_number_value(json_object_get(e, "score")), a, sizeof a));
    for (int c = 0; c < CRIT_COUNT; c++) {
        rp_num(json_number_value(json_object_get(bd, criterion_name(c))), a, sizeof a);
        sbuf_printf(&s, "%s %s %s/", c ? "," : "", criterion_name(c), a);
        sbuf_puts(&s, rp_num(json_number_value(json_object_get(weights, criterion_name(c))), b,
                             sizeof b));
    }
    return sbuf_detach(&s);
}

void match_explain_block(FILE *f, const json_t *doc, const json_t *result)
{
    const json_t *vendor = json_object_get(result, "vendor");
    const char *code = json_string_value(json_object_get(vendor, "country"));
    const char *country = norm_country_name(code);
    char rank[32], id[32];
    cell_text(json_object_get(result, "rank"), rank, sizeof rank);
    cell_text(json_object_get(result, "vendor_id"), id, sizeof id);
    struct sbuf head;
    sbuf_init(&head);
    sbuf_printf(&head, "%s (vendor %s, %s", str_of(result, "name"), id,
                str_of(result, "process_type"));
    if (country || code)
        sbuf_printf(&head, ", %s", country ? country : code);
    if (*str_of(vendor, "rate_text"))
        sbuf_printf(&head, ", %s", str_of(vendor, "rate_text"));
    sbuf_puts(&head, ")");
    char *first = xasprintf("#%s  ", rank);
    output_print_wrapped(f, first, "    ", head.data, MATCH_VIEW_WIDTH);
    free(first);
    sbuf_free(&head);

    char *points = points_line(doc, result);
    match_explain_line(f, "points", points);
    free(points);
    size_t i, shown = 0;
    json_t *r;
    struct sbuf unknown; /* the unverified reasons, apart: claims to check */
    sbuf_init(&unknown);
    sbuf_puts(&unknown, "");
    json_array_foreach(json_object_get(result, "reasons"), i, r)
    {
        const char *text = json_string_value(r);
        if (!rp_is_unverified_reason(result, text)) {
            match_explain_line(f, shown++ ? "" : "reasons", text);
            continue;
        }
        char *claim = rp_unverified_claim(text);
        sbuf_printf(&unknown, "%s%s", unknown.len ? "; " : "", claim);
        free(claim);
    }
    if (unknown.len)
        match_explain_line(f, "unknown", unknown.data);
    sbuf_free(&unknown);
    char *robust = rp_robust_plain(result); /* NULL for a shortlist saved before */
    if (robust)
        match_explain_line(f, "robust", robust);
    free(robust);
}

/* After the blocks: how the robustness figures were drawn and the weight
 * change that would put #2 first (nothing for a document saved before
 * robustness existed). */
static void print_robustness_method(FILE *f, const json_t *doc)
{
    char *method = rp_robust_method_plain(doc), *swap = rp_swap_plain(doc);
    if (method || swap)
        fputc('\n', f);
    if (method)
        output_print_wrapped(f, "", "", method, MATCH_VIEW_WIDTH);
    if (swap)
        output_print_wrapped(f, "", "", swap, MATCH_VIEW_WIDTH);
    free(method);
    free(swap);
}

static void print_near_misses(FILE *f, const json_t *excluded)
{
    size_t i;
    json_t *e;
    fputs("\nnear misses (excluded by one constraint; the score each would have had):\n", f);
    json_array_foreach(excluded, i, e)
    {
        char score[32];
        char *why = joined(json_object_get(e, "reasons"), "; ");
        char *facts = rp_unverified(e);
        if (facts) {
            char *more = xasprintf("%s; unverified: %s", why, facts);
            free(why);
            free(facts);
            why = more;
        }
        cell_text(json_object_get(e, "would_be_score"), score, sizeof score);
        char *text =
            xasprintf("%s (%s, %s): %s", str_of(e, "name"), str_of(e, "process_type"), score, why);
        output_print_wrapped(f, "  ", "      ", text, MATCH_VIEW_WIDTH);
        free(text);
        free(why);
    }
}

static void print_doc_table(FILE *f, const json_t *doc, bool explain)
{
    const json_t *name = json_object_get(json_object_get(doc, "need"), "name");
    const json_t *results = json_object_get(doc, "results");
    const json_t *excluded = json_object_get(doc, "excluded");
    size_t i;
    json_t *e;
    if (json_is_string(name))
        output_print_wrapped(f, "== need: ", "   ", json_string_value(name), MATCH_VIEW_WIDTH);
    output_print_wrapped(f, "", "", str_of(doc, "process_type_reason"), MATCH_VIEW_WIDTH);
    if (json_array_size(results) == 0)
        fputs("no vendor meets every constraint\n", f);
    else
        print_ranking(f, doc);
    if (!explain)
        return;
    json_array_foreach(results, i, e)
    {
        fputc('\n', f);
        match_explain_block(f, doc, e);
    }
    print_robustness_method(f, doc);
    if (json_array_size(excluded) > 0)
        print_near_misses(f, excluded);
}

int match_doc_print(FILE *f, const json_t *docs, enum out_format fmt, bool explain)
{
    size_t i;
    json_t *d;
    if (fmt == OUT_JSON)
        return json_print(f, docs);
    if (fmt == OUT_CSV) {
        struct table t;
        table_init(&t, RCOL_COUNT, row_headers);
        if (json_is_array(docs))
            json_array_foreach(docs, i, d) add_doc_csv_rows(d, explain, &t);
        else
            add_doc_csv_rows(docs, explain, &t);
        table_print_csv(&t, f);
        table_free(&t);
    } else if (json_is_array(docs)) {
        json_array_foreach(docs, i, d)
        {
            if (i)
                fputc('\n', f);
            print_doc_table(f, d, explain);
        }
    } else {
        print_doc_table(f, docs, explain);
    }
    return ferror(f) ? -1 : 0;
}

/* ---- the list of saved shortlists -------------------------------------- */

int match_list_print(FILE *f, const json_t *list, enum out_format fmt)
{
    static const char *const headers[] = {"id",   "name",    "created_at",
                                          "type", "results", "services"};
    static const char *const keys[] = {"id",           "name",    "created_at",
                                       "process_type", "results", "services"};
    struct table t;
    size_t i;
    json_t *e;
    table_init(&t, 6, headers);
    json_array_foreach(list, i, e)
    {
        char cells[6][512];
        const char *row[6];
        for (int k = 0; k < 6; k++) {
            const json_t *v = json_object_get(e, keys[k]);
            if (json_is_integer(v))
                snprintf(cells[k], sizeof cells[k], "%lld", (long long)json_integer_value(v));
            else
                snprintf(cells[k], sizeof cells[k], "%s", json_string_value(v));
            row[k] = cells[k];
        }
        table_add_row(&t, row);
    }
    if (fmt == OUT_CSV)
        table_print_csv(&t, f);
    else
        table_print_aligned(&t, f);
    table_free(&t);
    return ferror(f) ? -1 : 0;
}
