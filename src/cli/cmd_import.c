/*
 * cmd_import: `vendormatch import FILE...`: CSV and .xlsx catalogs into the
 * catalog. Parses the options and hands the run to the import workflow
 * (src/app/import.c: reading, mapping, normalising, tagging, storing, the
 * bad-row policy and Ctrl-C); prints each file's summary as it commits.
 */
#include "cli/cmd.h"

#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/import.h"
#include "core/columns.h"
#include "core/normalize.h"
#include "io/input.h"
#include "io/output.h"

static const char import_usage[] =
    "usage: vendormatch import FILE... [--source NAME] [--delimiter C] [--map FIELD=HEADER]...\n"
    "                              [--encoding NAME] [--sheet NAME] [--currency CODE]\n"
    "                              [--on-error abort|skip] [--rejects FILE]\n"
    "                              [--format table|json] [--no-classify] [--remap] [--full]\n"
    "                              [--dry-run]\n"
    "\n"
    "Loads vendor catalogs (CSV or .xlsx with a header row) into the catalog. Each file\n"
    "is one transaction; FILE '-' reads standard input. The format is recognised by the\n"
    "file's first bytes, whatever its name: CSV, gzip'd CSV (e.g. catalog.csv.gz),\n"
    "UTF-16 or UTF-8 text with a byte order mark, or an .xlsx workbook (first sheet).\n"
    "Vendors are matched by the file's id column within the source, else by website\n"
    "host, else by name and country. Each source keeps its own record of a vendor;\n"
    "the vendor is their merge (a blank never erases, lists are unions, single\n"
    "values come from the highest-priority source: `vendormatch sources`), and\n"
    "every vendor is tagged BPO/KPO/HYBRID. Re-importing what a source already\n"
    "said changes nothing, whatever was imported in between.\n"
    "\n"
    "  --source NAME        the catalog's source name (default: the file's base name\n"
    "                       without extension; \"stdin\" for '-'); scopes the id column\n"
    "  --delimiter C        ',', ';', '|' or 'tab' (default: detected from the header)\n"
    "  --map FIELD=HEADER   read canonical FIELD from column HEADER (repeatable); the\n"
    "                       source remembers its --map and --delimiter, and its next\n"
    "                       import without them uses them again\n"
    "  --remap              accept a header that differs from the source's last one\n"
    "                       (without it such a file stops, exit 65, naming the new,\n"
    "                       missing and moved columns; a new --map does not accept\n"
    "                       it; order alone is no difference); the file is read with\n"
    "                       the --map and --delimiter given, not the remembered ones\n"
    "  --full               the file is the source's whole catalog: vendors it no longer\n"
    "                       lists lose the source's record (and go when no other source\n"
    "                       lists them); counted as retired\n"
    "  --dry-run            read, map, normalise, classify and merge as an import would,\n"
    "                       print the same summary (what would be inserted, updated,\n"
    "                       unchanged, rejected, retired), and write nothing (rolled\n"
    "                       back; --rejects is refused)\n"
    "  --encoding NAME      the CSV's text encoding when it is not UTF-8: LATIN1,\n"
    "                       WINDOWS-1252 (older Excel), UTF-16LE, UTF-16BE, UTF-16, or\n"
    "                       any name `iconv -l` lists; a BOM in the file takes precedence\n"
    "  --sheet NAME         the .xlsx sheet to read (default: the first)\n"
    "  --currency CODE      the ISO 4217 currency of rates that name none (\"25\"), for\n"
    "                       every FILE; a rate's currency is its cell's (\"EUR 25\",\n"
    "                       \"$25\"), else the rate header's (\"Hourly rate (EUR)\",\n"
    "                       \"Rate €/h\"), else CODE, else USD; the summary says which\n"
    "  --on-error abort     a bad row aborts the file: nothing committed, exit 65 (default)\n"
    "  --on-error skip      commit the good rows; bad rows go to import_rejects and --rejects\n"
    "  --rejects FILE       write rejected rows as CSV: file,line,column,reason,raw;\n"
    "                       FILE appears (atomically) only when the whole run succeeds;\n"
    "                       a symbolic link or one of the catalog files is refused\n"
    "  --format table|json  the summary per file (json: one object, or an array for\n"
    "                       several files); with table, what was understood of each\n"
    "                       file goes to stderr (-q: not shown): columns to fields\n"
    "                       (--map marked), extra columns, UNCLASSIFIED vendors, and\n"
    "                       values not normalised per field\n"
    "  --no-classify        store vendors UNCLASSIFIED without tagging (benchmarking;\n"
    "                       run `vendormatch classify` afterwards)\n"
    "\n"
    "Exit codes: 0 ok, 1 failure, 2 usage, 65 bad data, 69 database unavailable,\n"
    "130 interrupted (nothing from the interrupted file is committed).\n";

const struct cmd_entry cmd_import_entry;

struct import_opts {
    struct app_import_opts run;
    struct strlist maps; /* "field=Header" */
    enum out_format format;
};

/* --currency: three letters that are an ISO 4217 code of iso-codes, any
 * case, into code; -1 for anything else (symbols such as "US$" too). */
static int parse_currency(const char *arg, char code[4])
{
    char up[4] = "";
    for (size_t i = 0; i < 3 && arg[i]; i++)
        up[i] = (char)toupper((unsigned char)arg[i]);
    bool letters = strlen(arg) == 3 && isalpha((unsigned char)up[0]) &&
                   isalpha((unsigned char)up[1]) && isalpha((unsigned char)up[2]);
    const char *iso = letters ? norm_currency(up, 3) : NULL;
    if (!iso)
        return -1;
    snprintf(code, 4, "%s", iso);
    return 0;
}

