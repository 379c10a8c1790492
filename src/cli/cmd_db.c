/*
 * cmd_db: `vendormatch db start|stop|status|url`, the user's handle on the
 * embedded PostgreSQL. These always act on the embedded database, whatever
 * --db or the environment say; other commands start it on demand anyway.
 * `db which` is the exception: it says which database and schema the other
 * commands would use, and why.
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/embedded.h"
#include "db/migrate.h"

static int db_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_db_entry = {
    .name = "db",
    .summary = "start, stop or inspect the embedded PostgreSQL",
    .usage = "usage: vendormatch db start | stop | status | url | which\n"
             "\n"
             "The embedded database is a private PostgreSQL cluster in $VENDORMATCH_HOME\n"
             "(default $XDG_DATA_HOME/vendormatch, else ~/.local/share/vendormatch), mode\n"
             "0700, reachable only through a Unix socket in that directory. Other commands\n"
             "start it when no --db, VENDORMATCH_DB, DATABASE_URL, PGSERVICE, PGHOST or\n"
             "PGDATABASE is given. The home must be new, empty or one vendormatch made: a\n"
             "directory holding other files is refused (exit 69), never chmodded or chowned.\n"
             "\n"
             "  start    create it on first use and start it (no-op if running)\n"
             "  stop     stop it (no-op if not running)\n"
             "  status   print whether it runs, its pid, home and socket directory;\n"
             "           exit 0 if running, 1 if not. Running means the pid in\n"
             "           postmaster.pid is this database's postgres server (its program\n"
             "           and data directory), not merely a live process\n"
             "  url      print a connection string whose search_path is the catalog schema:\n"
             "           psql \"$(vendormatch db url)\"\n"
             "  which    print the database the other commands use (host, port, dbname,\n"
             "           user; never a password), the catalog schema, the state of the\n"
             "           catalog, and which rule chose each (--db, VENDORMATCH_DB,\n"
             "           DATABASE_URL, the PG* environment or the embedded database);\n"
             "           does not start the embedded database; exit 69 if the database\n"
             "           cannot be reached\n",
    .exec = db_exec,
};

static int db_start(struct vm_ctx *ctx, struct vm_embedded *e, struct vm_err *err)
{
    bool running = false;
    int rc = vm_embedded_start(e, &running, err);
    if (rc == 0 && !ctx->quiet && running)
        output_printf(stderr,
                      "vendormatch: the embedded database is already running (pid %ld, %s)\n",
                      vm_embedded_pid(e), e->home);
    else if (rc == 0 && !ctx->quiet)
        output_printf(stderr, "vendormatch: the embedded database is running (pid %ld, %s)\n",
                      vm_embedded_pid(e), e->home);
    return rc;
}

static int db_stop(struct vm_ctx *ctx, struct vm_embedded *e, struct vm_err *err)
{
    bool was_running = false;
    int rc = vm_embedded_stop(e, &was_running, err);
    if (rc == 0 && !ctx->quiet)
        output_printf(stderr, "vendormatch: the embedded database %s (%s)\n",
                      was_running ? "is stopped" : "was not running", e->home);
    return rc;
}

static int db_status(struct vm_embedded *e)
{
    long pid = vm_embedded_pid(e);
    const char *state = pid > 0                      ? "running"
                        : vm_embedded_initialised(e) ? "not running"
                                                     : "not running (not created yet)";
    output_printf(stdout, "status:  %s\n", state);
    if (pid > 0)
        output_printf(stdout, "pid:     %ld\n", pid);
    output_printf(stdout, "home:    %s\n", e->home);
    output_printf(stdout, "socket:  %s\n", e->home);
    output_printf(stdout, "log:     %s\n", e->logfile);
    return pid > 0 ? VM_EXIT_OK : VM_EXIT_FAILURE;
}

/* The state of the catalog in the schema, in a few words. */
static void print_catalog_state(PGconn *conn, const char *schema)
{
    struct vm_migration_report r;
    struct vm_err err;
    vm_err_clear(&err);
    if (vm_migrate_inspect(conn, schema, embedded_migrations, embedded_migrations_count, &r,
                           &err) != 0) {
        output_printf(stdout, "catalog:  unreadable (%s)\n", err.msg);
        return;
    }
    if (vm_migration_report_check(&r, &err) != 0)
        printf("catalog:  needs attention: see `vendormatch migrate --status`\n");
    else if (r.legacy)
        printf("catalog:  in schema public, made by an earlier vendormatch; `vendormatch "
               "migrate` moves it into %s\n",
               schema);
    else if (r.pending == r.count)
        printf("catalog:  none yet (`vendormatch migrate` creates it)\n");
    else if (r.pending > 0)
        printf("catalog:  %zu pending migration(s): run `vendormatch migrate`\n", r.pending);
    else
        printf("catalog:  up to date (%zu migrations)\n", r.count);
    vm_migration_report_free(&r);
}

