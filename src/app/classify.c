/*
 * classify (workflow): see classify.h. The re-tag reads and writes in
 * batches (db/tag_db); the deciding is classify() here, row by row, with the
 * evidence stored in the compact text import writes too.
 */
#include "app/classify.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/catalog.h"
#include "core/classify.h"
#include "db/taxonomy_db.h"
#include "io/output.h"
#include "io/progress.h"

/* Classifies every vendor db hands out (rc: how opening it went), sends
 * the results back and ends the re-tag; frees db. */
static int retag_run(struct retag_db *db, int rc, struct taxonomy *t, struct retag_stats *stats,
                     struct vm_err *err)
{
    struct sbuf evidence;
    const struct retag_vendor *rows;
    size_t n;
    memset(stats, 0, sizeof *stats);
    sbuf_init(&evidence);
    while (rc == 0 && (rc = retag_db_next(db, &rows, &n, err)) == 0 && n > 0)
        for (size_t i = 0; rc == 0 && i < n; i++) {
            const struct retag_vendor *v = &rows[i];
            struct classify_input in = {(const char *const *)v->service_phrases.items,
                                        v->service_phrases.len, v->description, v->expertise,
                                        v->data_security};
            struct classification c;
            classify(t, &in, &c);
            sbuf_reset(&evidence);
            classification_evidence_compact(&c, &v->service_phrases, &evidence);
            rc = retag_db_put(db, v->id, &c, evidence.data, err);
            classification_free(&c);
        }
    if (rc == 0)
        rc = retag_db_commit(db, stats, err);
    retag_db_free(db);
    sbuf_free(&evidence);
    return rc;
}

static int retag(PGconn *conn, struct taxonomy *t, long long vendor_id, struct retag_stats *stats,
                 struct vm_err *err)
{
    struct retag_db *db = NULL;
    int rc = retag_db_begin(conn, vendor_id, &db, err);
    return retag_run(db, rc, t, stats, err);
}

int app_retag_listed(PGconn *conn, struct taxonomy *t, const char *ids, struct retag_stats *stats,
                     struct vm_err *err)
{
    struct retag_db *db = NULL;
    int rc = retag_db_begin_listed(conn, ids, &db, err);
    return retag_run(db, rc, t, stats, err);
}

/* The stored tags with their evidence decoded (classify.h: out->explain). */
static int explain(PGconn *conn, const struct taxonomy *t, long long vendor_id, json_t **out,
                   struct vm_err *err)
{
    struct stored_tags tags;
    struct evidence_categories cats = {0};
    int rc = tag_db_read(conn, vendor_id, &tags, err);
    if (rc)
        return rc;
    evidence_categories_from_taxonomy(&cats, t);
    json_t *all = json_array();
    for (size_t i = 0; i < tags.n; i++) {
        const struct stored_tag *s = &tags.items[i];
        struct vm_err why = {0};
        json_t *ev = evidence_decode(s->tag_evidence, &s->service_phrases, &cats, &why);
        if (!ev) {
            rc = vm_err_set(err, VM_EXIT_FAILURE, "vendor %lld: %s", s->id, why.msg);
            break;
        }
        json_array_append_new(all, json_pack("{s:I, s:s, s:s, s:f, s:o, s:o, s:s, s:o}", "id",
                                             (json_int_t)s->id, "name", s->name, "computed_type",
                                             s->computed_type, "confidence", s->confidence,
                                             "manual_type", json_string_or_null(s->manual_type),
                                             "manual_reason", json_string_or_null(s->manual_reason),
                                             "effective_type", s->effective_type, "evidence", ev));
    }
    stored_tags_free(&tags);
    evidence_categories_free(&cats);
    if (rc)
        json_decref(all);
    *out = rc ? NULL : all;
    return rc;
}

int app_classify(const struct vm_db_options *db, long long vendor_id, bool want_explain,
                 struct app_classify_result *out, struct vm_err *err)
{
    PGconn *conn = NULL;
    struct taxonomy *t = NULL;
    memset(out, 0, sizeof *out);
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0 && vendor_id > 0)
        rc = tag_db_vendor_exists(conn, vendor_id, err);
    if (rc == 0)
        rc = taxonomy_db_load(conn, &t, err);
    double t0 = progress_now();
    if (rc == 0)
        rc = retag(conn, t, vendor_id, &out->stats, err);
    out->seconds = progress_now() - t0;
    if (rc == 0 && want_explain)
        rc = explain(conn, t, vendor_id, &out->explain, err);
    taxonomy_free(t);
    vm_conn_close(conn);
    return rc;
}

const char *app_tag_canonical(const char *t)
{
    static const char *const tags[] = {"BPO", "KPO", "HYBRID", "UNCLASSIFIED"};
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        if (strcasecmp(t, tags[i]) == 0)
            return tags[i];
    return NULL;
}

int app_tag_manual(const struct vm_db_options *db, long long vendor_id, const char *type,
                   const char *reason, char computed[16], struct vm_err *err)
{
    PGconn *conn = NULL;
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = tag_db_set_manual(conn, vendor_id, type, reason, computed, err);
    vm_conn_close(conn);
    return rc;
}
