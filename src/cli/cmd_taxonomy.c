/*
 * cmd_taxonomy: look at and extend the service taxonomy. `list` shows every
 * alias with its category and side, `add` maps one more phrase to a
 * category, `import` adds many from a CSV in one all-or-nothing transaction,
 * and `unknown` ranks the service phrases no alias matched, across the whole
 * catalog, so users know what to map next. Re-tag afterwards with `classify`.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/pgutil.h"
#include "db/taxonomy_db.h"
#include "io/csv_reader.h"

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

/* Prints a query result as table, CSV or JSON (numbers for the numeric columns). */
static int print_result(const PGresult *res, enum out_format fmt, const bool *numeric,
                        struct vm_err *err)
{
    int nf = PQnfields(res), rc = 0;
    if (fmt == OUT_JSON) {
        json_t *arr = json_array();
        for (int i = 0; i < PQntuples(res); i++) {
            json_t *o = json_object();
            for (int k = 0; k < nf; k++) {
                const char *v = PQgetvalue(res, i, k);
                json_object_set_new(o, PQfname(res, k),
                                    numeric[k] ? json_real(atof(v)) : json_string(v));
            }
            json_array_append_new(arr, o);
        }
        if (json_print(stdout, arr))
            rc = vm_err_set(err, VM_EXIT_FAILURE, "error writing to standard output");
        json_decref(arr);
        return rc;
    }
    const char *headers[16];
    for (int k = 0; k < nf && k < 16; k++)
        headers[k] = PQfname(res, k);
    struct table tb;
    table_init(&tb, (size_t)nf, headers);
    for (int i = 0; i < PQntuples(res); i++) {
        const char *cells[16];
        for (int k = 0; k < nf && k < 16; k++)
            cells[k] = PQgetvalue(res, i, k);
        table_add_row(&tb, cells);
    }
    if (fmt == OUT_CSV)
        table_print_csv(&tb, stdout);
    else
        table_print_aligned(&tb, stdout);
    table_free(&tb);
    return 0;
}

static int taxonomy_list(PGconn *c, enum out_format fmt, struct vm_err *err)
{
    static const bool numeric[] = {false, false, false, true, false, false};
    PGresult *res = NULL;
    int rc = pgu_exec(c, "listing the taxonomy",
                      "SELECT c.code AS category, c.process_type AS side, c.name, "
                      "c.weight, a.phrase AS alias, a.origin FROM taxonomy_categories c "
                      "JOIN taxonomy_aliases a ON a.category_id = c.id "
                      "ORDER BY c.process_type, c.code, a.phrase_norm",
                      0, NULL, &res, err);
    if (rc == 0)
        rc = print_result(res, fmt, numeric, err);
    PQclear(res);
    return rc;
}

static int taxonomy_unknown(PGconn *c, long limit, enum out_format fmt, struct vm_err *err)
{
    static const bool numeric[] = {false, true};
    PGresult *res = NULL;
    char lbuf[32];
    snprintf(lbuf, sizeof lbuf, "%ld", limit);
    const char *p[] = {lbuf};
    int rc = pgu_exec(c, "ranking unknown phrases",
                      "SELECT u.phrase, count(DISTINCT v.id) AS vendors FROM vendors v, "
                      "unnest(v.unknown_phrases) AS u(phrase) GROUP BY u.phrase "
                      "ORDER BY vendors DESC, u.phrase LIMIT $1::int",
                      1, p, &res, err);
    if (rc == 0)
        rc = print_result(res, fmt, numeric, err);
    PQclear(res);
    return rc;
}

static int taxonomy_add(PGconn *c, const char *phrase, const char *code, struct vm_err *err)
{
    bool added;
    int rc = taxonomy_db_add_alias(c, phrase, code, &added, err);
    if (rc == 0)
        output_printf(stdout,
                      added ? "added alias '%s' -> %s; run `vendormatch classify` to re-tag\n"
                            : "'%s' already maps to %s; nothing to do\n",
                      phrase, code);
    return rc;
}

/* Column positions of the import file's header, -1 when absent. */
struct import_cols {
    int phrase, category, process_type, weight, name;
};

static int find_cols(const struct csv_record *h, struct import_cols *ic, const char *file,
                     struct vm_err *err)
{
    *ic = (struct import_cols){-1, -1, -1, -1, -1};
    for (size_t i = 0; i < h->nfields; i++) {
        const char *f = h->fields[i];
        int *slot = strcasecmp(f, "phrase") == 0         ? &ic->phrase
                    : strcasecmp(f, "category") == 0     ? &ic->category
                    : strcasecmp(f, "process_type") == 0 ? &ic->process_type
                    : strcasecmp(f, "weight") == 0       ? &ic->weight
                    : strcasecmp(f, "name") == 0         ? &ic->name
                                                         : NULL;
        if (slot)
            *slot = (int)i;
    }
    if (ic->phrase < 0 || ic->category < 0)
        return vm_err_set(err, VM_EXIT_DATAERR,
                          "%s:1:1: the header needs columns phrase and category "
                          "(optional: process_type, weight, name)",
                          file);
    return 0;
}

