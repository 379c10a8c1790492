/*
 * test_need: a need is normalised exactly as catalogs are ("India" -> IN,
 * "ISO/IEC 27001:2013" -> ISO27001), bad values fail with a reason naming
 * the text, needs-file headers resolve through aliases, and the inferred
 * process type comes with its sentence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/need.h"

static void set_ok(struct need *n, enum need_field f, const char *v)
{
    char *why = NULL;
    if (need_set(n, f, v, &why) != 0)
        fail_msg("need_set(%s, %s): %s", need_field_name(f), v, why);
}

static void set_bad(enum need_field f, const char *v, const char *expect)
{
    struct need n;
    char *why = NULL;
    need_init(&n);
    assert_int_equal(need_set(&n, f, v, &why), -1);
    if (!strstr(why, expect))
        fail_msg("reason [%s] lacks [%s]", why, expect);
    free(why);
    need_free(&n);
}

static void test_normalised_values(void **state)
{
    struct need n;
    need_init(&n);
    set_ok(&n, NF_COUNTRY, "India");
    set_ok(&n, NF_COUNTRY, "IND");
    set_ok(&n, NF_COUNTRY, "Philippines");
    set_ok(&n, NF_EXCLUDE_COUNTRY, "USA");
    set_ok(&n, NF_LANGUAGE, "English");
    set_ok(&n, NF_CERT, "ISO/IEC 27001:2013");
    set_ok(&n, NF_CERT, "iso 27001");
    set_ok(&n, NF_MIN_EMPLOYEES, "1,000");
    set_ok(&n, NF_MAX_RATE, "$30 / hr");
    set_ok(&n, NF_MIN_RATING, "4.5");
    set_ok(&n, NF_INDUSTRY, "  Healthcare ");
    set_ok(&n, NF_SENSITIVITY, "HIGH");
    set_ok(&n, NF_TYPE, "kpo");
    set_ok(&n, NF_TOP, "3");
    assert_int_equal(n.countries.len, 2);
    assert_string_equal(n.countries.items[0], "IN");
    assert_string_equal(n.countries.items[1], "PH");
    assert_string_equal(n.exclude_countries.items[0], "US");
    assert_string_equal(n.languages.items[0], "en");
    assert_int_equal(n.certifications.len, 1);
    assert_string_equal(n.certifications.items[0], "ISO27001");
    assert_int_equal(n.min_employees, 1000);
    assert_float_equal(n.max_rate, 30.0, 1e-9);
    assert_string_equal(n.currency, "USD");
    assert_float_equal(n.min_rating, 4.5, 1e-9);
    assert_string_equal(n.industries.items[0], "healthcare");
    assert_int_equal(n.sensitivity, SENS_HIGH);
    assert_int_equal(n.type, NEED_TYPE_KPO);
    assert_int_equal(n.top, 3);
    set_ok(&n, NF_MAX_RATE, "EUR 25");
    assert_string_equal(n.currency, "EUR");
    need_free(&n);
}

static void test_bad_values(void **state)
{
    set_bad(NF_COUNTRY, "Atlantis", "unknown country 'Atlantis'");
    set_bad(NF_LANGUAGE, "Klingonese", "unknown language 'Klingonese'");
    set_bad(NF_TYPE, "BPOO", "unknown type 'BPOO'");
    set_bad(NF_SENSITIVITY, "extreme", "unknown sensitivity 'extreme'");
    set_bad(NF_MIN_EMPLOYEES, "lots", "bad employee count 'lots'");
    set_bad(NF_MAX_RATE, "cheap", "bad rate 'cheap'");
    set_bad(NF_MIN_RATING, "9", "bad rating '9'");
    set_bad(NF_MIN_RATING, "good", "bad rating 'good'");
    set_bad(NF_TOP, "0", "bad top '0'");
    set_bad(NF_WEIGHT, "rating", "bad weight 'rating'");
    set_bad(NF_WEIGHT, "rating=-1", "bad weight");
    set_bad(NF_WEIGHT, "speed=1", "unknown criterion 'speed'");
    set_bad(NF_SERVICE, "caf\xc3", "invalid UTF-8");
}

/* Issue 17: lenient parsing turned "1e400" into 1.0 (every vendor out),
 * "30abc" into 30, "XYZ 25" into USD 25, "0x10" into 16; empty text was
 * accepted as a service. */
