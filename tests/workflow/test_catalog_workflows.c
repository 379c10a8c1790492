/*
 * test_catalog_workflows: the vendors, sources and fx workflows
 * (src/app/vendors.c, sources.c, fx.c) called from C against a real
 * PostgreSQL server: filters are read as catalogs are ("UK" is GB) and a
 * bad one is a usage error; show tells a name from an id, hands back the
 * vendors an ambiguous name shares and suggests close names for an unknown
 * one; a source's priority decides the merged value and dropping it merges
 * its vendors again; fx import reads FILE like every input file (a missing
 * one is exit 1) and stores all the rates of a good file or none of a bad one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/fx.h"
#include "app/import.h"
#include "app/sources.h"
#include "app/vendors.h"
#include "workflow_support.h"

/* Two sources: both list Acme (one website), at different rates; b alone lists Twin. */
static void import(struct wf_db *db, const char *source, const char *name, const char *csv)
{
    struct app_import_opts o = {.source = source, .classify = true, .quiet = true};
    struct vm_err err = {0};
    char *path = wf_write(db, name, csv);
    const char *files[] = {path};
    if (app_import(&db->opt, &o, files, 1, NULL, NULL, &err))
        fail_msg("%s", err.msg);
    free(path);
}

static int setup(void **state)
{
    struct wf_db *db = wf_db_create();
    import(db, "a", "a.csv",
           "name,website,country,services,hourly_rate\n"
           "Acme Contact Inc,acme.example,United Kingdom,Inbound call center,$20/h\n"
           "Lexis Research Pvt Ltd,lexis.example,India,Legal research,$40/h\n");
    import(db, "b", "b.csv",
           "name,website,country,services,hourly_rate\n"
           "Acme Contact Inc,acme.example,United Kingdom,Inbound call center,$30/h\n"
           "Twin Services,twin1.example,Germany,Payroll processing,\n"
           "Twin Services GmbH,twin2.example,Germany,Payroll processing,\n");
    *state = db;
    return 0;
}

/* The names of a vendor list, "|"-joined. */
static const char *names(const json_t *rows)
{
    static char buf[1024];
    size_t i, n = 0;
    const json_t *v;
    buf[0] = '\0';
    json_array_foreach(rows, i, v) n +=
        (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "|" : "",
                         json_string_value(json_object_get(v, "name")));
    return buf;
}

static void test_list_reads_filters_as_catalogs(void **state)
{
    struct wf_db *db = *state;
    struct app_vendor_query q = {0};
    struct vm_err err = {0};
    json_t *rows = NULL;

    assert_int_equal(app_vendor_query_set(&q, "country", "UK", &err), 0);
    assert_int_equal(app_vendor_query_set(&q, "service", "call centre", &err), 0);
    assert_int_equal(app_vendors_list(&db->opt, &q, &rows, &err), 0);
    assert_string_equal(names(rows), "Acme Contact Inc");
    json_decref(rows);
    app_vendor_query_free(&q);

    assert_int_equal(app_vendor_query_set(&q, "country", "Narnia", &err), VM_EXIT_USAGE);
    assert_string_equal(err.msg, "unknown country 'Narnia'");
    assert_int_equal(app_vendor_query_set(&q, "type", "BPO'; DROP TABLE vendors;--", &err),
                     VM_EXIT_USAGE);
    assert_int_equal(app_vendor_query_set(&q, "industry", "HEALTHCARE", &err), 0);
    assert_string_equal(q.filter.industry, "healthcare");
    assert_int_equal(app_vendor_query_set(&q, "service", "zzz nothing zzz", &err), 0);
    assert_int_equal(app_vendors_list(&db->opt, &q, &rows, &err), VM_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "no service category matches 'zzz nothing zzz'"));
    assert_null(rows);
    app_vendor_query_free(&q);
}

static void test_show_and_search(void **state)
{
    struct wf_db *db = *state;
    struct vm_err err = {0};
    json_t *v = NULL, *same = NULL;
    bool bad = true;
    long long id = atoll(wf_value(db, "SELECT id FROM vendors WHERE name LIKE 'Lexis%'"));
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", id);

    assert_int_equal(app_vendors_show(&db->opt, "LEXIS research", NULL, &v, &same, &bad, &err), 0);
    assert_false(bad);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), id);
    json_decref(v);
    assert_int_equal(app_vendors_show(&db->opt, digits, NULL, &v, &same, &bad, &err), 0);
    assert_string_equal(json_string_value(json_object_get(v, "name")), "Lexis Research Pvt Ltd");
    json_decref(v);

    /* "Twin Services" and "Twin Services GmbH" share a name key */
    assert_int_equal(app_vendors_show(&db->opt, "twin services", NULL, &v, &same, &bad, &err),
                     VM_EXIT_USAGE);
    assert_false(bad);
    assert_null(v);
    assert_int_equal(json_array_size(same), 2);
    assert_non_null(strstr(err.msg, "names 2 vendors: ambiguous"));
    json_decref(same);

    assert_int_equal(app_vendors_show(&db->opt, "Lexis Reserch", NULL, &v, &same, &bad, &err),
                     VM_EXIT_FAILURE);
    assert_non_null(strstr(err.msg, "did you mean: Lexis Research Pvt Ltd (id "));
    assert_int_equal(app_vendors_show(&db->opt, "!!!", NULL, &v, &same, &bad, &err), VM_EXIT_USAGE);
    assert_true(bad);

    assert_int_equal(app_vendors_search(&db->opt, "www.ACME.example", 0, NULL, &v, &bad, &err), 0);
    assert_string_equal(names(v), "Acme Contact Inc");
    json_decref(v);
    assert_int_equal(app_vendors_search(&db->opt, "--", 0, NULL, &v, &bad, &err), VM_EXIT_USAGE);
    assert_true(bad);
}

