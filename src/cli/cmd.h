/*
 * cmd: the shape every subcommand has. Each src/cli/cmd_<name>.c exports one
 * `const struct cmd_entry`, listed once in commands.c; main.c only dispatches
 * and knows nothing about any command's options (tmux cmd-*.c, git builtin/).
 */
#ifndef VM_CLI_CMD_H
#define VM_CLI_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "core/util.h"
#include "db/conn.h"
#include "io/output.h"

/* What main parsed before the command name, shared by every command. */
struct vm_ctx {
    const char *db_option;              /* --db CONNINFO, or NULL */
    const char *schema_option;          /* --schema NAME, or NULL */
    const char *connect_timeout_option; /* --connect-timeout SECONDS, or NULL */
    bool no_pager;                      /* --no-pager: never start a pager */
    bool quiet;                         /* -q: no progress, no chatter on stderr */
    int verbose;                        /* -v, repeatable */
    const char *argv0;
};

struct cmd_entry {
    const char *name;
    const char *summary; /* one line for `vendormatch --help` */
    const char *usage;   /* full --help text of the command */
    /* argv[0] is the command name. Returns an exit code (enum vm_exit);
     * on failure err->msg says why and main prints it. */
    int (*exec)(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);
    bool hidden; /* for scripts (shell completion): not in --help, no man page */
};

extern const struct cmd_entry *const vm_commands[];

/* The command called name, or NULL. */
const struct cmd_entry *cmd_find(const char *name);
/* `vendormatch --help`: global options and the visible commands. */
void vm_print_main_usage(FILE *f);

int parse_out_format(const char *s, enum out_format *out, struct vm_err *err);

/* A vendor id argument: a plain positive whole number (util.h's strict
 * form: no sign, spaces, hex or trailing text) that fits a bigint. */
bool cmd_parse_vendor_id(const char *s, long long *id);

/* Prints a command's usage to stdout (for --help) or stderr (on misuse). */
void cmd_print_usage(const struct cmd_entry *cmd, bool to_stderr);
/* Returns VM_EXIT_USAGE with a message that ends in the command's usage. */
int cmd_usage_error(const struct cmd_entry *cmd, struct vm_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sends the rest of stdout through the pager (io/pager.h) unless --no-pager;
 * commands that print tables or documents call it just before printing. */
void cmd_page_output(const struct vm_ctx *ctx);
/* True if argv holds -h/--help before any "--"; commands call it first. */
bool cmd_wants_help(int argc, char **argv);

/* The connection options of the global command line: what a command hands
 * its workflow (src/app), which opens the catalog (app/catalog.h). */
struct vm_db_options vm_ctx_db_options(const struct vm_ctx *ctx);

#endif
