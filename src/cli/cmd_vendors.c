/*
 * cmd_vendors: `vendors list [filters]`, `vendors search TEXT` and `vendors
 * show NAME|ID`. Filters, search text and names are normalised with the
 * same rules as catalogs (a "United Kingdom" filter finds vendors imported
 * as "UK", "ACME gmbh" names "Acme GmbH"), then vendor_db does the query.
 */
#include "cli/cmd.h"
#include "io/vendor_view.h"
#include "core/normalize.h"
#include "core/taxonomy.h"
#include "db/taxonomy_db.h"
#include "db/vendor_db.h"
#include "io/output.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char vendors_usage[] =
    "usage: vendormatch vendors list [--type T] [--service S] [--country C] [--industry I]\n"
    "                                [--cert C] [--language L] [--source NAME] [--conflicts]\n"
    "                                [--limit N]\n"
    "                                [--format table|csv|json]\n"
    "       vendormatch vendors search TEXT [--limit N] [--format table|csv|json]\n"
    "       vendormatch vendors show NAME|ID [--format table|json]\n"
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
    "       the values each gave, and the values sources disagree on.\n"
    "       Digits are an id; other text is a name, whatever its case, accents or\n"
    "       legal suffix. A name several vendors share lists them and exits 2; an\n"
    "       unknown one exits 1 and suggests close names.\n";

const struct cmd_entry cmd_vendors_entry;

/* The filters; --service is left in *service for resolve_service. */
static int parse_filters(int argc, char **argv, struct vendor_filter *f, const char **service,
                         enum out_format *fmt, char *buf, size_t buflen, struct vm_err *err)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},    {"service", required_argument, NULL, 's'},
        {"country", required_argument, NULL, 'c'}, {"industry", required_argument, NULL, 'i'},
        {"cert", required_argument, NULL, 'C'},    {"language", required_argument, NULL, 'l'},
        {"source", required_argument, NULL, 'S'},  {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},  {"conflicts", no_argument, NULL, 'X'},
        {NULL, 0, NULL, 0},
    };
    const struct cmd_entry *cmd = &cmd_vendors_entry;
    bool limit_given = false;
    int o;

    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 't':
            if (strcmp(optarg, "BPO") && strcmp(optarg, "KPO") && strcmp(optarg, "HYBRID") &&
                strcmp(optarg, "UNCLASSIFIED"))
                return cmd_usage_error(cmd, err, "--type must be BPO, KPO, HYBRID or UNCLASSIFIED");
            f->process_type = optarg;
            break;
        case 's':
            *service = optarg;
            break;
        case 'c':
            if (!(f->country = norm_country(optarg, NULL)))
                return cmd_usage_error(cmd, err, "unknown country '%s'", optarg);
            break;
        case 'i':
            for (char *p = optarg; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            f->industry = optarg;
            break;
        case 'C':
            if (!norm_certification(optarg, buf, buflen))
                return cmd_usage_error(cmd, err, "empty --cert");
            f->certification = buf;
            break;
        case 'l':
            if (!(f->language = norm_language(optarg)))
                return cmd_usage_error(cmd, err, "unknown language '%s'", optarg);
            break;
        case 'S':
            f->source = optarg;
            break;
        case 'X':
            f->conflicts = true;
            break;
        case 'n': {
            long long limit;
            if (!vm_parse_int(optarg, 0, INT32_MAX, &limit))
                return cmd_usage_error(cmd, err,
                                       "--limit needs a whole number from 0 to %d (0 = all), "
                                       "not '%s'",
                                       INT32_MAX, optarg);
            f->limit = (long)limit;
            limit_given = true;
            break;
        }
        case 'f':
            if (parse_out_format(optarg, fmt, err))
                return cmd_usage_error(cmd, err, "unknown --format '%s'", optarg);
            break;
        default:
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    if (!limit_given)
        f->limit = *fmt == OUT_TABLE ? 100 : 0;
    return 0;
}

/* --service takes a category code or a phrase; a phrase goes through the
 * same taxonomy matching as catalog services and names its category. The
 * filter is the category's id (vendors.services holds ids). */
