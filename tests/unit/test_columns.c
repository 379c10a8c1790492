/*
 * test_columns: header recognition: aliases, case and punctuation, prefixes,
 * --map overrides and their errors, duplicates, extra columns, missing name,
 * and how a header differs from the one its source was last imported with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/columns.h"

static void test_field_names(void **state)
{
    assert_string_equal(vendor_field_name(VF_HOURLY_RATE), "hourly_rate");
    assert_string_equal(vendor_field_name(VF_DATA_SECURITY), "data_security");
    assert_int_equal(col_field_by_name("hourly_rate"), VF_HOURLY_RATE);
    assert_int_equal(col_field_by_name("Hourly Rate"), VF_HOURLY_RATE);
    assert_int_equal(col_field_by_name("NAME"), VF_NAME);
    assert_int_equal(col_field_by_name("Company"), -1); /* aliases are not field names */
    assert_int_equal(col_field_by_name("bogus"), -1);
}

static void test_aliases(void **state)
{
    static const struct {
        const char *header;
        int field;
    } cases[] = {
        {"Company", VF_NAME},
        {"Company Name", VF_NAME},
        {"company_name", VF_NAME},
        {"  VENDOR  ", VF_NAME},
        {"Vendor Name", VF_NAME},
        {"Provider", VF_NAME},
        {"Supplier", VF_NAME},
        {"Organization", VF_NAME},
        {"Services", VF_SERVICES},
        {"Service Lines", VF_SERVICES},
        {"Capabilities", VF_SERVICES},
        {"Offerings", VF_SERVICES},
        {"Service Focus", VF_SERVICES},
        {"HQ", VF_COUNTRY},
        {"Location", VF_COUNTRY},
        {"Country", VF_COUNTRY},
        {"Headquarters", VF_COUNTRY},
        {"Employees", VF_EMPLOYEES},
        {"Headcount", VF_EMPLOYEES},
        {"Team Size", VF_EMPLOYEES},
        {"Company Size", VF_EMPLOYEES},
        {"Size", VF_EMPLOYEES},
        {"Hourly Rate", VF_HOURLY_RATE},
        {"Avg. Hourly Rate", VF_HOURLY_RATE},
        {"Rate", VF_HOURLY_RATE},
        {"Pricing", VF_HOURLY_RATE},
        {"URL", VF_WEBSITE},
        {"Homepage", VF_WEBSITE},
        {"Web-Site", VF_WEBSITE},
        {"Reviews Rating", VF_RATING},
        {"Stars", VF_RATING},
        {"Verticals", VF_INDUSTRIES},
        {"Industry Focus", VF_INDUSTRIES},
        {"Languages Spoken", VF_LANGUAGES},
        {"Certs", VF_CERTIFICATIONS},
        {"Accreditations", VF_CERTIFICATIONS},
        {"Compliance", VF_CERTIFICATIONS},
        {"Year Founded", VF_FOUNDED},
        {"Established", VF_FOUNDED},
        {"Delivery Model", VF_DELIVERY},
        {"Delivery Centers", VF_DELIVERY},
        {"Specialisation", VF_EXPERTISE},
        {"Qualifications", VF_EXPERTISE},
        {"Security Controls", VF_DATA_SECURITY},
        {"DATA-SECURITY", VF_DATA_SECURITY},
        {"About", VF_DESCRIPTION},
        {"Summary", VF_DESCRIPTION},
        {"E-mail", VF_EMAIL},
        {"Phone", VF_PHONE},
        {"Vendor Website", VF_WEBSITE},
        {"Company HQ", VF_COUNTRY},
        {"Vendor ID", VF_ID},
        {"Min Project Size", -1},
        {"Notes", -1},
        {"", -1},
        {"Company Notes", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int got = col_field_of_header(cases[i].header);
        if (got != cases[i].field)
            fail_msg("\"%s\" gave %d, want %d", cases[i].header, got, cases[i].field);
    }
}

static void test_map_basic_and_extras(void **state)
{
    const char *h[] = {
        "Company Name", "Website", "Location", "Min Project Size", "Avg. Hourly Rate", "Employees",
        "Notes",        "",        "Notes"};
    struct column_map m;
    struct vm_err err;
    assert_int_equal(columns_map(h, 9, NULL, 0, "c.csv", 0, &m, &err), 0);
    assert_int_equal(m.field_col[VF_NAME], 0);
    assert_int_equal(m.field_col[VF_WEBSITE], 1);
    assert_int_equal(m.field_col[VF_COUNTRY], 2);
    assert_int_equal(m.field_col[VF_HOURLY_RATE], 4);
    assert_int_equal(m.field_col[VF_EMPLOYEES], 5);
    assert_int_equal(m.field_col[VF_ID], -1);
    assert_int_equal(m.col_field[3], -1);
    assert_int_equal(m.col_field[4], VF_HOURLY_RATE);
    assert_int_equal(m.nextra, 4);
    assert_int_equal(m.extra[0], 3);
    assert_string_equal(m.extra_names[0], "Min Project Size");
    assert_string_equal(m.extra_names[1], "Notes");
    assert_string_equal(m.extra_names[2], "column 8");
    assert_string_equal(m.extra_names[3], "Notes (2)");
    column_map_free(&m);
}

/* A rate header's currency: kept for the rates that name none. */
static void test_rate_header_currency(void **state)
{
    (void)state;
    static const struct {
        const char *header, *code;
    } cases[] = {
        {"Hourly rate (EUR)", "EUR"}, {"Rate \u20ac/h", "EUR"}, {"Rate (GBP/hour)", "GBP"},
        {"USD Rate", "USD"},          {"rate [inr/hr]", "INR"}, {"Avg. Hourly Rate (CAD)", "CAD"},
        {"Hourly Rate", NULL},        {"Rate", NULL},           {"Employees (EUR)", NULL},
        {"Rate (EUR/USD)", NULL}, /* two currencies: neither */
        {"Notes EUR", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int f = 0;
        const char *code = col_header_currency(cases[i].header, &f);
        if (cases[i].code) {
            assert_non_null(code);
            assert_string_equal(code, cases[i].code);
            assert_int_equal(f, VF_HOURLY_RATE);
        } else {
            assert_null(code);
        }
    }
    const char *h[] = {"Company", "Hourly rate (EUR)"};
    struct column_map m;
    struct vm_err err;
    assert_int_equal(columns_map(h, 2, NULL, 0, NULL, 0, &m, &err), 0);
    assert_int_equal(m.field_col[VF_HOURLY_RATE], 1);
    assert_string_equal(m.rate_currency, "EUR");
    column_map_free(&m);
    const char *h2[] = {"Company", "Hourly Rate"};
    assert_int_equal(columns_map(h2, 2, NULL, 0, NULL, 0, &m, &err), 0);
    assert_string_equal(m.rate_currency, "");
    column_map_free(&m);
    const char *h3[] = {"Company", "Tarif (EUR)"}; /* --map: any currency its header names */
    const char *maps[] = {"hourly_rate=Tarif (EUR)"};
    assert_int_equal(columns_map(h3, 2, maps, 1, NULL, 0, &m, &err), 0);
    assert_string_equal(m.rate_currency, "EUR");
    column_map_free(&m);
}

static void test_duplicate_first_wins(void **state)
{
    const char *h[] = {"Vendor", "Company", "Country", "HQ"};
    struct column_map m;
    struct vm_err err;
    assert_int_equal(columns_map(h, 4, NULL, 0, NULL, 0, &m, &err), 0);
    assert_int_equal(m.field_col[VF_NAME], 0);
    assert_int_equal(m.field_col[VF_COUNTRY], 2);
    assert_int_equal(m.nextra, 2);
    assert_int_equal(m.extra[0], 1);
    assert_int_equal(m.extra[1], 3);
    assert_string_equal(m.extra_names[0], "Company");
    column_map_free(&m);
}

static void test_overrides(void **state)
{
    const char *h[] = {"Firm", "Vendor", "Where", "Website"};
    const char *maps[] = {"name=Firm", "country=where", "city=Where", "website="};
    struct column_map m;
    struct vm_err err;
    assert_int_equal(columns_map(h, 4, maps, 4, "p.csv", 0, &m, &err), 0);
    assert_int_equal(m.field_col[VF_NAME], 0);
    assert_int_equal(m.field_col[VF_COUNTRY], 2);
    assert_int_equal(m.field_col[VF_CITY], 2);
    assert_int_equal(m.field_col[VF_WEBSITE], -1); /* turned off */
    assert_true(m.from_map[VF_NAME] && m.from_map[VF_COUNTRY] && m.from_map[VF_CITY]);
    assert_false(m.from_map[VF_WEBSITE]); /* "website=" maps nothing */
    assert_int_equal(m.nextra, 2);        /* Vendor (name taken) and Website */
    assert_int_equal(m.extra[0], 1);
    assert_int_equal(m.extra[1], 3);
    column_map_free(&m);

    /* a --map on a column the names would give another field takes it */
    const char *h2[] = {"Company", "Rate"};
    const char *maps2[] = {"rating=Rate"};
    assert_int_equal(columns_map(h2, 2, maps2, 1, NULL, 0, &m, &err), 0);
    assert_int_equal(m.field_col[VF_RATING], 1);
    assert_int_equal(m.field_col[VF_HOURLY_RATE], -1);
    assert_true(m.from_map[VF_RATING]);
    assert_false(m.from_map[VF_NAME]); /* "Company" found by name */
    column_map_free(&m);
}

static void test_override_errors(void **state)
{
    const char *h[] = {"Company", "Location"};
    struct column_map m;
    struct vm_err err;
    const char *bad_field[] = {"colour=Location"};
    assert_int_equal(columns_map(h, 2, bad_field, 1, "p.csv", 0, &m, &err), VM_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "unknown field \"colour\""));
    assert_non_null(strstr(err.msg, "hourly_rate"));
    const char *bad_header[] = {"country=Town"};
    assert_int_equal(columns_map(h, 2, bad_header, 1, "p.csv", 0, &m, &err), VM_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "p.csv: no column \"Town\""));
    assert_non_null(strstr(err.msg, "\"Location\""));
    const char *no_eq[] = {"country"};
    assert_int_equal(columns_map(h, 2, no_eq, 1, NULL, 0, &m, &err), VM_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "expected FIELD=HEADER"));
    const char *twice[] = {"country=Location", "country=Company"};
    assert_int_equal(columns_map(h, 2, twice, 2, NULL, 0, &m, &err), VM_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "mapped twice"));
}

