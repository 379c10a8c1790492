/*
 * cmd_fx: the exchange rates money is compared with (fx_rates). `list`
 * shows them with their dates, `set` stores one, `import` reads the
 * European Central Bank's reference-rate CSV (eurofxref.csv, or the history
 * file eurofxref-hist.csv, newest row unless --date; FILE '-' is standard
 * input). Every rate is in US dollars per unit of the currency. The work is
 * the fx workflow's (src/app/fx.c).
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/fx.h"
#include "core/fx.h"
#include "core/normalize.h"

static const char fx_usage[] =
    "usage: vendormatch fx list [--format table|csv|json]\n"
    "       vendormatch fx set CODE RATE [--date YYYY-MM-DD]\n"
    "       vendormatch fx import FILE [--date YYYY-MM-DD]\n"
    "\n"
    "Exchange rates, so rates in different currencies are compared in one\n"
    "(match --max-rate \"EUR 20\" against a vendor's $18/h). A RATE is the number\n"
    "of US dollars one unit of CODE buys: `fx set EUR 1.08` means one euro is\n"
    "$1.08. USD is always 1. A fresh catalog holds a dated seed (migration 0011).\n"
    "\n"
    "  list      every rate with its date and source\n"
    "  set       store one rate (CODE: an ISO 4217 code; --date: default today)\n"
    "  import    the ECB's reference-rate CSV (eurofxref.csv: 'Date, USD, JPY, ...'\n"
    "            then '07 December 2026, 1.0812, ...', units per euro, converted to\n"
    "            USD per unit through the USD column); the history file\n"
    "            eurofxref-hist.csv too, its newest row or the one of --date.\n"
    "            All rates of the row or none are stored; errors name\n"
    "            FILE:LINE:COLUMN. Without --date, a currency whose stored rate\n"
    "            is dated later than the file's row keeps it.\n"
    "            FILE '-' reads standard input.\n"
    "\n"
    "Exit codes: 0 ok, 1 failure or a FILE that cannot be opened, 2 usage, 65 bad\n"
    "file, 69 database unavailable.\n";

const struct cmd_entry cmd_fx_entry;

/* `list`, `set` and `import` once the arguments are checked; want is how
 * many positional arguments the subcommand takes (0, 2, 1). */
static int fx_run(struct vm_ctx *ctx, int want, char **pos, double rate, const char *date,
                  enum out_format fmt, struct vm_err *err)
{
    static const enum table_json list_json[] = {TABLE_JSON_STRING, TABLE_JSON_NUMBER,
                                                TABLE_JSON_STRING, TABLE_JSON_STRING,
                                                TABLE_JSON_OR_NULL};
    struct vm_db_options db = vm_ctx_db_options(ctx);
    int rc;
    if (want == 0) {
        struct table tb;
        if ((rc = app_fx_list(&db, &tb, err)) == 0)
            rc = table_print(&tb, fmt, list_json, stdout, err);
        table_free(&tb);
    } else if (want == 2) {
        char day[11];
        if ((rc = app_fx_set(&db, pos[0], rate, date, day, err)) == 0)
            output_printf(stdout, "%s = $%s (USD per unit), rates of %s\n", pos[0], pos[1], day);
    } else {
        struct app_fx_import_result r;
        if ((rc = app_fx_import(&db, pos[0], date, &r, err)) == 0) {
            output_printf(stdout, "stored %zu rate%s of %s from %s (EUR = $%.4f)\n", r.rates,
                          r.rates == 1 ? "" : "s", r.date, r.file, r.eur);
            for (size_t i = 0; i < r.kept.len; i++) /* an older file never undoes a newer rate */
                output_printf(stdout, "kept %s: the stored rate is dated after %s (fx list)\n",
                              r.kept.items[i], r.date);
        }
        strlist_free(&r.kept);
    }
    return rc;
}

static int fx_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"date", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_fx_entry;
    enum out_format fmt = OUT_TABLE;
    const char *date = NULL;
    double rate = 0;
    int o;
    if (argc < 2)
        return cmd_usage_error(cmd, err, "say list, set or import");
    const char *sub = argv[1];
    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (o == 'f' && parse_out_format(optarg, &fmt, err) == 0)
            continue;
        if (o == 'd' && fx_valid_date(optarg)) {
            date = optarg;
            continue;
        }
        return o == 'f'   ? cmd_usage_error(cmd, err, "unknown --format '%s'", optarg)
               : o == 'd' ? cmd_usage_error(cmd, err, "--date needs YYYY-MM-DD, not '%s'", optarg)
                          : cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind]);
    }
    char **pos = argv + 1 + optind;
    int npos = argc - 1 - optind;
    int want = strcmp(sub, "set") == 0      ? 2
               : strcmp(sub, "import") == 0 ? 1
               : strcmp(sub, "list") == 0   ? 0
                                            : -1;
    if (want < 0)
        return cmd_usage_error(cmd, err, "unknown subcommand '%s'", sub);
    if (npos != want)
        return cmd_usage_error(cmd, err, "fx %s takes %d argument%s", sub, want,
                               want == 1 ? "" : "s");
    if (want == 2) {
        const char *code = norm_currency(pos[0], strlen(pos[0]));
        if (!code || strlen(pos[0]) != 3)
            return cmd_usage_error(cmd, err, "'%s' is not an ISO 4217 currency code (e.g. EUR)",
                                   pos[0]);
        if (strcmp(code, "USD") == 0)
            return cmd_usage_error(cmd, err,
                                   "USD is always 1: rates are US dollars per unit of another "
                                   "currency (e.g. fx set EUR 1.08)");
        if (!vm_parse_decimal(pos[1], 1e-9, 1e9, &rate) || rate <= 0)
            return cmd_usage_error(cmd, err,
                                   "RATE must be a plain number above 0 (US dollars per "
                                   "unit of %s), not '%s'",
                                   code, pos[1]);
        pos[0] = (char *)code;
    }
    return fx_run(ctx, want, pos, rate, date, fmt, err);
}

const struct cmd_entry cmd_fx_entry = {
    .name = "fx",
    .summary = "exchange rates (USD per unit): list, set CODE RATE, import ECB FILE",
    .usage = fx_usage,
    .exec = fx_exec,
};