static int resolve_service(PGconn *c, const char *service, struct vendor_filter *f, char *id,
                           size_t id_size, struct vm_err *err)
{
    struct taxonomy *t = NULL;
    struct tax_match m[4];
    const struct tax_category *cat;
    int rc = taxonomy_db_load(c, &t, err);
    if (rc)
        return rc;
    if (!(cat = taxonomy_find_category(t, service)) && taxonomy_match_phrase(t, service, m, 4) > 0)
        cat = m[0].category;
    if (cat) {
        snprintf(id, id_size, "%d", cat->id);
        f->service_id = id;
    } else {
        rc = vm_err_set(err, VM_EXIT_USAGE,
                        "vendors: no service category matches '%s' (see `vendormatch taxonomy "
                        "list`)",
                        service);
    }
    taxonomy_free(t);
    return rc;
}

static int vendors_list(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    char service_id[16];
    const char *service = NULL;
    struct vendor_filter f = {0};
    enum out_format fmt = OUT_TABLE;
    char cert[128];
    PGconn *c = NULL;
    json_t *rows = NULL;
    int rc = parse_filters(argc, argv, &f, &service, &fmt, cert, sizeof cert, err);
    if (rc)
        return rc;
    if ((rc = vm_open_catalog(ctx, &c, err)))
        return rc;
    if (service && (rc = resolve_service(c, service, &f, service_id, sizeof service_id, err)))
        goto done;
    if ((rc = vendor_db_list(c, &f, &rows, err)))
        goto done;
    cmd_page_output(ctx);
    rc = render_vendor_list(rows, fmt, stdout, err);
    if (!rc && fmt == OUT_TABLE && f.limit > 0 && json_array_size(rows) == (size_t)f.limit &&
        !ctx->quiet)
        fprintf(stderr, "(first %ld vendors; use --limit 0 for all)\n", f.limit);
done:
    json_decref(rows);
    vm_conn_close(c);
    return rc;
}

/* --format (and, with limit, --limit N) for search and show; the one
 * positional argument is left in *arg. */
static int parse_one_arg(int argc, char **argv, const char *what, enum out_format *fmt, long *limit,
                         const char **arg, struct vm_err *err)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_vendors_entry;
    int o;

    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'f' && parse_out_format(optarg, fmt, err) == 0)
            continue;
        if (o == 'f')
            return cmd_usage_error(cmd, err, "unknown --format '%s'", optarg);
        long long n;
        if (o == 'n' && limit && vm_parse_int(optarg, 0, INT32_MAX, &n)) {
            *limit = (long)n;
            continue;
        }
        if (o == 'n' && limit)
            return cmd_usage_error(cmd, err,
                                   "--limit needs a whole number from 0 to %d (0 = all), not '%s'",
                                   INT32_MAX, optarg);
        return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
    }
    if (optind + 1 != argc)
        return cmd_usage_error(cmd, err, "%s needs exactly one argument", what);
    *arg = argv[optind];
    return 0;
}

/* The name key of user text, or a usage error when it holds no letters or digits. */
static int text_key(const char *text, char **key, struct vm_err *err)
{
    *key = norm_name_key(text);
    if (**key)
        return 0;
    free(*key);
    *key = NULL;
    return cmd_usage_error(&cmd_vendors_entry, err, "'%s' has no letters or digits to look for",
                           text);
}

static int vendors_search(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    enum out_format fmt = OUT_TABLE;
    long limit = 20;
    const char *text;
    char *key = NULL, *host = NULL;
    PGconn *c = NULL;
    json_t *rows = NULL;
    int rc = parse_one_arg(argc, argv, "search", &fmt, &limit, &text, err);
    if (rc || (rc = text_key(text, &key, err)))
        return rc;
    if ((rc = vm_open_catalog(ctx, &c, err)))
        goto done;
    host = norm_website_host(text);
    if ((rc = vendor_db_search(c, key, host, limit, ctx->quiet ? NULL : stderr, &rows, err)))
        goto done;
    cmd_page_output(ctx);
    rc = render_vendor_list(rows, fmt, stdout, err);
    if (!rc && json_array_size(rows) == 0 && !ctx->quiet)
        fprintf(stderr, "(no vendor's name or website looks like that)\n");
done:
    json_decref(rows);
    vm_conn_close(c);
    free(key);
    free(host);
    return rc;
}

