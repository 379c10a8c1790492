/*
 * import report (workflow): what an import shows. Each file's summary as it
 * commits: the counts (table on stdout, or one JSON object per file, see
 * docs/json.md), what was understood of the file (on stderr, every header
 * and value made safe to print) and how its header differs from its
 * source's last one; app_import_report runs the import and prints them,
 * so a command only parses its options.
 */
#include "app/import.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/output.h"

/* ---- the JSON summary ---- */

/* Header text as a JSON string: exact when it is UTF-8 (json_print escapes
 * what output_char_unsafe names), the safe text otherwise. */
static json_t *json_header(const char *text)
{
    json_t *v = json_string(text);
    if (!v) {
        char *safe = output_terminal_safe(text);
        v = json_string(safe);
        free(safe);
    }
    return v;
}

static json_t *json_headers(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->len; i++)
        json_array_append_new(a, json_header(l->items[i]));
    return a;
}

/* null, or {"added": [...], "removed": [...], "moved": [{"field", "header", "was"}]} */
static json_t *header_change_json(const struct header_diff *d)
{
    if (header_diff_empty(d))
        return json_null();
    json_t *moved = json_array();
    for (size_t i = 0; i < d->nmoved; i++)
        json_array_append_new(moved, json_pack("{s:s, s:o, s:o}", "field",
                                               vendor_field_name(d->moved[i].field), "header",
                                               json_header(d->moved[i].header), "was",
                                               json_header(d->moved[i].was)));
    return json_pack("{s:o, s:o, s:o}", "added", json_headers(&d->added), "removed",
                     json_headers(&d->removed), "moved", moved);
}

/* "columns", "header_change", "extra_columns", "unclassified", "not_normalised" and
 * "not_normalised_examples" of the JSON summary (docs/json.md). */
static void understood_json(json_t *o, const struct app_import_understood *u)
{
    json_t *cols = json_array(), *unread = json_object(), *examples = json_object();
    for (size_t i = 0; i < u->ncolumns; i++)
        json_array_append_new(cols, json_pack("{s:o, s:s, s:b}", "header",
                                              json_header(u->columns[i].header), "field",
                                              vendor_field_name(u->columns[i].field), "from_map",
                                              u->columns[i].from_map));
    for (int f = 0; f < VF_COUNT; f++) {
        if (!vendor_field_normalised((enum vendor_field)f))
            continue;
        const char *name = vendor_field_name((enum vendor_field)f);
        json_object_set_new(unread, name, json_integer(u->unread[f]));
        if (u->unread_example[f])
            json_object_set_new(examples, name, json_header(u->unread_example[f]));
    }
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "header_change", header_change_json(&u->header_change));
    json_object_set_new(o, "extra_columns", json_headers(&u->extra));
    json_object_set_new(o, "unclassified",
                        u->classified ? json_integer(u->unclassified) : json_null());
    json_object_set_new(o, "not_normalised", unread);
    json_object_set_new(o, "not_normalised_examples", examples);
}

json_t *app_import_summary_json(const struct app_import_file *f)
{
    const struct import_counts *n = &f->counts;
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "file",
                          f->file, "source", f->source, "rows", (json_int_t)n->rows, "inserted",
                          (json_int_t)n->inserted, "updated", (json_int_t)n->updated, "unchanged",
                          (json_int_t)n->unchanged, "merged", (json_int_t)n->merged, "rejected",
                          (json_int_t)n->rejected, "retired", (json_int_t)n->retired, "batch_id",
                          (json_int_t)n->batch_id, "seconds",
                          (double)(long long)(f->seconds * 1000 + 0.5) / 1000);
    if (f->dry_run) /* the batch was rolled back: no id to give */
        json_object_set_new(o, "batch_id", json_null());
    json_object_set_new(o, "dry_run", json_boolean(f->dry_run));
    understood_json(o, &f->understood);
    const struct app_rate_origin *r = &f->rate;
    json_object_set_new(o, "rate_currency",
                        r->has_rate_column ? json_string(r->currency) : json_null());
    json_object_set_new(o, "rate_currency_from",
                        r->has_rate_column ? json_string(r->from) : json_null());
    return o;
}

/* ---- what was understood, on stderr ---- */

#define UNDERSTOOD_WIDTH 100 /* a line wraps before this many columns */
#define EXAMPLE_MAX_CHARS 32 /* a longer example cell is cut, with "..." */

/* Lines of "LABEL: item, item, ..." wrapped under the label's indent. */
struct wrapped_line {
    struct sbuf b;
    size_t width; /* display width of the current line */
    size_t items;
};

