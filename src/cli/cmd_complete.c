/*
 * cmd_complete: `vendormatch __complete WHAT`, the hidden helper the shell
 * completion scripts (completion/) call for names only the catalog knows.
 * It must be cheap and silent: it never starts the embedded server (a
 * stopped one completes nothing), waits at most 2 s for any other server
 * (unless --connect-timeout says otherwise), reads the catalog's schema,
 * prints nothing on stderr and always exits 0. A new kind of name is one
 * line in db/complete_db.c plus one line in each completion script.
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/complete_db.h"
#include "db/conn.h"
#include "db/embedded.h"

static const char complete_usage[] =
    "usage: vendormatch __complete commands|shortlists|sources\n"
    "\n"
    "For shell completion scripts: one name per line, nothing on stderr, exit 0.\n"
    "Never starts the embedded database.\n";

/* A connection only if one is there for the taking; NULL otherwise. The
 * embedded database is used only when it already runs: vm_db_connect would
 * start it. */
static PGconn *connect_if_running(const struct vm_ctx *ctx)
{
    struct vm_db_options opt = vm_ctx_db_options(ctx);
    struct vm_db_target t;
    struct vm_embedded e = {0};
    struct vm_err err;
    PGconn *c = NULL;

    opt.quiet = true;
    opt.verbose = 0;
    if (!opt.connect_timeout || !*opt.connect_timeout)
        opt.connect_timeout = "2";
    if (vm_db_resolve(&opt, &t, &err) != 0)
        return NULL;
    if (t.source == VM_DB_EMBEDDED) {
        bool running = vm_embedded_locate(&e, true, &err) == 0 && vm_embedded_pid(&e) > 0;
        vm_embedded_free(&e);
        if (!running)
            return NULL;
    }
    if (vm_db_connect(&opt, &c, NULL, &err) != 0)
        c = NULL;
    return c;
}

/* Names with control characters cannot be completed; they are left out. */
static void print_names(PGconn *c, const char *kind)
{
    struct strlist names;
    struct vm_err err;
    strlist_init(&names);
    if (complete_db_names(c, kind, &names, &err) == 0)
        for (size_t i = 0; i < names.len; i++) {
            const char *name = names.items[i];
            bool plain = true;
            for (const unsigned char *p = (const unsigned char *)name; *p; p++)
                plain = plain && *p >= 0x20 && *p != 0x7f;
            if (plain && *name)
                printf("%s\n", name);
        }
    strlist_free(&names);
}

static int complete_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    if (argc != 2)
        return VM_EXIT_OK;
    if (strcmp(argv[1], "commands") == 0) {
        for (const struct cmd_entry *const *c = vm_commands; *c; c++)
            if (!(*c)->hidden)
                printf("%s\n", (*c)->name);
        return VM_EXIT_OK;
    }
    if (complete_db_knows(argv[1])) {
        PGconn *c = connect_if_running(ctx);
        if (c)
            print_names(c, argv[1]);
        vm_conn_close(c);
    }
    return VM_EXIT_OK;
}

const struct cmd_entry cmd_complete_entry = {
    .name = "__complete",
    .summary = "names for shell completion",
    .usage = complete_usage,
    .exec = complete_exec,
    .hidden = true,
};
