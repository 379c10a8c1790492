/* test_util: the string buffer and list helpers every module relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
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

#define FFFD "\xEF\xBF\xBD"

static void test_terminal_safe_strips_controls(void **state)
{
    (void)state;
    char *s = output_terminal_safe("a\x1b[2Jb\tc\xff");
    assert_string_equal(s, "a" FFFD "[2Jb c" FFFD);
    free(s);
}

/* The one rule: C0, DEL, C1, bidi controls, zero-width and other format
 * characters, line/paragraph separators and invalid UTF-8 become U+FFFD;
 * letters of any script, emoji and U+FFFD itself stay. */
static void test_unsafe_rule(void **state)
{
    (void)state;
    static const int32_t unsafe[] = {
        0x00,   0x07,   0x1b,   0x7f,   0x80,   0x85,   0x9b,   0x9f,    0xad,   0x61c,  0x200b,
        0x200c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b,  0x202c, 0x202d, 0x202e,
        0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff, 0xfff9, 0xe0001, 0xe0041};
    static const int32_t safe[] = {' ', 'A', '~', 0xa0, 0xe9, 0x939, 0x4e2d, 0x1f600, 0xfffd};
    for (size_t i = 0; i < sizeof unsafe / sizeof *unsafe; i++)
        assert_true(output_char_unsafe(unsafe[i]));
    for (size_t i = 0; i < sizeof safe / sizeof *safe; i++)
        assert_false(output_char_unsafe(safe[i]));

    const char *hostile = "N\xE2\x80\xAE"
                          "evil\xE2\x80\x8B"
                          "x\xC2\x9B"
                          "31m\x7f\r\n\tend\rX\xE2\x81\xA6"; /* U+202E U+200B CSI DEL U+2066 */
    char *line = output_safe(hostile, OUT_SAFE_LINE);
    assert_string_equal(line, "N" FFFD "evil" FFFD "x" FFFD "31m" FFFD "   end X" FFFD);
    free(line);
    char *text = output_safe(hostile, OUT_SAFE_TEXT);
    assert_string_equal(text, "N" FFFD "evil" FFFD "x" FFFD "31m" FFFD "\r\n\tend" FFFD "X" FFFD);
    free(text);
    char *plain = output_safe("Acme \xC3\xA9t\xC3\xA9 \xE4\xB8\xAD", OUT_SAFE_LINE);
    assert_string_equal(plain, "Acme \xC3\xA9t\xC3\xA9 \xE4\xB8\xAD");
    free(plain);
    /* The scan goes eight bytes at a time: every position of a word. */
    static const char bad[] = {'\x1b', '\x7f', '\x01', '\x1f', '\xc3', '\r'};
    for (size_t pos = 0; pos < 20; pos++) {
        char buf[21];
        memset(buf, 'a', 20);
        buf[20] = '\0';
        assert_true(output_is_plain(buf, 20, OUT_SAFE_LINE));
        for (size_t k = 0; k < sizeof bad; k++) {
            buf[pos] = bad[k];
            assert_false(output_is_plain(buf, 20, OUT_SAFE_LINE));
            assert_false(output_is_plain(buf, 20, OUT_SAFE_TEXT));
        }
        buf[pos] = '\n';
        assert_false(output_is_plain(buf, 20, OUT_SAFE_LINE));
        assert_true(output_is_plain(buf, 20, OUT_SAFE_TEXT));
        buf[pos] = '~';
        assert_true(output_is_plain(buf, 20, OUT_SAFE_LINE));
    }
    char *empty = output_safe(NULL, OUT_SAFE_TEXT);
    assert_string_equal(empty, "");
    free(empty);
}

