/*
 * cmd_sources: `sources list`, `sources show NAME`, `sources drop NAME` and
 * `sources priority NAME N`: the catalogs a vendor's facts came from, as
 * things a user manages. Options are parsed here; the sources workflow
 * (src/app/sources.c) does the work, io/source_view prints it.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "app/sources.h"
#include "io/output.h"
#include "io/source_view.h"

static const char sources_usage[] =
    "usage: vendormatch sources list [--format table|csv|json]\n"
    "       vendormatch sources show NAME [--format table|csv|json]\n"
    "       vendormatch sources drop NAME\n"
    "       vendormatch sources priority NAME N\n"
    "\n"
    "A source is one catalog's origin (import --source NAME, by default the file's\n"
    "base name). Each source keeps its own record of every vendor it lists; a vendor\n"
    "is the merge of its sources' records (docs/import.md, \"Many sources\").\n"
    "\n"
    "list      every source: files, batches, vendors, last import, priority and the\n"
    "          column mapping its next import reuses\n"
    "show      one source, with its import batches (csv: its row of `sources list`)\n"
    "drop      removes the source's records, its batches and the source; the vendors\n"
    "          it described are merged again from their other sources, and those no\n"
    "          other source lists are deleted. Saved shortlists do not change.\n"
    "priority  sets the source's priority (a whole number, default 0): for a single\n"
    "          value (website, country, rate, rating...) the source with the higher\n"
    "          priority wins; at equal priority, the most recently changed record.\n"
    "          The vendors it shares with other sources are merged again.\n"
    "\n"
    "Exit codes: 0 ok, 1 failure or unknown source, 2 usage, 69 database unavailable.\n";

static int sources_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_sources_entry = {
    .name = "sources",
    .summary = "list, show, drop catalog sources; set a source's priority",
    .usage = sources_usage,
    .exec = sources_exec,
};

/* --format, from argv[2] on; the positional arguments are left in argv[optind..]. */
static int parse_format(int argc, char **argv, enum out_format *fmt, struct vm_err *err)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f' && parse_out_format(optarg, fmt, err) != 0)
            return cmd_usage_error(&cmd_sources_entry, err, "%s", err->msg);
        if (c == '?')
            return cmd_usage_error(&cmd_sources_entry, err, "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
    }
    return 0;
}

static int sources_drop(struct vm_ctx *ctx, const char *name, struct vm_err *err)
{
    struct vm_db_options db = vm_ctx_db_options(ctx);
    struct source_drop_counts n;
    int rc = app_sources_drop(&db, name, &n, err);
    if (rc == 0)
        render_source_dropped(name, n.records, n.batches, n.remerged, n.deleted, stdout);
    return rc;
}

static int sources_priority(struct vm_ctx *ctx, const char *name, const char *value,
                            struct vm_err *err)
{
    long long prio;
    bool neg = value[0] == '-';
    if (!vm_parse_int(value + neg, 0, INT_MAX, &prio))
        return cmd_usage_error(&cmd_sources_entry, err, "priority needs a whole number, not '%s'",
                               value);
    struct vm_db_options db = vm_ctx_db_options(ctx);
    long remerged = 0;
    int rc = app_sources_set_priority(&db, name, (int)(neg ? -prio : prio), &remerged, err);
    if (rc == 0)
        render_source_priority(name, neg ? -prio : prio, remerged, stdout);
    return rc;
}

static int sources_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    const struct cmd_entry *cmd = &cmd_sources_entry;
    enum out_format fmt = OUT_TABLE;
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "drop") == 0) {
        if (argc != 3)
            return cmd_usage_error(cmd, err, "drop needs exactly one source NAME");
        return sources_drop(ctx, argv[2], err);
    }
    if (strcmp(sub, "priority") == 0) {
        if (argc != 4)
            return cmd_usage_error(cmd, err, "priority needs a source NAME and a number N");
        return sources_priority(ctx, argv[2], argv[3], err);
    }
    bool show = strcmp(sub, "show") == 0;
    if (!show && strcmp(sub, "list") != 0)
        return cmd_usage_error(cmd, err,
                               argc < 2 ? "missing subcommand (list, show, drop or priority)%s"
                                        : "unknown subcommand '%s'",
                               sub);
    int rc = parse_format(argc, argv, &fmt, err);
    if (rc == 0 && show && optind + 1 != argc)
        rc = cmd_usage_error(cmd, err, "show needs exactly one source NAME");
    if (rc == 0 && !show && optind != argc)
        rc = cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    if (rc)
        return rc;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    json_t *v = NULL;
    rc = app_sources_read(&db, show ? argv[optind] : NULL, &v, err);
    if (rc == 0)
        cmd_page_output(ctx);
    if (rc == 0 && fmt == OUT_JSON)
        rc = json_print(stdout, v) ? VM_EXIT_FAILURE : 0;
    else if (rc == 0 && show && fmt == OUT_CSV) { /* its row of `sources list` */
        json_t *one = json_pack("[O]", v);
        render_source_list(one, fmt, stdout);
        json_decref(one);
    } else if (rc == 0 && show)
        render_source_detail(v, stdout);
    else if (rc == 0)
        render_source_list(v, fmt, stdout);
    json_decref(v);
    return rc;
}
