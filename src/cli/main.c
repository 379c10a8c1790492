/*
 * main: parses the global options (--db, --schema, --connect-timeout,
 * --no-pager, -q, -v, --help, --version), finds the subcommand in the table,
 * runs it, closes the pager it may have started, prints its error and turns
 * the returned code into the exit status. Nothing else decides an exit code.
 */
#include "cli/cmd.h"
#include "io/pager.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char main_usage[] =
    "usage: vendormatch [--db CONNINFO] [--schema NAME] [--connect-timeout SECONDS]\n"
    "                   [--no-pager] [-q] [-v] COMMAND [ARGS...]\n"
    "\n"
    "Import outsourcing vendor catalogs, tag them BPO/KPO/HYBRID, match client\n"
    "needs to providers with explained scores, and write shortlist reports.\n"
    "\n"
    "Global options:\n"
    "  --db CONNINFO   PostgreSQL to use (URI or key=value); default: $VENDORMATCH_DB,\n"
    "                  then $DATABASE_URL, then libpq's PG* environment (when PGSERVICE,\n"
    "                  PGHOST or PGDATABASE is set), then the embedded database;\n"
    "                  `vendormatch db which` says which one and why\n"
    "  --schema NAME   schema the catalog lives in (default $VENDORMATCH_SCHEMA, else\n"
    "                  vendormatch)\n"
    "  --connect-timeout SECONDS\n"
    "                  give up on a server that does not answer (default\n"
    "                  $VENDORMATCH_CONNECT_TIMEOUT, else 10; 0 waits forever); a\n"
    "                  connect_timeout in CONNINFO or $PGCONNECT_TIMEOUT wins\n"
    "  --no-pager      never page output (by default tables on a terminal go\n"
    "                  through $VENDORMATCH_PAGER, $PAGER or `less -SFRX`)\n"
    "  -q, --quiet     no progress or chatter on stderr\n"
    "  -v, --verbose   more detail on stderr (repeatable); names the database and\n"
    "                  schema in use\n"
    "  -h, --help      this help; `vendormatch COMMAND --help` for a command\n"
    "  --version       print the version\n"
    "\n"
    "Commands:\n";

void vm_print_main_usage(FILE *f)
{
    fputs(main_usage, f);
    for (const struct cmd_entry *const *c = vm_commands; *c; c++)
        if (!(*c)->hidden)
            fprintf(f, "  %-12s %s\n", (*c)->name, (*c)->summary);
    fputs("\nExit codes: 0 ok, 1 failure, 2 usage, 65 bad input data, 69 database unavailable.\n",
          f);
}

/* Global options that take a value: "--name VALUE" or "--name=VALUE". */
static const struct {
    const char *name;
    const char *what; /* for "needs ..." */
    size_t offset;    /* of the const char * in struct vm_ctx */
} value_options[] = {
    {"--db", "a connection string", offsetof(struct vm_ctx, db_option)},
    {"--schema", "a schema name", offsetof(struct vm_ctx, schema_option)},
    {"--connect-timeout", "a number of seconds", offsetof(struct vm_ctx, connect_timeout_option)},
};

/* 1 if argv[*i] is a value option (stored in ctx, *i advanced past its
 * value), 0 if it is not one, -1 (after a message) if its value is missing. */
static int value_option(struct vm_ctx *ctx, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    for (size_t k = 0; k < sizeof value_options / sizeof value_options[0]; k++) {
        size_t len = strlen(value_options[k].name);
        const char **slot = (const char **)((char *)ctx + value_options[k].offset);
        if (strncmp(a, value_options[k].name, len) != 0 || (a[len] != '\0' && a[len] != '='))
            continue;
        if (a[len] == '=') {
            *slot = a + len + 1;
            return 1;
        }
        if (*i + 1 >= argc) {
            fprintf(stderr, "vendormatch: %s needs %s\n", value_options[k].name,
                    value_options[k].what);
            return -1;
        }
        *slot = argv[++*i];
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct vm_ctx ctx = {.argv0 = argv[0]};
    struct vm_err err;
    int i = 1;

    vm_err_clear(&err);
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        int got = value_option(&ctx, argc, argv, &i);
        if (got < 0) {
            return VM_EXIT_USAGE;
        } else if (got > 0) {
            continue;
        } else if (strcmp(a, "--no-pager") == 0) {
            ctx.no_pager = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            ctx.quiet = true;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            ctx.verbose++;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            vm_print_main_usage(stdout);
            return VM_EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("vendormatch %s\n", VM_VERSION);
            return VM_EXIT_OK;
        } else {
            output_printf(stderr, "vendormatch: unknown option '%s'\n\n", a);
            vm_print_main_usage(stderr);
            return VM_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        vm_print_main_usage(stderr);
        return VM_EXIT_USAGE;
    }
    const struct cmd_entry *cmd = cmd_find(argv[i]);
    if (!cmd) {
        output_printf(stderr, "vendormatch: unknown command '%s'\n\n", argv[i]);
        vm_print_main_usage(stderr);
        return VM_EXIT_USAGE;
    }
    if (cmd_wants_help(argc - i, argv + i)) {
        cmd_print_usage(cmd, false);
        return VM_EXIT_OK;
    }
    int rc = cmd->exec(&ctx, argc - i, argv + i, &err);
    /* The pager first, so an error is not hidden behind its screen. Commands
     * start it when their work is done, just before printing; a pager quit
     * early is the user's choice, not an error. */
    if (pager_finish() && rc == VM_EXIT_FAILURE)
        rc = VM_EXIT_OK; /* only a write can fail once the pager runs: the user closed it */
    if (rc != VM_EXIT_OK && err.msg[0]) { /* messages quote input: the one rule applies */
        size_t len = strlen(err.msg);
        output_printf(stderr, "vendormatch: %s%s", err.msg, err.msg[len - 1] == '\n' ? "" : "\n");
    }
    fflush(stdout);
    if (ferror(stdout) && rc == VM_EXIT_OK) {
        fputs("vendormatch: error writing to standard output\n", stderr);
        rc = VM_EXIT_FAILURE;
    }
    return rc;
}
