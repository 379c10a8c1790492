/*
 * fx (workflow): see fx.h. The deciding is core/fx's (the ECB layout, the
 * conversion to US dollars per unit); db/fx_db stores a whole table in one
 * transaction.
 */
#include "app/fx.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/catalog.h"
#include "core/fx.h"
#include "core/normalize.h"
#include "db/fx_db.h"
#include "io/infile.h"

/* A reference-rate file is a few kilobytes (the history file a few MiB). */
#define FX_FILE_MAX (64u << 20)

int app_fx_list(const struct vm_db_options *db, struct table *out, struct vm_err *err)
{
    static const char *const headers[] = {"currency", "usd_per_unit", "date", "source", "name"};
    PGconn *conn = NULL;
    struct fx_row *rows = NULL;
    size_t n = 0;
    table_init(out, 5, headers);
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = fx_db_list(conn, &rows, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *cells[5] = {rows[i].currency, rows[i].usd_per_unit, rows[i].date,
                                rows[i].source, norm_currency_name(rows[i].currency)};
        table_add_row(out, cells);
    }
    fx_rows_free(rows, n);
    vm_conn_close(conn);
    return rc;
}

int app_fx_set(const struct vm_db_options *db, const char *code, double usd_per_unit,
               const char *date, char day[11], struct vm_err *err)
{
    struct fx_table t;
    PGconn *conn = NULL;
    if (date) {
        snprintf(day, 11, "%s", date);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(day, 11, "%Y-%m-%d", &tm);
    }
    fx_table_init(&t);
    fx_table_set(&t, code, usd_per_unit, day);
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = fx_db_store(conn, &t, "manual (fx set)", NULL, err);
    vm_conn_close(conn);
    fx_table_free(&t);
    return rc;
}

/* The whole of f (at most FX_FILE_MAX bytes), malloc'd; name is for messages. */
static int read_all(FILE *f, const char *name, char **out, size_t *len, struct vm_err *err)
{
    struct sbuf b;
    char chunk[65536];
    size_t n;
    sbuf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= FX_FILE_MAX)
        sbuf_append(&b, chunk, n);
    if (ferror(f) || b.len > FX_FILE_MAX) {
        sbuf_free(&b);
        return vm_err_set(err, VM_EXIT_DATAERR, "%s: %s", name,
                          ferror(f) ? "read error"
                                    : "larger than 64 MiB: not a reference-rate file");
    }
    *len = b.len;
    *out = sbuf_detach(&b);
    if (!*out)
        *out = xstrdup("");
    return 0;
}

int app_fx_import(const struct vm_db_options *db, const char *path, const char *date,
                  struct app_fx_import_result *out, struct vm_err *err)
{
    char *text = NULL, *why = NULL;
    size_t len = 0;
    long line = 0, col = 0;
    struct fx_table t;
    PGconn *conn = NULL;
    FILE *f = NULL;
    memset(out, 0, sizeof *out);
    strlist_init(&out->kept);
    out->file = vm_infile_name(path);
    fx_table_init(&t);
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0 && !(f = vm_infile_open(path, err)))
        rc = err->code;
    if (rc == 0)
        rc = read_all(f, out->file, &text, &len, err);
    if (rc == 0 && fx_parse_ecb(text, len, date, &t, &why, &line, &col) != 0)
        rc = vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: %s", out->file, line, col, why);
    if (rc == 0) {
        char *file = vm_infile_text(path); /* stored: UTF-8 whatever the name's bytes */
        char *source = xasprintf("ECB reference rates (%s)", file);
        rc = fx_db_store(conn, &t, source, date ? NULL : &out->kept, err); /* --date: as asked */
        free(source);
        free(file);
    }
    if (rc == 0) {
        out->rates = t.n - out->kept.len;
        snprintf(out->date, sizeof out->date, "%s", t.rates[0].date);
        out->eur = t.rates[0].usd_per_unit;
    }
    vm_infile_close(f);
    vm_conn_close(conn);
    free(why);
    free(text);
    fx_table_free(&t);
    return rc;
}
