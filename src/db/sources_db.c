/*
 * sources_db: `vendormatch sources` against the catalog (see sources_db.h).
 * Reads come back as JSON built by the server (json_build_object), parsed
 * once; the two writes run in one transaction each, after the import lock
 * and SHARE ROW EXCLUSIVE on vendors, as an import does, so neither can
 * interleave with an import.
 */
#include "db/sources_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/import_db.h"
#include "db/pgutil.h"
#include "db/taxonomy_db.h" /* pg_text_array_parse */
#include "db/vendor_cols.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

#define SOURCE_OBJECT                                                                              \
    "json_build_object('name', s.name, 'priority', s.priority,"                                    \
    " 'files', (SELECT count(DISTINCT b.file_name) FROM import_batches b"                          \
    "           WHERE b.source_id = s.id),"                                                        \
    " 'batches', (SELECT count(*) FROM import_batches b WHERE b.source_id = s.id),"                \
    " 'vendors', (SELECT count(*) FROM vendor_sources vs WHERE vs.source_id = s.id),"              \
    " 'last_import', " TS(                                                                         \
        "s.last_import_at") ","                                                                    \
                            " 'column_map', to_json(coalesce(s.column_map, '{}')), 'delimiter', "  \
                            "s.delimiter,"                                                         \
                            " 'header', to_json(coalesce(s.header, '{}')), 'created_at', " TS(     \
                                "s.created_at") ")"

/* Runs a query whose one value is JSON text and parses it into *out. */
static int query_json(PGconn *c, const char *what, const char *sql, int n,
                      const char *const *params, json_t **out, struct vm_err *err)
{
    char *text = NULL;
    int rc = pgu_query_value(c, what, sql, n, params, &text, err);
    *out = NULL;
    if (rc == 0 && text && !(*out = json_loads(text, JSON_DECODE_ANY, NULL)))
        rc = vm_err_set(err, VM_EXIT_FAILURE, "%s: unreadable JSON from the server", what);
    free(text);
    return rc;
}

int sources_db_list(PGconn *c, json_t **out, struct vm_err *err)
{
    return query_json(c, "listing sources",
                      "SELECT coalesce(json_agg(" SOURCE_OBJECT " ORDER BY s.name), '[]')"
                      " FROM sources s",
                      0, NULL, out, err);
}

static int no_source(const char *name, struct vm_err *err)
{
    return vm_err_set(err, VM_EXIT_FAILURE, "no source named '%s' (see `vendormatch sources list`)",
                      name);
}

int sources_db_show(PGconn *c, const char *name, json_t **out, struct vm_err *err)
{
    const char *p[] = {name};
    int rc = query_json(
        c, "reading the source",
        "SELECT " SOURCE_OBJECT "::jsonb || jsonb_build_object('imports',"
        " (SELECT coalesce(jsonb_agg(jsonb_build_object('batch_id', b.id, 'file', b.file_name,"
        "   'sha256', b.file_sha256, 'rows', b.rows_read, 'inserted', b.inserted,"
        "   'updated', b.updated, 'unchanged', b.unchanged, 'rejected', b.rejected, 'retired', "
        "b.retired,"
        "   'started_at', " TS("b.started_at") ", 'finished_at', " TS(
            "b.finished_at") ")"
                             "   ORDER BY b.id), '[]') FROM import_batches b WHERE b.source_id = "
                             "s.id))"
                             " FROM sources s WHERE s.name = $1",
        1, p, out, err);
    if (rc == 0 && !*out)
        rc = no_source(name, err);
    return rc;
}

static void rollback(PGconn *c)
{
    pgu_rollback(c);
}

/* BEGIN, the import lock, and the source's id (exit 1 when there is none). */
static int begin_on_source(PGconn *c, const char *name, char *id, size_t idlen, struct vm_err *err)
{
    int rc = pgu_begin(c, "starting the transaction", err);
    if (rc == 0)
        rc = import_db_lock_catalog(c, err);
    char *v = NULL;
    const char *p[] = {name};
    if (rc == 0)
        rc = pgu_query_value(c, "finding the source", "SELECT id FROM sources WHERE name = $1", 1,
                             p, &v, err);
    if (rc == 0 && !v)
        rc = no_source(name, err);
    if (rc == 0)
        snprintf(id, idlen, "%s", v);
    free(v);
    return rc;
}

/* Merges the vendors in vm_touch again from their records and lists those
 * whose tag inputs changed for re-tagging (VCOLS_RETAG_TABLE). */
static int remerge_touched(PGconn *c, long *n, struct vm_err *err)
{
    int rc = pgu_exec(c, "listing vendors to re-tag", VCOLS_RETAG_CREATE, 0, NULL, NULL, err);
    char *sql = vcols_remerge_sql("SELECT vendor_id FROM vm_touch", "");
    char *v = NULL;
    if (rc == 0)
        rc = pgu_query_value(c, "merging vendors again", sql, 0, NULL, &v, err);
    free(sql);
    if (rc == 0)
        *n = v ? atol(v) : 0;
    free(v);
    return rc;
}

static int exec_count(PGconn *c, const char *what, const char *sql, int n,
                      const char *const *params, long *count, struct vm_err *err)
{
    PGresult *res = NULL;
    int rc = pgu_exec(c, what, sql, n, params, &res, err);
    if (rc == 0 && count)
        *count = atol(PQcmdTuples(res));
    PQclear(res);
    return rc;
}

