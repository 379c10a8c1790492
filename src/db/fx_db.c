/*
 * fx_db: fx_rates rows <-> fx_table (fx_db.h). Rates travel as text with 17
 * significant digits, so a rate read back is the double that was stored.
 */
#include "db/fx_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/pgutil.h"

int fx_db_load(PGconn *conn, struct fx_table *out, struct vm_err *err)
{
    PGresult *res = NULL;
    int rc =
        pgu_exec(conn, "reading exchange rates",
                 "SELECT currency, usd_per_unit, to_char(rate_date, 'YYYY-MM-DD') AS rate_date "
                 "FROM fx_rates ORDER BY currency",
                 0, NULL, &res, err);
    static const char *const names[] = {"currency", "usd_per_unit", "rate_date"};
    int col[3];
    if (rc == 0)
        rc = pgu_columns(res, "reading exchange rates", 3, names, col, err);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++)
        fx_table_set(out, PQgetvalue(res, i, col[0]), strtod(PQgetvalue(res, i, col[1]), NULL),
                     PQgetvalue(res, i, col[2]));
    PQclear(res);
    return rc;
}

int fx_db_load_if_present(PGconn *conn, struct fx_table *out, struct vm_err *err)
{
    char *present = NULL; /* the table's name when it exists, else NULL */
    int rc = pgu_query_value(conn, "looking for the exchange-rate table",
                             "SELECT to_regclass('fx_rates')::text", 0, NULL, &present, err);
    if (rc == 0 && present)
        rc = fx_db_load(conn, out, err);
    free(present);
    return rc;
}

int fx_db_list(PGconn *conn, struct fx_row **rows, size_t *n, struct vm_err *err)
{
    PGresult *res = NULL;
    *rows = NULL;
    *n = 0;
    int rc = pgu_exec(conn, "listing exchange rates",
                      "SELECT currency, usd_per_unit::float8::text AS usd_per_unit, "
                      "to_char(rate_date, 'YYYY-MM-DD') AS rate_date, source FROM fx_rates "
                      "ORDER BY currency",
                      0, NULL, &res, err);
    static const char *const names[] = {"currency", "usd_per_unit", "rate_date", "source"};
    int col[4];
    if (rc == 0)
        rc = pgu_columns(res, "listing exchange rates", 4, names, col, err);
    if (rc) {
        PQclear(res);
        return rc;
    }
    *rows = xcalloc((size_t)PQntuples(res) + 1, sizeof **rows);
    for (int i = 0; i < PQntuples(res); i++) {
        struct fx_row *r = &(*rows)[(*n)++];
        r->currency = xstrdup(PQgetvalue(res, i, col[0]));
        r->usd_per_unit = xstrdup(PQgetvalue(res, i, col[1]));
        r->date = xstrdup(PQgetvalue(res, i, col[2]));
        r->source = xstrdup(PQgetvalue(res, i, col[3]));
    }
    PQclear(res);
    return 0;
}

void fx_rows_free(struct fx_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].currency);
        free(rows[i].usd_per_unit);
        free(rows[i].date);
        free(rows[i].source);
    }
    free(rows);
}

int fx_db_store(PGconn *conn, const struct fx_table *t, const char *source, struct strlist *kept,
                struct vm_err *err)
{
    int rc = pgu_begin(conn, "fx: begin", err);
    for (size_t i = 0; rc == 0 && i < t->n; i++) {
        char rate[40];
        snprintf(rate, sizeof rate, "%.17g", t->rates[i].usd_per_unit);
        const char *p[5] = {t->rates[i].currency, rate, t->rates[i].date, source,
                            kept ? "t" : "f"};
        if (strcmp(p[0], "USD") == 0)
            continue; /* always 1 */
        PGresult *res = NULL;
        rc = pgu_exec(conn, "fx: storing a rate",
                      "INSERT INTO fx_rates (currency, usd_per_unit, rate_date, source) "
                      "VALUES ($1, $2::numeric, $3::date, $4) ON CONFLICT (currency) DO UPDATE "
                      "SET usd_per_unit = EXCLUDED.usd_per_unit, rate_date = EXCLUDED.rate_date, "
                      "source = EXCLUDED.source, updated_at = now() "
                      "WHERE NOT $5::boolean OR fx_rates.rate_date <= EXCLUDED.rate_date "
                      "RETURNING currency",
                      5, p, &res, err);
        if (rc == 0 && kept && PQntuples(res) == 0)
            strlist_push(kept, p[0]);
        PQclear(res);
    }
    if (rc == 0)
        return pgu_commit(conn, "fx: commit", err);
    pgu_rollback(conn);
    return rc;
}
