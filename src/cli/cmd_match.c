/*
 * cmd_match: `vendormatch match`. Parses the options into a need (need_set
 * checks each value as it is given) and the run's settings, and hands them
 * to the match workflow (src/app/match.c), which ranks, prints and saves.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/match.h"

static const char match_usage[] =
    "usage: vendormatch match [need options] [--top N] [--save NAME [--replace]] [--explain]\n"
    "                         [--format table|csv|json]\n"
    "       vendormatch match --needs FILE [--top N] [--weight C=W]... [--save PREFIX] ...\n"
    "\n"
    "Ranks the catalog's vendors for a client need: hard constraints exclude, the rest\n"
    "get a score from 0 to 100 with a breakdown and reasons (docs/matching.md).\n"
    "A misspelt service, country or language is refused with \"did you mean ...?\";\n"
    "an industry no vendor lists is named on stderr with the closest one the catalog\n"
    "has; with no vendor qualifying, stderr names each term no vendor has at all.\n"
    "\n"
    "Need options (repeatable ones marked ...):\n"
    "  --service S ...         a service the client needs (\"customer support\")\n"
    "  --type BPO|KPO|any|auto provider type; auto (default) infers it from the services\n"
    "  --industry I ...        industry experience wanted (scored, not required)\n"
    "  --country C ...         allowed countries (name or ISO code)\n"
    "  --exclude-country C ... countries to leave out\n"
    "  --language L ...        languages the vendor must list\n"
    "  --cert C ...            certifications the vendor must hold (\"ISO 27001\")\n"
    "  --min-employees N       headcount at least N (employees_max when known); N is a\n"
    "                          whole number 0..10000000 (\"500\", \"1,000\"; \"50-200\" and\n"
    "                          \"500+\" count their lower end)\n"
    "  --max-rate R            cheapest hourly rate at most R, 0..1000000: a plain number\n"
    "                          with an optional ISO 4217 code or symbol and /hr (\"30\",\n"
    "                          \"EUR 25\", \"$30/hr\"; USD default; \"20-30\" counts 30).\n"
    "                          A vendor's \"< $25\" meets max 25; against max 20 it is\n"
    "                          unverified, without price points (\"may exceed\");\n"
    "                          \"$150+\" fails max 100. Vendors' rates in other\n"
    "                          currencies convert at the stored exchange rates (fx\n"
    "                          list); one with no exchange rate is unverified too\n"
    "  --min-rate R            dearest hourly rate at least R, same forms (\"20-30\"\n"
    "                          counts 20); one currency with --max-rate\n"
    "  --min-rating R          rating at least R: a plain number 0..5 (\"4.5\") or \"90%\"\n"
    "  --sensitivity low|medium|high   high requires a security certification\n"
    "  --delivery D ...        delivery models, any of (onshore, offshore, remote...)\n"
    "  --strict                a vendor whose data does not state a constrained fact\n"
    "                          (no languages listed, no rate, an open range that cannot\n"
    "                          decide...) is excluded; by default it passes unverified:\n"
    "                          no points for that criterion, flagged with the reason\n"
    "  --require-known FACT ...  the same for one fact only: language, cert, country,\n"
    "                          employees, rate, rating or delivery\n"
    "  --weight CRITERION=W ...  service_coverage, industry, rating, price, capacity,\n"
    "                          languages, confidence; W a plain number 0..1000; weights\n"
    "                          are scaled to sum 100\n"
    "Other options:\n"
    "  --needs FILE            one need per CSV row ('-' for stdin); a `need` column names\n"
    "                          each; columns as the options above (docs/matching.md)\n"
    "  --top N                 results per need, a whole number 1..1000 (default 10)\n"
    "  --explain               below the table, a block per vendor (points per criterion,\n"
    "                          every reason, how often it keeps its rank and a top-3\n"
    "                          place with every weight varied by up to 25%), the single\n"
    "                          weight change that would put #2 first, the near misses\n"
    "  --save NAME             save the result as shortlist NAME (with --needs: NAME-<need>)\n"
    "  --replace               with --save: replace a shortlist of the same name\n"
    "  --format table|csv|json table: 100 columns (rank, score, name, type, country,\n"
    "                          rate, the reason that cost most points); csv: every\n"
    "                          column; json always explains (with --needs, an array)\n"
    "\n"
    "Numbers are plain decimals: no sign, exponent, hex, inf or trailing text. A bad\n"
    "value or an empty text value exits 2 (65 with file:line:column in a needs file).\n";

static int match_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_match_entry = {
    .name = "match",
    .summary = "match a client's needs to providers, with explained scores",
    .usage = match_usage,
    .exec = match_exec,
};

enum { OPT_NEEDS = 256, OPT_SAVE, OPT_REPLACE, OPT_EXPLAIN, OPT_FORMAT };

/* Option -> need field; the rest are command options. */
#define REQ(name, val)                                                                             \
    {                                                                                              \
        name, required_argument, NULL, val                                                         \
    }
