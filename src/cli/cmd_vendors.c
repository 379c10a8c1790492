/*
 * cmd_vendors: `vendors list [filters]`, `vendors search TEXT` and `vendors
 * show NAME|ID`. Filters, search text and names are normalised with the
 * same rules as catalogs (a "United Kingdom" filter finds vendors imported
 * as "UK", "ACME gmbh" names "Acme GmbH"). The work is the vendors
 * workflow's (src/app/vendors.c), the printing io/vendor_view's.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/vendors.h"
#include "io/output.h"
#include "io/vendor_view.h"

static const char vendors_usage[] =
    "usage: vendormatch vendors list [--type T] [--service S] [--country C] [--industry I]\n"
    "                                [--cert C] [--language L] [--source NAME] [--conflicts]\n"
    "                                [--limit N]\n"
    "                                [--format table|csv|json]\n"
    "       vendormatch vendors search TEXT [--limit N] [--format table|csv|json]\n"
    "       vendormatch vendors show NAME|ID [--format table|csv|json]\n"
    "\n"
    "list   vendors in the catalog, ordered by name, filtered by every option given:\n"
    "  --type T        BPO, KPO, HYBRID or UNCLASSIFIED (the effective tag)\n"
    "  --service S     a service: a taxonomy category code (`vendormatch taxonomy list`)\n"
    "                  or a phrase such as \"call center\", matched like catalog services\n"
    "  --country C     country name, alias or ISO code (\"India\", \"UK\", \"DE\")\n"
    "  --industry I    an industry as written in catalogs (case-insensitive)\n"
    "  --cert C        a certification (\"ISO 27001\", \"SOC 2\")\n"
    "  --language L    a language name or ISO code (\"Spanish\", \"es\")\n"
    "  --source NAME   vendors imported from this source\n"
    "  --conflicts     vendors whose sources disagree on a single value (website,\n"
    "                  country, rate, rating...); `vendors show` lists the values\n"
    "  --limit N       at most N vendors (default 100 for table, all for csv/json; 0 = all)\n"
    "search vendors whose name or website looks like TEXT, best match first:\n"
    "       case, accents, punctuation and small typos are forgiven, and a word\n"
    "       inside a longer name counts (--limit N, default 20; 0 = all)\n"
    "show   everything known about one vendor: normalised and original values, the\n"
    "       BPO/KPO tag with its evidence (or the manual tag and its reason),\n"
    "       unmatched service phrases, extra columns, the sources it came from with\n"
    "       the values each gave, and the values sources disagree on (csv: the\n"
    "       vendor's row of `vendors list --format csv`).\n"
    "       Digits are an id; other text is a name, whatever its case, accents or\n"
    "       legal suffix. A name several vendors share lists them and exits 2; an\n"
    "       unknown one exits 1 and suggests close names.\n";

const struct cmd_entry cmd_vendors_entry;

/* `show --format csv`: the vendor's row of `vendors list --format csv`, so
 * every command that prints records has the three views (SPEC). */
static int render_vendor_as_row(json_t *vendor, FILE *out, struct vm_err *err)
{
    json_t *one = json_pack("[O]", vendor);
    int rc = render_vendor_list(one, OUT_CSV, out, err);
    json_decref(one);
    return rc;
}

/* `vendors list|search|show`: one option loop (list's filters go to the
 * workflow's query as they come), one workflow call, one view. */
