/*
 * shortlist_db: stores a match document as a shortlist and lists them. The
 * rows of shortlist_entries and shortlist_excluded are produced by SQL from
 * the document itself (jsonb_array_elements), in the same transaction as
 * the shortlists row, so there is one truth and one round trip per table.
 */
#include "db/shortlist_db.h"

#include <stdlib.h>
#include <string.h>

#include "db/pgutil.h"

static const char insert_sql[] =
    "INSERT INTO shortlists (name, need, process_type, process_type_inferred, type_reason, "
    "weights, catalog, document) "
    "SELECT $1, d->'need', d->>'process_type', (d->>'process_type_inferred')::boolean, "
    "d->>'process_type_reason', d->'weights', COALESCE(d->'catalog', '[]'::jsonb), d "
    "FROM (SELECT $2::jsonb AS d) x "
    "RETURNING id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
    "AS created_at";

static const char fill_sql[] =
    "WITH d AS (SELECT $2::jsonb AS doc), "
    "u AS (UPDATE shortlists SET document = (SELECT doc FROM d) WHERE id = $1::integer), "
    "e AS (INSERT INTO shortlist_entries (shortlist_id, rank, vendor_id, name, process_type, "
    "score, breakdown, reasons, vendor) "
    "SELECT $1::integer, (e->>'rank')::integer, (e->>'vendor_id')::bigint, e->>'name', "
    "e->>'process_type', (e->>'score')::numeric, e->'breakdown', e->'reasons', e->'vendor' "
    "FROM d, jsonb_array_elements(d.doc->'results') e) "
    "INSERT INTO shortlist_excluded (shortlist_id, position, vendor_id, name, reasons) "
    "SELECT $1::integer, x.ord::integer, (x.e->>'vendor_id')::bigint, x.e->>'name', "
    "x.e->'reasons' FROM d, jsonb_array_elements(d.doc->'excluded') WITH ORDINALITY x(e, ord)";

static int name_taken(PGconn *conn, const char *name, bool *taken, struct vm_err *err)
{
    char *v = NULL;
    const char *params[1] = {name};
    int rc = pgu_query_value(conn, "shortlists: checking the name",
                             "SELECT 1 FROM shortlists WHERE name = $1", 1, params, &v, err);
    *taken = v != NULL;
    free(v);
    return rc;
}

static int insert_shortlist(PGconn *conn, const char *name, json_t *doc, struct vm_err *err)
{
    PGresult *res = NULL;
    char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
    const char *params[2] = {name, text};
    int rc = pgu_exec(conn, "shortlists: saving", insert_sql, 2, params, &res, err);
    if (rc)
        goto done;
    static const char *const names[] = {"id", "created_at"};
    int col[2];
    rc = pgu_columns(res, "shortlists: saving", 2, names, col, err);
    if (rc)
        goto done;
    const char *id = PQgetvalue(res, 0, col[0]);
    json_object_set_new(doc, "id", json_integer(strtoll(id, NULL, 10)));
    json_object_set_new(doc, "name", json_string(name));
    json_object_set_new(doc, "created_at", json_string(PQgetvalue(res, 0, col[1])));
    free(text);
    text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
    params[0] = id;
    params[1] = text;
    rc = pgu_exec(conn, "shortlists: saving the entries", fill_sql, 2, params, NULL, err);
done:
    PQclear(res);
    free(text);
    return rc;
}

/*
 * Saves of one name take turns: a transaction-level advisory lock on the
 * name's hash (two names sharing a hash only wait for each other), taken
 * before the name is looked up, so the look-up sees any save of the same
 * name that committed meanwhile (READ COMMITTED: a new snapshot per
 * statement). Without it two `--save X --replace` both found X, both deleted
 * it and the second INSERT failed on shortlists_name_key.
 */
static int lock_name(PGconn *conn, const char *name, struct vm_err *err)
{
    const char *params[1] = {name};
    return pgu_exec(conn, "shortlists: waiting for another save of the name",
                    "SELECT pg_advisory_xact_lock(" VM_SHORTLIST_LOCK_CLASS ", hashtext($1))", 1,
                    params, NULL, err);
}

