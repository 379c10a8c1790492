/*
 * shortlists (workflow): see shortlists.h. Each call is one connection,
 * opened and closed here around one of shortlist_db's or report_db's calls.
 */
#include "app/shortlists.h"

#include "app/catalog.h"
#include "db/report_db.h"
#include "db/shortlist_db.h"

typedef int (*shortlist_call)(PGconn *conn, const char *key, json_t **out, struct vm_err *err);

/* Opens the catalog, makes the call, closes it. */
static int on_catalog(const struct vm_db_options *db, shortlist_call call, const char *key,
                      json_t **out, struct vm_err *err)
{
    PGconn *conn = NULL;
    int rc = app_catalog_open(db, &conn, err);
    if (rc == 0)
        rc = call(conn, key, out, err);
    vm_conn_close(conn);
    return rc;
}

static int list_call(PGconn *conn, const char *key, json_t **out, struct vm_err *err)
{
    (void)key;
    return shortlist_db_list(conn, out, err);
}

int app_shortlist_load(const struct vm_db_options *db, const char *key, json_t **doc,
                       struct vm_err *err)
{
    return on_catalog(db, report_db_load, key, doc, err);
}

int app_shortlist_list(const struct vm_db_options *db, json_t **list, struct vm_err *err)
{
    return on_catalog(db, list_call, NULL, list, err);
}

int app_shortlist_delete(const struct vm_db_options *db, const char *key, json_t **gone,
                         struct vm_err *err)
{
    return on_catalog(db, shortlist_db_delete, key, gone, err);
}
