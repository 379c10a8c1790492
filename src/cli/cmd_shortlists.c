/*
 * cmd_shortlists: `shortlists list`, `shortlists show ID|NAME` and
 * `shortlists delete ID|NAME`. A saved shortlist is its stored document
 * (the shortlists workflow, src/app/shortlists.c, fetches it): `show
 * --format json` prints it as stored, and the table and CSV views come from
 * the same renderer match uses (match_doc_print in io/match_view.c), so a
 * shortlist reads exactly as the match that produced it did, whatever the
 * catalog holds today.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/shortlists.h"
#include "io/match_view.h"
#include "io/output.h"

static const char shortlists_usage[] =
    "usage: vendormatch shortlists list [--format table|csv|json]\n"
    "       vendormatch shortlists show ID|NAME [--explain] [--format table|csv|json]\n"
    "       vendormatch shortlists delete ID|NAME\n"
    "\n"
    "list   saved shortlists (match --save NAME): id, name, when, type, services\n"
    "show   one shortlist as it was computed when saved; json prints the stored\n"
    "       document (docs/shortlist-json.md); table and csv as `match` prints them,\n"
    "       --explain adds the breakdown, reasons and near misses\n"
    "delete removes one shortlist and its entries (digits are an id first, then a\n"
    "       name); exits 1 when there is none\n";

static int shortlists_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_shortlists_entry = {
    .name = "shortlists",
    .summary = "list saved shortlists, show or delete one",
    .usage = shortlists_usage,
    .exec = shortlists_exec,
};

static int parse(int argc, char **argv, enum out_format *fmt, bool *explain, struct vm_err *err)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"explain", no_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f' && parse_out_format(optarg, fmt, err) != 0)
            return cmd_usage_error(&cmd_shortlists_entry, err, "%s", err->msg);
        if (c == 'e')
            *explain = true;
        if (c == '?')
            return cmd_usage_error(&cmd_shortlists_entry, err,
                                   "unknown option or missing value: '%s'", argv[optind - 1]);
    }
    return 0;
}

static int shortlists_delete(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    json_t *gone = NULL;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    if (argc != 3 || argv[2][0] == '-')
        return cmd_usage_error(&cmd_shortlists_entry, err, "delete needs exactly one ID or NAME");
    int rc = app_shortlist_delete(&db, argv[2], &gone, err);
    if (rc == 0 && !ctx->quiet) {
        char *name = output_terminal_safe(json_string_value(json_object_get(gone, "name")));
        fprintf(stderr, "deleted shortlist '%s' (id %lld)\n", name,
                (long long)json_integer_value(json_object_get(gone, "id")));
        free(name);
    }
    json_decref(gone);
    return rc;
}

static int shortlists_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    const struct cmd_entry *cmd = &cmd_shortlists_entry;
    enum out_format fmt = OUT_TABLE;
    bool explain = false;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    json_t *v = NULL;
    int rc;
    if (argc >= 2 && strcmp(argv[1], "delete") == 0)
        return shortlists_delete(ctx, argc, argv, err);
    if (argc < 2 || (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "show") != 0))
        return cmd_usage_error(cmd, err,
                               argc < 2 ? "missing subcommand (list, show or delete)"
                                        : "unknown subcommand '%s'",
                               argc < 2 ? "" : argv[1]);
    bool show = strcmp(argv[1], "show") == 0;
    rc = parse(argc, argv, &fmt, &explain, err);
    if (rc == 0 && show && optind + 1 != argc)
        rc = cmd_usage_error(cmd, err, "show needs exactly one ID or NAME");
    if (rc == 0 && !show && optind != argc)
        rc = cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    if (rc == 0)
        rc = show ? app_shortlist_load(&db, argv[optind], &v, err)
                  : app_shortlist_list(&db, &v, err);
    if (rc == 0)
        cmd_page_output(ctx);
    if (rc == 0 && show)
        rc = match_doc_print(stdout, v, fmt, explain) ? VM_EXIT_FAILURE : 0;
    else if (rc == 0 && fmt == OUT_JSON)
        rc = json_print(stdout, v) ? VM_EXIT_FAILURE : 0;
    else if (rc == 0)
        rc = match_list_print(stdout, v, fmt) ? VM_EXIT_FAILURE : 0;
    json_decref(v);
    return rc;
}
