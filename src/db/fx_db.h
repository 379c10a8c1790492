/*
 * fx_db: the exchange-rate table (migrations/0011, fx_rates) read into an
 * fx_table and written from one: `fx set` one rate, `fx import` a whole ECB
 * file in one transaction. Values only as parameters.
 */
#ifndef VM_DB_FX_DB_H
#define VM_DB_FX_DB_H

#include <libpq-fe.h>

#include "core/fx.h"
#include "core/util.h"

/* Every stored rate (USD is implied), ordered by currency. */
int fx_db_load(PGconn *conn, struct fx_table *out, struct vm_err *err);
/* fx_db_load for match: a catalog whose schema predates fx_rates
 * (migrations/0011 not applied yet) has no rates, not an error. */
int fx_db_load_if_present(PGconn *conn, struct fx_table *out, struct vm_err *err);
/* A stored rate as `fx list` shows it: the rate as the server prints a
 * float8, the date as YYYY-MM-DD. */
struct fx_row {
    char *currency;
    char *usd_per_unit;
    char *date;
    char *source;
};
/* Every stored rate, ordered by currency; the caller frees with fx_rows_free. */
int fx_db_list(PGconn *conn, struct fx_row **rows, size_t *n, struct vm_err *err);
void fx_rows_free(struct fx_row *rows, size_t n);

/* Stores every rate of t (replacing the same currencies) with source, in
 * one transaction: all or nothing. With kept non-NULL, a stored rate dated
 * later than t's for the same currency stays, and its code goes to kept
 * (fx import: an older file never undoes a newer rate). */
int fx_db_store(PGconn *conn, const struct fx_table *t, const char *source, struct strlist *kept,
                struct vm_err *err);

#endif
