/*
 * cmd_sources: `sources list`, `sources show NAME`, `sources drop NAME` and
 * `sources priority NAME N`: the catalogs a vendor's facts came from, as
 * things a user manages. Options are parsed here; db/sources_db does the
 * work (one transaction per change).
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/classify.h"
#include "db/sources_db.h"
#include "db/taxonomy_db.h"
#include "db/vendor_cols.h"
#include "io/output.h"
#include "io/vendor_view.h"

static const char sources_usage[] =
    "usage: vendormatch sources list [--format table|csv|json]\n"
    "       vendormatch sources show NAME [--format table|json]\n"
    "       vendormatch sources drop NAME\n"
    "       vendormatch sources priority NAME N\n"
    "\n"
    "A source is one catalog's origin (import --source NAME, by default the file's\n"
    "base name). Each source keeps its own record of every vendor it lists; a vendor\n"
    "is the merge of its sources' records (docs/import.md, \"Many sources\").\n"
    "\n"
    "list      every source: files, batches, vendors, last import, priority and the\n"
    "          column mapping its next import reuses\n"
    "show      one source, with its import batches\n"
    "drop      removes the source's records, its batches and the source; the vendors\n"
    "          it described are merged again from their other sources, and those no\n"
    "          other source lists are deleted. Saved shortlists do not change.\n"
    "priority  sets the source's priority (a whole number, default 0): for a single\n"
    "          value (website, country, rate, rating...) the source with the higher\n"
    "          priority wins; at equal priority, the most recently changed record.\n"
    "          The vendors it shares with other sources are merged again.\n"
    "\n"
    "Exit codes: 0 ok, 1 failure or unknown source, 2 usage, 69 database unavailable.\n";

static int sources_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_sources_entry = {
    .name = "sources",
    .summary = "list, show, drop catalog sources; set a source's priority",
    .usage = sources_usage,
    .exec = sources_exec,
};

/* --format, from argv[2] on; the positional arguments are left in argv[optind..]. */
static int parse_format(int argc, char **argv, enum out_format *fmt, struct vm_err *err)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f' && parse_out_format(optarg, fmt, err) != 0)
            return cmd_usage_error(&cmd_sources_entry, err, "%s", err->msg);
        if (c == '?')
            return cmd_usage_error(&cmd_sources_entry, err, "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
    }
    return 0;
}

static const char *const list_keys[] = {"name",    "priority",    "files",     "batches",
                                        "vendors", "last_import", "column_map"};

static void print_list(const json_t *list, enum out_format fmt)
{
    struct table t;
    size_t i;
    json_t *e;
    table_init(&t, 7, list_keys);
    json_array_foreach(list, i, e)
    {
        char *cells[7];
        for (int k = 0; k < 7; k++) {
            const json_t *v = json_object_get(e, list_keys[k]);
            cells[k] = json_is_array(v) ? json_join(v, "; ") : json_text(v);
        }
        table_add_row(&t, (const char *const *)cells);
        for (int k = 0; k < 7; k++)
            free(cells[k]);
    }
    if (fmt == OUT_CSV)
        table_print_csv(&t, stdout);
    else
        table_print_aligned(&t, stdout);
    table_free(&t);
}

static void print_show(const json_t *s)
{
    static const char *const keys[] = {"name",       "priority",    "files",      "batches",
                                       "vendors",    "last_import", "created_at", "delimiter",
                                       "column_map", "header"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const json_t *v = json_object_get(s, keys[k]);
        char *text = json_is_array(v) ? json_join(v, "; ") : json_text(v);
        if (strcmp(keys[k], "delimiter") == 0 && !*text) {
            free(text);
            text = xstrdup("(detected)");
        }
        char *label = xasprintf("%s:", keys[k]);
        output_printf(stdout, "%-13s %s\n", label, text);
        free(label);
        free(text);
    }
    static const char *const bkeys[] = {"batch_id", "file",      "rows",     "inserted",
                                        "updated",  "unchanged", "rejected", "finished_at"};
    struct table t;
    size_t i;
    json_t *b;
    table_init(&t, 8, bkeys);
    json_array_foreach(json_object_get(s, "imports"), i, b)
    {
        char *cells[8];
        for (int k = 0; k < 8; k++)
            cells[k] = json_text(json_object_get(b, bkeys[k]));
        table_add_row(&t, (const char *const *)cells);
        for (int k = 0; k < 8; k++)
            free(cells[k]);
    }
    fputs("\nimports:\n", stdout);
    table_print_aligned(&t, stdout);
    table_free(&t);
}

/* The taxonomy for re-tagging the vendors a change merges again. */
static int open_with_taxonomy(struct vm_ctx *ctx, PGconn **conn, struct taxonomy **tax,
                              struct vm_err *err)
{
    int rc = vm_open_catalog(ctx, conn, err);
    return rc ? rc : taxonomy_db_load(*conn, tax, err);
}