static void wrapped_start(struct wrapped_line *w, const char *label)
{
    sbuf_init(&w->b);
    sbuf_printf(&w->b, "  %s:", label);
    w->width = output_display_width(w->b.data);
    w->items = 0;
}

/* Adds one item, already made safe to print. */
static void wrapped_add(struct wrapped_line *w, const char *item)
{
    size_t iw = output_display_width(item);
    if (w->items && w->width + 2 + iw > UNDERSTOOD_WIDTH) {
        sbuf_puts(&w->b, ",\n   ");
        w->width = 3;
    } else if (w->items) {
        sbuf_putc(&w->b, ',');
        w->width++;
    }
    sbuf_putc(&w->b, ' ');
    sbuf_puts(&w->b, item);
    w->width += 1 + iw;
    w->items++;
}

static void wrapped_end(struct wrapped_line *w, FILE *out)
{
    if (!w->items)
        sbuf_puts(&w->b, " none");
    fprintf(out, "%s\n", w->b.data);
    sbuf_free(&w->b);
}

/* "TEXT" made safe to print on one line, cut after max characters. */
static char *quoted_safe(const char *text, size_t max_chars)
{
    size_t len = 0, chars = 0;
    while (text[len] && chars < max_chars)
        chars += ((unsigned char)text[len++] & 0xC0) != 0x80;
    while (text[len] && ((unsigned char)text[len] & 0xC0) == 0x80)
        len++; /* the rest of the last character */
    char *cut = xstrndup(text, len);
    char *safe = output_terminal_safe(cut);
    char *q = xasprintf("\"%s\"%s", safe, text[len] ? "..." : "");
    free(cut);
    free(safe);
    return q;
}

#define DIFF_MAX_LISTED 8    /* columns named per list; then "and N more" */
#define DIFF_HEADER_CHARS 48 /* a longer header is cut, with "..." */

static void describe_list(struct sbuf *b, const char *label, const struct strlist *l)
{
    if (!l->len)
        return;
    sbuf_printf(b, "%s%s: ", b->len ? "; " : "", label);
    for (size_t i = 0; i < l->len && i < DIFF_MAX_LISTED; i++) {
        char *q = quoted_safe(l->items[i], DIFF_HEADER_CHARS);
        sbuf_printf(b, "%s%s", i ? ", " : "", q);
        free(q);
    }
    if (l->len > DIFF_MAX_LISTED)
        sbuf_printf(b, " and %zu more", l->len - DIFF_MAX_LISTED);
}

/* 'new: "A", "B"; missing: "C"; moved: website from "URL" (was "Website")',
 * every header made safe to print on one line; malloc'd. */
char *app_header_diff_text(const struct header_diff *d)
{
    struct sbuf b;
    sbuf_init(&b);
    describe_list(&b, "new", &d->added);
    describe_list(&b, "missing", &d->removed);
    for (size_t i = 0; i < d->nmoved; i++) {
        char *now = quoted_safe(d->moved[i].header, DIFF_HEADER_CHARS);
        char *was = quoted_safe(d->moved[i].was, DIFF_HEADER_CHARS);
        const char *sep = i ? ", " : b.len ? "; moved: " : "moved: ";
        sbuf_printf(&b, "%s%s from %s (was %s)", sep, vendor_field_name(d->moved[i].field), now,
                    was);
        free(now);
        free(was);
    }
    return b.data ? sbuf_detach(&b) : xstrdup("");
}

