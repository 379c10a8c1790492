/*
 * vendor_view: aligned tables and CSV for vendors and catalog statistics.
 * Every value goes through json_text/json_join so null, numbers and arrays
 * print the same way in every view.
 */
#include "io/vendor_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "io/output.h"

char *json_text(const json_t *v)
{
    if (!v || json_is_null(v))
        return xstrdup("");
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v))
        return xasprintf("%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) {
        double d = json_real_value(v);
        return d == floor(d) && fabs(d) < 1e15 ? xasprintf("%.0f", d) : xasprintf("%.2f", d);
    }
    if (json_is_boolean(v))
        return xstrdup(json_is_true(v) ? "yes" : "no");
    if (json_is_array(v))
        return json_join(v, "; ");
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    char *copy = xstrdup(s ? s : "");
    free(s);
    return copy;
}

char *json_join(const json_t *arr, const char *sep)
{
    struct sbuf b;
    size_t i;
    json_t *e;
    sbuf_init(&b);
    sbuf_puts(&b, "");
    if (json_is_array(arr)) {
        json_array_foreach(arr, i, e)
        {
            char *t = json_text(e);
            if (i)
                sbuf_puts(&b, sep);
            sbuf_puts(&b, t);
            free(t);
        }
    }
    return sbuf_detach(&b);
}

/* A vendor's rate with its currency ("$25-49/h", "< $25/h"; money.h), ""
 * when it has none. Malloc'd. */
static char *rate_text(const json_t *v)
{
    const json_t *lo = json_object_get(v, "rate_min"), *hi = json_object_get(v, "rate_max");
    char text[128];
    money_rate_text(text, sizeof text, json_string_value(json_object_get(v, "currency")),
                    json_is_number(lo), json_number_value(lo), json_is_number(hi),
                    json_number_value(hi));
    return xstrdup(text);
}

/* A vendor's headcount as the range it is ("51-200", "10000+", "< 50",
 * "500"), as match's reasons write it; "" when unknown. Malloc'd. */
static char *employees_text(const json_t *v)
{
    const json_t *lo = json_object_get(v, "employees_min"),
                 *hi = json_object_get(v, "employees_max");
    long long l = json_integer_value(lo), h = json_integer_value(hi);
    if (json_is_integer(lo) && json_is_integer(hi))
        return l == h ? xasprintf("%lld", l) : xasprintf("%lld-%lld", l, h);
    if (json_is_integer(lo))
        return xasprintf("%lld+", l);
    return json_is_integer(hi) ? xasprintf("< %lld", h) : xstrdup("");
}

/* Fills cells[i] with the text of obj[keys[i]] ("rate_text": the rate with
 * its currency, "employees_text": the headcount range); caller frees the cells. */
static void row_cells(const json_t *obj, const char *const *keys, size_t n, char **cells)
{
    for (size_t i = 0; i < n; i++)
        cells[i] = strcmp(keys[i], "rate_text") == 0 ? rate_text(obj)
                   : strcmp(keys[i], "employees_text") == 0
                       ? employees_text(obj)
                       : json_text(json_object_get(obj, keys[i]));
}

static void print_table(struct table *t, enum out_format fmt, FILE *out)
{
    if (fmt == OUT_CSV)
        table_print_csv(t, out);
    else
        table_print_aligned(t, out);
}

/* A table of the given keys of each object in rows, headed by headers. */
static void print_objects(const json_t *rows, const char *const *keys, const char *const *headers,
                          size_t n, enum out_format fmt, FILE *out)
{
    struct table t;
    char **cells = xcalloc(n, sizeof *cells);
    size_t i;
    json_t *row;
    table_init(&t, n, headers);
    json_array_foreach(rows, i, row)
    {
        row_cells(row, keys, n, cells);
        table_add_row(&t, (const char *const *)cells);
        for (size_t k = 0; k < n; k++)
            free(cells[k]);
    }
    print_table(&t, fmt, out);
    table_free(&t);
    free(cells);
}

static const char *const list_keys_table[] = {"id",      "name",     "process_type",   "confidence",
                                              "country", "services", "employees_text", "rate_text",
                                              "rating"};
static const char *const list_headers_table[] = {
    "ID", "NAME", "TYPE", "CONF", "COUNTRY", "SERVICES", "EMPLOYEES", "RATE", "RATING"};
static const char *const list_keys_csv[] = {
    "id",           "name",           "website",       "country",       "city",
    "process_type", "confidence",     "tag_manual",    "services",      "industries",
    "languages",    "certifications", "employees_min", "employees_max", "rate_min",
    "rate_max",     "currency",       "rating",        "founded",       "source",
    "extra"};