int sources_db_remove_records(PGconn *c, const char *source_id, const char *which,
                              struct source_drop_counts *n, struct vm_err *err)
{
    const char *p[] = {source_id};
    char *sql = xasprintf("CREATE TEMP TABLE vm_touch ON COMMIT DROP AS"
                          " SELECT vendor_id FROM vendor_sources WHERE source_id = $1 AND (%s)",
                          which);
    int rc = pgu_exec(c, "listing the source's vendors", sql, 1, p, NULL, err);
    free(sql);
    if (rc == 0)
        rc = exec_count(c, "removing the source's records",
                        "DELETE FROM vendor_sources WHERE source_id = $1"
                        " AND vendor_id IN (SELECT vendor_id FROM vm_touch)",
                        1, p, &n->records, err);
    if (rc == 0)
        rc = exec_count(c, "deleting vendors no other source lists",
                        "DELETE FROM vendors v WHERE v.id IN (SELECT vendor_id FROM vm_touch)"
                        " AND NOT EXISTS (SELECT 1 FROM vendor_sources vs"
                        "   WHERE vs.vendor_id = v.id AND vs.content_hash IS NOT NULL)",
                        0, NULL, &n->deleted, err);
    if (rc == 0)
        rc = pgu_exec(c, "listing vendors to merge again",
                      "DELETE FROM vm_touch t WHERE NOT EXISTS (SELECT 1 FROM vendors v"
                      " WHERE v.id = t.vendor_id)",
                      0, NULL, NULL, err);
    if (rc == 0)
        rc = remerge_touched(c, &n->remerged, err);
    if (rc == 0)
        rc = pgu_exec(c, "dropping the work table", "DROP TABLE vm_touch", 0, NULL, NULL, err);
    return rc;
}

int sources_db_drop(PGconn *c, const char *name, struct source_drop_counts *n, struct vm_err *err)
{
    char id[24];
    memset(n, 0, sizeof *n);
    int rc = begin_on_source(c, name, id, sizeof id, err);
    const char *p[] = {id};
    if (rc == 0)
        rc = sources_db_remove_records(c, id, "true", n, err);
    if (rc == 0)
        rc = exec_count(c, "removing the source's batches",
                        "DELETE FROM import_batches WHERE source_id = $1", 1, p, &n->batches, err);
    if (rc == 0)
        rc = pgu_exec(c, "removing the source", "DELETE FROM sources WHERE id = $1", 1, p, NULL,
                      err);
    if (rc)
        rollback(c);
    return rc;
}

int sources_db_end(PGconn *c, bool commit, struct vm_err *err)
{
    if (!commit) {
        rollback(c);
        return 0;
    }
    int rc = pgu_commit(c, "committing", err);
    if (rc)
        rollback(c);
    return rc;
}

int sources_db_set_priority(PGconn *c, const char *name, int priority, long *remerged,
                            struct vm_err *err)
{
    char id[24], prio[24];
    *remerged = 0;
    snprintf(prio, sizeof prio, "%d", priority);
    int rc = begin_on_source(c, name, id, sizeof id, err);
    const char *p[] = {id, prio};
    if (rc == 0)
        rc = pgu_exec(c, "setting the priority", "UPDATE sources SET priority = $2 WHERE id = $1",
                      2, p, NULL, err);
    if (rc == 0)
        rc = pgu_exec(c, "listing shared vendors",
                      "CREATE TEMP TABLE vm_touch ON COMMIT DROP AS"
                      " SELECT vendor_id FROM vendor_sources WHERE source_id = $1"
                      " AND vendor_id IN (SELECT vendor_id FROM vendor_sources"
                      "   WHERE source_id <> $1 AND content_hash IS NOT NULL)",
                      1, p, NULL, err);
    if (rc == 0)
        rc = remerge_touched(c, remerged, err);
    if (rc)
        rollback(c);
    return rc;
}

int sources_db_remembered(PGconn *c, const char *name, bool *found, struct strlist *maps,
                          struct strlist *header, char *delimiter, struct vm_err *err)
{
    PGresult *res = NULL;
    const char *p[] = {name};
    *found = false;
    *delimiter = 0;
    int rc = pgu_exec(c, "reading the source's mapping",
                      "SELECT coalesce(column_map, '{}') AS column_map,"
                      " coalesce(header, '{}') AS header, delimiter,"
                      " header IS NOT NULL AS remembered FROM sources WHERE name = $1",
                      1, p, &res, err);
    static const char *const names[] = {"column_map", "header", "delimiter", "remembered"};
    int col[4];
    if (rc == 0)
        rc = pgu_columns(res, "reading the source's mapping", 4, names, col, err);
    if (rc == 0 && PQntuples(res) == 1 && PQgetvalue(res, 0, col[3])[0] == 't') {
        *found = true;
        if (pg_text_array_parse(PQgetvalue(res, 0, col[0]), maps) != 0 ||
            pg_text_array_parse(PQgetvalue(res, 0, col[1]), header) != 0)
            rc = vm_err_set(err, VM_EXIT_FAILURE, "source '%s': unreadable remembered mapping",
                            name);
        const char *d = PQgetisnull(res, 0, col[2]) ? "" : PQgetvalue(res, 0, col[2]);
        *delimiter = strcmp(d, "tab") == 0 ? '\t' : d[0];
    }
    PQclear(res);
    return rc;
}
