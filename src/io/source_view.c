/*
 * source_view: see source_view.h. Every value goes through vendor_view's
 * json_text/json_join, as in the vendor views.
 */
#include "io/source_view.h"

#include <stdlib.h>
#include <string.h>

#include "io/vendor_view.h"

static const char *const list_keys[] = {"name",    "priority",    "files",     "batches",
                                        "vendors", "last_import", "column_map"};

void render_source_list(const json_t *list, enum out_format fmt, FILE *out)
{
    struct table t;
    size_t i;
    const json_t *e;
    table_init(&t, 7, list_keys);
    json_array_foreach(list, i, e)
    {
        char *cells[7];
        for (int k = 0; k < 7; k++) {
            const json_t *v = json_object_get(e, list_keys[k]);
            cells[k] = json_is_array(v) ? json_join(v, "; ") : json_text(v);
        }
        table_add_row(&t, (const char *const *)cells);
        for (int k = 0; k < 7; k++)
            free(cells[k]);
    }
    if (fmt == OUT_CSV)
        table_print_csv(&t, out);
    else
        table_print_aligned(&t, out);
    table_free(&t);
}

void render_source_detail(const json_t *s, FILE *out)
{
    static const char *const keys[] = {"name",       "priority",    "files",      "batches",
                                       "vendors",    "last_import", "created_at", "delimiter",
                                       "column_map", "header"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const json_t *v = json_object_get(s, keys[k]);
        char *text = json_is_array(v) ? json_join(v, "; ") : json_text(v);
        if (strcmp(keys[k], "delimiter") == 0 && !*text) {
            free(text);
            text = xstrdup("(detected)");
        }
        char *label = xasprintf("%s:", keys[k]);
        output_printf(out, "%-13s %s\n", label, text);
        free(label);
        free(text);
    }
    static const char *const bkeys[] = {"batch_id", "file",      "rows",     "inserted",
                                        "updated",  "unchanged", "rejected", "finished_at"};
    struct table t;
    size_t i;
    const json_t *b;
    table_init(&t, 8, bkeys);
    json_array_foreach(json_object_get(s, "imports"), i, b)
    {
        char *cells[8];
        for (int k = 0; k < 8; k++)
            cells[k] = json_text(json_object_get(b, bkeys[k]));
        table_add_row(&t, (const char *const *)cells);
        for (int k = 0; k < 8; k++)
            free(cells[k]);
    }
    fputs("\nimports:\n", out);
    table_print_aligned(&t, out);
    table_free(&t);
}

void render_source_dropped(const char *name, long records, long batches, long remerged,
                           long deleted, FILE *out)
{
    char *safe = output_terminal_safe(name);
    fprintf(out,
            "dropped source '%s': %ld record%s, %ld batch%s; %ld vendor%s merged again, %ld"
            " deleted (no other source lists them)\n",
            safe, records, records == 1 ? "" : "s", batches, batches == 1 ? "" : "es", remerged,
            remerged == 1 ? "" : "s", deleted);
    free(safe);
}

void render_source_priority(const char *name, long long priority, long remerged, FILE *out)
{
    char *safe = output_terminal_safe(name);
    fprintf(out, "source '%s': priority %lld; %ld shared vendor%s merged again\n", safe, priority,
            remerged, remerged == 1 ? "" : "s");
    free(safe);
}
