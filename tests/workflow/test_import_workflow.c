/*
 * test_import_workflow: the import workflow (src/app/import*.c) called from C
 * against a real PostgreSQL server, no binary in between: what one run
 * stores (counts, normalised values, tags, extra columns, the batch),
 * re-import of the same bytes, the bad-row policy both ways (abort leaves
 * the catalog as it was; skip keeps the good rows and records the bad),
 * --no-classify, several files with one failing, a server that is not
 * there (69), a header that differs from the source's last one (stops
 * unless --remap), and a command line's option values checked one by one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/import.h"
#include "workflow_support.h"

static const char alpha_csv[] =
    "ID,Company Name,Website,HQ,Services,Headcount,Hourly Rate,Tier\n"
    "A1,Acme Contact Inc,https://www.acme-contact.com/,USA,\"Inbound call center; "
    "Collections\",51-200,$25 - $49 / hr,Gold\n"
    "A2,Lexis Research Pvt Ltd,lexisresearch.in,\"Bangalore, India\",Legal research | Patent "
    "search,1000 - 9999,< $25 / hr,Silver\n"
    "A3,Quantia Analytics GmbH,,Germany,Equity research;Financial analysis,10000+,USD 18,\n";

static const char ragged_csv[] = "name,country,services\n"
                                 "Alpha Care,India,Customer Service\n"
                                 "Beta Research,Poland,Market Research,EXTRA\n"
                                 "Delta Legal,Ireland,Legal Research\n";

/* What the done callback saw, file by file. */
struct seen {
    int files;
    struct app_import_file last;
    char source[256];
};

static void on_done(const struct app_import_file *f, void *arg)
{
    struct seen *s = arg;
    s->files++;
    s->last = *f;
    snprintf(s->source, sizeof s->source, "%s", f->source);
}

static int run_import(struct wf_db *db, const struct app_import_opts *o, const char *path,
                      struct seen *seen, struct vm_err *err)
{
    const char *files[] = {path};
    memset(seen, 0, sizeof *seen);
    vm_err_clear(err);
    return app_import(&db->opt, o, files, 1, on_done, seen, err);
}

static void test_first_import_stores_normalised_tagged_vendors(void **state)
{
    struct wf_db *db = *state;
    struct app_import_opts o = {.classify = true, .quiet = true};
    struct seen seen;
    struct vm_err err;
    char *path = wf_write(db, "alpha.csv", alpha_csv);

    assert_int_equal(run_import(db, &o, path, &seen, &err), 0);
    assert_int_equal(seen.files, 1);
    assert_string_equal(seen.source, "alpha");
    assert_int_equal(seen.last.counts.rows, 3);
    assert_int_equal(seen.last.counts.inserted, 3);
    assert_int_equal(seen.last.counts.updated, 0);
    assert_int_equal(seen.last.counts.rejected, 0);
    assert_true(seen.last.counts.batch_id > 0);

    assert_string_equal(wf_value(db, "SELECT count(*) FROM vendors"), "3");
    assert_string_equal(
        wf_value(db, "SELECT concat_ws('|', country, website_host, employees_min, employees_max,"
                     " rate_min, rate_max, currency) FROM vendors WHERE name = 'Acme Contact Inc'"),
        "US|acme-contact.com|51|200|25.00|49.00|USD");
    assert_string_equal(
        wf_value(db, "SELECT country || '|' || city FROM vendors WHERE name LIKE 'Lexis%'"),
        "IN|Bangalore");
    assert_string_equal(wf_value(db, "SELECT computed_type FROM vendors WHERE name LIKE 'Acme%'"),
                        "BPO");
    assert_string_equal(wf_value(db, "SELECT computed_type FROM vendors WHERE name LIKE 'Lexis%'"),
                        "KPO");
    assert_string_equal(wf_value(db, "SELECT services <> '{}' AND confidence > 0 AND "
                                     "tag_evidence <> '' FROM vendors WHERE name LIKE 'Acme%'"),
                        "t");
    assert_string_equal(wf_value(db, "SELECT extra->>'Tier' FROM vendors WHERE name LIKE 'Acme%'"),
                        "Gold");
    /* the batch records the file's SHA-256 and size */
    char *sql = xasprintf(
        "SELECT length(file_sha256) || '|' || file_bytes FROM import_batches WHERE id = %lld",
        seen.last.counts.batch_id);
    char *want = xasprintf("64|%zu", strlen(alpha_csv));
    assert_string_equal(wf_value(db, sql), want);
    free(sql);
    free(want);

    /* The same bytes again: every vendor unchanged, nothing inserted. */
    assert_int_equal(run_import(db, &o, path, &seen, &err), 0);
    assert_int_equal(seen.last.counts.inserted, 0);
    assert_int_equal(seen.last.counts.unchanged, 3);
    assert_string_equal(wf_value(db, "SELECT count(*) FROM vendors"), "3");
    free(path);
}

