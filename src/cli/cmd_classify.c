/*
 * cmd_classify: `classify [--vendor ID] [--explain]` re-tags the catalog (or
 * one vendor) with the taxonomy as it is now, after `taxonomy add/import`,
 * and says how many tags changed. With --explain it prints each vendor's
 * evidence (phrase, category, side, stage, weight), and a manual tag with its
 * reason. The work is in db/taxonomy_db (bulk I/O) and core/classify (rules).
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/pgutil.h"
#include "db/taxonomy_db.h"

static const char classify_usage[] =
    "usage: vendormatch classify [--vendor ID] [--explain] [--format table|csv|json]\n"
    "\n"
    "Re-tags every vendor (or only vendor ID) as BPO, KPO, HYBRID or UNCLASSIFIED\n"
    "with the current taxonomy, storing the computed tag, its confidence and the\n"
    "evidence, and reports how many tags changed. Manual tags (`vendormatch tag`)\n"
    "are never changed and keep winning.\n"
    "\n"
    "  --vendor ID   only this vendor (exit 1 if it does not exist)\n"
    "  --explain     print each vendor's evidence: phrase, category, side, match\n"
    "                stage and weight, and a manual tag with its reason\n"
    "  --format F    table (default), csv or json\n"
    "\n"
    "Exit codes: 0 ok, 1 failure or unknown vendor, 2 usage, 69 database unavailable.\n";

const struct cmd_entry cmd_classify_entry;

static int print_summary(const struct retag_stats *s, double secs, enum out_format fmt)
{
    if (fmt == OUT_JSON) {
        json_t *o = json_pack("{s:I, s:I, s:I, s:f}", "vendors", (json_int_t)s->vendors,
                              "tags_changed", (json_int_t)s->tags_changed, "updated",
                              (json_int_t)s->updated, "seconds", secs);
        int rc = json_print(stdout, o);
        json_decref(o);
        return rc;
    }
    if (fmt == OUT_CSV) {
        printf("vendors,tags_changed,updated,seconds\n%ld,%ld,%ld,%.3f\n", s->vendors,
               s->tags_changed, s->updated, secs);
        return 0;
    }
    printf("classified %ld vendor%s: %ld tag%s changed, %ld updated (%.2f s)\n", s->vendors,
           s->vendors == 1 ? "" : "s", s->tags_changed, s->tags_changed == 1 ? "" : "s", s->updated,
           secs);
    return 0;
}

static const char *const explain_headers[] = {"vendor", "name",  "tag",   "phrase", "category",
                                              "side",   "stage", "field", "weight"};

/* Adds one vendor's evidence rows to the table (or a single row if it has none). */
static void explain_rows(struct table *tb, const char *id, const char *name, const char *tag,
                         json_t *evidence)
{
    size_t i;
    json_t *e;
    char wbuf[32];
    if (json_array_size(evidence) == 0) {
        const char *cells[9] = {id, name, tag, NULL, NULL, NULL, NULL, NULL, NULL};
        table_add_row(tb, cells);
        return;
    }
    json_array_foreach(evidence, i, e)
    {
        snprintf(wbuf, sizeof wbuf, "%.3f", json_number_value(json_object_get(e, "weight")));
        const char *cells[9] = {id,
                                name,
                                tag,
                                json_string_value(json_object_get(e, "phrase")),
                                json_string_value(json_object_get(e, "category")),
                                json_string_value(json_object_get(e, "side")),
                                json_string_value(json_object_get(e, "stage")),
                                json_string_value(json_object_get(e, "field")),
                                wbuf};
        table_add_row(tb, cells);
    }
}

/* The vendor's stored evidence (column 7) decoded with its service phrases (column 8). */
static json_t *stored_evidence(const PGresult *res, int i, const struct evidence_categories *cats,
                               struct vm_err *err)
{
    struct strlist phrases;
    strlist_init(&phrases);
    json_t *ev = NULL;
    struct vm_err why = {0};
    if (pg_text_array_parse(PQgetvalue(res, i, 8), &phrases) != 0)
        vm_err_set(&why, VM_EXIT_FAILURE, "unreadable service_phrases");
    else
        ev = evidence_decode(PQgetvalue(res, i, 7), &phrases, cats, &why);
    if (!ev)
        vm_err_set(err, VM_EXIT_FAILURE, "vendor %s: %s", PQgetvalue(res, i, 0), why.msg);
    strlist_free(&phrases);
    return ev;
}

