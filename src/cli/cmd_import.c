/*
 * cmd_import: `vendormatch import FILE...`: CSV and .xlsx catalogs into the
 * catalog. Maps its option names to the import workflow's (src/app/
 * import_options.c checks each value) and hands the run to it
 * (app_import_report: reading, mapping, normalising, tagging, storing, the
 * bad-row policy and Ctrl-C, each file's summary printed as it commits).
 */
#include "cli/cmd.h"

#include <getopt.h>

#include "app/import.h"

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

// clang-format off
#define REQ(name, val) {name, required_argument, NULL, val}
static const struct option import_options[] = {
    REQ("source", AIO_SOURCE), REQ("delimiter", AIO_DELIMITER), REQ("map", AIO_MAP),
    REQ("on-error", AIO_ON_ERROR), REQ("rejects", AIO_REJECTS), REQ("format", AIO_FORMAT),
    {"no-classify", no_argument, NULL, AIO_NO_CLASSIFY}, REQ("encoding", AIO_ENCODING),
    REQ("sheet", AIO_SHEET), {"remap", no_argument, NULL, AIO_REMAP},
    {"full", no_argument, NULL, AIO_FULL}, {"dry-run", no_argument, NULL, AIO_DRY_RUN},
    REQ("currency", AIO_CURRENCY), {NULL, 0, NULL, 0}};
#undef REQ
// clang-format on

static int parse_import_opts(int argc, char **argv, struct app_import_request *r,
                             struct vm_err *err)
{
    const struct cmd_entry *cmd = &cmd_import_entry;
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, "", import_options, NULL)) != -1) {
        if (c < AIO_SOURCE)
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        rc = app_import_request_set(r, (enum app_import_option)c, optarg, err);
        if (rc && c != AIO_ENCODING) /* that message lists encodings, not the usage */
            rc = cmd_usage_error(cmd, err, "%s", err->msg);
    }
    if (rc == 0 && optind >= argc)
        rc = cmd_usage_error(cmd, err, "no catalog file given");
    if (rc == 0 && r->run.dry_run && r->run.rejects_path)
        rc = cmd_usage_error(cmd, err,
                             "--rejects with --dry-run: a dry run writes nothing, no rejects"
                             " file either (the summary counts rejected rows)");
    return rc;
}

static int cmd_import(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    struct app_import_request r;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    app_import_request_init(&r, ctx->quiet);
    int rc = parse_import_opts(argc, argv, &r, err);
    if (rc == 0)
        rc = app_import_report(&db, &r, (const char *const *)argv + optind, (size_t)(argc - optind),
                               err);
    app_import_request_free(&r);
    return rc;
}

const struct cmd_entry cmd_import_entry = {
    .name = "import",
    .summary = "load vendor catalogs (CSV) into the catalog",
    .usage = import_usage,
    .exec = cmd_import,
};