static const char *field(const struct csv_record *r, int col)
{
    return col >= 0 && (size_t)col < r->nfields ? r->fields[col] : "";
}

static long field_col(const struct csv_record *r, int col)
{
    return col >= 0 && (size_t)col < r->nfields ? r->field_col[col] : 1;
}

/* One import row: create its category when process_type is given, then the alias. */
static int import_row(PGconn *c, const struct csv_record *r, const struct import_cols *ic,
                      const char *file, long *added, struct vm_err *err)
{
    struct vm_err e;
    const char *code = field(r, ic->category), *type = field(r, ic->process_type);
    vm_err_clear(&e);
    if (!*field(r, ic->phrase) || !*code)
        return vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: phrase and category are required",
                          file, r->line,
                          field_col(r, *field(r, ic->phrase) ? ic->category : ic->phrase));
    if (*type) {
        if (strcmp(type, "BPO") != 0 && strcmp(type, "KPO") != 0)
            return vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: process_type must be BPO or KPO",
                              file, r->line, field_col(r, ic->process_type));
        double weight = 1.0;
        const char *w = field(r, ic->weight);
        if (*w && (!vm_parse_decimal(w, 0, 100, &weight) || weight == 0))
            return vm_err_set(err, VM_EXIT_DATAERR,
                              "%s:%ld:%ld: weight must be a plain number above 0 and at most "
                              "100, such as 1 or 2.5",
                              file, r->line, field_col(r, ic->weight));
        if (taxonomy_db_add_category(c, code, field(r, ic->name), type, weight, &e))
            return vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: %s", file, r->line,
                              field_col(r, ic->category), e.msg);
    }
    bool was_added;
    if (taxonomy_db_add_alias(c, field(r, ic->phrase), code, &was_added, &e))
        return vm_err_set(err, e.code == VM_EXIT_UNAVAILABLE ? e.code : VM_EXIT_DATAERR,
                          "%s:%ld:%ld: %s", file, r->line, field_col(r, ic->phrase), e.msg);
    *added += was_added;
    return 0;
}

static int taxonomy_import(PGconn *c, const char *path, struct vm_err *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    struct csv_reader *r = NULL;
    struct csv_record rec;
    struct import_cols ic;
    long added = 0, rows = 0;
    bool in_tx = false;
    int rc = 0, got;
    if (!f)
        return vm_err_set(err, VM_EXIT_FAILURE, "cannot open %s: %s", path, strerror(errno));
    if (!(r = csv_reader_open(f, path, NULL, err))) {
        rc = err->code ? err->code : VM_EXIT_DATAERR;
        goto done;
    }
    if ((rc = find_cols(csv_reader_header(r), &ic, path, err)))
        goto done;
    if ((rc = pgu_exec(c, "starting the import", "BEGIN", 0, NULL, NULL, err)))
        goto done;
    in_tx = true;
    while ((got = csv_reader_next(r, &rec, err)) == 1) {
        rows++;
        if ((rc = import_row(c, &rec, &ic, path, &added, err)))
            goto done;
    }
    if (got < 0) {
        rc = got == -1 ? VM_EXIT_DATAERR : VM_EXIT_FAILURE;
        goto done;
    }
    if ((rc = pgu_exec(c, "committing the import", "COMMIT", 0, NULL, NULL, err)))
        goto done;
    in_tx = false;
    output_printf(stdout,
                  "imported %s: %ld rows, %ld new aliases; run `vendormatch classify` to re-tag\n",
                  path, rows, added);
done:
    if (in_tx) {
        PGresult *rb = PQexec(c, "ROLLBACK");
        PQclear(rb);
        if (err->msg[0] && !strstr(err->msg, "nothing"))
            strncat(err->msg, " (nothing was imported)", sizeof err->msg - strlen(err->msg) - 1);
    }
    csv_reader_close(r);
    if (f != stdin)
        fclose(f);
    return rc;
}

static int taxonomy_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    const struct cmd_entry *cmd = &cmd_taxonomy_entry;
    enum out_format fmt = OUT_TABLE;
    long limit = 50;
    char **pos = NULL;
    int npos = 0, rc;
    PGconn *c = NULL;

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
    if ((rc = vm_open_catalog(ctx, &c, err)))
        return rc;
    if (want == 0) /* list and unknown print tables */
        cmd_page_output(ctx);
    if (strcmp(sub, "list") == 0)
        rc = taxonomy_list(c, fmt, err);
    else if (strcmp(sub, "unknown") == 0)
        rc = taxonomy_unknown(c, limit, fmt, err);
    else if (strcmp(sub, "add") == 0)
        rc = taxonomy_add(c, pos[0], pos[1], err);
    else
        rc = taxonomy_import(c, pos[0], err);
    PQfinish(c);
    return rc;
}

const struct cmd_entry cmd_taxonomy_entry = {
    .name = "taxonomy",
    .summary = "service taxonomy: list, add PHRASE CATEGORY, import FILE, unknown",
    .usage = taxonomy_usage,
    .exec = taxonomy_exec,
};