/* Re-tags the vendors the change merged again (VCOLS_RETAG_TABLE) inside its
 * transaction, then commits it; rolls it back when the re-tag fails. */
static int retag_and_end(PGconn *conn, struct taxonomy *tax, struct vm_err *err)
{
    struct retag_stats st;
    int rc = app_retag_listed(conn, tax, VCOLS_RETAG_IDS, &st, err);
    if (rc) {
        sources_db_end(conn, false, err);
        return rc;
    }
    return sources_db_end(conn, true, err);
}

static int sources_drop(struct vm_ctx *ctx, const char *name, struct vm_err *err)
{
    PGconn *conn = NULL;
    struct taxonomy *tax = NULL;
    struct source_drop_counts n;
    int rc = open_with_taxonomy(ctx, &conn, &tax, err);
    if (rc == 0)
        rc = sources_db_drop(conn, name, &n, err);
    if (rc == 0)
        rc = retag_and_end(conn, tax, err);
    if (rc == 0) {
        char *safe = output_terminal_safe(name);
        printf("dropped source '%s': %ld record%s, %ld batch%s; %ld vendor%s merged again, %ld"
               " deleted (no other source lists them)\n",
               safe, n.records, n.records == 1 ? "" : "s", n.batches, n.batches == 1 ? "" : "es",
               n.remerged, n.remerged == 1 ? "" : "s", n.deleted);
        free(safe);
    }
    if (tax)
        taxonomy_free(tax);
    vm_conn_close(conn);
    return rc;
}

static int sources_priority(struct vm_ctx *ctx, const char *name, const char *value,
                            struct vm_err *err)
{
    long long prio;
    bool neg = value[0] == '-';
    if (!vm_parse_int(value + neg, 0, INT_MAX, &prio))
        return cmd_usage_error(&cmd_sources_entry, err, "priority needs a whole number, not '%s'",
                               value);
    PGconn *conn = NULL;
    struct taxonomy *tax = NULL;
    long remerged = 0;
    int rc = open_with_taxonomy(ctx, &conn, &tax, err);
    if (rc == 0)
        rc = sources_db_set_priority(conn, name, (int)(neg ? -prio : prio), &remerged, err);
    if (rc == 0)
        rc = retag_and_end(conn, tax, err);
    if (rc == 0) {
        char *safe = output_terminal_safe(name);
        printf("source '%s': priority %lld; %ld shared vendor%s merged again\n", safe,
               neg ? -prio : prio, remerged, remerged == 1 ? "" : "s");
        free(safe);
    }
    if (tax)
        taxonomy_free(tax);
    vm_conn_close(conn);
    return rc;
}

static int sources_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    const struct cmd_entry *cmd = &cmd_sources_entry;
    enum out_format fmt = OUT_TABLE;
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "drop") == 0) {
        if (argc != 3)
            return cmd_usage_error(cmd, err, "drop needs exactly one source NAME");
        return sources_drop(ctx, argv[2], err);
    }
    if (strcmp(sub, "priority") == 0) {
        if (argc != 4)
            return cmd_usage_error(cmd, err, "priority needs a source NAME and a number N");
        return sources_priority(ctx, argv[2], argv[3], err);
    }
    bool show = strcmp(sub, "show") == 0;
    if (!show && strcmp(sub, "list") != 0)
        return cmd_usage_error(cmd, err,
                               argc < 2 ? "missing subcommand (list, show, drop or priority)%s"
                                        : "unknown subcommand '%s'",
                               sub);
    int rc = parse_format(argc, argv, &fmt, err);
    if (rc == 0 && show && optind + 1 != argc)
        rc = cmd_usage_error(cmd, err, "show needs exactly one source NAME");
    if (rc == 0 && !show && optind != argc)
        rc = cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    if (rc == 0 && show && fmt == OUT_CSV)
        rc = cmd_usage_error(cmd, err, "show prints table or json");
    if (rc)
        return rc;
    PGconn *conn = NULL;
    json_t *v = NULL;
    rc = vm_open_catalog(ctx, &conn, err);
    if (rc == 0)
        rc = show ? sources_db_show(conn, argv[optind], &v, err) : sources_db_list(conn, &v, err);
    if (rc == 0)
        cmd_page_output(ctx);
    if (rc == 0 && fmt == OUT_JSON)
        rc = json_print(stdout, v) ? VM_EXIT_FAILURE : 0;
    else if (rc == 0 && show)
        print_show(v);
    else if (rc == 0)
        print_list(v, fmt);
    json_decref(v);
    vm_conn_close(conn);
    return rc;
}
