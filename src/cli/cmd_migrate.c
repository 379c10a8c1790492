/*
 * cmd_migrate: `vendormatch migrate` applies the pending migrations to the
 * configured database (any database, not only the embedded one: this is the
 * command that is allowed to change a schema); `--status` lists them. The
 * work is the dbadmin workflow's (src/app/dbadmin.c).
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

#include "app/dbadmin.h"
#include "io/output.h"

static int migrate_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_migrate_entry = {
    .name = "migrate",
    .summary = "apply pending schema migrations, or list them (--status)",
    .usage = "usage: vendormatch migrate [--status [--format table|csv|json]]\n"
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
             "  --format table|csv|json\n"
             "             how --status prints (json: [{\"state\", \"applied_at\" (null when\n"
             "             pending), \"migration\"}])\n"
             "  -h, --help this help\n",
    .exec = migrate_exec,
};

static int migrate_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    struct vm_db_options opt = vm_ctx_db_options(ctx);
    bool status = false, listed = false, formatted = false;
    enum out_format fmt = OUT_TABLE;
    struct app_migrate_result r;
    struct table t;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *value = strncmp(argv[i], "--format=", 9) == 0              ? argv[i] + 9
                            : strcmp(argv[i], "--format") == 0 && i + 1 < argc ? argv[++i]
                                                                               : NULL;
        if (strcmp(argv[i], "--status") == 0)
            status = true;
        else if (value && parse_out_format(value, &fmt, err) == 0)
            formatted = true;
        else if (value)
            return cmd_usage_error(&cmd_migrate_entry, err, "%s", err->msg);
        else
            return cmd_usage_error(&cmd_migrate_entry, err, "unexpected argument '%s'", argv[i]);
    }
    if (formatted && !status)
        return cmd_usage_error(&cmd_migrate_entry, err, "--format is for --status");
    if (status) { /* the list, then whether an applied migration changed */
        static const enum table_json json[] = {TABLE_JSON_STRING, TABLE_JSON_OR_NULL,
                                               TABLE_JSON_STRING};
        rc = app_migrate_status(&opt, &t, &listed, err);
        if (listed) {
            struct vm_err werr;
            if (table_print(&t, fmt, json, stdout, &werr) && rc == 0)
                rc = vm_err_set(err, werr.code, "%s", werr.msg);
            table_free(&t);
        }
        return rc;
    }
    rc = app_migrate(&opt, ctx->quiet ? NULL : stderr, &r, err);
    if (rc == 0 && !ctx->quiet)
        fprintf(stderr,
                "vendormatch: schema %s is up to date (%zu migration(s) applied now, %zu "
                "in total)\n",
                r.schema, r.applied, r.total);
    return rc;
}
