/*
 * cmd_common: helpers every command uses for usage errors, --help and
 * --format, so each command file holds only its own options and logic.
 */
#include "cli/cmd.h"
#include "io/pager.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int parse_out_format(const char *s, enum out_format *out, struct vm_err *err)
{
    if (strcmp(s, "table") == 0)
        *out = OUT_TABLE;
    else if (strcmp(s, "csv") == 0)
        *out = OUT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = OUT_JSON;
    else
        return vm_err_set(err, VM_EXIT_USAGE, "unknown --format '%s' (use table, csv or json)", s);
    return 0;
}

bool cmd_parse_vendor_id(const char *s, long long *id)
{
    return vm_parse_int(s, 1, INT64_MAX, id);
}

void cmd_print_usage(const struct cmd_entry *cmd, bool to_stderr)
{
    fputs(cmd->usage, to_stderr ? stderr : stdout);
}

int cmd_usage_error(const struct cmd_entry *cmd, struct vm_err *err, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* The synopsis (the usage text up to its first blank line) and where the
     * rest is: a whole --help would not fit the error value and buries the
     * message. */
    const char *end = strstr(cmd->usage, "\n\n");
    int synopsis = end ? (int)(end - cmd->usage) + 1 : (int)strlen(cmd->usage);
    return vm_err_set(err, VM_EXIT_USAGE,
                      "%s: %s\n\n%.*sRun 'vendormatch %s --help' for every option.\n", cmd->name,
                      what, synopsis, cmd->usage, cmd->name);
}

bool cmd_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    }
    return false;
}

void cmd_page_output(const struct vm_ctx *ctx)
{
    if (!ctx->no_pager)
        pager_start();
}
