/*
 * cmd_db: `vendormatch db start|stop|status|url`, the user's handle on the
 * embedded PostgreSQL. These always act on the embedded database, whatever
 * --db or the environment say; other commands start it on demand anyway.
 * `db which` is the exception: it says which database and schema the other
 * commands would use, and why. The work is the dbadmin workflow's
 * (src/app/dbadmin.c).
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dbadmin.h"

static const char db_usage[] =
    "usage: vendormatch db start | stop | status | url | which\n"
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
    "           cannot be reached\n";

const struct cmd_entry cmd_db_entry;

/* What start, stop and status say. */
static int print_embedded(struct vm_ctx *ctx, enum app_db_action action,
                          const struct app_db_embedded *e)
{
    if (action == APP_DB_START && !ctx->quiet)
        output_printf(stderr, "vendormatch: the embedded database is %srunning (pid %ld, %s)\n",
                      e->was_running ? "already " : "", e->pid, e->home);
    if (action == APP_DB_STOP && !ctx->quiet)
        output_printf(stderr, "vendormatch: the embedded database %s (%s)\n",
                      e->was_running ? "is stopped" : "was not running", e->home);
    if (action != APP_DB_STATUS)
        return VM_EXIT_OK;
    output_printf(stdout, "status:  %s\n",
                  e->pid > 0       ? "running"
                  : e->initialised ? "not running"
                                   : "not running (not created yet)");
    if (e->pid > 0)
        output_printf(stdout, "pid:     %ld\n", e->pid);
    output_printf(stdout, "home:    %s\n", e->home);
    output_printf(stdout, "socket:  %s\n", e->home);
    output_printf(stdout, "log:     %s\n", e->logfile);
    return e->pid > 0 ? VM_EXIT_OK : VM_EXIT_FAILURE;
}

/* One field per line. */
static void print_which(const struct app_db_which *w)
{
    output_printf(stdout, "source:   %s\n", w->why);
    output_printf(stdout, "host:     %s\nport:     %s\ndbname:   %s\nuser:     %s\n", w->host,
                  w->port, w->dbname, w->user);
    output_printf(stdout, "schema:   %s (from %s)\n", w->schema, w->schema_why);
    switch (w->catalog) {
    case APP_CATALOG_NOT_RUNNING:
        printf("catalog:  the embedded database is not running (commands start it)\n");
        break;
    case APP_CATALOG_UNREADABLE:
        output_printf(stdout, "catalog:  unreadable (%s)\n", w->why_unreadable);
        break;
    case APP_CATALOG_ATTENTION:
        printf("catalog:  needs attention: see `vendormatch migrate --status`\n");
        break;
    case APP_CATALOG_LEGACY:
        printf("catalog:  in schema public, made by an earlier vendormatch; `vendormatch "
               "migrate` moves it into %s\n",
               w->schema);
        break;
    case APP_CATALOG_NONE:
        printf("catalog:  none yet (`vendormatch migrate` creates it)\n");
        break;
    case APP_CATALOG_PENDING:
        printf("catalog:  %zu pending migration(s): run `vendormatch migrate`\n", w->pending);
        break;
    case APP_CATALOG_CURRENT:
        printf("catalog:  up to date (%zu migrations)\n", w->applied);
    }
}

static int db_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    struct vm_db_options opt = vm_ctx_db_options(ctx);
    int rc;

    if (argc != 2)
        return cmd_usage_error(&cmd_db_entry, err,
                               argc < 2 ? "missing subcommand" : "too many arguments");
    const char *sub = argv[1];
    if (strcmp(sub, "start") && strcmp(sub, "stop") && strcmp(sub, "status") &&
        strcmp(sub, "url") && strcmp(sub, "which"))
        return cmd_usage_error(&cmd_db_entry, err, "unknown subcommand '%s'", sub);
    if (strcmp(sub, "which") == 0) {
        struct app_db_which w;
        if ((rc = app_db_which(&opt, &w, err)) == 0)
            print_which(&w);
        app_db_which_free(&w);
        return rc;
    }
    if (strcmp(sub, "url") == 0) {
        char *url = NULL;
        if ((rc = app_db_url(&opt, &url, err)) == 0)
            output_printf(stdout, "%s\n", url);
        free(url);
        return rc;
    }
    enum app_db_action action = strcmp(sub, "start") == 0  ? APP_DB_START
                                : strcmp(sub, "stop") == 0 ? APP_DB_STOP
                                                           : APP_DB_STATUS;
    struct app_db_embedded e;
    if ((rc = app_db_embedded(action, ctx->quiet, &e, err)) == 0)
        rc = print_embedded(ctx, action, &e);
    app_db_embedded_free(&e);
    return rc;
}

const struct cmd_entry cmd_db_entry = {
    .name = "db",
    .summary = "start, stop or inspect the embedded PostgreSQL",
    .usage = db_usage,
    .exec = db_exec,
};