int render_vendor_list(const json_t *rows, enum out_format fmt, FILE *out, struct vm_err *err)
{
    if (fmt == OUT_JSON)
        return json_print(out, rows) ? vm_err_set(err, VM_EXIT_FAILURE, "write error") : 0;
    if (fmt == OUT_CSV)
        print_objects(rows, list_keys_csv, list_keys_csv,
                      sizeof list_keys_csv / sizeof *list_keys_csv, fmt, out);
    else
        print_objects(rows, list_keys_table, list_headers_table,
                      sizeof list_keys_table / sizeof *list_keys_table, fmt, out);
    return 0;
}

/* "label            text" on one line; text made safe (OUT_SAFE_LINE), so a
 * newline or an escape in vendor text cannot forge or hide a line. */
static void detail_text(FILE *out, const char *label, const char *text)
{
    if (!*text)
        return;
    char *safe_label = output_terminal_safe(label), *safe = output_terminal_safe(text);
    fprintf(out, "%-16s %s\n", safe_label, safe);
    free(safe);
    free(safe_label);
}

static void detail_line(FILE *out, const char *label, const json_t *v)
{
    char *t = json_text(v);
    detail_text(out, label, t);
    free(t);
}

/* "label  text  (from "original")": text made from several keys (rate_text,
 * employees_text; freed here), the original when it differs. */
static void detail_made(FILE *out, const json_t *v, const char *label, char *text,
                        const char *raw_key)
{
    char *raw = json_text(json_object_get(v, raw_key));
    char *line =
        *raw && strcmp(raw, text) ? xasprintf("%s  (from \"%s\")", text, raw) : xstrdup(text);
    detail_text(out, label, line);
    free(line);
    free(raw);
    free(text);
}

/* "label: normalised (original)" when the original text differs. */
static void detail_pair(FILE *out, const json_t *v, const char *label, const char *key,
                        const char *raw_key)
{
    char *norm = json_text(json_object_get(v, key));
    char *raw = raw_key ? json_text(json_object_get(v, raw_key)) : xstrdup("");
    if (*norm || *raw) {
        char *line =
            *raw && strcmp(raw, norm) ? xasprintf("%s  (from \"%s\")", norm, raw) : xstrdup(norm);
        detail_text(out, label, line);
        free(line);
    }
    free(norm);
    free(raw);
}

static void detail_tag(FILE *out, const json_t *v)
{
    char *type = json_text(json_object_get(v, "process_type"));
    char *conf = json_text(json_object_get(v, "confidence"));
    char *line;
    if (json_is_true(json_object_get(v, "tag_manual"))) {
        char *reason = json_text(json_object_get(v, "manual_reason"));
        char *computed = json_text(json_object_get(v, "computed_type"));
        line = xasprintf("%s (manual: %s; computed %s)", type, reason, computed);
        free(reason);
        free(computed);
    } else {
        line = xasprintf("%s (confidence %s)", type, conf);
    }
    detail_text(out, "tag", line);
    free(line);
    free(type);
    free(conf);
}

static void detail_evidence(FILE *out, const json_t *ev)
{
    static const char *const keys[] = {"field", "phrase", "category", "side", "stage", "weight"};
    static const char *const headers[] = {"FIELD", "PHRASE", "CATEGORY", "SIDE", "STAGE", "WEIGHT"};
    if (!json_is_array(ev) || json_array_size(ev) == 0) {
        fputs("\nevidence: none (no service or description phrase matched the taxonomy)\n", out);
        return;
    }
    fputs("\nevidence:\n", out);
    print_objects(ev, keys, headers, 6, OUT_TABLE, out);
}

/* One line per source, best first: its priority and the values it gave the
 * merged row; then one line per field the sources disagree on. */
static void detail_provenance(FILE *out, const json_t *v)
{
    size_t i, k;
    json_t *e, *x;
    json_array_foreach(json_object_get(v, "provenance"), i, e)
    {
        char *src = json_text(json_object_get(e, "source"));
        char *prio = json_text(json_object_get(e, "priority"));
        char *fields = json_join(json_object_get(e, "fields"), ", ");
        char *line = xasprintf("%s (priority %s): %s", src, prio,
                               *fields ? fields : "(no value used: the others win or agree)");
        detail_text(out, i ? "" : "sources", line);
        free(line);
        free(fields);
        free(prio);
        free(src);
    }
    json_array_foreach(json_object_get(v, "conflicts"), i, e)
    {
        struct sbuf b;
        sbuf_init(&b);
        char *field = json_text(json_object_get(e, "field"));
        sbuf_puts(&b, field);
        json_array_foreach(json_object_get(e, "values"), k, x)
        {
            char *val = json_text(json_object_get(x, "value"));
            char *src = json_text(json_object_get(x, "source"));
            sbuf_printf(&b, "%s %s from %s", k ? "," : "", val, src);
            free(val);
            free(src);
        }
        detail_text(out, i ? "" : "conflicts", b.data);
        free(field);
        sbuf_free(&b);
    }
}

