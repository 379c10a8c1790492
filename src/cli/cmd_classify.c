/*
 * cmd_classify: `classify [--vendor ID] [--explain]` re-tags the catalog (or
 * one vendor) with the taxonomy as it is now, after `taxonomy add/import`,
 * and says how many tags changed. With --explain it prints each vendor's
 * evidence (phrase, category, side, stage, weight), and a manual tag with its
 * reason. The work is the classify workflow's (src/app/classify.c), the
 * printing io/tag_view's.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/classify.h"
#include "io/tag_view.h"

static const char classify_usage[] =
    "usage: vendormatch classify [--vendor ID] [--explain] [--format table|csv|json]\n"
    "\n"
    "Re-tags every vendor (or only vendor ID) as BPO, KPO, HYBRID or UNCLASSIFIED\n"
    "with the current taxonomy, storing the computed tag, its confidence and the\n"
    "evidence, and reports how many tags changed. Manual tags (`vendormatch tag`)\n"
    "are never changed and keep winning.\n"
    "\n"
    "  --vendor ID   only this vendor (exit 1 if it does not exist)\n"
    "  --explain     print each vendor's evidence: phrase, category, side, match\n"
    "                stage and weight, and a manual tag with its reason\n"
    "  --format F    table (default), csv or json\n"
    "\n"
    "Exit codes: 0 ok, 1 failure or unknown vendor, 2 usage, 69 database unavailable.\n";

const struct cmd_entry cmd_classify_entry;

static int classify_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option opts[] = {{"vendor", required_argument, NULL, 'V'},
                                         {"explain", no_argument, NULL, 'e'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_classify_entry;
    enum out_format fmt = OUT_TABLE;
    long long vendor_id = 0;
    bool explain = false;
    struct app_classify_result res;
    int o, rc;

    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'f') {
            if (parse_out_format(optarg, &fmt, err))
                return cmd_usage_error(cmd, err, "unknown --format '%s'", optarg);
        } else if (o == 'V') {
            if (!cmd_parse_vendor_id(optarg, &vendor_id))
                return cmd_usage_error(cmd, err,
                                       "--vendor needs a vendor id (a whole number from 1), "
                                       "not '%s'",
                                       optarg);
        } else if (o == 'e') {
            explain = true;
        } else {
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    struct vm_db_options db = vm_ctx_db_options(ctx);
    if ((rc = app_classify(&db, vendor_id, explain, &res, err)))
        return rc;
    const struct retag_stats *stats = &res.stats;
    if (explain) {
        if (!ctx->quiet)
            fprintf(stderr, "classified %ld vendor%s: %ld tag%s changed, %ld updated\n",
                    stats->vendors, stats->vendors == 1 ? "" : "s", stats->tags_changed,
                    stats->tags_changed == 1 ? "" : "s", stats->updated);
        rc = render_tag_explain(res.explain, fmt, stdout, err);
    } else if (render_retag_summary(stats->vendors, stats->tags_changed, stats->updated,
                                    res.seconds, fmt, stdout)) {
        rc = vm_err_set(err, VM_EXIT_FAILURE, "error writing to standard output");
    }
    json_decref(res.explain);
    return rc;
}

const struct cmd_entry cmd_classify_entry = {
    .name = "classify",
    .summary = "re-tag vendors as BPO / KPO / HYBRID with the current taxonomy",
    .usage = classify_usage,
    .exec = classify_exec,
};
