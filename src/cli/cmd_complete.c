/*
 * cmd_complete: `vendormatch __complete WHAT`, the hidden helper the shell
 * completion scripts (completion/) call for names only the catalog knows.
 * It must be cheap and silent: it never starts the embedded server (a
 * stopped one completes nothing), waits at most 2 s for any other server
 * (unless --connect-timeout says otherwise), reads the catalog's schema,
 * prints nothing on stderr and always exits 0. A new kind of name is one
 * line in db/complete_db.c plus one line in each completion script; the
 * names come from the dbadmin workflow (app_complete_names).
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dbadmin.h"

static const char complete_usage[] =
    "usage: vendormatch __complete commands|shortlists|sources\n"
    "\n"
    "For shell completion scripts: one name per line, nothing on stderr, exit 0.\n"
    "Never starts the embedded database.\n";

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
    struct vm_db_options opt = vm_ctx_db_options(ctx);
    struct strlist names;
    strlist_init(&names);
    app_complete_names(&opt, argv[1], &names);
    for (size_t i = 0; i < names.len; i++)
        printf("%s\n", names.items[i]);
    strlist_free(&names);
    return VM_EXIT_OK;
}

const struct cmd_entry cmd_complete_entry = {
    .name = "__complete",
    .summary = "names for shell completion",
    .usage = complete_usage,
    .exec = complete_exec,
    .hidden = true,
};