static void test_priority_and_drop_merge_again(void **state)
{
    struct wf_db *db = *state;
    struct source_drop_counts n;
    struct vm_err err = {0};
    json_t *v = NULL;
    long remerged = 0;
    const char *rate = "SELECT rate_min::int FROM vendors WHERE name = 'Acme Contact Inc'";

    assert_string_equal(wf_value(db, rate), "30"); /* the latest record */
    assert_int_equal(app_sources_set_priority(&db->opt, "a", 5, &remerged, &err), 0);
    assert_int_equal(remerged, 1);
    assert_string_equal(wf_value(db, rate), "20");
    assert_int_equal(app_sources_set_priority(&db->opt, "nosuch", 1, &remerged, &err),
                     VM_EXIT_FAILURE);

    assert_int_equal(app_sources_drop(&db->opt, "a", &n, &err), 0);
    assert_int_equal(n.records, 2);
    assert_int_equal(n.remerged, 1);
    assert_int_equal(n.deleted, 1); /* Lexis: no other source lists it */
    assert_string_equal(wf_value(db, rate), "30");
    assert_string_equal(wf_value(db, "SELECT count(*) FROM vendors"), "3");
    assert_string_equal(wf_value(db, "SELECT effective_type FROM vendors WHERE name = "
                                     "'Acme Contact Inc'"),
                        "BPO");

    assert_int_equal(app_sources_read(&db->opt, NULL, &v, &err), 0);
    assert_int_equal(json_array_size(v), 1);
    json_decref(v);
    assert_int_equal(app_sources_read(&db->opt, "a", &v, &err), VM_EXIT_FAILURE);
    assert_null(v);
}

static void test_fx_import_set_list(void **state)
{
    struct wf_db *db = *state;
    struct app_fx_import_result r;
    struct vm_err err = {0};
    struct table t;
    char day[11];
    const char *eur = "SELECT usd_per_unit::float8 || '|' || rate_date FROM fx_rates "
                      "WHERE currency = 'EUR'";
    char *good = wf_write(db, "ecb.csv", "Date, USD, GBP\n07 December 2026, 1.08, 0.85\n");
    char *bad = wf_write(db, "bad.csv", "Date, USD, GBP\n07 December 2026, 1.20, x\n");
    char *missing = xasprintf("%s/missing.csv", db->dir);

    assert_int_equal(app_fx_import(&db->opt, good, NULL, &r, &err), 0);
    assert_int_equal(r.rates, 2);
    assert_string_equal(r.date, "2026-12-07");
    assert_string_equal(r.file, good);
    assert_string_equal(wf_value(db, eur), "1.08|2026-12-07");

    assert_int_equal(app_fx_import(&db->opt, bad, NULL, &r, &err), VM_EXIT_DATAERR);
    assert_non_null(strstr(err.msg, "bad.csv:2:25: bad GBP rate 'x'"));
    assert_int_equal(app_fx_import(&db->opt, missing, NULL, &r, &err), VM_EXIT_FAILURE);
    assert_non_null(strstr(err.msg, "missing.csv: cannot open: No such file or directory"));
    assert_string_equal(wf_value(db, eur), "1.08|2026-12-07"); /* neither changed a rate */

    assert_int_equal(app_fx_set(&db->opt, "EUR", 1.1, "2026-12-08", day, &err), 0);
    assert_string_equal(day, "2026-12-08");
    assert_string_equal(wf_value(db, eur), "1.1|2026-12-08");
    assert_int_equal(app_fx_list(&db->opt, &t, &err), 0);
    assert_string_equal(t.headers[4], "name");
    bool found = false;
    for (size_t i = 0; i < table_rows(&t); i++)
        if (strcmp(t.cells.items[i * 5], "EUR") == 0)
            found = strcmp(t.cells.items[i * 5 + 4], "Euro") == 0;
    assert_true(found);
    table_free(&t);
    free(good);
    free(bad);
    free(missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_reads_filters_as_catalogs, setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_show_and_search, setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_priority_and_drop_merge_again, setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_fx_import_set_list, setup, wf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
