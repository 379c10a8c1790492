/*
 * main: parses the global options (--db, -q, -v, --help, --version), finds
 * the subcommand in the table, runs it, prints its error and turns the
 * returned code into the exit status. Nothing else decides an exit code.
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char main_usage[] =
    "usage: vendormatch [--db CONNINFO] [-q] [-v] COMMAND [ARGS...]\n"
    "\n"
    "Import outsourcing vendor catalogs, tag them BPO/KPO/HYBRID, match client\n"
    "needs to providers with explained scores, and write shortlist reports.\n"
    "\n"
    "Global options:\n"
    "  --db CONNINFO   PostgreSQL to use (URI or key=value); default: $VENDORMATCH_DB,\n"
    "                  then $DATABASE_URL, then the embedded database\n"
    "  -q, --quiet     no progress or chatter on stderr\n"
    "  -v, --verbose   more detail on stderr (repeatable)\n"
    "  -h, --help      this help; `vendormatch COMMAND --help` for a command\n"
    "  --version       print the version\n"
    "\n"
    "Commands:\n";

static void print_main_usage(FILE *f)
{
    fputs(main_usage, f);
    for (const struct cmd_entry *const *c = vm_commands; *c; c++)
        fprintf(f, "  %-12s %s\n", (*c)->name, (*c)->summary);
    fputs("\nExit codes: 0 ok, 1 failure, 2 usage, 65 bad input data, 69 database unavailable.\n",
          f);
}

static const struct cmd_entry *find_command(const char *name)
{
    for (const struct cmd_entry *const *c = vm_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

int main(int argc, char **argv)
{
    struct vm_ctx ctx = {.argv0 = argv[0]};
    struct vm_err err;
    int i = 1;

    vm_err_clear(&err);
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--db") == 0) {
            if (i + 1 >= argc) {
                fputs("vendormatch: --db needs a connection string\n", stderr);
                return VM_EXIT_USAGE;
            }
            ctx.db_option = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            ctx.db_option = a + 5;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            ctx.quiet = true;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            ctx.verbose++;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_main_usage(stdout);
            return VM_EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("vendormatch %s\n", VM_VERSION);
            return VM_EXIT_OK;
        } else {
            fprintf(stderr, "vendormatch: unknown option '%s'\n\n", a);
            print_main_usage(stderr);
            return VM_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        print_main_usage(stderr);
        return VM_EXIT_USAGE;
    }
    const struct cmd_entry *cmd = find_command(argv[i]);
    if (!cmd) {
        fprintf(stderr, "vendormatch: unknown command '%s'\n\n", argv[i]);
        print_main_usage(stderr);
        return VM_EXIT_USAGE;
    }
    if (cmd_wants_help(argc - i, argv + i)) {
        cmd_print_usage(cmd, false);
        return VM_EXIT_OK;
    }
    int rc = cmd->exec(&ctx, argc - i, argv + i, &err);
    if (rc != VM_EXIT_OK && err.msg[0]) {
        size_t len = strlen(err.msg);
        fprintf(stderr, "vendormatch: %s%s", err.msg, err.msg[len - 1] == '\n' ? "" : "\n");
    }
    fflush(stdout);
    if (ferror(stdout) && rc == VM_EXIT_OK) {
        fputs("vendormatch: error writing to standard output\n", stderr);
        rc = VM_EXIT_FAILURE;
    }
    return rc;
}