static int vendors_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option list_opts[] = {
        {"type", required_argument, NULL, 't'},
        {"service", required_argument, NULL, 's'},
        {"country", required_argument, NULL, 'c'},
        {"industry", required_argument, NULL, 'i'},
        {"cert", required_argument, NULL, 'C'},
        {"language", required_argument, NULL, 'l'},
        {"source", required_argument, NULL, 'S'},
        {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"conflicts", no_argument, NULL, 'X'},
        {NULL, 0, NULL, 0},
    };
    static const struct option one_opts[] = {{"format", required_argument, NULL, 'f'},
                                             {"limit", required_argument, NULL, 'n'},
                                             {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_vendors_entry;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    struct app_vendor_query q = {0};
    enum out_format fmt = OUT_TABLE;
    json_t *rows = NULL, *same = NULL;
    struct vm_err ignored;
    bool bad_arg = false;
    long long n;
    int o, i, rc = 0;

    const char *sub = argc >= 2 ? argv[1] : "";
    bool list = strcmp(sub, "list") == 0, search = strcmp(sub, "search") == 0;
    bool show = strcmp(sub, "show") == 0;
    if (!list && !search && !show)
        return cmd_usage_error(cmd, err,
                               argc < 2 ? "missing subcommand (list, search or show)%s"
                                        : "unknown subcommand '%s'",
                               sub);
    long limit = list ? -1 : 20;
    optind = 1;
    opterr = 0;
    while (rc == 0 &&
           (o = getopt_long(argc - 1, argv + 1, "", list ? list_opts : one_opts, &i)) != -1) {
        if (o == 'n' && !show && !vm_parse_int(optarg, 0, INT32_MAX, &n))
            rc = cmd_usage_error(cmd, err,
                                 "--limit needs a whole number from 0 to %d (0 = all), not '%s'",
                                 INT32_MAX, optarg);
        else if (o == 'n' && !show)
            limit = (long)n;
        else if (o == 'f' && parse_out_format(optarg, &fmt, err))
            rc = cmd_usage_error(cmd, err, "unknown --format '%s'", optarg);
        else if (o == 'X')
            q.filter.conflicts = true;
        else if (o == '?' || (o == 'n' && show))
            rc = cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind]);
        else if (o != 'f' && app_vendor_query_set(&q, list_opts[i].name, optarg, err))
            rc = cmd_usage_error(cmd, err, "%s", err->msg);
    }
    const char *arg = argv[1 + optind];
    if (rc == 0 && list && optind + 1 < argc)
        rc = cmd_usage_error(cmd, err, "unexpected argument '%s'", arg);
    else if (rc == 0 && !list && optind + 2 != argc)
        rc = cmd_usage_error(cmd, err, "%s needs exactly one argument", sub);
    q.filter.limit = limit >= 0 ? limit : fmt == OUT_TABLE ? 100 : 0;
    FILE *note = ctx->quiet ? NULL : stderr;
    if (rc == 0)
        rc = list     ? app_vendors_list(&db, &q, &rows, err)
             : search ? app_vendors_search(&db, arg, limit, note, &rows, &bad_arg, err)
                      : app_vendors_show(&db, arg, note, &rows, &same, &bad_arg, err);
    if (bad_arg)
        rc = cmd_usage_error(cmd, err, "%s", err->msg);
    if (same) /* a name several vendors share: which ones */
        render_vendor_list(same, OUT_TABLE, stdout, &ignored);
    if (rc == 0) {
        cmd_page_output(ctx);
        rc = !show             ? render_vendor_list(rows, fmt, stdout, err)
             : fmt == OUT_JSON ? (json_print(stdout, rows) ? VM_EXIT_FAILURE : 0)
             : fmt == OUT_CSV  ? render_vendor_as_row(rows, stdout, err)
                               : render_vendor_detail(rows, stdout, err);
    }
    if (rc == 0 && list && fmt == OUT_TABLE && q.filter.limit > 0 && note &&
        json_array_size(rows) == (size_t)q.filter.limit)
        fprintf(stderr, "(first %ld vendors; use --limit 0 for all)\n", q.filter.limit);
    if (rc == 0 && search && json_array_size(rows) == 0 && note)
        fprintf(stderr, "(no vendor's name or website looks like that)\n");
    json_decref(rows);
    json_decref(same);
    app_vendor_query_free(&q);
    return rc;
}

const struct cmd_entry cmd_vendors_entry = {
    .name = "vendors",
    .summary = "list, search or show vendors in the catalog",
    .usage = vendors_usage,
    .exec = vendors_exec,
};
