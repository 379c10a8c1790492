/*
 * cmd_migrate: `vendormatch migrate` applies the pending migrations to the
 * configured database (any database, not only the embedded one: this is the
 * command that is allowed to change a schema); `--status` lists them.
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

#include "db/conn.h"
#include "db/migrate.h"
#include "io/output.h"

static const char *state_name(enum vm_migration_state state)
{
    switch (state) {
    case VM_MIGRATION_PENDING:
        return "pending";
    case VM_MIGRATION_APPLIED:
        return "applied";
    case VM_MIGRATION_CHANGED:
        return "CHANGED";
    case VM_MIGRATION_UNKNOWN:
        break;
    }
    return "UNKNOWN";
}

/* One line per migration: state, when applied (UTC) and file name. */
static int print_status(PGconn *conn, const char *schema, struct vm_err *err)
{
    struct vm_migration_report report;
    int rc = vm_migrate_inspect(conn, schema, embedded_migrations, embedded_migrations_count,
                                &report, err);
    if (rc)
        return rc;
    static const char *const headers[] = {"state", "applied_at", "migration"};
    struct table t;
    table_init(&t, 3, headers);
    for (size_t i = 0; i < report.count; i++) {
        const struct vm_migration_status *s = &report.items[i];
        const char *row[] = {state_name(s->state), s->applied_at[0] ? s->applied_at : "-",
                             s->file_name};
        table_add_row(&t, row);
    }
    table_print_aligned(&t, stdout);
    table_free(&t);
    rc = vm_migration_report_check(&report, err);
    vm_migration_report_free(&report);
    return rc;
}

static int apply_pending(struct vm_ctx *ctx, PGconn *conn, const char *schema, struct vm_err *err)
{
    size_t applied = 0;
    int rc = vm_migrate_apply(conn, schema, embedded_migrations, embedded_migrations_count,
                              ctx->quiet ? NULL : stderr, &applied, err);
    if (rc == 0 && !ctx->quiet)
        fprintf(stderr,
                "vendormatch: schema %s is up to date (%zu migration(s) applied now, %zu "
                "in total)\n",
                schema, applied, embedded_migrations_count);
    return rc;
}

static int migrate_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_migrate_entry = {
    .name = "migrate",
    .summary = "apply pending schema migrations, or list them (--status)",
    .usage = "usage: vendormatch migrate [--status]\n"
             "\n"
             "Applies the migrations compiled into vendormatch that the catalog does not\n"
             "have yet, in order, each in its own transaction, and records them with their\n"
             "SHA-256 in the schema_migrations table of the catalog schema (vendormatch,\n"
             "or --schema NAME / $VENDORMATCH_SCHEMA; created when missing). A catalog an\n"
             "earlier vendormatch made in public is moved into that schema. Concurrent\n"
             "runs wait for each other. An applied migration whose file has changed is an\n"
             "error.\n"
             "\n"
             "  --status   list every migration as applied (with its time, UTC) or pending;\n"
             "             exit 1 if an applied one has changed\n"
             "  -h, --help this help\n",
    .exec = migrate_exec,
};

static int migrate_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    bool status = false;
    PGconn *conn = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--status") == 0)
            status = true;
        else
            return cmd_usage_error(&cmd_migrate_entry, err, "unexpected argument '%s'", argv[i]);
    }
    struct vm_db_options opt = vm_ctx_db_options(ctx);
    struct vm_db_target target;
    int rc = vm_db_connect(&opt, &conn, &target, err);
    if (rc == 0)
        rc = status ? print_status(conn, target.schema, err)
                    : apply_pending(ctx, conn, target.schema, err);
    vm_conn_close(conn);
    return rc;
}