static void test_bad_row_aborts_the_file(void **state)
{
    struct wf_db *db = *state;
    struct app_import_opts o = {.classify = true, .quiet = true, .source = "ragged"};
    struct seen seen;
    struct vm_err err;
    char *path = wf_write(db, "ragged.csv", ragged_csv);

    assert_int_equal(run_import(db, &o, path, &seen, &err), VM_EXIT_DATAERR);
    assert_non_null(strstr(err.msg, "1 bad row; nothing was imported"));
    assert_int_equal(seen.files, 0);
    assert_string_equal(wf_value(db, "SELECT count(*) FROM vendors"), "0");
    assert_string_equal(wf_value(db, "SELECT count(*) FROM import_batches"), "0");
    assert_string_equal(wf_value(db, "SELECT count(*) FROM sources"), "0");
    free(path);
}

static void test_skip_keeps_good_rows_and_records_the_bad(void **state)
{
    struct wf_db *db = *state;
    char *rejects = xasprintf("%s/rejects.csv", db->dir);
    struct app_import_opts o = {
        .classify = true, .quiet = true, .skip_bad = true, .rejects_path = rejects};
    struct seen seen;
    struct vm_err err;
    char *path = wf_write(db, "ragged.csv", ragged_csv);

    assert_int_equal(run_import(db, &o, path, &seen, &err), 0);
    assert_int_equal(seen.last.counts.rows, 3);
    assert_int_equal(seen.last.counts.inserted, 2);
    assert_int_equal(seen.last.counts.rejected, 1);
    assert_string_equal(wf_value(db, "SELECT string_agg(name, ',' ORDER BY name) FROM vendors"),
                        "Alpha Care,Delta Legal");
    assert_string_equal(
        wf_value(db, "SELECT line || ':' || col || ':' || reason FROM import_rejects"),
        "3:38:expected 3 fields, found 4");
    FILE *f = fopen(rejects, "r");
    assert_non_null(f);
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "file,line,column,reason,raw\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_non_null(strstr(line, ",3,38,\"expected 3 fields, found 4\",\"Beta Research,"));
    fclose(f);
    free(rejects);
    free(path);
}

static void test_no_classify_stores_unclassified(void **state)
{
    struct wf_db *db = *state;
    struct app_import_opts o = {.classify = false, .quiet = true};
    struct seen seen;
    struct vm_err err;
    char *path = wf_write(db, "alpha.csv", alpha_csv);

    assert_int_equal(run_import(db, &o, path, &seen, &err), 0);
    assert_int_equal(seen.last.counts.inserted, 3);
    assert_string_equal(
        wf_value(db, "SELECT string_agg(DISTINCT computed_type, ',') || '|' || "
                     "bool_and(services = '{}' AND confidence = 0 AND tag_evidence = '') "
                     "FROM vendors"),
        "UNCLASSIFIED|true");
    free(path);
}

static void test_files_before_a_failure_stay_committed(void **state)
{
    struct wf_db *db = *state;
    struct app_import_opts o = {.classify = true, .quiet = true};
    struct seen seen = {0};
    struct vm_err err = {0};
    char *good = wf_write(db, "alpha.csv", alpha_csv);
    char *missing = xasprintf("%s/missing.csv", db->dir);
    const char *files[] = {good, missing};

    assert_int_equal(app_import(&db->opt, &o, files, 2, on_done, &seen, &err), VM_EXIT_FAILURE);
    assert_non_null(strstr(err.msg, "missing.csv: cannot open"));
    assert_int_equal(seen.files, 1);
    assert_string_equal(wf_value(db, "SELECT count(*) FROM vendors"), "3");
    free(good);
    free(missing);
}

static void test_no_server_is_unavailable(void **state)
{
    struct wf_db *db = *state;
    struct app_import_opts o = {.classify = true, .quiet = true};
    struct vm_db_options gone = {.db = "host=/nonexistent-vmwf dbname=x", .quiet = true};
    struct seen seen = {0};
    struct vm_err err = {0};
    char *path = wf_write(db, "alpha.csv", alpha_csv);
    const char *files[] = {path};

    assert_int_equal(app_import(&gone, &o, files, 1, on_done, &seen, &err), VM_EXIT_UNAVAILABLE);
    assert_int_equal(seen.files, 0);
    free(path);
}

/* The callback of a run whose header change is looked at while it lives. */
static void on_done_change(const struct app_import_file *f, void *arg)
{
    char **text = arg;
    free(*text);
    *text = header_diff_empty(&f->understood.header_change)
                ? xstrdup("")
                : app_header_diff_text(&f->understood.header_change);
}

