/*
 * cmd_fx: the exchange rates money is compared with (fx_rates). `list`
 * shows them with their dates, `set` stores one, `import` reads the
 * European Central Bank's reference-rate CSV (eurofxref.csv, or the history
 * file eurofxref-hist.csv, newest row unless --date). Every rate is in US
 * dollars per unit of the currency.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/fx.h"
#include "core/normalize.h"
#include "db/fx_db.h"
#include "db/pgutil.h"

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
    "            All rates of the row or none are stored; errors name FILE:LINE.\n"
    "\n"
    "Exit codes: 0 ok, 1 failure, 2 usage, 65 bad file, 69 database unavailable.\n";

const struct cmd_entry cmd_fx_entry;

#define FX_FILE_MAX (64u << 20)

/* The whole file (at most FX_FILE_MAX bytes), malloc'd. */
static int read_all(const char *path, char **out, size_t *len, struct vm_err *err)
{
    FILE *f = fopen(path, "rb");
    struct sbuf b;
    char chunk[65536];
    size_t n;
    if (!f)
        return vm_err_set(err, VM_EXIT_DATAERR, "%s: cannot open: %s", path, strerror(errno));
    sbuf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= FX_FILE_MAX)
        sbuf_append(&b, chunk, n);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad || b.len > FX_FILE_MAX) {
        sbuf_free(&b);
        return vm_err_set(err, VM_EXIT_DATAERR, "%s: %s", path,
                          bad ? "read error" : "larger than 64 MiB: not a reference-rate file");
    }
    *len = b.len;
    *out = sbuf_detach(&b);
    if (!*out)
        *out = xstrdup("");
    return 0;
}

static int fx_list(PGconn *c, enum out_format fmt, struct vm_err *err)
{
    static const char *const headers[] = {"currency", "usd_per_unit", "date", "source", "name"};
    struct fx_row *rows = NULL;
    size_t n = 0;
    int rc = fx_db_list(c, &rows, &n, err);
    if (rc)
        return rc;
    if (fmt == OUT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const char *name = norm_currency_name(rows[i].currency);
            json_array_append_new(
                arr, json_pack("{s:s, s:f, s:s, s:s, s:s?}", "currency", rows[i].currency,
                               "usd_per_unit", strtod(rows[i].usd_per_unit, NULL), "date",
                               rows[i].date, "source", rows[i].source, "name", name));
        }
        if (json_print(stdout, arr))
            rc = vm_err_set(err, VM_EXIT_FAILURE, "error writing to standard output");
        json_decref(arr);
    } else {
        struct table tb;
        table_init(&tb, 5, headers);
        for (size_t i = 0; i < n; i++) {
            const char *name = norm_currency_name(rows[i].currency);
            const char *cells[5] = {rows[i].currency, rows[i].usd_per_unit, rows[i].date,
                                    rows[i].source, name ? name : ""};
            table_add_row(&tb, cells);
        }
        if (fmt == OUT_CSV)
            table_print_csv(&tb, stdout);
        else
            table_print_aligned(&tb, stdout);
        table_free(&tb);
    }
    fx_rows_free(rows, n);
    return rc;
}

/* Today's date (UTC) as YYYY-MM-DD. */
static void today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int fx_set(PGconn *c, const char *code_text, const char *rate_text, const char *date,
                  struct vm_err *err)
{
    struct fx_table t;
    fx_table_init(&t);
    fx_table_set(&t, code_text, strtod(rate_text, NULL), date);
    int rc = fx_db_store(c, &t, "manual (fx set)", err);
    fx_table_free(&t);
    if (rc == 0)
        output_printf(stdout, "%s = $%s (USD per unit), rates of %s\n", code_text, rate_text, date);
    return rc;
}

static int fx_import(PGconn *c, const char *path, const char *date, struct vm_err *err)
{
    char *text = NULL, *why = NULL;
    size_t len = 0;
    long line = 0;
    struct fx_table t;
    fx_table_init(&t);
    int rc = read_all(path, &text, &len, err);
    if (rc == 0 && fx_parse_ecb(text, len, date, &t, &why, &line) != 0)
        rc = vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld: %s", path, line, why);
    if (rc == 0) {
        char *source = xasprintf("ECB reference rates (%s)", path);
        rc = fx_db_store(c, &t, source, err);
        free(source);
    }
    if (rc == 0)
        output_printf(stdout, "stored %zu rates of %s from %s (EUR = $%.4f)\n", t.n,
                      t.rates[0].date, path, t.rates[0].usd_per_unit);
    free(why);
    free(text);
    fx_table_free(&t);
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
    char day[11];
    PGconn *c = NULL;
    int o, rc;
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
        double rate;
        if (!code || strlen(pos[0]) != 3 || strcmp(code, "USD") == 0)
            return cmd_usage_error(cmd, err, "'%s' is no ISO 4217 code other than USD", pos[0]);
        if (!vm_parse_decimal(pos[1], 1e-9, 1e9, &rate) || rate <= 0)
            return cmd_usage_error(cmd, err,
                                   "RATE must be a plain number above 0 (US dollars per "
                                   "unit of %s), not '%s'",
                                   code, pos[1]);
        pos[0] = (char *)code;
    }
    if (!date && want == 2) {
        today(day);
        date = day;
    }
    if ((rc = vm_open_catalog(ctx, &c, err)))
        return rc;
    if (want == 0)
        rc = fx_list(c, fmt, err);
    else if (want == 2)
        rc = fx_set(c, pos[0], pos[1], date, err);
    else
        rc = fx_import(c, pos[0], date, err);
    vm_conn_close(c);
    return rc;
}

const struct cmd_entry cmd_fx_entry = {
    .name = "fx",
    .summary = "exchange rates (USD per unit): list, set CODE RATE, import ECB FILE",
    .usage = fx_usage,
    .exec = fx_exec,
};
