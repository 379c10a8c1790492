/*
 * taxonomy (workflow): see taxonomy.h. The import checks each row here (the
 * rules: which columns, BPO or KPO, the weight's range) and leaves storing
 * to db/taxonomy_db, inside one transaction it rolls back on any error.
 */
#include "app/taxonomy.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/catalog.h"
#include "db/pgutil.h"
#include "db/taxonomy_db.h"
#include "io/csv_reader.h"
#include "io/infile.h"

int app_taxonomy_list(const struct vm_db_options *db, struct table *out, struct vm_err *err)
{
    PGconn *conn = NULL;
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = taxonomy_db_list(conn, out, err);
    else
        table_init(out, 0, NULL); /* the caller frees it either way */
    vm_conn_close(conn);
    return rc;
}

int app_taxonomy_unknown(const struct vm_db_options *db, long limit, struct table *out,
                         struct vm_err *err)
{
    PGconn *conn = NULL;
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = taxonomy_db_unknown(conn, limit, out, err);
    else
        table_init(out, 0, NULL); /* the caller frees it either way */
    vm_conn_close(conn);
    return rc;
}

int app_taxonomy_add(const struct vm_db_options *db, const char *phrase, const char *code,
                     bool *added, struct vm_err *err)
{
    PGconn *conn = NULL;
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = taxonomy_db_add_alias(conn, phrase, code, added, NULL, err);
    vm_conn_close(conn);
    return rc;
}

/* ---- import ---- */

/* Column positions of the import file's header, -1 when absent. */
struct import_cols {
    int phrase, category, process_type, weight, name;
};

static int find_cols(const struct csv_record *h, struct import_cols *ic, const char *file,
                     struct vm_err *err)
{
    *ic = (struct import_cols){-1, -1, -1, -1, -1};
    for (size_t i = 0; i < h->nfields; i++) {
        const char *f = h->fields[i];
        int *slot = strcasecmp(f, "phrase") == 0         ? &ic->phrase
                    : strcasecmp(f, "category") == 0     ? &ic->category
                    : strcasecmp(f, "process_type") == 0 ? &ic->process_type
                    : strcasecmp(f, "weight") == 0       ? &ic->weight
                    : strcasecmp(f, "name") == 0         ? &ic->name
                                                         : NULL;
        if (slot)
            *slot = (int)i;
    }
    if (ic->phrase < 0 || ic->category < 0)
        return vm_err_set(err, VM_EXIT_DATAERR,
                          "%s:1:1: the header needs columns phrase and category "
                          "(optional: process_type, weight, name)",
                          file);
    return 0;
}

static const char *field(const struct csv_record *r, int col)
{
    return col >= 0 && (size_t)col < r->nfields ? r->fields[col] : "";
}

static long field_col(const struct csv_record *r, int col)
{
    return col >= 0 && (size_t)col < r->nfields ? r->field_col[col] : 1;
}

/* A row the catalog refused is bad data at file:line:col; a lost server
 * stays what it is (69). */
static int row_refused(const struct vm_err *e, const char *file, long line, long col,
                       struct vm_err *err)
{
    return vm_err_set(err, e->code == VM_EXIT_UNAVAILABLE ? e->code : VM_EXIT_DATAERR,
                      "%s:%ld:%ld: %s", file, line, col, e->msg);
}

/* One import row: create its category when process_type is given, then the alias. */
static int import_row(PGconn *c, const struct csv_record *r, const struct import_cols *ic,
                      const char *file, long *added, struct vm_err *err)
{
    struct vm_err e;
    const char *code = field(r, ic->category), *type = field(r, ic->process_type);
    vm_err_clear(&e);
    if (!*field(r, ic->phrase) || !*code)
        return vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: phrase and category are required",
                          file, r->line,
                          field_col(r, *field(r, ic->phrase) ? ic->category : ic->phrase));
    if (*type) {
        if (strcmp(type, "BPO") != 0 && strcmp(type, "KPO") != 0)
            return vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: process_type must be BPO or KPO",
                              file, r->line, field_col(r, ic->process_type));
        double weight = 1.0;
        const char *w = field(r, ic->weight);
        if (*w && (!vm_parse_decimal(w, 0, 100, &weight) || weight == 0))
            return vm_err_set(err, VM_EXIT_DATAERR,
                              "%s:%ld:%ld: weight must be a plain number above 0 and at most "
                              "100, such as 1 or 2.5",
                              file, r->line, field_col(r, ic->weight));
        if (taxonomy_db_add_category(c, code, field(r, ic->name), type, weight, &e))
            return row_refused(&e, file, r->line, field_col(r, ic->category), err);
    }
    bool was_added, unknown_category;
    if (taxonomy_db_add_alias(c, field(r, ic->phrase), code, &was_added, &unknown_category, &e))
        return row_refused(&e, file, r->line,
                           field_col(r, unknown_category ? ic->category : ic->phrase), err);
    *added += was_added;
    return 0;
}

/* Every row after the header into the catalog, inside the caller's transaction. */
static int import_rows(PGconn *conn, struct csv_reader *r, const struct import_cols *ic,
                       const char *path, struct app_taxonomy_import_counts *out, struct vm_err *err)
{
    struct csv_record rec;
    int rc = 0, got;
    while ((got = csv_reader_next(r, &rec, err)) == 1) {
        out->rows++;
        if ((rc = import_row(conn, &rec, ic, path, &out->added, err)))
            return rc;
    }
    return got < 0 ? (got == -1 ? VM_EXIT_DATAERR : VM_EXIT_FAILURE) : 0;
}

int app_taxonomy_import(const struct vm_db_options *db, const char *path,
                        struct app_taxonomy_import_counts *out, struct vm_err *err)
{
    PGconn *conn = NULL;
    struct csv_reader *r = NULL;
    struct import_cols ic;
    FILE *f = NULL;
    bool in_tx = false;
    memset(out, 0, sizeof *out);
    int rc = app_catalog_open(db, &conn, err);
    if (rc)
        goto done;
    if (!(f = vm_infile_open(path, err))) {
        rc = err->code;
        goto done;
    }
    const char *name = vm_infile_name(path); /* "stdin" for '-', as every command says */
    if (!(r = csv_reader_open(f, name, NULL, err))) {
        rc = err->code ? err->code : VM_EXIT_DATAERR;
        goto done;
    }
    if ((rc = find_cols(csv_reader_header(r), &ic, name, err)))
        goto done;
    if ((rc = pgu_begin(conn, "starting the import", err)))
        goto done;
    in_tx = true;
    if ((rc = import_rows(conn, r, &ic, name, out, err)))
        goto done;
    rc = pgu_commit(conn, "committing the import", err);
    in_tx = rc != 0;
done:
    if (in_tx) {
        pgu_rollback(conn);
        /* every message of a rolled-back import says so */
        if (err->msg[0])
            strncat(err->msg, " (nothing was imported)", sizeof err->msg - strlen(err->msg) - 1);
    }
    csv_reader_close(r);
    vm_infile_close(f);
    vm_conn_close(conn);
    return rc;
}
