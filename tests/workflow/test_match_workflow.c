/*
 * test_match_workflow: the match workflow (src/app/match.c) called from C
 * against a real PostgreSQL server, no binary in between, on a small catalog
 * imported with the import workflow: the ranking and its reasons, a vendor
 * whose catalog does not state its languages ranked unverified (and
 * excluded with --strict), a near miss with its failure, the SQL walk equal
 * to C scoring of every vendor, a saved shortlist read back (shortlists
 * workflow) equal to what match produced and printed, with exactly the keys
 * docs/shortlist-json.md's example documents, --replace, a needs
 * file (one document per row, saved as PREFIX-<need>, errors at
 * FILE:LINE:COLUMN), a bad need from the options through the command's
 * callback, and a server that is not there (69).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/import.h"
#include "app/match.h"
#include "app/shortlists.h"
#include "core/match_defaults.h"
#include "io/shortlist_doc.h"
#include "workflow_support.h"

/* Four support vendors and one research vendor. For customer and technical
 * support in English: Alpha offers both and lists English; Gamma offers
 * both but its catalog lists no language (unverified); Beta offers one of
 * the two; Delta offers both but only in Polish (a near miss); Epsilon is a
 * KPO research house, not a candidate for a BPO need. */
static const char catalog_csv[] =
    "id,name,country,services,languages,certifications,employees,hourly_rate,rating,delivery\n"
    "A,Alpha Care,India,Customer Support;Technical Support,English,ISO 27001,500-999,$20/hr,"
    "4.8,Offshore\n"
    "B,Beta Support,Philippines,Customer Support,English,,200-499,$15/hr,4.2,Offshore\n"
    "C,Gamma Help,India,Customer Support;Technical Support,,,1000-4999,$18/hr,4.5,Offshore\n"
    "D,Delta Voice,Poland,Customer Support;Technical Support,Polish,,500-999,$30/hr,4.9,"
    "Nearshore\n"
    "E,Epsilon Research,India,Equity Research;Financial Analysis,English,,50-199,$40/hr,4.7,"
    "Offshore\n";

static int setup(void **state)
{
    struct wf_db *db = wf_db_create();
    wf_import(db, "catalog.csv", catalog_csv, true);
    *state = db;
    return 0;
}

/* Options for the support need, printing nowhere unless out is set. */
static void support_need(struct app_match_opts *o)
{
    char *why = NULL;
    app_match_opts_init(o);
    if (app_match_need_option(o, NF_SERVICE, "customer support", &why) ||
        app_match_need_option(o, NF_SERVICE, "technical support", &why) ||
        app_match_need_option(o, NF_LANGUAGE, "English", &why))
        fail_msg("%s", why);
}

static const char *result_name(const json_t *doc, size_t i)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(doc, "results"), i), "name"));
}

/* The array at key as "a|b|c". */
static char *joined(const json_t *obj, const char *key)
{
    return rj_join(json_object_get(obj, key), "|", NULL);
}

static void assert_joined(const json_t *obj, const char *key, const char *want)
{
    char *got = joined(obj, key);
    assert_string_equal(got, want);
    free(got);
}

/* The results' names as "a,b,c". */
static char *ranking(const json_t *doc)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_puts(&b, "");
    for (size_t i = 0; i < json_array_size(json_object_get(doc, "results")); i++)
        sbuf_printf(&b, "%s%s", i ? "," : "", result_name(doc, i));
    return sbuf_detach(&b);
}

static void assert_ranking(const json_t *doc, const char *want)
{
    char *got = ranking(doc);
    assert_string_equal(got, want);
    free(got);
}

/* docs/shortlist-json.md's example document, its // comments removed. */
static json_t *documented_example(void)
{
    FILE *f = fopen(VM_SOURCE_DIR "/docs/shortlist-json.md", "r");
    assert_non_null(f);
    struct sbuf md, js;
    char buf[4096];
    size_t n;
    sbuf_init(&md);
    sbuf_init(&js);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sbuf_append(&md, buf, n);
    fclose(f);
    const char *p = strstr(md.data, "```json\n"), *end = p ? strstr(p + 8, "\n```") : NULL;
    assert_non_null(end);
    bool quoted = false;
    for (p += 8; p < end; p++) {
        if (!quoted && p[0] == '/' && p[1] == '/') {
            p += strcspn(p, "\n") - 1;
            continue;
        }
        if (quoted && *p == '\\')
            sbuf_append(&js, p++, 1);
        else if (*p == '"')
            quoted = !quoted;
        sbuf_append(&js, p, 1);
    }
    json_error_t je;
    json_t *doc = json_loadb(js.data, js.len, 0, &je);
    if (!doc)
        fail_msg("docs/shortlist-json.md: %s at line %d", je.text, je.line);
    sbuf_free(&md);
    sbuf_free(&js);
    return doc;
}

