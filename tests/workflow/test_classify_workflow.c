/*
 * test_classify_workflow: the classify and taxonomy workflows
 * (src/app/classify.c, src/app/taxonomy.c) called from C against a real
 * PostgreSQL server: an import imported with --no-classify gets its tags from
 * the re-tag, which reports what changed and finds nothing to change the
 * second time; the explanation decodes the stored evidence; a manual tag wins
 * and a re-tag never touches it; a taxonomy import is all or nothing and
 * its errors are bad data naming FILE:LINE:COLUMN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/classify.h"
#include "app/import.h"
#include "app/taxonomy.h"
#include "workflow_support.h"

static const char catalog_csv[] = "name,country,services\n"
                                  "Acme Contact Inc,USA,Inbound call center; Collections\n"
                                  "Lexis Research Pvt Ltd,India,Legal research | Patent search\n"
                                  "Gizmo Works,Germany,Gizmo auditing\n";

static int setup(void **state)
{
    struct wf_db *db = wf_db_create();
    wf_import(db, "catalog.csv", catalog_csv, false);
    *state = db;
    return 0;
}

static void test_retag_tags_an_unclassified_catalog_once(void **state)
{
    struct wf_db *db = *state;
    struct app_classify_result res;
    struct vm_err err = {0};

    assert_int_equal(app_classify(&db->opt, 0, false, &res, &err), 0);
    assert_null(res.explain);
    assert_int_equal(res.stats.vendors, 3);
    assert_int_equal(res.stats.tags_changed, 2); /* Gizmo's phrase matches nothing yet */
    assert_int_equal(res.stats.updated, 3);      /* its unknown phrase is stored */
    assert_string_equal(
        wf_value(db, "SELECT string_agg(computed_type, ',' ORDER BY name) FROM vendors"),
        "BPO,UNCLASSIFIED,KPO");
    assert_string_equal(
        wf_value(db, "SELECT unknown_phrases FROM vendors WHERE name = 'Gizmo Works'"),
        "{\"gizmo auditing\"}");

    assert_int_equal(app_classify(&db->opt, 0, false, &res, &err), 0);
    assert_int_equal(res.stats.vendors, 3);
    assert_int_equal(res.stats.tags_changed, 0);
    assert_int_equal(res.stats.updated, 0);
}

static void test_taxonomy_import_then_retag_one_vendor(void **state)
{
    struct wf_db *db = *state;
    struct app_taxonomy_import_counts n;
    struct app_classify_result res;
    struct vm_err err = {0};
    char *tax = wf_write(db, "tax.csv",
                         "phrase,category,process_type,weight,name\n"
                         "gizmo auditing,gizmo_audit,KPO,2,Gizmo audit\n");

    assert_int_equal(app_taxonomy_import(&db->opt, tax, &n, &err), 0);
    assert_int_equal(n.rows, 1);
    assert_int_equal(n.added, 1);
    assert_string_equal(wf_value(db,
                                 "SELECT process_type || '|' || weight FROM taxonomy_categories "
                                 "WHERE code = 'gizmo_audit'"),
                        "KPO|2");

    long long gizmo = atoll(wf_value(db, "SELECT id FROM vendors WHERE name = 'Gizmo Works'"));
    assert_int_equal(app_classify(&db->opt, gizmo, true, &res, &err), 0);
    assert_int_equal(res.stats.vendors, 1);
    assert_int_equal(res.stats.tags_changed, 1);
    assert_int_equal(json_array_size(res.explain), 1);
    json_t *v = json_array_get(res.explain, 0);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), gizmo);
    assert_string_equal(json_string_value(json_object_get(v, "computed_type")), "KPO");
    json_t *ev = json_array_get(json_object_get(v, "evidence"), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "phrase")), "Gizmo auditing");
    assert_string_equal(json_string_value(json_object_get(ev, "category")), "gizmo_audit");
    json_decref(res.explain);
    /* the other two vendors were not re-tagged */
    assert_string_equal(
        wf_value(db, "SELECT count(*) FROM vendors WHERE computed_type = 'UNCLASSIFIED'"), "2");

    assert_int_equal(app_classify(&db->opt, 999999, false, &res, &err), VM_EXIT_FAILURE);
    assert_non_null(strstr(err.msg, "no vendor with id 999999"));
    free(tax);
}

static void test_taxonomy_import_is_all_or_nothing(void **state)
{
    struct wf_db *db = *state;
    struct app_taxonomy_import_counts n;
    struct vm_err err = {0};
    const char *aliases = "SELECT count(*) FROM taxonomy_aliases";
    char *before = xstrdup(wf_value(db, aliases));
    char *bad = wf_write(db, "bad.csv",
                         "phrase,category,process_type\n"
                         "doohickey review,doohickey,KPO\n"
                         "thing,collections,XPO\n");

    assert_int_equal(app_taxonomy_import(&db->opt, bad, &n, &err), VM_EXIT_DATAERR);
    assert_non_null(strstr(err.msg, "bad.csv:3:"));
    assert_non_null(strstr(err.msg, "process_type must be BPO or KPO (nothing was imported)"));
    assert_string_equal(wf_value(db, aliases), before);
    assert_string_equal(
        wf_value(db, "SELECT count(*) FROM taxonomy_categories WHERE code = 'doohickey'"), "0");

    /* a header without the needed columns is refused before anything starts */
    char *nohdr = wf_write(db, "nohdr.csv", "words,kind\nx,y\n");
    assert_int_equal(app_taxonomy_import(&db->opt, nohdr, &n, &err), VM_EXIT_DATAERR);
    assert_non_null(strstr(err.msg, "nohdr.csv:1:1: the header needs columns"));
    assert_null(strstr(err.msg, "nothing was imported"));
    free(before);
    free(bad);
    free(nohdr);
}

static void test_manual_tag_wins_and_survives_retag(void **state)
{
    struct wf_db *db = *state;
    struct app_classify_result res;
    struct vm_err err = {0};
    char computed[16];
    long long acme = atoll(wf_value(db, "SELECT id FROM vendors WHERE name LIKE 'Acme%'"));

    assert_int_equal(app_tag_manual(&db->opt, acme, "KPO", "audited by hand", computed, &err), 0);
    assert_string_equal(computed, "UNCLASSIFIED");
    assert_int_equal(app_classify(&db->opt, 0, true, &res, &err), 0);
    json_decref(res.explain);
    assert_string_equal(wf_value(db, "SELECT concat_ws('|', computed_type, manual_type, "
                                     "manual_reason, effective_type) FROM vendors "
                                     "WHERE name LIKE 'Acme%'"),
                        "BPO|KPO|audited by hand|KPO");

    assert_int_equal(app_tag_manual(&db->opt, acme, NULL, NULL, computed, &err), 0);
    assert_string_equal(computed, "BPO");
    assert_string_equal(wf_value(db, "SELECT effective_type FROM vendors WHERE name LIKE 'Acme%'"),
                        "BPO");
    assert_int_equal(app_tag_manual(&db->opt, 424242, NULL, NULL, computed, &err), VM_EXIT_FAILURE);
    assert_non_null(strstr(err.msg, "no vendor with id 424242"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_retag_tags_an_unclassified_catalog_once, setup,
                                        wf_teardown),
        cmocka_unit_test_setup_teardown(test_taxonomy_import_then_retag_one_vendor, setup,
                                        wf_teardown),
        cmocka_unit_test_setup_teardown(test_taxonomy_import_is_all_or_nothing, setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_manual_tag_wins_and_survives_retag, setup,
                                        wf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
