/*
 * test_fx: exchange rates in memory and the ECB reference-rate CSV reader.
 * Conversion goes through US dollars per unit; the one-row eurofxref.csv
 * and the many-row history file give the same table for the same day; the
 * newest row (or the asked date) is taken; N/A is skipped; bad files name
 * their line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/fx.h"

static void test_table(void **state)
{
    struct fx_table t;
    double out, f;
    (void)state;
    fx_table_init(&t);
    fx_table_set(&t, "EUR", 1.08, "2026-12-01");
    fx_table_set(&t, "GBP", 1.25, "2026-12-01");
    assert_true(fx_convert(&t, "EUR", "USD", 15, &out, &f));
    assert_float_equal(out, 16.2, 1e-9);
    assert_float_equal(f, 1.08, 1e-12);
    assert_true(fx_convert(&t, "USD", "EUR", 21.6, &out, &f));
    assert_float_equal(out, 20, 1e-9);
    assert_true(fx_convert(&t, "GBP", "EUR", 10.8, &out, &f));
    assert_float_equal(out, 12.5, 1e-9);
    assert_false(fx_convert(&t, "BWP", "USD", 1, &out, &f));
    fx_table_set(&t, "EUR", 1.10, "2026-12-02"); /* replaces */
    assert_int_equal(t.n, 2);
    assert_string_equal(fx_table_find(&t, "EUR")->date, "2026-12-02");
    assert_float_equal(fx_table_find(&t, "USD")->usd_per_unit, 1.0, 0);
    fx_table_free(&t);
}

static void parse_ok(const char *csv, const char *date, struct fx_table *t)
{
    char *why = NULL;
    long line = 0, col = 0;
    fx_table_init(t);
    if (fx_parse_ecb(csv, strlen(csv), date, t, &why, &line, &col) != 0)
        fail_msg("%ld:%ld: %s", line, col, why);
}

static void parse_bad(const char *csv, size_t len, long want_line, long want_col, const char *want)
{
    struct fx_table t;
    char *why = NULL;
    long line = 0, col = 0;
    fx_table_init(&t);
    len = len ? len : strlen(csv); /* 0: the whole string */
    assert_int_equal(fx_parse_ecb(csv, len, NULL, &t, &why, &line, &col), -1);
    assert_int_equal(line, want_line);
    assert_int_equal(col, want_col);
    assert_non_null(strstr(why, want));
    free(why);
    fx_table_free(&t);
}

static void test_ecb(void **state)
{
    struct fx_table t;
    (void)state;
    parse_ok("Date, USD, JPY, GBP, \r\n07 December 2026, 1.0812, 161.20, 0.8512, \r\n", NULL, &t);
    assert_int_equal(t.n, 3);
    assert_float_equal(fx_table_find(&t, "EUR")->usd_per_unit, 1.0812, 1e-12);
    assert_float_equal(fx_table_find(&t, "GBP")->usd_per_unit, 1.0812 / 0.8512, 1e-12);
    assert_string_equal(fx_table_find(&t, "JPY")->date, "2026-12-07");
    fx_table_free(&t);
    const char *hist = "Date,USD,JPY,GBP,\n2026-12-08,1.09,N/A,0.86,\n2026-12-09,1.1,160,0.87,\n"
                       "2026-12-05,1.07,159,0.84,\n";
    parse_ok(hist, NULL, &t); /* the newest, wherever it is */
    assert_string_equal(fx_table_find(&t, "EUR")->date, "2026-12-09");
    fx_table_free(&t);
    parse_ok(hist, "2026-12-08", &t);
    assert_float_equal(fx_table_find(&t, "EUR")->usd_per_unit, 1.09, 1e-12);
    assert_null(fx_table_find(&t, "JPY")); /* N/A */
    fx_table_free(&t);
    parse_bad("a,b\n1,2\n", 0, 1, 1, "not an ECB");
    parse_bad("Date, JPY\n07 December 2026, 161\n", 0, 1, 1, "no USD column");
    parse_bad("Date, USD, GBP\n07 December 2026, , 0.85\n", 0, 2, 19, "no USD rate");
    parse_bad("Date, USD, GBP\n07 December 2026, 1.08, 1e3\n", 0, 2, 25, "bad GBP rate '1e3'");
    parse_bad("Date, USD, ZZZ\n07 December 2026, 1.08, 0.85\n", 0, 1, 12, "'ZZZ' is no ISO");
    parse_bad("Date, USD\n31 February 2026, 1.08\n", 0, 2, 1, "bad date");
    parse_bad("Date, USD\n", 0, 1, 1, "no rates");
    parse_bad("Date, USD\n07 December 2026, 1.0\x00"
              "8\n",
              34, 2, 22, "control byte 0x00");
    parse_bad("Date, USD\n07 December 2026, \xff\n", 0, 2, 19, "invalid UTF-8");
    /* Columns count characters (\u00e9 is one), lines count blank ones too. */
    parse_bad("Date, USD\n07 December 2026, 1.0\xc3\xa9\x01\n", 0, 2, 23, "control byte 0x01");
    parse_bad("Date, USD, GBP\r\n\r\n07 December 2026, 1.08, x\r\n", 0, 3, 25, "bad GBP rate 'x'");
    parse_bad("\xEF\xBB\xBF"
              "Date, USD, ZZZ\n07 December 2026, 1.08, 0.85\n",
              0, 1, 12, "'ZZZ'");
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(fx_valid_date("2026-12-01"));
    assert_true(fx_valid_date("2024-02-29"));
    assert_false(fx_valid_date("2026-02-29"));
    assert_false(fx_valid_date("2026-13-01"));
    assert_false(fx_valid_date("2026-12-1"));
    assert_false(fx_valid_date("2026-12-01x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_ecb),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