/* Every object in want has exactly got's keys, recursively (arrays by
 * their first element; a null on either side is not compared further). */
static void assert_same_keys(const json_t *want, const json_t *got, const char *path)
{
    const char *key;
    const json_t *v;
    if (json_is_array(want) && json_is_array(got) && json_array_size(want) &&
        json_array_size(got)) {
        char *sub = xasprintf("%s[0]", path);
        assert_same_keys(json_array_get(want, 0), json_array_get(got, 0), sub);
        free(sub);
    }
    if (!json_is_object(want) || !json_is_object(got))
        return;
    json_object_foreach((json_t *)got, key, v)
    {
        if (!json_object_get(want, key))
            fail_msg("%s.%s: written, not in docs/shortlist-json.md", path, key);
    }
    json_object_foreach((json_t *)want, key, v)
    {
        char *sub = xasprintf("%s.%s", path, key);
        if (!json_object_get(got, key))
            fail_msg("%s: in docs/shortlist-json.md, not written", sub);
        assert_same_keys(v, json_object_get(got, key), sub);
        free(sub);
    }
}

static int run(struct wf_db *db, struct app_match_opts *o, json_t **docs, struct vm_err *err)
{
    vm_err_clear(err);
    *docs = NULL;
    return app_match(&db->opt, o, docs, err);
}

static void test_ranks_with_reasons_unverified_and_near_misses(void **state)
{
    struct wf_db *db = *state;
    struct app_match_opts o;
    struct vm_err err;
    json_t *docs;
    support_need(&o);
    o.fmt = OUT_JSON; /* explained: robustness and near misses */

    assert_int_equal(run(db, &o, &docs, &err), 0);
    assert_int_equal(json_array_size(docs), 1);
    const json_t *doc = json_array_get(docs, 0);
    assert_string_equal(rj_str(doc, "process_type"), "BPO");
    assert_true(rj_true(doc, "process_type_inferred"));
    assert_ranking(doc, "Alpha Care,Gamma Help,Beta Support");

    const json_t *results = json_object_get(doc, "results");
    const json_t *alpha = json_array_get(results, 0), *gamma = json_array_get(results, 1),
                 *beta = json_array_get(results, 2);
    assert_int_equal(json_integer_value(json_object_get(alpha, "rank")), 1);
    char *reasons = joined(alpha, "reasons");
    assert_non_null(strstr(reasons, "offers 2 of 2 requested services"));
    assert_non_null(strstr(reasons, "lists every required language"));
    assert_non_null(strstr(reasons, "rating 4.8"));
    free(reasons);
    assert_joined(alpha, "unverified", "");
    reasons = joined(beta, "reasons");
    assert_non_null(strstr(reasons, "offers 1 of 2 requested services"));
    free(reasons);

    /* Gamma's catalog lists no language: it passes unverified, with no
     * language points and the reason last among its reasons. */
    assert_joined(gamma, "unverified", "language");
    const json_t *why = json_object_get(gamma, "unverified_reasons");
    assert_int_equal(json_array_size(why), 1);
    const char *unverified = json_string_value(json_array_get(why, 0));
    assert_non_null(strstr(unverified, ": unverified"));
    const json_t *gamma_reasons = json_object_get(gamma, "reasons");
    assert_string_equal(
        json_string_value(json_array_get(gamma_reasons, json_array_size(gamma_reasons) - 1)),
        unverified);
    assert_true(
        json_real_value(json_object_get(json_object_get(gamma, "breakdown"), "languages")) == 0.0);
    assert_true(json_real_value(json_object_get(json_object_get(alpha, "breakdown"), "languages")) >
                0.0);
    assert_true(json_real_value(json_object_get(alpha, "score")) >
                json_real_value(json_object_get(gamma, "score")));

    /* Delta fails the language alone: a near miss saying so. */
    const json_t *excluded = json_object_get(doc, "excluded");
    assert_int_equal(json_array_size(excluded), 1);
    assert_string_equal(rj_str(json_array_get(excluded, 0), "name"), "Delta Voice");
    reasons = joined(json_array_get(excluded, 0), "reasons");
    assert_non_null(strstr(reasons, "English"));
    free(reasons);

    /* Explained: each result's robustness and the #1/#2 swap. */
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(alpha, "robustness"), "draws")),
        MATCH_ROBUST_DRAWS);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "swap"), "leader_id")),
                     json_integer_value(json_object_get(alpha, "vendor_id")));
    json_decref(docs);

    /* --strict: an unknown fact excludes; Gamma goes, Alpha and Beta stay. */
    char *w = NULL;
    app_match_opts_free(&o);
    support_need(&o);
    assert_int_equal(app_match_need_option(&o, NF_STRICT, "yes", &w), 0);
    assert_int_equal(run(db, &o, &docs, &err), 0);
    assert_ranking(json_array_get(docs, 0), "Alpha Care,Beta Support");
    json_decref(docs);
    app_match_opts_free(&o);
}