static void test_changed_header_stops_unless_remap(void **state)
{
    struct wf_db *db = *state;
    struct app_import_opts o = {.classify = true, .quiet = true, .source = "partner"};
    struct vm_err err;
    char *text = NULL;
    char *first =
        wf_write(db, "p1.csv", "name,website,services\nPlain Co,plain.example,Data Entry\n");
    char *changed = wf_write(db, "p2.csv",
                             "website,name,services,rating\n"
                             "plain.example,Plain Co,Data Entry,4.5\n");
    const char *files[] = {first, changed};

    assert_int_equal(app_import(&db->opt, &o, files, 1, on_done_change, &text, &err), 0);
    assert_string_equal(text, ""); /* a new source: nothing to differ from */
    const char *batches = "SELECT count(*) FROM import_batches";
    assert_string_equal(wf_value(db, batches), "1");

    vm_err_clear(&err);
    free(text);
    text = NULL;
    assert_int_equal(app_import(&db->opt, &o, files + 1, 1, on_done_change, &text, &err),
                     VM_EXIT_DATAERR);
    assert_null(text); /* stopped before any summary */
    assert_non_null(strstr(err.msg, "(new: \"rating\"); nothing was imported"));
    assert_non_null(strstr(err.msg, "--remap"));
    assert_string_equal(wf_value(db, batches), "1");
    assert_string_equal(wf_value(db, "SELECT coalesce(rating::text, 'none') FROM vendors"), "none");

    o.remap = true;
    assert_int_equal(app_import(&db->opt, &o, files + 1, 1, on_done_change, &text, &err), 0);
    assert_string_equal(text, "new: \"rating\"");
    assert_string_equal(wf_value(db, "SELECT rating FROM vendors"), "4.50");
    assert_string_equal(wf_value(db, "SELECT array_to_string(header, ',') FROM sources"
                                     " WHERE name = 'partner'"),
                        "website,name,services,rating");
    free(text);
    free(first);
    free(changed);
}

/* A command line's option values, each checked as it is given. */
static void test_request_options(void **state)
{
    struct app_import_request r;
    struct vm_err err;
    (void)state;
    app_import_request_init(&r, true);
    assert_true(r.run.classify && r.run.quiet && !r.json);

    assert_int_equal(app_import_request_set(&r, AIO_SOURCE, "clutch", &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_DELIMITER, "tab", &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_MAP, "name=Firm", &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_MAP, "services=Offer", &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_ON_ERROR, "skip", &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_FORMAT, "json", &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_CURRENCY, "eur", &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_ENCODING, "LATIN1", &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_NO_CLASSIFY, NULL, &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_REMAP, NULL, &err), 0);
    assert_int_equal(app_import_request_set(&r, AIO_DRY_RUN, NULL, &err), 0);
    assert_string_equal(r.run.source, "clutch");
    assert_int_equal(r.run.delimiter, '\t');
    assert_int_equal(r.run.n_maps, 2);
    assert_string_equal(r.run.maps[1], "services=Offer");
    assert_true(r.run.skip_bad && r.json && r.run.remap && r.run.dry_run && !r.run.classify);
    assert_false(r.run.full);
    assert_string_equal(r.run.currency, "EUR");

    static const struct {
        enum app_import_option opt;
        const char *arg, *msg;
    } bad[] = {
        {AIO_SOURCE, "", "--source needs a non-empty name"},
        {AIO_DELIMITER, "x", "--delimiter must be ',', ';', '|' or 'tab'"},
        {AIO_MAP, "name", "--map 'name': expected FIELD=HEADER"},
        {AIO_ON_ERROR, "maybe", "--on-error must be abort or skip"},
        {AIO_FORMAT, "csv", "--format must be table or json"},
        {AIO_SHEET, "", "--sheet needs a sheet name"},
        {AIO_CURRENCY, "US$", "--currency 'US$': not an ISO 4217 currency code"},
        {AIO_CURRENCY, "XYZ", "--currency 'XYZ': not an ISO 4217 currency code"},
        {AIO_ENCODING, "KLINGON", "--encoding KLINGON: unknown encoding"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vm_err_clear(&err);
        assert_int_equal(app_import_request_set(&r, bad[i].opt, bad[i].arg, &err), VM_EXIT_USAGE);
        assert_non_null(strstr(err.msg, bad[i].msg));
    }
    assert_int_equal(r.run.n_maps, 2); /* a refused value changes nothing */
    assert_string_equal(r.run.currency, "EUR");
    app_import_request_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_import_stores_normalised_tagged_vendors,
                                        wf_setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_bad_row_aborts_the_file, wf_setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_skip_keeps_good_rows_and_records_the_bad, wf_setup,
                                        wf_teardown),
        cmocka_unit_test_setup_teardown(test_no_classify_stores_unclassified, wf_setup,
                                        wf_teardown),
        cmocka_unit_test_setup_teardown(test_files_before_a_failure_stay_committed, wf_setup,
                                        wf_teardown),
        cmocka_unit_test_setup_teardown(test_no_server_is_unavailable, wf_setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_changed_header_stops_unless_remap, wf_setup,
                                        wf_teardown),
        cmocka_unit_test(test_request_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