int shortlist_db_save(PGconn *conn, const char *name, bool replace, json_t *doc, struct vm_err *err)
{
    bool taken = false;
    const char *params[1] = {name};
    int rc = pgu_begin(conn, "shortlists: begin", err);
    if (rc)
        return rc;
    rc = lock_name(conn, name, err);
    if (rc == 0)
        rc = name_taken(conn, name, &taken, err);
    if (rc == 0 && taken && !replace) {
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "a shortlist named '%s' already exists: choose another name, or add "
                        "--replace to overwrite it",
                        name);
        goto done;
    }
    if (rc == 0 && taken)
        rc = pgu_exec(conn, "shortlists: replacing", "DELETE FROM shortlists WHERE name = $1", 1,
                      params, NULL, err);
    if (rc == 0)
        rc = insert_shortlist(conn, name, doc, err);
    if (rc == 0)
        rc = pgu_commit(conn, "shortlists: commit", err);
done:
    if (rc)
        pgu_rollback(conn);
    return rc;
}

int shortlist_db_list(PGconn *conn, json_t **out, struct vm_err *err)
{
    static const char sql[] =
        "SELECT id, name, to_char(created_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, process_type, "
        "COALESCE((SELECT string_agg(s, ', ') FROM jsonb_array_elements_text(need->'services') s), "
        "'') AS services, "
        "(SELECT count(*) FROM shortlist_entries e WHERE e.shortlist_id = l.id) AS results "
        "FROM shortlists l ORDER BY id";
    PGresult *res = NULL;
    int rc = pgu_exec(conn, "shortlists: listing", sql, 0, NULL, &res, err);
    *out = json_array();
    /* Each column becomes the key of its name; id and results are numbers. */
    static const char *const names[] = {"id",           "name",     "created_at",
                                        "process_type", "services", "results"};
    enum { N_COLS = sizeof names / sizeof *names };
    int col[N_COLS];
    if (rc == 0)
        rc = pgu_columns(res, "shortlists: listing", N_COLS, names, col, err);
    for (int r = 0; rc == 0 && r < PQntuples(res); r++) {
        json_t *o = json_object();
        for (int i = 0; i < N_COLS; i++) {
            const char *v = PQgetvalue(res, r, col[i]);
            bool number = i == 0 || i == N_COLS - 1;
            json_object_set_new(o, names[i],
                                number ? json_integer(strtoll(v, NULL, 10)) : json_string(v));
        }
        json_array_append_new(*out, o);
    }
    PQclear(res);
    return rc;
}

/* ---- delete ------------------------------------------------------------------------------ */

/* Digits that fit PostgreSQL's integer: tried as an id before the name. */
static bool shortlist_key_is_id(const char *key)
{
    size_t n = strspn(key, "0123456789");
    return n > 0 && n == strlen(key) && n <= 9;
}

int shortlist_db_delete(PGconn *conn, const char *key, json_t **deleted, struct vm_err *err)
{
    /* One statement: the id wins over the name, as `shortlists show` reads them.
     * Entries and exclusions go with it (ON DELETE CASCADE). */
    static const char sql[] = "DELETE FROM shortlists WHERE id = coalesce("
                              " (SELECT id FROM shortlists WHERE id = $2::integer),"
                              " (SELECT id FROM shortlists WHERE name = $1))"
                              " RETURNING id, name";
    const char *params[2] = {key, shortlist_key_is_id(key) ? key : NULL};
    PGresult *res = NULL;
    int rc = pgu_exec(conn, "shortlists: deleting", sql, 2, params, &res, err);
    if (rc == 0 && PQntuples(res) == 0)
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "no saved shortlist with id or name '%s'; `vendormatch shortlists list` "
                        "shows them",
                        key);
    static const char *const names[] = {"id", "name"};
    int col[2];
    if (rc == 0)
        rc = pgu_columns(res, "shortlists: deleting", 2, names, col, err);
    if (rc == 0) {
        *deleted = json_object();
        json_object_set_new(*deleted, "id",
                            json_integer(strtoll(PQgetvalue(res, 0, col[0]), NULL, 10)));
        json_object_set_new(*deleted, "name", json_string(PQgetvalue(res, 0, col[1])));
    }
    PQclear(res);
    return rc;
}