int render_vendor_detail(const json_t *v, FILE *out, struct vm_err *err)
{
    detail_line(out, "id", json_object_get(v, "id"));
    detail_line(out, "name", json_object_get(v, "name"));
    detail_tag(out, v);
    detail_pair(out, v, "website", "website", "website_raw");
    detail_pair(out, v, "country", "country", "country_raw");
    detail_line(out, "city", json_object_get(v, "city"));
    detail_pair(out, v, "services", "services", "services_raw");
    detail_line(out, "unmatched", json_object_get(v, "unknown_phrases"));
    detail_pair(out, v, "industries", "industries", "industries_raw");
    detail_pair(out, v, "languages", "languages", "languages_raw");
    detail_pair(out, v, "certifications", "certifications", "certifications_raw");
    detail_made(out, v, "employees", employees_text(v), "employees_raw");
    detail_made(out, v, "rate", rate_text(v), "rate_raw");
    detail_pair(out, v, "rating", "rating", "rating_raw");
    detail_pair(out, v, "founded", "founded", "founded_raw");
    detail_pair(out, v, "delivery", "delivery", "delivery_raw");
    detail_line(out, "email", json_object_get(v, "email"));
    detail_line(out, "phone", json_object_get(v, "phone"));
    detail_line(out, "expertise", json_object_get(v, "expertise"));
    detail_line(out, "data security", json_object_get(v, "data_security"));
    detail_line(out, "description", json_object_get(v, "description"));
    if (json_array_size(json_object_get(v, "provenance")))
        detail_provenance(out, v);
    else
        detail_line(out, "sources", json_object_get(v, "sources"));
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)json_object_get(v, "extra"), key, val)
    {
        char *label = xasprintf("extra[%s]", key);
        detail_line(out, label, val);
        free(label);
    }
    detail_evidence(out, json_object_get(v, "evidence"));
    (void)err;
    return 0;
}

/* CSV of statistics: one long table of (dimension, value, label, vendors). */
static void stats_csv(const json_t *stats, FILE *out)
{
    static const char *const types[] = {"BPO", "KPO", "HYBRID", "UNCLASSIFIED"};
    static const char *const hdr[] = {"dimension", "value", "label", "vendors"};
    const json_t *by_type = json_object_get(stats, "by_type");
    struct table t;
    size_t i;
    json_t *e;
    table_init(&t, 4, hdr);
    for (i = 0; i < 4; i++) {
        char *n = json_text(json_object_get(by_type, types[i]));
        const char *row[] = {"process_type", types[i], types[i], n};
        table_add_row(&t, row);
        free(n);
    }
    json_array_foreach(json_object_get(stats, "by_country"), i, e)
    {
        char *c = json_text(json_object_get(e, "country")),
             *n = json_text(json_object_get(e, "count"));
        const char *row[] = {"country", c, c, n};
        table_add_row(&t, row);
        free(c);
        free(n);
    }
    json_array_foreach(json_object_get(stats, "by_service"), i, e)
    {
        char *s = json_text(json_object_get(e, "service")),
             *l = json_text(json_object_get(e, "name"));
        char *n = json_text(json_object_get(e, "count"));
        const char *row[] = {"service", s, l, n};
        table_add_row(&t, row);
        free(s);
        free(l);
        free(n);
    }
    table_print_csv(&t, out);
    table_free(&t);
}

int render_stats(const json_t *stats, enum out_format fmt, FILE *out, struct vm_err *err)
{
    static const char *const type_names[] = {"BPO", "KPO", "HYBRID", "UNCLASSIFIED"};
    static const char *const tk[] = {"process_type", "count"}, *const th[] = {"TYPE", "VENDORS"};
    static const char *const ck[] = {"country", "count"}, *const ch[] = {"COUNTRY", "VENDORS"};
    static const char *const sk[] = {"service", "name", "process_type", "count"};
    static const char *const sh[] = {"SERVICE", "NAME", "SIDE", "VENDORS"};
    if (fmt == OUT_JSON)
        return json_print(out, stats) ? vm_err_set(err, VM_EXIT_FAILURE, "write error") : 0;
    if (fmt == OUT_CSV) {
        stats_csv(stats, out);
        return 0;
    }
    json_t *types = json_array();
    for (size_t i = 0; i < 4; i++)
        json_array_append_new(
            types, json_pack("{s:s,s:O}", "process_type", type_names[i], "count",
                             json_object_get(json_object_get(stats, "by_type"), type_names[i])));
    fprintf(out, "vendors: %lld\n\n",
            (long long)json_integer_value(json_object_get(stats, "total")));
    print_objects(types, tk, th, 2, fmt, out);
    json_decref(types);
    fputs("\ntop countries:\n", out);
    print_objects(json_object_get(stats, "by_country"), ck, ch, 2, fmt, out);
    fputs("\ntop services:\n", out);
    print_objects(json_object_get(stats, "by_service"), sk, sh, 4, fmt, out);
    return 0;
}