static int parse_import_opts(int argc, char **argv, struct import_opts *o, struct vm_err *err)
{
    static const struct option opts[] = {
        {"source", required_argument, NULL, 's'},   {"delimiter", required_argument, NULL, 'd'},
        {"map", required_argument, NULL, 'm'},      {"on-error", required_argument, NULL, 'e'},
        {"rejects", required_argument, NULL, 'r'},  {"format", required_argument, NULL, 'f'},
        {"no-classify", no_argument, NULL, 'n'},    {"encoding", required_argument, NULL, 'E'},
        {"sheet", required_argument, NULL, 'S'},    {"remap", no_argument, NULL, 'R'},
        {"full", no_argument, NULL, 'F'},           {"dry-run", no_argument, NULL, 'D'},
        {"currency", required_argument, NULL, 'C'}, {NULL, 0, NULL, 0},
    };
    const struct cmd_entry *cmd = &cmd_import_entry;
    int c, delim;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (!*optarg)
                return cmd_usage_error(cmd, err, "--source needs a non-empty name");
            o->run.source = optarg;
            break;
        case 'd':
            if ((delim = input_parse_delimiter(optarg)) < 0)
                return cmd_usage_error(cmd, err, "--delimiter must be ',', ';', '|' or 'tab'");
            o->run.delimiter = (char)delim;
            break;
        case 'm':
            if (!columns_map_arg_ok(optarg))
                return cmd_usage_error(cmd, err,
                                       "--map '%s': expected FIELD=HEADER with a canonical field"
                                       " (name, website, country, services, ...)",
                                       optarg);
            strlist_push(&o->maps, optarg);
            break;
        case 'e':
            if (strcmp(optarg, "abort") && strcmp(optarg, "skip"))
                return cmd_usage_error(cmd, err, "--on-error must be abort or skip");
            o->run.skip_bad = strcmp(optarg, "skip") == 0;
            break;
        case 'r':
            o->run.rejects_path = optarg;
            break;
        case 'f':
            if (parse_out_format(optarg, &o->format, err) || o->format == OUT_CSV)
                return cmd_usage_error(cmd, err, "--format must be table or json");
            break;
        case 'n':
            o->run.classify = false;
            break;
        case 'R':
            o->run.remap = true;
            break;
        case 'F':
            o->run.full = true;
            break;
        case 'D':
            o->run.dry_run = true;
            break;
        case 'E':
            if (input_check_encoding(optarg, err))
                return err->code;
            o->run.encoding = optarg;
            break;
        case 'S':
            if (!*optarg)
                return cmd_usage_error(cmd, err, "--sheet needs a sheet name");
            o->run.sheet = optarg;
            break;
        case 'C':
            if (parse_currency(optarg, o->run.currency) != 0)
                return cmd_usage_error(cmd, err,
                                       "--currency '%s': not an ISO 4217 currency code (such as "
                                       "USD, EUR, GBP, INR)",
                                       optarg);
            break;
        default:
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cmd_usage_error(cmd, err, "no catalog file given");
    if (o->run.dry_run && o->run.rejects_path)
        return cmd_usage_error(cmd, err,
                               "--rejects with --dry-run: a dry run writes nothing, no rejects"
                               " file either (the summary counts rejected rows)");
    return 0;
}

struct import_output {
    json_t *summaries; /* --format json: gathered, printed at the end */
    bool quiet;        /* -q: no "understood" lines on stderr */
};

/* Each file's summary as it commits: what was understood on stderr and the
 * counts on stdout, or JSON at the end. */
static void on_file_done(const struct app_import_file *f, void *arg)
{
    struct import_output *out = arg;
    if (out->summaries) {
        json_array_append_new(out->summaries, app_import_summary_json(f));
        return;
    }
    if (!out->quiet) {
        app_import_understood_print(stderr, f);
        fflush(stderr);
    }
    app_import_summary_print(stdout, f);
}

static int cmd_import(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    struct import_opts o = {.run = {.classify = true, .quiet = ctx->quiet}, .format = OUT_TABLE};
    struct vm_db_options db = vm_ctx_db_options(ctx);
    json_t *summaries = NULL;
    int rc;

    strlist_init(&o.maps);
    if ((rc = parse_import_opts(argc, argv, &o, err)) != 0)
        goto done;
    o.run.maps = (const char *const *)o.maps.items;
    o.run.n_maps = o.maps.len;
    if (o.format == OUT_JSON)
        summaries = json_array();
    size_t n_files = (size_t)(argc - optind);
    struct import_output out = {.summaries = summaries, .quiet = ctx->quiet};
    rc = app_import(&db, &o.run, (const char *const *)argv + optind, n_files, on_file_done, &out,
                    err);
    if (json_array_size(summaries) > 0)
        json_print(stdout, n_files == 1 ? json_array_get(summaries, 0) : summaries);
    /* Every file was rolled back, whatever happened: the table's last line,
     * or a note on stderr (JSON on stdout, or a failed run). */
    if (o.run.dry_run && rc == 0 && !summaries)
        fputs("dry run: nothing was written\n", stdout);
    else if (o.run.dry_run && !ctx->quiet)
        fputs("vendormatch: dry run: nothing was written\n", stderr);
done:
    json_decref(summaries);
    strlist_free(&o.maps);
    return rc;
}

const struct cmd_entry cmd_import_entry = {
    .name = "import",
    .summary = "load vendor catalogs (CSV) into the catalog",
    .usage = import_usage,
    .exec = cmd_import,
};
