/*
 * cmd_taxonomy: look at and extend the service taxonomy. `list` shows every
 * alias with its category and side, `add` maps one more phrase to a
 * category, `import` adds many from a CSV in one all-or-nothing transaction,
 * and `unknown` ranks the service phrases no alias matched, across the whole
 * catalog, so users know what to map next. Re-tag afterwards with `classify`.
 * The work is the taxonomy workflow's (src/app/taxonomy.c).
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/taxonomy.h"
#include "io/infile.h"

static const char taxonomy_usage[] =
    "usage: vendormatch taxonomy list [--format table|csv|json]\n"
    "       vendormatch taxonomy add PHRASE CATEGORY\n"
    "       vendormatch taxonomy import FILE\n"
    "       vendormatch taxonomy unknown [--limit N] [--format table|csv|json]\n"
    "\n"
    "The service taxonomy: categories (each BPO or KPO, with a weight) and the\n"
    "alias phrases that map to them.\n"
    "\n"
    "  list      every alias with its category, side, weight and origin\n"
    "  add       map PHRASE to the category with code CATEGORY (e.g. customer_support)\n"
    "  import    a CSV with columns phrase,category[,process_type,weight,name];\n"
    "            a row with process_type (BPO or KPO) creates the category if new.\n"
    "            All rows or none are stored; errors name FILE:LINE:COLUMN.\n"
    "  unknown   service phrases that matched no alias, most frequent first\n"
    "            (default --limit 50)\n"
    "\n"
    "Run `vendormatch classify` afterwards to re-tag the catalog.\n"
    "Exit codes: 0 ok, 1 failure, 2 usage, 65 bad import file, 69 database unavailable.\n";

const struct cmd_entry cmd_taxonomy_entry;

/* Parses the options shared by the subcommands; positional arguments go to pos. */
static int parse_opts(int argc, char **argv, enum out_format *fmt, long *limit, char ***pos,
                      int *npos, struct vm_err *err)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_taxonomy_entry;
    int o;
    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'f') {
            if (parse_out_format(optarg, fmt, err))
                return cmd_usage_error(cmd, err, "unknown --format '%s'", optarg);
        } else if (o == 'n') {
            long long n;
            if (!vm_parse_int(optarg, 1, INT32_MAX, &n))
                return cmd_usage_error(cmd, err,
                                       "--limit needs a whole number from 1 to %d, not '%s'",
                                       INT32_MAX, optarg);
            *limit = (long)n;
        } else {
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        }
    }
    *pos = argv + optind;
    *npos = argc - optind;
    return 0;
}

/* `list` and `unknown`: a table, through the pager. */
static int taxonomy_show(struct vm_ctx *ctx, const char *sub, long limit, enum out_format fmt,
                         struct vm_err *err)
{
    static const enum table_json list_json[] = {TABLE_JSON_STRING, TABLE_JSON_STRING,
                                                TABLE_JSON_STRING, TABLE_JSON_NUMBER,
                                                TABLE_JSON_STRING, TABLE_JSON_STRING};
    static const enum table_json unknown_json[] = {TABLE_JSON_STRING, TABLE_JSON_NUMBER};
    struct vm_db_options db = vm_ctx_db_options(ctx);
    struct table tb;
    bool list = strcmp(sub, "list") == 0;
    int rc = list ? app_taxonomy_list(&db, &tb, err) : app_taxonomy_unknown(&db, limit, &tb, err);
    if (rc == 0) {
        cmd_page_output(ctx);
        rc = table_print(&tb, fmt, list ? list_json : unknown_json, stdout, err);
    }
    table_free(&tb);
    return rc;
}

static int taxonomy_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    const struct cmd_entry *cmd = &cmd_taxonomy_entry;
    struct vm_db_options db = vm_ctx_db_options(ctx);
    enum out_format fmt = OUT_TABLE;
    long limit = 50;
    char **pos = NULL;
    int npos = 0, rc;

    if (argc < 2)
        return cmd_usage_error(cmd, err, "say list, add, import or unknown");
    const char *sub = argv[1];
    if ((rc = parse_opts(argc - 1, argv + 1, &fmt, &limit, &pos, &npos, err)))
        return rc;
    int want = strcmp(sub, "add") == 0                                     ? 2
               : strcmp(sub, "import") == 0                                ? 1
               : (strcmp(sub, "list") == 0 || strcmp(sub, "unknown") == 0) ? 0
                                                                           : -1;
    if (want < 0)
        return cmd_usage_error(cmd, err, "unknown subcommand '%s'", sub);
    if (npos != want)
        return cmd_usage_error(cmd, err, "taxonomy %s takes %d argument%s", sub, want,
                               want == 1 ? "" : "s");
    if (want == 0)
        return taxonomy_show(ctx, sub, limit, fmt, err);
    if (want == 2) {
        bool added;
        if ((rc = app_taxonomy_add(&db, pos[0], pos[1], &added, err)) == 0)
            output_printf(stdout,
                          added ? "added alias '%s' -> %s; run `vendormatch classify` to re-tag\n"
                                : "'%s' already maps to %s; nothing to do\n",
                          pos[0], pos[1]);
        return rc;
    }
    struct app_taxonomy_import_counts n;
    if ((rc = app_taxonomy_import(&db, pos[0], &n, err)) == 0)
        output_printf(stdout,
                      "imported %s: %ld row%s, %ld new alias%s; run `vendormatch classify` to "
                      "re-tag\n",
                      vm_infile_name(pos[0]), n.rows, n.rows == 1 ? "" : "s", n.added,
                      n.added == 1 ? "" : "es");
    return rc;
}

const struct cmd_entry cmd_taxonomy_entry = {
    .name = "taxonomy",
    .summary = "service taxonomy: list, add PHRASE CATEGORY, import FILE, unknown",
    .usage = taxonomy_usage,
    .exec = taxonomy_exec,
};