static int print_explain(PGconn *c, const struct taxonomy *t, long long vendor_id,
                         enum out_format fmt, struct vm_err *err)
{
    PGresult *res = NULL;
    struct table tb;
    struct evidence_categories cats = {0};
    json_t *all = json_array();
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%lld", vendor_id);
    const char *p[] = {idbuf};
    table_init(&tb, 9, explain_headers);
    int rc = pgu_exec(c, "reading tags",
                      "SELECT id, name, computed_type, confidence, manual_type, manual_reason, "
                      "effective_type, tag_evidence, service_phrases FROM vendors "
                      "WHERE $1::bigint <= 0 OR id = $1::bigint ORDER BY id",
                      1, p, &res, err);
    if (rc)
        goto done;
    evidence_categories_from_taxonomy(&cats, t);
    for (int i = 0; i < PQntuples(res); i++) {
        const char *id = PQgetvalue(res, i, 0), *name = PQgetvalue(res, i, 1);
        bool manual = !PQgetisnull(res, i, 4);
        json_t *ev = stored_evidence(res, i, &cats, err);
        if (!ev) {
            rc = VM_EXIT_FAILURE;
            goto done;
        }
        if (fmt == OUT_JSON) {
            json_array_append_new(
                all,
                json_pack("{s:I, s:s, s:s, s:f, s:o, s:o, s:s, s:o}", "id", (json_int_t)atoll(id),
                          "name", name, "computed_type", PQgetvalue(res, i, 2), "confidence",
                          atof(PQgetvalue(res, i, 3)), "manual_type",
                          json_string_or_null(manual ? PQgetvalue(res, i, 4) : NULL),
                          "manual_reason",
                          json_string_or_null(manual ? PQgetvalue(res, i, 5) : NULL),
                          "effective_type", PQgetvalue(res, i, 6), "evidence", ev));
            continue;
        }
        char *tag = manual
                        ? xasprintf("%s (manual: %s; computed %s %.2f)", PQgetvalue(res, i, 4),
                                    PQgetvalue(res, i, 5), PQgetvalue(res, i, 2),
                                    atof(PQgetvalue(res, i, 3)))
                        : xasprintf("%s %.2f", PQgetvalue(res, i, 2), atof(PQgetvalue(res, i, 3)));
        explain_rows(&tb, id, name, tag, ev);
        free(tag);
        json_decref(ev);
    }
    if (fmt == OUT_JSON)
        rc = json_print(stdout, all) ? vm_err_set(err, VM_EXIT_FAILURE, "writing output") : 0;
    else if (fmt == OUT_CSV)
        table_print_csv(&tb, stdout);
    else
        table_print_aligned(&tb, stdout);
done:
    PQclear(res);
    evidence_categories_free(&cats);
    table_free(&tb);
    json_decref(all);
    return rc;
}

static int vendor_exists(PGconn *c, long long id, struct vm_err *err)
{
    char idbuf[32];
    char *v = NULL;
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    const char *p[] = {idbuf};
    int rc = pgu_query_value(c, "looking up the vendor",
                             "SELECT id FROM vendors WHERE id = $1::bigint", 1, p, &v, err);
    if (rc == 0 && !v)
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "no vendor with id %lld (see `vendormatch vendors list`)", id);
    free(v);
    return rc;
}

static int classify_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option opts[] = {{"vendor", required_argument, NULL, 'V'},
                                         {"explain", no_argument, NULL, 'e'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_classify_entry;
    enum out_format fmt = OUT_TABLE;
    long long vendor_id = 0;
    bool explain = false;
    PGconn *c = NULL;
    struct taxonomy *t = NULL;
    struct retag_stats stats;
    struct timespec t0, t1;
    int o, rc;

    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'f') {
            if (parse_out_format(optarg, &fmt, err))
                return cmd_usage_error(cmd, err, "unknown --format '%s'", optarg);
        } else if (o == 'V') {
            if (!cmd_parse_vendor_id(optarg, &vendor_id))
                return cmd_usage_error(cmd, err,
                                       "--vendor needs a vendor id (a whole number from 1), "
                                       "not '%s'",
                                       optarg);
        } else if (o == 'e') {
            explain = true;
        } else {
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    if ((rc = vm_open_catalog(ctx, &c, err)))
        return rc;
    if (vendor_id > 0 && (rc = vendor_exists(c, vendor_id, err)))
        goto done;
    if ((rc = taxonomy_db_load(c, &t, err)))
        goto done;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((rc = taxonomy_db_retag(c, t, vendor_id, &stats, err)))
        goto done;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (explain) {
        if (!ctx->quiet)
            fprintf(stderr, "classified %ld vendors: %ld tags changed, %ld updated\n",
                    stats.vendors, stats.tags_changed, stats.updated);
        rc = print_explain(c, t, vendor_id, fmt, err);
    } else if (print_summary(&stats, secs, fmt)) {
        rc = vm_err_set(err, VM_EXIT_FAILURE, "error writing to standard output");
    }
done:
    taxonomy_free(t);
    PQfinish(c);
    return rc;
}

const struct cmd_entry cmd_classify_entry = {
    .name = "classify",
    .summary = "re-tag vendors as BPO / KPO / HYBRID with the current taxonomy",
    .usage = classify_usage,
    .exec = classify_exec,
};