static void test_walk_equals_c_scoring_of_every_vendor(void **state)
{
    struct wf_db *db = *state;
    struct app_match_opts o;
    struct vm_err err;
    json_t *walk, *all;
    support_need(&o);
    o.fmt = OUT_JSON;
    assert_int_equal(run(db, &o, &walk, &err), 0);
    app_match_opts_free(&o);
    support_need(&o);
    o.fmt = OUT_JSON;
    o.exhaustive = true;
    assert_int_equal(run(db, &o, &all, &err), 0);
    assert_true(json_equal(walk, all));
    json_decref(walk);
    json_decref(all);
    app_match_opts_free(&o);
}

static void test_saved_shortlist_reads_back_equal(void **state)
{
    struct wf_db *db = *state;
    struct app_match_opts o;
    struct vm_err err;
    json_t *docs, *back = NULL, *list = NULL;
    char *printed_path = xasprintf("%s/printed.json", db->dir);
    support_need(&o);
    o.save = "wf-support";
    o.fmt = OUT_JSON;
    o.out = fopen(printed_path, "w");
    assert_non_null(o.out);

    assert_int_equal(run(db, &o, &docs, &err), 0);
    assert_int_equal(fclose(o.out), 0);
    const json_t *doc = json_array_get(docs, 0);
    assert_string_equal(rj_str(doc, "name"), "wf-support");
    assert_true(json_integer_value(json_object_get(doc, "id")) > 0);
    assert_non_null(rj_str(doc, "created_at"));

    /* The document has the keys its documentation shows, no more, no fewer. */
    json_t *example = documented_example();
    assert_same_keys(example, doc, "document");
    json_decref(example);

    /* What was printed is the document saved, id and name included. */
    json_error_t je;
    json_t *printed = json_load_file(printed_path, 0, &je);
    assert_non_null(printed);
    assert_true(json_equal(printed, doc));
    json_decref(printed);

    /* Read back by name and by id: the same document. */
    assert_int_equal(app_shortlist_load(&db->opt, "wf-support", &back, &err), 0);
    assert_true(json_equal(back, doc));
    json_decref(back);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(doc, "id")));
    assert_int_equal(app_shortlist_load(&db->opt, id, &back, &err), 0);
    assert_true(json_equal(back, doc));
    json_decref(back);
    assert_string_equal(wf_value(db, "SELECT string_agg(name, ',' ORDER BY rank) FROM "
                                     "shortlist_entries"),
                        "Alpha Care,Gamma Help,Beta Support");
    assert_int_equal(app_shortlist_list(&db->opt, &list, &err), 0);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(rj_str(json_array_get(list, 0), "name"), "wf-support");
    json_decref(list);
    json_decref(docs);

    /* The same name again: refused, the first one kept; --replace replaces
     * it (app_match took the need: give it again). */
    app_match_opts_free(&o);
    support_need(&o);
    o.save = "wf-support";
    assert_int_equal(run(db, &o, &docs, &err), VM_EXIT_FAILURE);
    assert_non_null(strstr(err.msg, "wf-support"));
    assert_null(docs);
    assert_string_equal(wf_value(db, "SELECT count(*) FROM shortlists"), "1");
    app_match_opts_free(&o);
    support_need(&o);
    o.save = "wf-support";
    o.replace = true;
    char *why = NULL;
    assert_int_equal(app_match_need_option(&o, NF_TOP, "1", &why), 0);
    assert_int_equal(run(db, &o, &docs, &err), 0);
    assert_string_equal(wf_value(db, "SELECT count(*) FROM shortlists"), "1");
    assert_string_equal(wf_value(db, "SELECT string_agg(name, ',') FROM shortlist_entries"),
                        "Alpha Care");
    assert_int_equal(app_shortlist_load(&db->opt, "wf-support", &back, &err), 0);
    assert_true(json_equal(back, json_array_get(docs, 0)));
    assert_ranking(back, "Alpha Care");
    json_decref(back);
    json_decref(docs);
    free(printed_path);
    app_match_opts_free(&o);
}