static void test_missing_name(void **state)
{
    const char *h[] = {"Website", "Country", "Services"};
    struct column_map m;
    struct vm_err err;
    assert_int_equal(columns_map(h, 3, NULL, 0, "n.csv", 0, &m, &err), VM_EXIT_DATAERR);
    assert_non_null(strstr(err.msg, "n.csv: no name column (looked for: name, Company, "
                                    "Company Name, Vendor"));
    assert_non_null(strstr(err.msg, "use --map name=HEADER"));
    assert_int_equal(columns_map(h, 3, NULL, 0, "n.csv", 4, &m, &err), VM_EXIT_DATAERR);
    assert_non_null(strstr(err.msg, "n.csv:4:1: no name column (looked for: name"));
    assert_null(m.col_field);
    /* --map name= turns the name column off: still an error */
    const char *h2[] = {"Company"};
    const char *off[] = {"name="};
    assert_int_equal(columns_map(h2, 1, off, 1, NULL, 0, &m, &err), VM_EXIT_DATAERR);
    /* and --map fixes it */
    const char *fix[] = {"name=Website"};
    assert_int_equal(columns_map(h, 3, fix, 1, NULL, 0, &m, &err), 0);
    assert_int_equal(m.field_col[VF_NAME], 0);
    column_map_free(&m);
}

