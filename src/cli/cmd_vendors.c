/*
 * cmd_vendors: `vendors list [filters]` and `vendors show ID`. Filters are
 * normalised with the same rules as catalogs (a "United Kingdom" filter
 * finds vendors imported as "UK"), then vendor_db does the query.
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
    "                                [--cert C] [--language L] [--source NAME] [--limit N]\n"
    "                                [--format table|csv|json]\n"
    "       vendormatch vendors show ID [--format table|json]\n"
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
    "  --limit N       at most N vendors (default 100 for table, all for csv/json; 0 = all)\n"
    "show   everything known about one vendor: normalised and original values, the\n"
    "       BPO/KPO tag with its evidence (or the manual tag and its reason),\n"
    "       unmatched service phrases, extra columns and the sources it came from.\n";

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
        {"format", required_argument, NULL, 'f'},  {NULL, 0, NULL, 0},
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
    rc = render_vendor_list(rows, fmt, stdout, err);
    if (!rc && fmt == OUT_TABLE && f.limit > 0 && json_array_size(rows) == (size_t)f.limit &&
        !ctx->quiet)
        fprintf(stderr, "(first %ld vendors; use --limit 0 for all)\n", f.limit);
done:
    json_decref(rows);
    PQfinish(c);
    return rc;
}

static int vendors_show(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    enum out_format fmt = OUT_TABLE;
    PGconn *c = NULL;
    json_t *v = NULL;
    int o, rc;

    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o != 'f')
            return cmd_usage_error(&cmd_vendors_entry, err, "unknown option '%s'",
                                   argv[optind - 1]);
        if (parse_out_format(optarg, &fmt, err))
            return cmd_usage_error(&cmd_vendors_entry, err, "unknown --format '%s'", optarg);
    }
    if (optind + 1 != argc)
        return cmd_usage_error(&cmd_vendors_entry, err, "show needs exactly one vendor ID");
    long long id;
    if (!cmd_parse_vendor_id(argv[optind], &id))
        return cmd_usage_error(&cmd_vendors_entry, err,
                               "'%s' is not a vendor ID (a whole number from 1)", argv[optind]);
    if ((rc = vm_open_catalog(ctx, &c, err)))
        return rc;
    if ((rc = vendor_db_show(c, id, &v, err)))
        goto done;
    rc = fmt == OUT_JSON ? (json_print(stdout, v) ? VM_EXIT_FAILURE : 0)
                         : render_vendor_detail(v, stdout, err);
done:
    json_decref(v);
    PQfinish(c);
    return rc;
}

static int vendors_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    if (argc < 2)
        return cmd_usage_error(&cmd_vendors_entry, err, "missing subcommand (list or show)");
    if (strcmp(argv[1], "list") == 0)
        return vendors_list(ctx, argc - 1, argv + 1, err);
    if (strcmp(argv[1], "show") == 0)
        return vendors_show(ctx, argc - 1, argv + 1, err);
    return cmd_usage_error(&cmd_vendors_entry, err, "unknown subcommand '%s'", argv[1]);
}

const struct cmd_entry cmd_vendors_entry = {
    .name = "vendors",
    .summary = "list or show vendors in the catalog",
    .usage = vendors_usage,
    .exec = vendors_exec,
};
