/*
 * catalog: how every workflow gets its connection to the catalog. The
 * embedded database is ours, so it is started and migrated without asking;
 * any other database belongs to someone who decides when its schema
 * changes, so an out-of-date one is refused with what to run.
 */
#ifndef VM_APP_CATALOG_H
#define VM_APP_CATALOG_H

#include <libpq-fe.h>

#include "core/util.h"
#include "db/conn.h"

/*
 * Resolves the target (--db, VENDORMATCH_DB, DATABASE_URL, the PG*
 * environment, else the embedded database, started on demand and migrated
 * automatically), sets search_path to the catalog schema and refuses an
 * out-of-date schema on any other database. Errors are VM_EXIT_UNAVAILABLE
 * (69) or VM_EXIT_FAILURE with a message that never contains a password.
 * The caller closes *out with vm_conn_close.
 */
int app_catalog_open(const struct vm_db_options *opt, PGconn **out, struct vm_err *err);

#endif
