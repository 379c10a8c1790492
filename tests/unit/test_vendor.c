/*
 * test_vendor: a catalog row -> a vendor record. Which identity key a row
 * gets, that unrecognised columns survive verbatim under their header, that
 * the content hash is stable for equal rows and moves with any stored value,
 * and that the normalised values sit beside the original texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/vendor.h"

/* A layout over a fixed header: id, name, website, country, services,
 * employees, hourly_rate, certifications, languages, "Notes" (extra),
 * "Tier" (extra). */
static const char *const headers[] = {"ID",        "Company",   "Website", "HQ",
                                      "Services",  "Headcount", "Rate",    "Certifications",
                                      "Languages", "Notes",     "Tier"};
static const int fields[] = {VF_ID,        VF_NAME,      VF_WEBSITE,     VF_COUNTRY,
                             VF_SERVICES,  VF_EMPLOYEES, VF_HOURLY_RATE, VF_CERTIFICATIONS,
                             VF_LANGUAGES, VF_EXTRA,     VF_EXTRA};
#define NCOLS (sizeof headers / sizeof *headers)

static const struct vendor_layout layout = {NCOLS, fields, headers, NULL};

static int setup(void **state)
{
    struct vendor_record *r = malloc(sizeof *r);
    vendor_record_init(r);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    vendor_record_free(*state);
    free(*state);
    return 0;
}

static void fill(struct vendor_record *r, const char *const *cells)
{
    size_t bad = 99;
    const char *why = NULL;
    assert_int_equal(vendor_from_row(&layout, cells, r, &bad, &why), 0);
}

static void test_identity_prefers_source_id(void **state)
{
    struct vendor_record *r = *state;
    const char *row[NCOLS] = {" 42 ", "Acme Inc", "https://www.acme.com/x", "USA"};
    fill(r, row);
    assert_int_equal(r->ident_kind, VI_SOURCE_ID);
    assert_string_equal(r->ident.data, "src:42");
}

static void test_identity_website_then_name(void **state)
{
    struct vendor_record *r = *state;
    const char *web[NCOLS] = {"", "Acme Inc", "https://WWW.Acme.com/about", "USA"};
    fill(r, web);
    assert_int_equal(r->ident_kind, VI_WEBSITE);
    assert_string_equal(r->ident.data, "web:acme.com");

    const char *name[NCOLS] = {NULL, "Acme Pvt Ltd", "  ", "Bangalore, India"};
    fill(r, name);
    assert_int_equal(r->ident_kind, VI_NAME);
    assert_string_equal(r->ident.data, "name:acme|IN");
    assert_string_equal(r->country, "IN");
    assert_string_equal(r->city.data, "Bangalore");
    assert_null(r->raw[VF_WEBSITE]);
    /* The same name with a legal suffix spelled differently is the same key. */
    const char *again[NCOLS] = {NULL, "ACME Private Limited", NULL, "India"};
    fill(r, again);
    assert_string_equal(r->ident.data, "name:acme|IN");
}

static void test_no_name_is_rejected(void **state)
{
    struct vendor_record *r = *state;
    const char *row[NCOLS] = {"7", "   ", "acme.com"};
    size_t bad = 99;
    const char *why = NULL;
    assert_int_equal(vendor_from_row(&layout, row, r, &bad, &why), -1);
    assert_int_equal(bad, 1);
    assert_string_equal(why, "no vendor name");
}

static void test_extra_columns_verbatim(void **state)
{
    struct vendor_record *r = *state;
    const char *row[NCOLS] = {NULL, "Acme", NULL, NULL, NULL,
                              NULL, NULL,   NULL, NULL, "  says \"hi\",\nthen\ttabs \\ ",
                              ""};
    fill(r, row);
    json_error_t jerr;
    json_t *o = json_loads(r->extra_json.data, 0, &jerr);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "Notes")),
                        "  says \"hi\",\nthen\ttabs \\ ");
    assert_null(json_object_get(o, "Tier")); /* empty cells carry nothing */
    json_decref(o);

    const char *none[NCOLS] = {NULL, "Acme"};
    fill(r, none);
    assert_string_equal(r->extra_json.data, "{}");
}

static void test_normalised_beside_raw(void **state)
{
    struct vendor_record *r = *state;
    const char *row[NCOLS] = {NULL,
                              "Acme",
                              "acme.com",
                              "United Kingdom",
                              "Call center; Data Entry | Payroll",
                              "1,000 - 9,999",
                              "$25 - $49 / hr",
                              "ISO/IEC 27001:2013, SOC 2",
                              "English; es"};
    fill(r, row);
    assert_string_equal(r->raw[VF_COUNTRY], "United Kingdom");
    assert_string_equal(r->country, "GB");
    assert_int_equal(r->service_phrases.len, 3);
    assert_string_equal(r->service_phrases.items[1], "Data Entry");
    assert_true(r->has_employees_min && r->has_employees_max);
    assert_int_equal(r->employees_min, 1000);
    assert_int_equal(r->employees_max, 9999);
    assert_true(r->has_rate);
    assert_true(r->rate_min == 25 && r->rate_max == 49);
    assert_string_equal(r->currency, "USD");
    assert_int_equal(r->certifications.len, 2);
    assert_string_equal(r->certifications.items[0], "ISO27001");
    assert_string_equal(r->certifications.items[1], "SOC2");
    assert_int_equal(r->languages.len, 2);
    assert_string_equal(r->languages.items[0], "en");
    assert_string_equal(r->languages.items[1], "es");
}

