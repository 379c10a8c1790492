/*
 * cmd_report: `vendormatch report SHORTLIST [--format html|md|csv|json]
 * [-o FILE]`. Wiring only: the shortlists workflow (src/app/shortlists.c)
 * fetches the stored document, the pure renderers in src/io write it. A
 * file given with -o is written to a temporary file next to it and renamed
 * into place, so a reader (or a browser refreshing it) never sees half a
 * report; a device or pipe such as /dev/null is written directly.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/shortlists.h"
#include "io/outfile.h"
#include "io/report.h"

const struct cmd_entry cmd_report_entry;

static int report_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"output", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_report_entry;
    enum report_format fmt = REPORT_HTML;
    const char *output = NULL;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    json_t *doc = NULL;
    int o, rc;

    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        if (o == 'f') {
            if (report_format_parse(optarg, &fmt, err))
                return cmd_usage_error(cmd, err,
                                       "unknown --format '%s' (use html, md, csv or json)", optarg);
        } else if (o == 'o') {
            output = optarg;
        } else if (o == ':') {
            return cmd_usage_error(cmd, err, "option '%s' needs a value", argv[optind - 1]);
        } else {
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cmd_usage_error(cmd, err, "missing SHORTLIST (an id or a name)");
    if (optind + 1 < argc)
        return cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind + 1]);
    if (!argv[optind][0])
        return cmd_usage_error(cmd, err, "SHORTLIST is empty");
    if (output && !output[0])
        return cmd_usage_error(cmd, err, "-o needs a file name (or - for standard output)");

    if ((rc = app_shortlist_load(&db, argv[optind], &doc, err)))
        goto done;
    struct vm_outfile out;
    if ((rc = vm_outfile_open(&out, "-o", output ? output : "-", NULL, 0, err)))
        goto done;
    if ((rc = report_render(doc, fmt, out.f, err)))
        vm_outfile_discard(&out);
    else
        rc = vm_outfile_commit(&out, err);
done:
    json_decref(doc);
    return rc;
}

const struct cmd_entry cmd_report_entry = {
    .name = "report",
    .summary = "render a saved shortlist for a client (html, md, csv, json)",
    .usage = "usage: vendormatch report SHORTLIST [--format html|md|csv|json] [-o FILE]\n"
             "\n"
             "Renders a saved shortlist (see `vendormatch shortlists list`). SHORTLIST is an\n"
             "id or a name; a number is tried as an id first, then as a name.\n"
             "\n"
             "  --format FMT         html (default): one self-contained page, no scripts,\n"
             "                       nothing fetched, prints well; md: Markdown tables;\n"
             "                       csv: one row per vendor (formulas defused);\n"
             "                       json: the stored shortlist document\n"
             "  -o, --output FILE    write to FILE, replaced atomically (temporary file,\n"
             "                       fsync, rename); a symbolic link is refused; - or no\n"
             "                       -o means standard output\n"
             "\n"
             "Vendor text is untrusted and is escaped for each format (docs/reports.md).\n"
             "Exit codes: 0 ok, 1 unknown shortlist or write error, 2 usage, 69 database\n"
             "unavailable.\n",
    .exec = report_exec,
};
