/*
 * cmd_classify: `classify [--vendor ID] [--explain]` re-tags the catalog (or
 * one vendor) with the taxonomy as it is now, after `taxonomy add/import`,
 * and says how many tags changed. With --explain it prints each vendor's
 * evidence (phrase, category, side, stage, weight), and a manual tag with its
 * reason. The work is the classify workflow's (src/app/classify.c).
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/classify.h"

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

/* The workflow's explanation as a table, CSV or JSON. */
static int print_explain(json_t *all, enum out_format fmt, struct vm_err *err)
{
    struct table tb;
    size_t i;
    json_t *v;
    if (fmt == OUT_JSON)
        return json_print(stdout, all) ? vm_err_set(err, VM_EXIT_FAILURE, "writing output") : 0;
    table_init(&tb, 9, explain_headers);
    json_array_foreach(all, i, v)
    {
        const char *manual = json_string_value(json_object_get(v, "manual_type"));
        const char *computed = json_string_value(json_object_get(v, "computed_type"));
        double conf = json_number_value(json_object_get(v, "confidence"));
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(v, "id")));
        char *tag = manual ? xasprintf("%s (manual: %s; computed %s %.2f)", manual,
                                       json_string_value(json_object_get(v, "manual_reason")),
                                       computed, conf)
                           : xasprintf("%s %.2f", computed, conf);
        explain_rows(&tb, id, json_string_value(json_object_get(v, "name")), tag,
                     json_object_get(v, "evidence"));
        free(tag);
    }
    if (fmt == OUT_CSV)
        table_print_csv(&tb, stdout);
    else
        table_print_aligned(&tb, stdout);
    table_free(&tb);
    return 0;
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
    struct app_classify_result res;
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
    struct vm_db_options db = vm_ctx_db_options(ctx);
    if ((rc = app_classify(&db, vendor_id, explain, &res, err)))
        return rc;
    const struct retag_stats *stats = &res.stats;
    if (explain) {
        if (!ctx->quiet)
            fprintf(stderr, "classified %ld vendors: %ld tags changed, %ld updated\n",
                    stats->vendors, stats->tags_changed, stats->updated);
        rc = print_explain(res.explain, fmt, err);
    } else if (print_summary(stats, res.seconds, fmt)) {
        rc = vm_err_set(err, VM_EXIT_FAILURE, "error writing to standard output");
    }
    json_decref(res.explain);
    return rc;
}

const struct cmd_entry cmd_classify_entry = {
    .name = "classify",
    .summary = "re-tag vendors as BPO / KPO / HYBRID with the current taxonomy",
    .usage = classify_usage,
    .exec = classify_exec,
};
