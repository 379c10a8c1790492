/* test_util: the string buffer and list helpers every module relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "io/output.h"

/* Regression: reserving space in an empty buffer left it unterminated, so
 * an empty cell printed as heap garbage in `vendors list`. */
static void test_sbuf_reserve_keeps_string(void **state)
{
    (void)state;
    struct sbuf b;
    sbuf_init(&b);
    sbuf_reserve(&b, 100);
    assert_string_equal(b.data, "");
    char *s = sbuf_detach(&b);
    assert_string_equal(s, "");
    free(s);
    char *safe = output_terminal_safe("");
    assert_string_equal(safe, "");
    free(safe);
}

static void test_sbuf_printf_and_append(void **state)
{
    (void)state;
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "%d-%s", 42, "x");
    sbuf_append(&b, "yz", 2);
    sbuf_putc(&b, '!');
    assert_string_equal(b.data, "42-xyz!");
    assert_int_equal(b.len, 7);
    sbuf_free(&b);
}

static void test_terminal_safe_strips_controls(void **state)
{
    (void)state;
    char *s = output_terminal_safe("a\x1b[2Jb\tc\xff");
    assert_string_equal(s, "a?[2Jb c?");
    free(s);
}

static void test_csv_defusing(void **state)
{
    (void)state;
    assert_true(csv_cell_needs_defusing("=HYPERLINK(\"x\")"));
    assert_true(csv_cell_needs_defusing("+cmd"));
    assert_true(csv_cell_needs_defusing("@SUM(1)"));
    assert_true(csv_cell_needs_defusing("-2+3"));
    assert_false(csv_cell_needs_defusing("-2.5"));
    assert_false(csv_cell_needs_defusing("Acme"));
    assert_false(csv_cell_needs_defusing(""));
}

/* Issue 17: strtol/strtod read "30abc" as 30, "0x10" as 16, "1e400" as inf
 * and " +5" as 5; options and needs files must refuse all of them. */
static void test_strict_numbers(void **state)
{
    (void)state;
    long long i = -1;
    double d = -1;
    assert_true(vm_parse_int("42", 1, 100, &i));
    assert_int_equal(i, 42);
    assert_true(vm_parse_int("0", 0, 0, &i));
    static const char *const bad_ints[] = {
        "",     " 5", "5 ", "+5", "-5", "0x10", "5a", "1e3", "5.0", "101", "9223372036854775808",
        "1,000"};
    for (size_t k = 0; k < sizeof bad_ints / sizeof *bad_ints; k++)
        if (vm_parse_int(bad_ints[k], 0, 100, &i))
            fail_msg("vm_parse_int accepted '%s'", bad_ints[k]);
    assert_false(vm_parse_int("9223372036854775808", 0, INT64_MAX, &i));

    assert_true(vm_parse_decimal("4.5", 0, 5, &d));
    assert_true(d == 4.5);
    assert_true(vm_parse_decimal("007", 0, 10, &d));
    assert_true(d == 7);
    static const char *const bad_decimals[] = {"",     "1e400", "1e3",   "inf", "nan",
                                               "0x10", "0x1p3", ".5",    "5.",  "30abc",
                                               "-1",   "+1",    "5.5.5", " 1",  "6"};
    for (size_t k = 0; k < sizeof bad_decimals / sizeof *bad_decimals; k++)
        if (vm_parse_decimal(bad_decimals[k], 0, 5, &d))
            fail_msg("vm_parse_decimal accepted '%s'", bad_decimals[k]);
    char huge[400];
    memset(huge, '9', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_false(vm_parse_decimal(huge, 0, 1e308, &d)); /* 1e399: inf, refused */

    assert_int_equal(vm_scan_decimal("1,000,000.5 EUR", true, true, &d), 11);
    assert_true(d == 1000000.5);
    assert_int_equal(vm_scan_decimal("1,000", true, false, &d), 1);
    assert_int_equal(vm_scan_decimal("1000,000", false, true, &d), 4);
    assert_int_equal(vm_scan_decimal("12,34", false, true, &d), 2);
    assert_int_equal(vm_scan_decimal("x1", true, true, &d), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbuf_reserve_keeps_string),
        cmocka_unit_test(test_sbuf_printf_and_append),
        cmocka_unit_test(test_terminal_safe_strips_controls),
        cmocka_unit_test(test_csv_defusing),
        cmocka_unit_test(test_strict_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