/* One field per line; the embedded database is described without starting it. */
static int db_which(struct vm_ctx *ctx, struct vm_err *err)
{
    struct vm_db_options opt = vm_ctx_db_options(ctx);
    struct vm_db_target t;
    struct vm_embedded e;
    PGconn *conn = NULL;
    bool located = false;
    int rc = vm_db_resolve(&opt, &t, err);

    if (rc == 0 && t.source == VM_DB_EMBEDDED) {
        rc = vm_embedded_locate(&e, true, err);
        located = rc == 0;
    }
    if (rc == 0 && (t.source != VM_DB_EMBEDDED || vm_embedded_pid(&e) > 0)) {
        opt.quiet = true;
        opt.verbose = 0;
        rc = vm_db_connect(&opt, &conn, NULL, err);
    }
    if (rc)
        goto done;
    output_printf(stdout, "source:   %s\n", t.why);
    if (conn) {
        struct vm_conn_params p = vm_conn_params(conn);
        output_printf(stdout, "host:     %s\nport:     %s\ndbname:   %s\nuser:     %s\n", p.host,
                      p.port, p.dbname, p.user);
    } else {
        output_printf(stdout, "host:     %s\nport:     %d\ndbname:   %s\nuser:     %s\n", e.home,
                      VM_EMBEDDED_PORT, VM_EMBEDDED_DBNAME, VM_EMBEDDED_USER);
    }
    output_printf(stdout, "schema:   %s (from %s)\n", t.schema, t.schema_why);
    if (conn)
        print_catalog_state(conn, t.schema);
    else
        printf("catalog:  the embedded database is not running (commands start it)\n");
done:
    vm_conn_close(conn);
    if (located)
        vm_embedded_free(&e);
    return rc;
}

/* The embedded URI with options=-csearch_path="SCHEMA" (percent-encoded; in
 * options a space is escaped with a backslash), so that psql sees the
 * catalog's tables unqualified. */
static char *url_with_schema(struct vm_ctx *ctx, const struct vm_embedded *e, struct vm_err *err)
{
    struct vm_db_options opt = vm_ctx_db_options(ctx);
    struct vm_db_target t;
    if (vm_db_resolve(&opt, &t, err) != 0)
        return NULL;
    char *url = vm_embedded_conninfo(e);
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "%s&options=-csearch_path%%3D%%22", url);
    for (const unsigned char *p = (const unsigned char *)t.schema; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '_')
            sbuf_putc(&b, (char)*p);
        else if (*p == ' ' || *p == '\\')
            sbuf_printf(&b, "%%5C%%%02X", *p);
        else if (*p == '"')
            sbuf_puts(&b, "%22%22");
        else
            sbuf_printf(&b, "%%%02X", *p);
    }
    sbuf_puts(&b, "%22");
    free(url);
    return sbuf_detach(&b);
}

static int db_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    struct vm_embedded e;
    int rc;

    if (argc != 2)
        return cmd_usage_error(&cmd_db_entry, err,
                               argc < 2 ? "missing subcommand" : "too many arguments");
    const char *sub = argv[1];
    if (strcmp(sub, "start") && strcmp(sub, "stop") && strcmp(sub, "status") &&
        strcmp(sub, "url") && strcmp(sub, "which"))
        return cmd_usage_error(&cmd_db_entry, err, "unknown subcommand '%s'", sub);
    if (strcmp(sub, "which") == 0)
        return db_which(ctx, err);
    rc = vm_embedded_locate(&e, ctx->quiet, err);
    if (rc)
        goto done;
    if (strcmp(sub, "start") == 0) {
        rc = db_start(ctx, &e, err);
    } else if (strcmp(sub, "stop") == 0) {
        rc = db_stop(ctx, &e, err);
    } else if (strcmp(sub, "status") == 0) {
        rc = db_status(&e);
    } else {
        char *url = url_with_schema(ctx, &e, err);
        rc = url ? VM_EXIT_OK : VM_EXIT_USAGE;
        if (url)
            output_printf(stdout, "%s\n", url);
        free(url);
    }
done:
    vm_embedded_free(&e);
    return rc;
}
