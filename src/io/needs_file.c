/*
 * needs_file: `match --needs FILE` read into needs (see needs_file.h). The
 * header maps each column to a need field once; each row is one need,
 * its cells through need_set as the options' values are, multi-valued
 * cells split as catalogs are.
 */
#include "io/needs_file.h"

#include <stdlib.h>
#include <string.h>

#include "core/normalize.h"
#include "io/csv_reader.h"
#include "io/infile.h"

void need_items_free(struct need_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        need_free(&items[i].need);
        free(items[i].where);
    }
    free(items);
}

/* Applies --top / --weight (given as "FIELD=value") to a needs-file row. */
static void apply_shared(const struct strlist *shared, struct need *n)
{
    for (size_t i = 0; i < shared->len; i++) {
        char *why = NULL;
        char *eq = strchr(shared->items[i], '=');
        need_set(n, atoi(shared->items[i]), eq + 1, &why); /* validated as options */
        free(why);
    }
}

/* Column -> need field from the header; an unknown column is an error,
 * since a misspelt constraint would otherwise be silently ignored. */
static int needs_layout(struct csv_reader *r, int **fields, struct vm_err *err)
{
    const struct csv_record *h = csv_reader_header(r);
    *fields = xcalloc(h->nfields + 1, sizeof **fields);
    for (size_t c = 0; c < h->nfields; c++) {
        (*fields)[c] = need_field_by_header(h->fields[c]);
        if ((*fields)[c] < 0)
            return vm_err_set(err, VM_EXIT_DATAERR,
                              "%s:%ld:%ld: unknown column '%s' (need columns: need, services, "
                              "type, industries, countries, exclude_countries, languages, "
                              "certifications, min_employees, max_rate, min_rate, min_rating, "
                              "sensitivity, delivery, strict, require_known, weights, top)",
                              csv_reader_name(r), h->field_line[c], h->field_col[c], h->fields[c]);
    }
    return 0;
}

/* Fills one need from a record's cells; multi-valued cells split as catalogs do. */
static int need_from_record(struct csv_reader *r, const int *fields, const struct csv_record *rec,
                            struct need_item *item, struct vm_err *err)
{
    struct strlist parts;
    int rc = 0;
    strlist_init(&parts);
    for (size_t c = 0; rc == 0 && c < rec->nfields; c++) {
        strlist_free(&parts);
        strlist_init(&parts);
        if (rec->fields[c][strspn(rec->fields[c], " \t\r\n")] == '\0')
            continue; /* a blank cell asks for nothing */
        if (need_field_is_multi(fields[c]))
            norm_split_multi(rec->fields[c], &parts);
        else
            strlist_push(&parts, rec->fields[c]);
        if (fields[c] == NF_SERVICE)
            item->svc_col = rec->field_col[c];
        for (size_t k = 0; rc == 0 && k < parts.len; k++) {
            char *why = NULL;
            if (need_set(&item->need, fields[c], parts.items[k], &why) != 0) {
                rc = vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: %s", csv_reader_name(r),
                                rec->field_line[c], rec->field_col[c], why);
                free(why);
            }
        }
    }
    strlist_free(&parts);
    return rc;
}

static int read_records(struct csv_reader *r, const int *fields, const struct strlist *shared,
                        struct need_item **items, size_t *n, struct vm_err *err)
{
    struct csv_record rec;
    int got, rc = 0;
    while (rc == 0 && (got = csv_reader_next(r, &rec, err)) != 0) {
        if (got < 0)
            return err->code ? err->code : VM_EXIT_DATAERR;
        *items = xrealloc(*items, (*n + 1) * sizeof **items);
        struct need_item *it = &(*items)[(*n)++];
        need_init(&it->need);
        it->where = xasprintf("%s:%ld", csv_reader_name(r), rec.line);
        it->svc_col = 1;
        apply_shared(shared, &it->need);
        rc = need_from_record(r, fields, &rec, it, err);
        char *why = NULL;
        if (rc == 0 && need_finish(&it->need, &why) != 0) {
            rc = vm_err_set(err, VM_EXIT_DATAERR, "%s:1: %s", it->where, why);
            free(why);
        }
    }
    if (rc == 0 && *n == 0)
        rc = vm_err_set(err, VM_EXIT_DATAERR, "%s: no needs (the file has only a header)",
                        csv_reader_name(r));
    return rc;
}

int needs_file_read(const char *path, const struct strlist *shared, struct need_item **items,
                    size_t *n, struct vm_err *err)
{
    FILE *f = vm_infile_open(path, err);
    struct csv_reader *r = NULL;
    int *fields = NULL, rc;
    if (!f)
        return err->code;
    r = csv_reader_open(f, vm_infile_name(path), NULL, err);
    rc = r ? needs_layout(r, &fields, err) : (err->code ? err->code : VM_EXIT_DATAERR);
    if (rc == 0)
        rc = read_records(r, fields, shared, items, n, err);
    free(fields);
    if (r)
        csv_reader_close(r);
    vm_infile_close(f);
    return rc;
}
