/*
 * tag_view: see tag_view.h. The explanation's table has one row per piece
 * of evidence; a vendor without any still gets a row.
 */
#include "io/tag_view.h"

#include <stdlib.h>

int render_retag_summary(long vendors, long tags_changed, long updated, double secs,
                         enum out_format fmt, FILE *out)
{
    if (fmt == OUT_JSON) {
        json_t *o =
            json_pack("{s:I, s:I, s:I, s:f}", "vendors", (json_int_t)vendors, "tags_changed",
                      (json_int_t)tags_changed, "updated", (json_int_t)updated, "seconds", secs);
        int rc = json_print(out, o);
        json_decref(o);
        return rc;
    }
    if (fmt == OUT_CSV) {
        fprintf(out, "vendors,tags_changed,updated,seconds\n%ld,%ld,%ld,%.3f\n", vendors,
                tags_changed, updated, secs);
        return 0;
    }
    fprintf(out, "classified %ld vendor%s: %ld tag%s changed, %ld updated (%.2f s)\n", vendors,
            vendors == 1 ? "" : "s", tags_changed, tags_changed == 1 ? "" : "s", updated, secs);
    return 0;
}

static const char *const explain_headers[] = {"vendor", "name",  "tag",   "phrase", "category",
                                              "side",   "stage", "field", "weight"};

/* Adds one vendor's evidence rows to the table (or a single row if it has none). */
static void explain_rows(struct table *tb, const char *id, const char *name, const char *tag,
                         const json_t *evidence)
{
    size_t i;
    const json_t *e;
    char wbuf[32];
    if (json_array_size(evidence) == 0) {
        const char *cells[9] = {id, name, tag, NULL, NULL, NULL, NULL, NULL, NULL};
        table_add_row(tb, cells);
        return;
    }
    json_array_foreach(evidence, i, e)
    {
        snprintf(wbuf, sizeof wbuf, "%.3f", json_number_value(json_object_get(e, "weight")));
        const char *cells[9] = {id,
                                name,
                                tag,
                                json_string_value(json_object_get(e, "phrase")),
                                json_string_value(json_object_get(e, "category")),
                                json_string_value(json_object_get(e, "side")),
                                json_string_value(json_object_get(e, "stage")),
                                json_string_value(json_object_get(e, "field")),
                                wbuf};
        table_add_row(tb, cells);
    }
}

int render_tag_explain(const json_t *all, enum out_format fmt, FILE *out, struct vm_err *err)
{
    struct table tb;
    size_t i;
    const json_t *v;
    if (fmt == OUT_JSON)
        return json_print(out, all) ? vm_err_set(err, VM_EXIT_FAILURE, "writing output") : 0;
    table_init(&tb, 9, explain_headers);
    json_array_foreach(all, i, v)
    {
        const char *manual = json_string_value(json_object_get(v, "manual_type"));
        const char *computed = json_string_value(json_object_get(v, "computed_type"));
        double conf = json_number_value(json_object_get(v, "confidence"));
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(v, "id")));
        char *tag = manual ? xasprintf("%s (manual: %s; computed %s %.2f)", manual,
                                       json_string_value(json_object_get(v, "manual_reason")),
                                       computed, conf)
                           : xasprintf("%s %.2f", computed, conf);
        explain_rows(&tb, id, json_string_value(json_object_get(v, "name")), tag,
                     json_object_get(v, "evidence"));
        free(tag);
    }
    if (fmt == OUT_CSV)
        table_print_csv(&tb, out);
    else
        table_print_aligned(&tb, out);
    table_free(&tb);
    return 0;
}