static void test_needs_file_one_document_per_row(void **state)
{
    struct wf_db *db = *state;
    struct app_match_opts o;
    struct vm_err err;
    json_t *docs;
    char *why = NULL;
    char *path = wf_write(db, "needs.csv",
                          "need,services,languages,top\n"
                          "helpdesk,customer support;technical support,English,\n"
                          "research,equity research,,1\n");
    app_match_opts_init(&o);
    assert_int_equal(app_match_need_option(&o, NF_TOP, "2", &why), 0);
    o.needs_file = path;
    o.save = "batch";

    assert_int_equal(run(db, &o, &docs, &err), 0);
    assert_int_equal(json_array_size(docs), 2);
    /* --top 2 applies to every row; the row's own top wins */
    assert_ranking(json_array_get(docs, 0), "Alpha Care,Gamma Help");
    assert_ranking(json_array_get(docs, 1), "Epsilon Research");
    assert_string_equal(rj_str(json_array_get(docs, 1), "process_type"), "KPO");
    assert_string_equal(wf_value(db, "SELECT string_agg(name, ',' ORDER BY id) FROM shortlists"),
                        "batch-helpdesk,batch-research");
    json_decref(docs);
    free(path);

    /* A service no taxonomy entry knows: bad data at its row and column. */
    path = wf_write(db, "bad.csv", "need,services\nok,customer support\nbad,gizmo wrangling\n");
    o.needs_file = path;
    o.save = NULL;
    assert_int_equal(run(db, &o, &docs, &err), VM_EXIT_DATAERR);
    assert_null(docs);
    char *where = xasprintf("%s:3:5: unknown service 'gizmo wrangling'", path);
    if (!strstr(err.msg, where))
        fail_msg("%s", err.msg);
    free(where);
    free(path);

    /* An unknown column: named with its position, before any database work. */
    path = wf_write(db, "cols.csv", "need,services,colour\nx,customer support,blue\n");
    o.needs_file = path;
    assert_int_equal(run(db, &o, &docs, &err), VM_EXIT_DATAERR);
    where = xasprintf("%s:1:15: unknown column 'colour'", path);
    if (!strstr(err.msg, where))
        fail_msg("%s", err.msg);
    free(where);
    free(path);
    app_match_opts_free(&o);
    assert_string_equal(wf_value(db, "SELECT count(*) FROM shortlists"), "2");
}

/* The command's callback for a bad need from the options. */
static int option_error(void *arg, struct vm_err *err, const char *msg)
{
    snprintf(arg, 512, "%s", msg);
    return vm_err_set(err, 42, "wrapped: %s", msg);
}

static void test_bad_need_from_options_goes_through_the_callback(void **state)
{
    struct wf_db *db = *state;
    struct app_match_opts o;
    struct vm_err err;
    json_t *docs;
    char seen[512] = "";
    char *why = NULL;
    app_match_opts_init(&o);
    assert_int_equal(app_match_need_option(&o, NF_SERVICE, "custmer suprt", &why), 0);
    o.option_error = option_error;
    o.arg = seen;
    assert_int_equal(run(db, &o, &docs, &err), 42);
    assert_non_null(strstr(seen, "--service: unknown service 'custmer suprt': did you mean "
                                 "'customer support'?"));
    assert_non_null(strstr(err.msg, "wrapped: --service:"));
    app_match_opts_free(&o);

    /* Without a callback: a plain usage error. */
    app_match_opts_init(&o);
    assert_int_equal(app_match_need_option(&o, NF_SERVICE, "gizmo wrangling", &why), 0);
    assert_int_equal(run(db, &o, &docs, &err), VM_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "--service: unknown service 'gizmo wrangling'"));
    app_match_opts_free(&o);
}

static void test_no_server_is_unavailable(void **state)
{
    struct wf_db *db = *state;
    struct app_match_opts o;
    struct vm_err err;
    json_t *docs;
    struct vm_db_options nowhere = {.db = "host=/nonexistent-vmwf dbname=x", .quiet = true};
    (void)db;
    support_need(&o);
    vm_err_clear(&err);
    assert_int_equal(app_match(&nowhere, &o, &docs, &err), VM_EXIT_UNAVAILABLE);
    app_match_opts_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ranks_with_reasons_unverified_and_near_misses, setup,
                                        wf_teardown),
        cmocka_unit_test_setup_teardown(test_walk_equals_c_scoring_of_every_vendor, setup,
                                        wf_teardown),
        cmocka_unit_test_setup_teardown(test_saved_shortlist_reads_back_equal, setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_needs_file_one_document_per_row, setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_bad_need_from_options_goes_through_the_callback, setup,
                                        wf_teardown),
        cmocka_unit_test_setup_teardown(test_no_server_is_unavailable, setup, wf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