static void test_strict_numbers(void **state)
{
    static const char *const bad_rates[] = {
        "1e400", "30abc", "0x10",  "inf", "nan", "-5",     "+5",      "30.",       ".5",
        "1e3",   "30 40", "30-20", "$",   "EUR", "30//hr", "1000001", "EUR 25 USD"};
    for (size_t i = 0; i < sizeof bad_rates / sizeof *bad_rates; i++)
        set_bad(NF_MAX_RATE, bad_rates[i], "bad rate");
    set_bad(NF_MAX_RATE, "XYZ 25", "unknown currency 'XYZ'");
    set_bad(NF_MAX_RATE, "30abc", "unknown currency 'abc'");
    set_bad(NF_MAX_RATE, "0x10", "from 0 to 1000000");

    static const char *const bad_counts[] = {"2147483648", "10000001", "0x10",   "30abc", "-1",
                                             "1e3",        "1.5",      "200-50", "+5",    "lots"};
    for (size_t i = 0; i < sizeof bad_counts / sizeof *bad_counts; i++)
        set_bad(NF_MIN_EMPLOYEES, bad_counts[i], "from 0 to 10000000");

    static const char *const bad_ratings[] = {"4.5x", "0x1",  "1e0", "inf",
                                              "5.01", "101%", "-1",  "4,5"};
    for (size_t i = 0; i < sizeof bad_ratings / sizeof *bad_ratings; i++)
        set_bad(NF_MIN_RATING, bad_ratings[i], "from 0 to 5");

    set_bad(NF_WEIGHT, "rating=0x1p3", "plain number from 0 to 1000");
    set_bad(NF_WEIGHT, "rating=1e2", "plain number");
    set_bad(NF_WEIGHT, "rating=1001", "plain number");
    set_bad(NF_WEIGHT, "rating=inf", "plain number");
    set_bad(NF_TOP, "5abc", "bad top");
    set_bad(NF_TOP, "0x5", "bad top");
    set_bad(NF_TOP, "99999999999999999999", "bad top");

    set_bad(NF_SERVICE, "", "empty service value");
    set_bad(NF_SERVICE, "   ", "empty service value");
    set_bad(NF_COUNTRY, "", "empty country value");
    set_bad(NF_INDUSTRY, "", "empty industry value");
    set_bad(NF_DELIVERY, "\t", "empty delivery value");

    struct need n;
    need_init(&n);
    set_ok(&n, NF_MAX_RATE, "25 eur/h");
    assert_string_equal(n.currency, "EUR");
    assert_float_equal(n.max_rate, 25.0, 1e-9);
    set_ok(&n, NF_MAX_RATE,
           "\xE2\x82\xAC"
           "20 - \xE2\x82\xAC"
           "30 per hour");
    assert_string_equal(n.currency, "EUR");
    assert_float_equal(n.max_rate, 30.0, 1e-9);
    set_ok(&n, NF_MAX_RATE, "1,500.50");
    assert_string_equal(n.currency, "USD");
    assert_float_equal(n.max_rate, 1500.5, 1e-9);
    set_ok(&n, NF_MAX_RATE, "GBP 40 hourly");
    assert_string_equal(n.currency, "GBP");
    set_ok(&n, NF_MIN_EMPLOYEES, "50 - 200");
    assert_int_equal(n.min_employees, 50);
    set_ok(&n, NF_MIN_EMPLOYEES, "10,000+");
    assert_int_equal(n.min_employees, 10000);
    set_ok(&n, NF_MIN_EMPLOYEES, "10000000");
    assert_int_equal(n.min_employees, 10000000);
    set_ok(&n, NF_MIN_RATING, "90%");
    assert_float_equal(n.min_rating, 4.5, 1e-9);
    set_ok(&n, NF_MIN_RATING, "5");
    set_ok(&n, NF_WEIGHT, "rating= 12.5");
    assert_float_equal(n.weights[CRIT_RATING], 12.5, 1e-9);
    need_free(&n);
}

static void test_conflicts(void **state)
{
    struct need n;
    char *why = NULL;
    need_init(&n);
    set_ok(&n, NF_COUNTRY, "IN");
    set_ok(&n, NF_EXCLUDE_COUNTRY, "India");
    assert_int_equal(need_finish(&n, &why), -1);
    assert_non_null(strstr(why, "both required and excluded"));
    free(why);
    need_free(&n);
}

static void test_headers(void **state)
{
    assert_int_equal(need_field_by_header("Need"), NF_NAME);
    assert_int_equal(need_field_by_header("Service Lines"), NF_SERVICE);
    assert_int_equal(need_field_by_header("CAPABILITIES"), NF_SERVICE);
    assert_int_equal(need_field_by_header("Exclude Countries"), NF_EXCLUDE_COUNTRY);
    assert_int_equal(need_field_by_header("min_employees"), NF_MIN_EMPLOYEES);
    assert_int_equal(need_field_by_header("Max. Rate"), NF_MAX_RATE);
    assert_int_equal(need_field_by_header("Data Sensitivity"), NF_SENSITIVITY);
    assert_int_equal(need_field_by_header("Favourite colour"), -1);
    assert_true(need_field_is_multi(NF_SERVICE));
    assert_false(need_field_is_multi(NF_MAX_RATE));
}

/* --strict and --require-known (a needs file's strict and require_known
 * columns): which facts must be known, and the need's JSON says so. */