/* What was written to the temporary file f, which is closed. */
static char *captured(FILE *f)
{
    long n = ftell(f);
    char *buf = calloc(1, (size_t)n + 1);
    rewind(f);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

static void test_safe_csv_and_printf(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    csv_write_cell(f, "\x1b]0;pwn\x07=1", true);
    fputc('|', f);
    csv_write_cell(f, "multi\r\nline \xE2\x80\xAE", true);
    char *out = captured(f);
    assert_string_equal(out, "\"" FFFD "]0;pwn" FFFD "=1\"|\"multi\r\nline " FFFD "\"");
    free(out);

    f = tmpfile();
    output_printf(f, "added '%s' -> %s\n", "\x1b[2J\xE2\x80\x8B", "x");
    output_fputs(f, "a\x9b\n");
    out = captured(f);
    assert_string_equal(out, "added '" FFFD "[2J" FFFD "' -> x\na" FFFD "\n");
    free(out);
}

/* JSON keeps the text exact: unsafe code points become \u escapes (a
 * surrogate pair above U+FFFF), everything else is jansson's output. */
static void test_json_escapes_unsafe(void **state)
{
    (void)state;
    json_t *v = json_pack(
        "{s:s}", "name",
        "a\x1b\x7f\xC2\x9B\xE2\x80\xAE\xE2\x80\x8B\xF3\xA0\x80\x81 \xC3\xA9\xF0\x9F\x98\x80");
    FILE *f = tmpfile();
    assert_int_equal(json_print(f, v), 0);
    char *out = captured(f);
    assert_string_equal(out, "{\n  \"name\": \"a\\u001B\\u007F\\u009B\\u202E\\u200B\\uDB40\\uDC01 "
                             "\xC3\xA9\xF0\x9F\x98\x80\"\n}\n");
    json_error_t e;
    json_t *back = json_loads(out, 0, &e);
    assert_non_null(back);
    assert_true(json_equal(v, back));
    json_decref(back);
    json_decref(v);
    free(out);
}

/* Text longer than json_print's 64 KiB blocks, of 2-, 3- and 4-byte
 * sequences and an unsafe one, comes out whole and escaped. */
static void test_json_long_text(void **state)
{
    (void)state;
    static const char *const units[] = {"\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80",
                                        "\xE2\x80\xAE"};
    for (size_t u = 0; u < 4; u++) {
        struct sbuf b;
        sbuf_init(&b);
        sbuf_puts(&b, "x");
        for (size_t i = 0; i < 30000; i++)
            sbuf_puts(&b, units[u]);
        json_t *v = json_pack("[s, s]", b.data, b.data);
        FILE *f = tmpfile();
        assert_int_equal(json_print(f, v), 0);
        char *out = captured(f);
        json_error_t e;
        json_t *back = json_loads(out, 0, &e);
        assert_non_null(back);
        assert_true(json_equal(v, back));
        assert_null(strstr(out, "\xEF\xBF\xBD"));
        assert_null(strstr(out, "\xE2\x80\xAE"));
        json_decref(back);
        json_decref(v);
        free(out);
        sbuf_free(&b);
    }
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

/* Cutting to a width: whole grapheme clusters, wide characters as two
 * columns, an ellipsis at the end; text that fits is unchanged. */
static void test_fit_width(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t max;
        const char *out;
    } cases[] = {
        {"short", 10, "short"},
        {"exactly10!", 10, "exactly10!"},
        {"eleven chars", 10, "eleven ch\u2026"},
        {"Cafe\xcc\x81 au lait", 5, "Cafe\xcc\x81\u2026"}, /* e + combining acute stay together */
        {"Cafe\xcc\x81 au lait", 4, "Caf\u2026"},          /* never "Cafe" without its accent */
        {"\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac", 6, "\xe6\x9d\xb1\xe4\xba\xac\u2026"},
        {"\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac", 4,
         "\xe6\x9d\xb1\u2026"}, /* 2+1 <= 4 */
        {"abc", 1, "\u2026"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = output_fit_width(cases[i].in, cases[i].max);
        assert_string_equal(got, cases[i].out);
        assert_true(output_display_width(got) <= cases[i].max);
        free(got);
    }
}

/* The aligned table: one header style, and a line width it keeps to. */
static void test_table_style_and_fit(void **state)
{
    (void)state;
    static const char *const headers[] = {"rank", "usd_per_unit", "reason"};
    const char *row[] = {"1", "1.08", "a reason long enough to be cut somewhere in its middle"};
    struct table t;
    char *buf = NULL;
    size_t len = 0;
    table_init(&t, 3, headers);
    t.fit = 40;
    table_add_row(&t, row);
    FILE *f = open_memstream(&buf, &len);
    table_print_aligned(&t, f);
    fclose(f);
    assert_non_null(strstr(buf, "RANK  USD PER UNIT  REASON\n"));
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        assert_true(output_display_width(line) <= 40);
    free(buf);
    table_free(&t);
}

/* Wrapping: no line passes the width; later lines carry the indent. */
static void test_print_wrapped(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    output_print_wrapped(f, "head ", "     ", "one two three four five six seven", 16);
    fclose(f);
    assert_string_equal(buf, "head one two\n     three four\n     five six\n     seven\n");
    free(buf);
}

/* The one way money is written (money.h). */
static void test_money_text(void **state)
{
    (void)state;
    char b[64];
    money_rate_text(b, sizeof b, "USD", true, 25, true, 49);
    assert_string_equal(b, "$25-49/h");
    money_rate_text(b, sizeof b, "EUR", true, 18.5, true, 18.5);
    assert_string_equal(b, "\u20ac18.50/h");
    money_rate_text(b, sizeof b, "CAD", true, 30, true, 45);
    assert_string_equal(b, "CAD 30-45/h");
    money_rate_text(b, sizeof b, NULL, false, 0, true, 25);
    assert_string_equal(b, "< $25/h");
    money_rate_text(b, sizeof b, "GBP", true, 150, false, 0);
    assert_string_equal(b, "\u00a3150+/h");
    money_rate_text(b, sizeof b, "USD", false, 0, false, 0);
    assert_string_equal(b, "");
    money_hourly_text(b, sizeof b, "NOK", 450);
    assert_string_equal(b, "NOK 450/h");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbuf_reserve_keeps_string),
        cmocka_unit_test(test_sbuf_printf_and_append),
        cmocka_unit_test(test_terminal_safe_strips_controls),
        cmocka_unit_test(test_unsafe_rule),
        cmocka_unit_test(test_safe_csv_and_printf),
        cmocka_unit_test(test_json_escapes_unsafe),
        cmocka_unit_test(test_json_long_text),
        cmocka_unit_test(test_csv_defusing),
        cmocka_unit_test(test_strict_numbers),
        cmocka_unit_test(test_fit_width),
        cmocka_unit_test(test_table_style_and_fit),
        cmocka_unit_test(test_print_wrapped),
        cmocka_unit_test(test_money_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
