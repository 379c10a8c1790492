/*
 * cmd_stats: the catalog at a glance: vendors by BPO/KPO tag, by country
 * and by service category, and where they came from. The numbers are the
 * vendors workflow's (app_vendors_stats in src/app/vendors.c).
 */
#include "cli/cmd.h"
#include "app/vendors.h"
#include "io/report.h"
#include "io/vendor_view.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char stats_usage[] =
    "usage: vendormatch stats [--top N] [--format table|csv|json|html]\n"
    "\n"
    "Catalog overview: how many vendors are BPO, KPO, HYBRID or UNCLASSIFIED (manual\n"
    "tags included), the top N countries and service categories (default 20), and\n"
    "each source with its vendor and import counts. --format html writes a\n"
    "self-contained page with the BPO/KPO mix and the top lists as charts.\n";

const struct cmd_entry cmd_stats_entry;

static int stats_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"top", required_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_stats_entry;
    enum out_format fmt = OUT_TABLE;
    bool html = false;
    long top = 20;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    json_t *stats = NULL;
    int o, rc;

    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'f') {
            html = strcmp(optarg, "html") == 0;
            if (!html && parse_out_format(optarg, &fmt, err))
                return cmd_usage_error(cmd, err, "unknown --format '%s'", optarg);
        } else if (o == 'n') {
            long long n;
            if (!vm_parse_int(optarg, 1, 10000, &n))
                return cmd_usage_error(
                    cmd, err, "--top needs a whole number from 1 to 10000, not '%s'", optarg);
            top = (long)n;
        } else {
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    if (!(rc = app_vendors_stats(&db, (int)top, &stats, err)))
        cmd_page_output(ctx);
    if (!rc)
        rc = html ? stats_render_html(stats, stdout, err) : render_stats(stats, fmt, stdout, err);
    json_decref(stats);
    return rc;
}

const struct cmd_entry cmd_stats_entry = {
    .name = "stats",
    .summary = "catalog overview (counts by type, country, service)",
    .usage = stats_usage,
    .exec = stats_exec,
};