void app_import_understood_print(FILE *out, const struct app_import_file *f)
{
    const struct app_import_understood *u = &f->understood;
    struct wrapped_line w;
    char *safe_file = output_terminal_safe(f->file);
    fprintf(out, "%s: understood\n", safe_file);
    free(safe_file);

    wrapped_start(&w, "columns");
    for (size_t i = 0; i < u->ncolumns; i++) {
        char *h = quoted_safe(u->columns[i].header, SIZE_MAX);
        char *item = xasprintf("%s -> %s%s", h, vendor_field_name(u->columns[i].field),
                               u->columns[i].from_map ? " (--map)" : "");
        wrapped_add(&w, item);
        free(item);
        free(h);
    }
    wrapped_end(&w, out);

    wrapped_start(&w, "extra");
    for (size_t i = 0; i < u->extra.len; i++) {
        char *h = quoted_safe(u->extra.items[i], SIZE_MAX);
        wrapped_add(&w, h);
        free(h);
    }
    wrapped_end(&w, out);

    if (!header_diff_empty(&u->header_change)) { /* only with --remap */
        char *what = app_header_diff_text(&u->header_change);
        fprintf(out, "  changed since the source's last import (--remap): %s\n", what);
        free(what);
    }
    if (u->classified)
        fprintf(out, "  unclassified: %ld of %ld vendor%s\n", u->unclassified, u->vendors,
                u->vendors == 1 ? "" : "s");
    else
        fprintf(out, "  unclassified: not classified (--no-classify)\n");

    wrapped_start(&w, "not normalised");
    for (int fld = 0; fld < VF_COUNT; fld++) {
        if (!u->unread[fld])
            continue;
        char *ex = quoted_safe(u->unread_example[fld], EXAMPLE_MAX_CHARS);
        char *item = xasprintf("%s %ld row%s (e.g. %s)", vendor_field_name((enum vendor_field)fld),
                               u->unread[fld], u->unread[fld] == 1 ? "" : "s", ex);
        wrapped_add(&w, item);
        free(item);
        free(ex);
    }
    wrapped_end(&w, out);
}

/* "  rate currency: EUR (from the header "Hourly rate (EUR)") for rates whose
 * cell names none"; nothing for a file without a rate column. */
static void summary_rate(FILE *out, const struct app_rate_origin *r)
{
    if (!r->has_rate_column)
        return;
    fprintf(out, "  rate currency: %s", r->currency);
    if (strcmp(r->from, "header") == 0)
        output_printf(out, " (from the header \"%s\")", r->header);
    else if (strcmp(r->from, "--currency") == 0)
        fputs(" (from --currency)", out);
    else
        fputs(" (the default; --currency CODE for another)", out);
    fputs(" for rates whose cell names none\n", out);
}

void app_import_summary_print(FILE *out, const struct app_import_file *f)
{
    const struct import_counts *n = &f->counts;
    char *safe_file = output_terminal_safe(f->file), *safe_source = output_terminal_safe(f->source);
    if (f->dry_run)
        fprintf(out, "%s: source \"%s\", dry run (would import), %.2f s\n", safe_file, safe_source,
                f->seconds);
    else
        fprintf(out, "%s: source \"%s\", batch %lld, %.2f s\n", safe_file, safe_source, n->batch_id,
                f->seconds);
    fprintf(out, "  rows: %ld\n  inserted: %ld\n  updated: %ld\n  unchanged: %ld\n", n->rows,
            n->inserted, n->updated, n->unchanged);
    if (n->merged)
        fprintf(out, "  merged: %ld (rows naming a vendor a later row also names)\n", n->merged);
    fprintf(out, "  rejected: %ld\n", n->rejected);
    if (n->retired)
        fprintf(out, "  retired: %ld (vendors the source no longer lists; --full)\n", n->retired);
    summary_rate(out, &f->rate);
    free(safe_file);
    free(safe_source);
}

/* ---- a run, shown as it goes ---- */

struct report_state {
    json_t *summaries; /* --format json: gathered, printed at the end */
    bool quiet;        /* -q: no "understood" lines on stderr */
};

/* Each file's summary as it commits: what was understood on stderr and the
 * counts on stdout, or JSON at the end. */
static void on_file_done(const struct app_import_file *f, void *arg)
{
    struct report_state *st = arg;
    if (st->summaries) {
        json_array_append_new(st->summaries, app_import_summary_json(f));
        return;
    }
    if (!st->quiet) {
        app_import_understood_print(stderr, f);
        fflush(stderr);
    }
    app_import_summary_print(stdout, f);
}

int app_import_report(const struct vm_db_options *db, const struct app_import_request *r,
                      const char *const *files, size_t n_files, struct vm_err *err)
{
    struct report_state st = {.summaries = r->json ? json_array() : NULL, .quiet = r->run.quiet};
    int rc = app_import(db, &r->run, files, n_files, on_file_done, &st, err);
    if (json_array_size(st.summaries) > 0)
        json_print(stdout, n_files == 1 ? json_array_get(st.summaries, 0) : st.summaries);
    /* Every file was rolled back, whatever happened: the table's last line,
     * or a note on stderr (JSON on stdout, or a failed run). */
    if (r->run.dry_run && rc == 0 && !st.summaries)
        fputs("dry run: nothing was written\n", stdout);
    else if (r->run.dry_run && !r->run.quiet)
        fputs("vendormatch: dry run: nothing was written\n", stderr);
    json_decref(st.summaries);
    return rc;
}