/* A header against the one its source was last imported with. */
static void test_header_diff(void **state)
{
    static const char *const old_hdr[] = {"Firm", "Offer", "Site", "Notes", "Notes"};
    static const char *const new_hdr[] = {"Site", "Firm", "Offering", "Notes", "Extra"};
    static const char *const maps[] = {"name=Firm", "services=Offer"};
    struct header_diff d;
    (void)state;

    columns_header_diff(old_hdr, 5, old_hdr, 5, maps, 2, &d);
    assert_true(header_diff_empty(&d));
    header_diff_free(&d);

    /* Added and missing per occurrence: one "Notes" of two is gone. The
     * --map no longer fits the new header: no field is said to move. */
    columns_header_diff(old_hdr, 5, new_hdr, 5, maps, 2, &d);
    assert_false(header_diff_empty(&d));
    assert_int_equal(d.added.len, 2);
    assert_string_equal(d.added.items[0], "Offering");
    assert_string_equal(d.added.items[1], "Extra");
    assert_int_equal(d.removed.len, 2);
    assert_string_equal(d.removed.items[0], "Offer");
    assert_string_equal(d.removed.items[1], "Notes");
    assert_int_equal(d.nmoved, 0);
    header_diff_free(&d);

    /* A pure reorder is the same columns; case counts ("site" is not "Site"). */
    static const char *const reordered[] = {"Notes", "Site", "Notes", "Offer", "Firm"};
    columns_header_diff(old_hdr, 5, reordered, 5, maps, 2, &d);
    assert_true(header_diff_empty(&d));
    header_diff_free(&d);
    static const char *const recased[] = {"Firm", "Offer", "site", "Notes", "Notes"};
    columns_header_diff(old_hdr, 5, recased, 5, maps, 2, &d);
    assert_int_equal(d.added.len, 1);
    assert_string_equal(d.added.items[0], "site");
    assert_string_equal(d.removed.items[0], "Site");
    header_diff_free(&d);

    /* A reorder that changes the column a field is read from. */
    static const char *const two[] = {"name", "Website", "URL"};
    static const char *const swapped[] = {"name", "URL", "Website"};
    columns_header_diff(two, 3, swapped, 3, NULL, 0, &d);
    assert_int_equal(d.added.len + d.removed.len, 0);
    assert_int_equal(d.nmoved, 1);
    assert_int_equal(d.moved[0].field, VF_WEBSITE);
    assert_string_equal(d.moved[0].header, "URL");
    assert_string_equal(d.moved[0].was, "Website");
    header_diff_free(&d);

    /* A new column that takes a field from one still there is a move too. */
    static const char *const url_first[] = {"name", "URL", "Website", "Country"};
    static const char *const one[] = {"name", "Website"};
    columns_header_diff(one, 2, url_first, 4, NULL, 0, &d);
    assert_int_equal(d.added.len, 2);
    assert_int_equal(d.nmoved, 1);
    header_diff_free(&d);
    /* ... but not when the old column is gone (its absence says it). */
    static const char *const url_only[] = {"name", "URL"};
    columns_header_diff(one, 2, url_only, 2, NULL, 0, &d);
    assert_int_equal(d.added.len, 1);
    assert_int_equal(d.removed.len, 1);
    assert_int_equal(d.nmoved, 0);
    header_diff_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_names),          cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_map_basic_and_extras), cmocka_unit_test(test_rate_header_currency),
        cmocka_unit_test(test_duplicate_first_wins), cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_override_errors),      cmocka_unit_test(test_missing_name),
        cmocka_unit_test(test_header_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
