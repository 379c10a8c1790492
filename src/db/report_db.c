/*
 * report_db: one parameterised lookup of a saved shortlist, by id then by
 * name. The document column is the frozen result of `match --save`; the
 * row's own columns only fill gaps, so a report always shows what was
 * computed then, never today's catalog.
 */
#include "db/report_db.h"

#include <stdbool.h>
#include <string.h>

#include "db/pgutil.h"

static const char select_by_id[] =
    "SELECT document::text AS document, id::text AS id, name, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
    "catalog::text AS catalog, weights::text AS weights FROM shortlists WHERE id = $1::integer";
static const char select_by_name[] =
    "SELECT document::text AS document, id::text AS id, name, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
    "catalog::text AS catalog, weights::text AS weights FROM shortlists WHERE name = $1";

/* A positive number that fits PostgreSQL's integer: worth trying as an id. */
static bool looks_like_id(const char *s)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && n <= 9 && s[n] == '\0';
}

/* Sets key in doc from a column unless the document already has it. */
static void fill_gap(json_t *doc, const char *key, json_t *value)
{
    if (value && !json_object_get(doc, key))
        json_object_set(doc, key, value);
    json_decref(value);
}

/* The columns both lookups return, read by name (pgu_columns). */
enum { COL_DOCUMENT, COL_ID, COL_NAME, COL_CREATED, COL_CATALOG, COL_WEIGHTS, COL_COUNT };
static const char *const column_names[COL_COUNT] = {"document",   "id",      "name",
                                                    "created_at", "catalog", "weights"};

static json_t *column_json(const PGresult *res, int col)
{
    if (PQgetisnull(res, 0, col))
        return NULL;
    return json_loads(PQgetvalue(res, 0, col), JSON_DECODE_ANY, NULL);
}

int report_db_load(PGconn *conn, const char *key, json_t **doc, struct vm_err *err)
{
    PGresult *res = NULL;
    json_t *d = NULL;
    json_error_t je;
    const char *params[] = {key};
    int rc = 0;

    *doc = NULL;
    if (looks_like_id(key)) {
        rc = pgu_exec(conn, "looking up the shortlist by id", select_by_id, 1, params, &res, err);
        if (rc)
            goto done;
        if (PQntuples(res) == 0) {
            PQclear(res);
            res = NULL;
        }
    }
    if (!res) {
        rc = pgu_exec(conn, "looking up the shortlist by name", select_by_name, 1, params, &res,
                      err);
        if (rc)
            goto done;
    }
    if (PQntuples(res) == 0) {
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "no saved shortlist with id or name '%s'; `vendormatch shortlists list` "
                        "shows the saved ones (`match ... --save NAME` saves one)",
                        key);
        goto done;
    }
    int col[COL_COUNT];
    rc = pgu_columns(res, "reading the shortlist", COL_COUNT, column_names, col, err);
    if (rc)
        goto done;
    d = json_loads(PQgetvalue(res, 0, col[COL_DOCUMENT]), 0, &je);
    if (!d || !json_is_object(d)) {
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "shortlist '%s': the stored document is not a JSON object (%s)", key,
                        d ? "wrong type" : je.text);
        goto done;
    }
    fill_gap(d, "id", column_json(res, col[COL_ID]));
    fill_gap(d, "name", json_string(PQgetvalue(res, 0, col[COL_NAME])));
    fill_gap(d, "created_at",
             PQgetisnull(res, 0, col[COL_CREATED])
                 ? NULL
                 : json_string(PQgetvalue(res, 0, col[COL_CREATED])));
    fill_gap(d, "catalog", column_json(res, col[COL_CATALOG]));
    fill_gap(d, "weights", column_json(res, col[COL_WEIGHTS]));
    *doc = d;
    d = NULL;
done:
    json_decref(d);
    PQclear(res);
    return rc;
}
