/*
 * sources (workflow): see sources.h. A change (drop, priority) leaves its
 * transaction open in db/sources_db; the vendors it merged again are
 * re-tagged inside it, then it commits, or rolls back when the re-tag fails.
 */
#include "app/sources.h"

#include "app/catalog.h"
#include "app/classify.h"
#include "db/taxonomy_db.h"
#include "db/vendor_cols.h"

int app_sources_read(const struct vm_db_options *db, const char *name, json_t **out,
                     struct vm_err *err)
{
    PGconn *conn = NULL;
    *out = NULL;
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = name ? sources_db_show(conn, name, out, err) : sources_db_list(conn, out, err);
    vm_conn_close(conn);
    return rc;
}

/* Re-tags the vendors the change merged again (VCOLS_RETAG_TABLE) inside its
 * transaction, then commits it; rolls it back when the re-tag fails. */
static int retag_and_end(PGconn *conn, struct taxonomy *tax, struct vm_err *err)
{
    struct retag_stats st;
    int rc = app_retag_listed(conn, tax, VCOLS_RETAG_IDS, &st, err);
    if (rc) {
        sources_db_end(conn, false, err);
        return rc;
    }
    return sources_db_end(conn, true, err);
}

/* Drops the source (priority NULL: fills *dropped) or sets its priority
 * (fills *remerged), re-tags the vendors merged again and commits. */
static int change(const struct vm_db_options *db, const char *name, const int *priority,
                  struct source_drop_counts *dropped, long *remerged, struct vm_err *err)
{
    PGconn *conn = NULL;
    struct taxonomy *tax = NULL;
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = taxonomy_db_load(conn, &tax, err);
    if (rc == 0)
        rc = priority ? sources_db_set_priority(conn, name, *priority, remerged, err)
                      : sources_db_drop(conn, name, dropped, err);
    if (rc == 0)
        rc = retag_and_end(conn, tax, err);
    if (tax)
        taxonomy_free(tax);
    vm_conn_close(conn);
    return rc;
}

int app_sources_drop(const struct vm_db_options *db, const char *name, struct source_drop_counts *n,
                     struct vm_err *err)
{
    return change(db, name, NULL, n, NULL, err);
}

int app_sources_set_priority(const struct vm_db_options *db, const char *name, int priority,
                             long *remerged, struct vm_err *err)
{
    *remerged = 0;
    return change(db, name, &priority, NULL, remerged, err);
}