/* "did you mean: A (id 1), B (id 2)?" from the closest names, terminal-safe. */
static char *did_you_mean(PGconn *c, const char *key, FILE *note)
{
    struct vm_err ignored;
    json_t *rows = NULL, *v;
    struct sbuf b;
    size_t i;
    sbuf_init(&b);
    if (vendor_db_search(c, key, NULL, 5, note, &rows, &ignored) == 0 &&
        json_array_size(rows) > 0) {
        sbuf_puts(&b, "; did you mean: ");
        json_array_foreach(rows, i, v)
        {
            char *safe = output_terminal_safe(json_string_value(json_object_get(v, "name")));
            char *item = xasprintf("%s%s (id %lld)", i ? ", " : "", safe,
                                   (long long)json_integer_value(json_object_get(v, "id")));
            sbuf_puts(&b, item);
            free(item);
            free(safe);
        }
        sbuf_puts(&b, "?");
    }
    json_decref(rows);
    return sbuf_detach(&b);
}

/* The id NAME|ID stands for: digits are an id; a name must be one vendor's. */
static int resolve_vendor(PGconn *c, const char *arg, FILE *note, long long *id, struct vm_err *err)
{
    char *key = NULL, *hint = NULL, *safe = NULL;
    json_t *rows = NULL;
    if (arg[0] && strspn(arg, "0123456789") == strlen(arg)) { /* digits: an id */
        if (!cmd_parse_vendor_id(arg, id))
            return cmd_usage_error(&cmd_vendors_entry, err,
                                   "'%s' is not a vendor ID (a whole number from 1)", arg);
        return 0;
    }
    int rc = text_key(arg, &key, err);
    if (rc || (rc = vendor_db_find_by_name(c, key, &rows, err)))
        goto done;
    size_t n = json_array_size(rows);
    safe = output_terminal_safe(arg);
    if (n == 1) {
        *id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
    } else if (n > 1) {
        render_vendor_list(rows, OUT_TABLE, stdout, err);
        rc = vm_err_set(err, VM_EXIT_USAGE,
                        "vendors show: '%s' names %zu vendors: ambiguous, use the id "
                        "(`vendormatch vendors show ID`)",
                        safe, n);
    } else {
        hint = did_you_mean(c, key, note);
        rc = vm_err_set(err, VM_EXIT_FAILURE, "no vendor named '%s'%s", safe,
                        *hint ? hint : " (`vendormatch vendors search TEXT` finds close names)");
    }
done:
    json_decref(rows);
    free(key);
    free(hint);
    free(safe);
    return rc;
}

static int vendors_show(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    enum out_format fmt = OUT_TABLE;
    const char *arg;
    long long id = 0;
    PGconn *c = NULL;
    json_t *v = NULL;
    int rc = parse_one_arg(argc, argv, "show", &fmt, NULL, &arg, err);
    if (rc)
        return rc;
    if (fmt == OUT_CSV)
        return cmd_usage_error(&cmd_vendors_entry, err, "show prints table or json");
    if ((rc = vm_open_catalog(ctx, &c, err)))
        return rc;
    if ((rc = resolve_vendor(c, arg, ctx->quiet ? NULL : stderr, &id, err)) ||
        (rc = vendor_db_show(c, id, &v, err)))
        goto done;
    cmd_page_output(ctx);
    rc = fmt == OUT_JSON ? (json_print(stdout, v) ? VM_EXIT_FAILURE : 0)
                         : render_vendor_detail(v, stdout, err);
done:
    json_decref(v);
    vm_conn_close(c);
    return rc;
}

static int vendors_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    if (argc < 2)
        return cmd_usage_error(&cmd_vendors_entry, err,
                               "missing subcommand (list, search or show)");
    if (strcmp(argv[1], "list") == 0)
        return vendors_list(ctx, argc - 1, argv + 1, err);
    if (strcmp(argv[1], "search") == 0)
        return vendors_search(ctx, argc - 1, argv + 1, err);
    if (strcmp(argv[1], "show") == 0)
        return vendors_show(ctx, argc - 1, argv + 1, err);
    return cmd_usage_error(&cmd_vendors_entry, err, "unknown subcommand '%s'", argv[1]);
}

const struct cmd_entry cmd_vendors_entry = {
    .name = "vendors",
    .summary = "list, search or show vendors in the catalog",
    .usage = vendors_usage,
    .exec = vendors_exec,
};
