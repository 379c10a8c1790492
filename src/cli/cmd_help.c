/*
 * cmd_help: `help [COMMAND]`, the same text as `COMMAND --help` (or the
 * overview without a command), for people who type it the git way.
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

static const char help_usage[] =
    "usage: vendormatch help [COMMAND]\n"
    "\n"
    "Prints what `vendormatch COMMAND --help` prints, or the list of commands.\n"
    "Each command also has a manual page: man vendormatch-COMMAND.\n";

const struct cmd_entry cmd_help_entry;

static int help_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    if (argc == 1) {
        vm_print_main_usage(stdout);
        return VM_EXIT_OK;
    }
    if (argc > 2)
        return cmd_usage_error(&cmd_help_entry, err, "help takes one command name");
    const struct cmd_entry *cmd = cmd_find(argv[1]);
    if (!cmd || cmd->hidden)
        return cmd_usage_error(&cmd_help_entry, err, "unknown command '%s'", argv[1]);
    cmd_print_usage(cmd, false);
    return VM_EXIT_OK;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .summary = "show the help of a command",
    .usage = help_usage,
    .exec = help_exec,
};