static void test_open_ended_employees(void **state)
{
    struct vendor_record *r = *state;
    const char *row[NCOLS] = {NULL, "Acme", NULL, NULL, NULL, "10,000+"};
    fill(r, row);
    assert_true(r->has_employees_min);
    assert_int_equal(r->employees_min, 10000);
    assert_false(r->has_employees_max);
}

static void test_content_hash_stability(void **state)
{
    struct vendor_record *r = *state;
    const char *a[NCOLS] = {"1",  "Acme", "acme.com", "US", "Payroll",
                            "50", NULL,   NULL,       NULL, "note"};
    char first[33], second[33];
    fill(r, a);
    memcpy(first, r->content_hash, sizeof first);
    assert_int_equal(strlen(first), 32);
    /* Another row in between must not leak into the next hash. */
    const char *other[NCOLS] = {"2", "Other", "other.com", "DE", "Legal research"};
    fill(r, other);
    assert_string_not_equal(r->content_hash, first);
    fill(r, a);
    memcpy(second, r->content_hash, sizeof second);
    assert_string_equal(first, second);

    /* Surrounding blanks are not content; any stored value is. */
    const char *padded[NCOLS] = {"1",  " Acme ", "acme.com", "US", "Payroll",
                                 "50", NULL,     NULL,       NULL, "note"};
    fill(r, padded);
    assert_string_equal(r->content_hash, first);
    const char *extra_changed[NCOLS] = {"1",  "Acme", "acme.com", "US", "Payroll",
                                        "50", NULL,   NULL,       NULL, "note!"};
    fill(r, extra_changed);
    assert_string_not_equal(r->content_hash, first);
    const char *blank_vs_absent[NCOLS] = {"1", "Acme", "acme.com", "US", "Payroll", "50"};
    fill(r, blank_vs_absent);
    assert_string_not_equal(r->content_hash, first);
}

static void test_field_names_round_trip(void **state)
{
    (void)state;
    for (int f = 0; f < VF_COUNT; f++)
        assert_int_equal(vendor_field_by_name(vendor_field_name((enum vendor_field)f)), f);
    assert_int_equal(vendor_field_by_name("nope"), -1);
}

static void test_json_string_escapes(void **state)
{
    (void)state;
    struct sbuf b;
    sbuf_init(&b);
    vendor_json_string(&b, "a\"b\\c\x01<script>");
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\u0001<script>\"");
    sbuf_free(&b);
}

/* Each field whose value cannot be normalised is marked, and only those. */
static void test_unread_values_are_marked(void **state)
{
    struct vendor_record *r = *state;
    const char *good[NCOLS] = {"1",      "Acme",   "acme.example", "India",   "Support",
                               "50-100", "$25/hr", "ISO 27001",    "English", "x"};
    fill(r, good);
    for (int f = 0; f < VF_COUNT; f++)
        assert_false(r->unread[f]);

    const char *bad[NCOLS] = {
        "2",    "Weird", "not a site",          "Atlantis",          "Support",
        "lots", "call",  "ISO 27001;Gold Star", "English;Klingonese"};
    fill(r, bad);
    assert_true(r->unread[VF_WEBSITE]);
    assert_true(r->unread[VF_COUNTRY]);
    assert_true(r->unread[VF_EMPLOYEES]);
    assert_true(r->unread[VF_HOURLY_RATE]);
    assert_true(r->unread[VF_CERTIFICATIONS]); /* "Gold Star": kept squashed, not known */
    assert_true(r->unread[VF_LANGUAGES]);      /* "Klingonese" */
    assert_false(r->unread[VF_NAME]);
    assert_false(r->unread[VF_SERVICES]);
    assert_int_equal(r->certifications.len, 2);
    assert_int_equal(r->languages.len, 1);

    const char *blank[NCOLS] = {"3", "Blank"}; /* absent values are not unread */
    fill(r, blank);
    for (int f = 0; f < VF_COUNT; f++)
        assert_false(r->unread[f]);
    assert_true(vendor_field_normalised(VF_COUNTRY) && vendor_field_normalised(VF_RATING));
    assert_false(vendor_field_normalised(VF_NAME) || vendor_field_normalised(VF_SERVICES));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity_prefers_source_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identity_website_then_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_name_is_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extra_columns_verbatim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_normalised_beside_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_ended_employees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_content_hash_stability, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unread_values_are_marked, setup, teardown),
        cmocka_unit_test(test_field_names_round_trip),
        cmocka_unit_test(test_json_string_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