// clang-format off
static const struct option match_options[] = {
    REQ("service", NF_SERVICE), REQ("type", NF_TYPE), REQ("industry", NF_INDUSTRY),
    REQ("country", NF_COUNTRY), REQ("exclude-country", NF_EXCLUDE_COUNTRY),
    REQ("language", NF_LANGUAGE), REQ("cert", NF_CERT), REQ("min-employees", NF_MIN_EMPLOYEES),
    REQ("max-rate", NF_MAX_RATE), REQ("min-rate", NF_MIN_RATE), REQ("min-rating", NF_MIN_RATING),
    REQ("sensitivity", NF_SENSITIVITY), REQ("delivery", NF_DELIVERY),
    {"strict", no_argument, NULL, NF_STRICT}, REQ("require-known", NF_REQUIRE_KNOWN),
    REQ("weight", NF_WEIGHT), REQ("top", NF_TOP), REQ("needs", OPT_NEEDS), REQ("save", OPT_SAVE),
    {"replace", no_argument, NULL, OPT_REPLACE}, {"explain", no_argument, NULL, OPT_EXPLAIN},
    REQ("format", OPT_FORMAT), {NULL, 0, NULL, 0}};
// clang-format on
#undef REQ

static int parse_options(int argc, char **argv, struct app_match_opts *o, struct vm_err *err)
{
    const struct cmd_entry *cmd = &cmd_match_entry;
    char *why = NULL;
    int c, i = 0, rc = 0;
    optind = 1;
    opterr = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, "", match_options, &i)) != -1) {
        if (c >= 0 && c < NF_COUNT) {
            if (app_match_need_option(o, c, c == NF_STRICT ? "yes" : optarg, &why) != 0)
                rc = cmd_usage_error(cmd, err, "--%s: %s", match_options[i].name, why);
        } else if (c == OPT_NEEDS || c == OPT_SAVE)
            *(c == OPT_NEEDS ? &o->needs_file : &o->save) = optarg;
        else if (c == OPT_REPLACE || c == OPT_EXPLAIN)
            *(c == OPT_REPLACE ? &o->replace : &o->explain) = true;
        else if (c == OPT_FORMAT && parse_out_format(optarg, &o->fmt, err) != 0)
            rc = cmd_usage_error(cmd, err, "%s", err->msg);
        else if (c != OPT_FORMAT)
            rc = cmd_usage_error(cmd, err, "unknown option or missing value: '%s'",
                                 argv[optind - 1]);
    }
    if (rc == 0 && optind < argc)
        rc = cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    free(why);
    if (rc == 0 && o->needs_file && o->need_given)
        rc = cmd_usage_error(cmd, err,
                             "--needs cannot be combined with need options "
                             "(put them in the file's columns)");
    if (rc == 0 && o->replace && !o->save)
        rc = cmd_usage_error(cmd, err, "--replace needs --save NAME");
    if (rc == 0 && o->save && !o->save[0])
        rc = cmd_usage_error(cmd, err, "--save needs a non-empty name");
    return rc;
}

/* The workflow's two calls back: the pager, and a bad need from the options. */
static void start_pager(void *ctx)
{
    cmd_page_output(ctx);
}

static int option_error(void *ctx, struct vm_err *err, const char *msg)
{
    (void)ctx;
    return cmd_usage_error(&cmd_match_entry, err, "%s", msg);
}

static int match_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    struct app_match_opts o;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    app_match_opts_init(&o);
    o.out = stdout;
    o.verbose = ctx->verbose;
    o.exhaustive = getenv("VM_MATCH_EXHAUSTIVE") != NULL; /* tests: C decides over every vendor */
    o.before_output = start_pager;
    o.option_error = option_error;
    o.arg = ctx;
    int rc = parse_options(argc, argv, &o, err);
    if (rc == 0)
        rc = app_match(&db, &o, NULL, err);
    app_match_opts_free(&o);
    return rc;
}