static void test_required_known(void **state)
{
    struct need n;
    (void)state;
    assert_int_equal(need_field_by_header("Strict"), NF_STRICT);
    assert_int_equal(need_field_by_header("Require known"), NF_REQUIRE_KNOWN);
    assert_int_equal(need_field_by_header("require_known"), NF_REQUIRE_KNOWN);
    assert_true(need_field_is_multi(NF_REQUIRE_KNOWN));
    assert_false(need_field_is_multi(NF_STRICT));
    need_init(&n);
    for (int f = 0; f < FACT_COUNT; f++) {
        assert_false(need_requires_known(&n, f));
        assert_int_equal(need_fact_by_name(need_fact_name(f)), f);
    }
    set_ok(&n, NF_REQUIRE_KNOWN, "Rate");
    set_ok(&n, NF_REQUIRE_KNOWN, "language");
    assert_true(need_requires_known(&n, FACT_RATE));
    assert_true(need_requires_known(&n, FACT_LANGUAGE));
    assert_false(need_requires_known(&n, FACT_RATING));
    json_t *j = need_to_json(&n);
    assert_false(json_is_true(json_object_get(j, "strict")));
    assert_int_equal(json_array_size(json_object_get(j, "require_known")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "require_known"), 0)),
                        "language");
    json_decref(j);
    set_ok(&n, NF_STRICT, "YES");
    for (int f = 0; f < FACT_COUNT; f++)
        assert_true(need_requires_known(&n, f));
    j = need_to_json(&n);
    assert_true(json_is_true(json_object_get(j, "strict")));
    assert_int_equal(json_array_size(json_object_get(j, "require_known")), FACT_COUNT);
    json_decref(j);
    set_ok(&n, NF_STRICT, "no");
    assert_false(n.strict);
    need_free(&n);
    set_bad(NF_STRICT, "maybe", "bad strict value 'maybe' (use yes or no)");
    set_bad(NF_REQUIRE_KNOWN, "colour", "unknown fact 'colour'");
    set_bad(NF_REQUIRE_KNOWN, "languages'; DROP TABLE x;--", "unknown fact");
}

static void two_services(struct need *n, const char *s1, const char *side1, const char *s2,
                         const char *side2)
{
    need_init(n);
    set_ok(n, NF_SERVICE, s1);
    set_ok(n, NF_SERVICE, s2);
    need_set_service_category(n, 0, "c1", side1);
    need_set_service_category(n, 1, "c2", side2);
}

static void test_type_reason(void **state)
{
    struct need n;
    two_services(&n, "customer support", "BPO", "collections", "BPO");
    need_resolve_type(&n, "BPO", 2.0, 0.0);
    assert_int_equal(n.process, NEED_PROCESS_BPO);
    assert_true(n.process_inferred);
    assert_string_equal(n.process_reason,
                        "you need a BPO provider because customer support and collections are "
                        "process work (BPO evidence 2.0, KPO 0.0)");
    need_free(&n);
    two_services(&n, "customer support", "BPO", "market research", "KPO");
    need_resolve_type(&n, "HYBRID", 1.0, 1.0);
    assert_int_equal(n.process, NEED_PROCESS_ANY);
    assert_non_null(strstr(n.process_reason, "either: your services span both (HYBRID)"));
    need_free(&n);
    two_services(&n, "equity research", "KPO", "x", "");
    set_ok(&n, NF_TYPE, "BPO");
    need_resolve_type(&n, "KPO", 0.0, 1.0);
    assert_int_equal(n.process, NEED_PROCESS_BPO);
    assert_false(n.process_inferred);
    need_free(&n);
    need_init(&n);
    need_resolve_type(&n, NULL, 0, 0);
    assert_int_equal(n.process, NEED_PROCESS_ANY);
    need_free(&n);
}

static void test_json(void **state)
{
    struct need n;
    char *why = NULL;
    need_init(&n);
    set_ok(&n, NF_NAME, "acme \"cx\"; DROP TABLE vendors;--");
    set_ok(&n, NF_SERVICE, "customer support");
    need_set_service_category(&n, 0, "customer_support", "BPO");
    assert_int_equal(need_finish(&n, &why), 0);
    json_t *j = need_to_json(&n);
    assert_string_equal(json_string_value(json_object_get(j, "name")),
                        "acme \"cx\"; DROP TABLE vendors;--");
    assert_string_equal(json_string_value(json_object_get(j, "type")), "auto");
    assert_true(json_is_null(json_object_get(j, "max_rate")));
    assert_int_equal(json_integer_value(json_object_get(j, "top")), 10);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(j, "service_categories"), 0)),
        "customer_support");
    json_decref(j);
    j = need_weights_json(&n);
    assert_float_equal(json_real_value(json_object_get(j, "service_coverage")), 40.0, 1e-9);
    json_decref(j);
    need_free(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalised_values), cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_strict_numbers),    cmocka_unit_test(test_conflicts),
        cmocka_unit_test(test_headers),           cmocka_unit_test(test_required_known),
        cmocka_unit_test(test_type_reason),       cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
