/*
 * cmd_db: `vendormatch db start|stop|status|url`, the user's handle on the
 * embedded PostgreSQL. These always act on the embedded database, whatever
 * --db or the environment say; other commands start it on demand anyway.
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/embedded.h"

static int db_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_db_entry = {
    .name = "db",
    .summary = "start, stop or inspect the embedded PostgreSQL",
    .usage = "usage: vendormatch db start | stop | status | url\n"
             "\n"
             "The embedded database is a private PostgreSQL cluster in $VENDORMATCH_HOME\n"
             "(default $XDG_DATA_HOME/vendormatch, else ~/.local/share/vendormatch), mode\n"
             "0700, reachable only through a Unix socket in that directory. Other commands\n"
             "start it when no --db, VENDORMATCH_DB or DATABASE_URL is given.\n"
             "\n"
             "  start    create it on first use and start it (no-op if running)\n"
             "  stop     stop it (no-op if not running)\n"
             "  status   print whether it runs, its pid, home and socket directory;\n"
             "           exit 0 if running, 1 if not\n"
             "  url      print a connection string: psql \"$(vendormatch db url)\"\n",
    .exec = db_exec,
};

static int db_start(struct vm_ctx *ctx, struct vm_embedded *e, struct vm_err *err)
{
    bool running = false;
    int rc = vm_embedded_start(e, &running, err);
    if (rc == 0 && !ctx->quiet && running)
        fprintf(stderr, "vendormatch: the embedded database is already running (pid %ld, %s)\n",
                vm_embedded_pid(e), e->home);
    else if (rc == 0 && !ctx->quiet)
        fprintf(stderr, "vendormatch: the embedded database is running (pid %ld, %s)\n",
                vm_embedded_pid(e), e->home);
    return rc;
}

static int db_stop(struct vm_ctx *ctx, struct vm_embedded *e, struct vm_err *err)
{
    bool was_running = false;
    int rc = vm_embedded_stop(e, &was_running, err);
    if (rc == 0 && !ctx->quiet)
        fprintf(stderr, "vendormatch: the embedded database %s (%s)\n",
                was_running ? "is stopped" : "was not running", e->home);
    return rc;
}

static int db_status(struct vm_embedded *e)
{
    long pid = vm_embedded_pid(e);
    const char *state = pid > 0                      ? "running"
                        : vm_embedded_initialised(e) ? "not running"
                                                     : "not running (not created yet)";
    printf("status:  %s\n", state);
    if (pid > 0)
        printf("pid:     %ld\n", pid);
    printf("home:    %s\n", e->home);
    printf("socket:  %s\n", e->home);
    printf("log:     %s\n", e->logfile);
    return pid > 0 ? VM_EXIT_OK : VM_EXIT_FAILURE;
}

static int db_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    struct vm_embedded e;
    int rc;

    if (argc != 2)
        return cmd_usage_error(&cmd_db_entry, err,
                               argc < 2 ? "missing subcommand" : "too many arguments");
    const char *sub = argv[1];
    if (strcmp(sub, "start") && strcmp(sub, "stop") && strcmp(sub, "status") && strcmp(sub, "url"))
        return cmd_usage_error(&cmd_db_entry, err, "unknown subcommand '%s'", sub);
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
        char *url = vm_embedded_conninfo(&e);
        puts(url);
        free(url);
    }
done:
    vm_embedded_free(&e);
    return rc;
}
