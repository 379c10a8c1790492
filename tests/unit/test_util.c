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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbuf_reserve_keeps_string),
        cmocka_unit_test(test_sbuf_printf_and_append),
        cmocka_unit_test(test_terminal_safe_strips_controls),
        cmocka_unit_test(test_csv_defusing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
