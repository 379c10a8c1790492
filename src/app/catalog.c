/*
 * catalog: opening the catalog for a workflow (see catalog.h).
 */
#include "app/catalog.h"

#include <stdlib.h>

#include "db/migrate.h"

/* Refuses a database with pending, changed or unknown migrations. */
static int require_current_schema(PGconn *conn, const struct vm_db_target *t, struct vm_err *err)
{
    struct vm_migration_report report;
    int rc = vm_migrate_inspect(conn, t->schema, embedded_migrations, embedded_migrations_count,
                                &report, err);
    if (rc == 0)
        rc = vm_migration_report_check(&report, err);
    if (rc == 0 && report.pending > 0) {
        const char *next = "";
        for (size_t i = 0; i < report.count && !next[0]; i++)
            if (report.items[i].state == VM_MIGRATION_PENDING)
                next = report.items[i].file_name;
        char *shown = vm_conn_describe(conn);
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "the catalog in schema %s of the database %s (from %s) has %zu pending "
                        "migration(s), starting with %s; run `vendormatch migrate` (with the "
                        "same connection and schema) to update it",
                        t->schema, shown, vm_db_source_name(t->source), report.pending, next);
        free(shown);
    }
    vm_migration_report_free(&report);
    return rc;
}

int app_catalog_open(const struct vm_db_options *opt, PGconn **out, struct vm_err *err)
{
    struct vm_db_target target;
    PGconn *conn = NULL;
    int rc = vm_db_connect(opt, &conn, &target, err);

    if (rc)
        goto done;
    if (target.source == VM_DB_EMBEDDED)
        rc = vm_migrate_apply(conn, target.schema, embedded_migrations, embedded_migrations_count,
                              NULL, NULL, err);
    else
        rc = require_current_schema(conn, &target, err);
done:
    if (rc == 0)
        *out = conn;
    else
        vm_conn_close(conn);
    return rc;
}
