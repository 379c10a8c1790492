/*
 * tag_db: vendors' tags in and out (see tag_db.h). Result columns are looked
 * up by name once per result.
 */
#include "db/tag_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/pgutil.h"
#include "db/taxonomy_db.h"
#include "db/vendor_cols.h"

#define RETAG_BATCH_S "5000" /* vendors per FETCH and per COPY */

struct retag_db {
    PGconn *conn;
    bool own_tx; /* retag_db_begin's transaction, not the caller's */
    bool in_tx;  /* own_tx and not yet ended */
    struct pgu_copy copy;
    bool copying; /* a batch's COPY is open */
    PGresult *batch;
    struct retag_vendor *rows;
    size_t n, cap;
    struct sbuf buf;
    long vendors;
};

static const char *value_or_null(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* The results table and the cursor over the vendors `where` selects. */
static int retag_open(struct retag_db *db, const char *where, int nparams,
                      const char *const *params, struct vm_err *err)
{
    int rc = pgu_exec(db->conn, "creating the re-tag table",
                      "CREATE TEMP TABLE retag_results (id bigint PRIMARY KEY, computed_type text, "
                      "confidence real, tag_evidence text, services int4[], unknown_phrases "
                      "text[]) ON COMMIT DROP",
                      0, NULL, NULL, err);
    if (rc)
        return rc;
    char *sql = xasprintf("DECLARE retag_cursor NO SCROLL CURSOR FOR SELECT id, " VCOLS_TAG_INPUTS
                          " FROM vendors WHERE %s",
                          where);
    rc = pgu_exec(db->conn, "reading vendors", sql, nparams, params, NULL, err);
    free(sql);
    return rc;
}

static struct retag_db *retag_new(PGconn *conn, bool own_tx)
{
    struct retag_db *db = xcalloc(1, sizeof *db);
    db->conn = conn;
    db->own_tx = own_tx;
    sbuf_init(&db->buf);
    return db;
}

int retag_db_begin(PGconn *conn, long long vendor_id, struct retag_db **out, struct vm_err *err)
{
    struct retag_db *db = *out = retag_new(conn, true);
    char idbuf[32];
    int rc = pgu_begin(conn, "starting the re-tag", err);
    if (rc)
        return rc;
    db->in_tx = true;
    snprintf(idbuf, sizeof idbuf, "%lld", vendor_id);
    const char *p[] = {idbuf};
    return retag_open(db, "$1::bigint <= 0 OR id = $1::bigint", 1, p, err);
}

int retag_db_begin_listed(PGconn *conn, const char *ids, struct retag_db **out, struct vm_err *err)
{
    struct retag_db *db = *out = retag_new(conn, false);
    char *where = xasprintf("id IN (%s)", ids);
    int rc = retag_open(db, where, 0, NULL, err);
    free(where);
    return rc;
}

static void clear_batch(struct retag_db *db)
{
    for (size_t i = 0; i < db->n; i++)
        strlist_free(&db->rows[i].service_phrases);
    db->n = 0;
    PQclear(db->batch);
    db->batch = NULL;
}

static int finish_copy(struct retag_db *db, struct vm_err *err)
{
    if (!db->copying)
        return 0;
    db->copying = false;
    return pgu_copy_finish(&db->copy, err);
}

int retag_db_next(struct retag_db *db, const struct retag_vendor **rows, size_t *n,
                  struct vm_err *err)
{
    *rows = NULL;
    *n = 0;
    clear_batch(db);
    int rc = finish_copy(db, err);
    if (rc == 0)
        rc = pgu_exec(db->conn, "reading vendors", "FETCH " RETAG_BATCH_S " FROM retag_cursor", 0,
                      NULL, &db->batch, err);
    if (rc || PQntuples(db->batch) == 0)
        return rc;
    const PGresult *res = db->batch;
    enum { I_ID, I_PHRASES, I_DESCRIPTION, I_EXPERTISE, I_SECURITY, N_COLS };
    static const char *const names[N_COLS] = {"id", "service_phrases", "description", "expertise",
                                              "data_security"};
    int col[N_COLS];
    rc = pgu_columns(res, "reading vendors", N_COLS, names, col, err);
    if (rc)
        return rc;
    int i_id = col[I_ID], i_phrases = col[I_PHRASES], i_description = col[I_DESCRIPTION],
        i_expertise = col[I_EXPERTISE], i_security = col[I_SECURITY];
    size_t count = (size_t)PQntuples(res);
    if (count > db->cap) {
        db->rows = xrealloc(db->rows, count * sizeof *db->rows);
        db->cap = count;
    }
    for (size_t i = 0; i < count; i++) {
        struct retag_vendor *v = &db->rows[i];
        int row = (int)i;
        v->id = PQgetvalue(res, row, i_id);
        v->description = value_or_null(res, row, i_description);
        v->expertise = value_or_null(res, row, i_expertise);
        v->data_security = value_or_null(res, row, i_security);
        strlist_init(&v->service_phrases);
        db->n = i + 1;
        if (pg_text_array_parse(PQgetvalue(res, row, i_phrases), &v->service_phrases) != 0)
            return vm_err_set(err, VM_EXIT_FAILURE, "vendor %s: unreadable service_phrases", v->id);
    }
    db->vendors += (long)count;
    rc = pgu_copy_begin(&db->copy, db->conn,
                        "COPY retag_results (id, computed_type, confidence, tag_evidence, "
                        "services, unknown_phrases) FROM STDIN",
                        err);
    db->copying = rc == 0;
    if (rc == 0) {
        *rows = db->rows;
        *n = db->n;
    }
    return rc;
}

int retag_db_put(struct retag_db *db, const char *id, const struct classification *c,
                 const char *evidence, struct vm_err *err)
{
    struct pgu_copy *copy = &db->copy;
    char conf[32];
    snprintf(conf, sizeof conf, "%.3f", c->confidence);
    pgu_copy_field(copy, id);
    pgu_copy_field(copy, c->process_type);
    pgu_copy_field(copy, conf);
    pgu_copy_field(copy, evidence);
    sbuf_reset(&db->buf);
    sbuf_putc(&db->buf, '{');
    for (size_t k = 0; k < c->n_categories; k++)
        sbuf_printf(&db->buf, "%s%d", k ? "," : "", c->categories[k]->id);
    sbuf_putc(&db->buf, '}');
    pgu_copy_field(copy, db->buf.data);
    sbuf_reset(&db->buf);
    pg_text_array_format(&db->buf, &c->unknown);
    pgu_copy_field(copy, db->buf.data);
    return pgu_copy_end_row(copy, err);
}

static long count_value(PGresult *res)
{
    return res && PQntuples(res) ? atol(PQgetvalue(res, 0, 0)) : 0;
}

int retag_db_commit(struct retag_db *db, struct retag_stats *stats, struct vm_err *err)
{
    PGresult *res = NULL;
    PGconn *conn = db->conn;
    memset(stats, 0, sizeof *stats);
    clear_batch(db);
    int rc = finish_copy(db, err);
    if (rc == 0)
        rc = pgu_exec(conn, "closing the cursor", "CLOSE retag_cursor", 0, NULL, NULL, err);
    if (rc == 0)
        rc = pgu_exec(conn, "counting changed tags",
                      "SELECT count(*) FROM vendors v JOIN retag_results r ON r.id = v.id "
                      "WHERE v.computed_type <> r.computed_type",
                      0, NULL, &res, err);
    if (rc)
        goto done;
    stats->vendors = db->vendors;
    stats->tags_changed = count_value(res);
    PQclear(res);
    res = NULL;
    rc = pgu_exec(conn, "storing tags",
                  "UPDATE vendors v SET computed_type = r.computed_type, "
                  "confidence = r.confidence, tag_evidence = r.tag_evidence, "
                  "services = r.services, unknown_phrases = r.unknown_phrases, tagged_at = now() "
                  "FROM retag_results r WHERE r.id = v.id AND "
                  "(v.computed_type, v.confidence, v.tag_evidence, v.services, "
                  "v.unknown_phrases) IS DISTINCT FROM "
                  "(r.computed_type, r.confidence, r.tag_evidence, r.services, "
                  "r.unknown_phrases)",
                  0, NULL, &res, err);
    if (rc)
        goto done;
    stats->updated = atol(PQcmdTuples(res));
    if (db->own_tx) {
        rc = pgu_commit(conn, "committing the re-tag", err);
        db->in_tx = rc != 0;
    } else {
        rc = pgu_exec(conn, "dropping the re-tag table", "DROP TABLE retag_results", 0, NULL, NULL,
                      err);
    }
done:
    PQclear(res);
    return rc;
}

void retag_db_free(struct retag_db *db)
{
    if (!db)
        return;
    if (db->copying)
        pgu_copy_abort(&db->copy, "re-tag failed");
    if (db->in_tx)
        pgu_rollback(db->conn);
    clear_batch(db);
    free(db->rows);
    sbuf_free(&db->buf);
    free(db);
}

static char *copy_or_null(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

int tag_db_read(PGconn *conn, long long vendor_id, struct stored_tags *out, struct vm_err *err)
{
    PGresult *res = NULL;
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%lld", vendor_id);
    const char *p[] = {idbuf};
    memset(out, 0, sizeof *out);
    int rc = pgu_exec(conn, "reading tags",
                      "SELECT id, name, computed_type, confidence, manual_type, manual_reason, "
                      "effective_type, tag_evidence, service_phrases FROM vendors "
                      "WHERE $1::bigint <= 0 OR id = $1::bigint ORDER BY id",
                      1, p, &res, err);
    enum {
        I_ID,
        I_NAME,
        I_COMPUTED,
        I_CONF,
        I_MANUAL,
        I_REASON,
        I_EFFECTIVE,
        I_EVIDENCE,
        I_PHRASES,
        N_COLS
    };
    static const char *const names[N_COLS] = {"id",
                                              "name",
                                              "computed_type",
                                              "confidence",
                                              "manual_type",
                                              "manual_reason",
                                              "effective_type",
                                              "tag_evidence",
                                              "service_phrases"};
    int col[N_COLS];
    if (rc == 0)
        rc = pgu_columns(res, "reading tags", N_COLS, names, col, err);
    if (rc) {
        PQclear(res);
        return rc;
    }
    int i_id = col[I_ID], i_name = col[I_NAME], i_computed = col[I_COMPUTED], i_conf = col[I_CONF],
        i_manual = col[I_MANUAL], i_reason = col[I_REASON], i_effective = col[I_EFFECTIVE],
        i_evidence = col[I_EVIDENCE], i_phrases = col[I_PHRASES];
    out->items = xcalloc((size_t)PQntuples(res) + 1, sizeof *out->items);
    for (int i = 0; i < PQntuples(res); i++) {
        struct stored_tag *t = &out->items[out->n++];
        t->id = atoll(PQgetvalue(res, i, i_id));
        t->name = xstrdup(PQgetvalue(res, i, i_name));
        t->computed_type = xstrdup(PQgetvalue(res, i, i_computed));
        t->confidence = atof(PQgetvalue(res, i, i_conf));
        t->manual_type = copy_or_null(res, i, i_manual);
        t->manual_reason = t->manual_type ? xstrdup(PQgetvalue(res, i, i_reason)) : NULL;
        t->effective_type = xstrdup(PQgetvalue(res, i, i_effective));
        t->tag_evidence = xstrdup(PQgetvalue(res, i, i_evidence));
        strlist_init(&t->service_phrases);
        if (pg_text_array_parse(PQgetvalue(res, i, i_phrases), &t->service_phrases) != 0) {
            rc = vm_err_set(err, VM_EXIT_FAILURE, "vendor %lld: unreadable service_phrases", t->id);
            break;
        }
    }
    PQclear(res);
    if (rc)
        stored_tags_free(out);
    return rc;
}

void stored_tags_free(struct stored_tags *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct stored_tag *s = &t->items[i];
        free(s->name);
        free(s->computed_type);
        free(s->manual_type);
        free(s->manual_reason);
        free(s->effective_type);
        free(s->tag_evidence);
        strlist_free(&s->service_phrases);
    }
    free(t->items);
    memset(t, 0, sizeof *t);
}

static int no_vendor(long long vendor_id, struct vm_err *err)
{
    return vm_err_set(err, VM_EXIT_FAILURE,
                      "no vendor with id %lld (see `vendormatch vendors list`)", vendor_id);
}

int tag_db_vendor_exists(PGconn *conn, long long vendor_id, struct vm_err *err)
{
    char idbuf[32];
    char *v = NULL;
    snprintf(idbuf, sizeof idbuf, "%lld", vendor_id);
    const char *p[] = {idbuf};
    int rc = pgu_query_value(conn, "looking up the vendor",
                             "SELECT id FROM vendors WHERE id = $1::bigint", 1, p, &v, err);
    if (rc == 0 && !v)
        rc = no_vendor(vendor_id, err);
    free(v);
    return rc;
}

int tag_db_set_manual(PGconn *conn, long long vendor_id, const char *type, const char *reason,
                      char computed[16], struct vm_err *err)
{
    PGresult *res = NULL;
    char idbuf[32];
    int rc;
    snprintf(idbuf, sizeof idbuf, "%lld", vendor_id);
    if (type) {
        const char *p[] = {idbuf, type, reason};
        rc = pgu_exec(conn, "setting the manual tag",
                      "UPDATE vendors SET manual_type = $2, manual_reason = $3, manual_at = now() "
                      "WHERE id = $1::bigint RETURNING computed_type",
                      3, p, &res, err);
    } else {
        const char *p[] = {idbuf};
        rc = pgu_exec(conn, "clearing the manual tag",
                      "UPDATE vendors SET manual_type = NULL, manual_reason = NULL, "
                      "manual_at = NULL WHERE id = $1::bigint RETURNING computed_type",
                      1, p, &res, err);
    }
    if (rc == 0 && PQntuples(res) == 0)
        rc = no_vendor(vendor_id, err);
    static const char *const names[] = {"computed_type"};
    int col;
    if (rc == 0)
        rc = pgu_columns(res, "setting the manual tag", 1, names, &col, err);
    if (rc == 0)
        snprintf(computed, 16, "%s", PQgetvalue(res, 0, col));
    PQclear(res);
    return rc;
}
