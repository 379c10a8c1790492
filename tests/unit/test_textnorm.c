/*
 * test_textnorm: the normal form every alias and service phrase share:
 * case, accents, punctuation, '&', plurals, non-Latin scripts, invalid
 * UTF-8 and very long input, plus the typo distance the fuzzy stage uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/textnorm.h"
#include "core/util.h"

static void expect_norm(const char *in, const char *want)
{
    char *got = textnorm_phrase(in);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("textnorm_phrase(\"%s\") = \"%s\", want \"%s\"", in, got, want);
    free(got);
}

static void test_case_and_spaces(void **state)
{
    (void)state;
    expect_norm("  Customer   SUPPORT ", "customer support");
    expect_norm("", "");
    expect_norm("   ", "");
    expect_norm("\tData\r\nEntry\n", "data entry");
    assert_null(textnorm_phrase(NULL));
}

static void test_accents_and_compat(void **state)
{
    (void)state;
    expect_norm("Café Études", "cafe etude");
    expect_norm("ＣＡＬＬ　ＣＥＮＴＲＥ", "call centre"); /* full-width, NFKC */
    expect_norm("Straße", "strasse");
    expect_norm("ﬁnancial analysis", "financial analysis"); /* ligature */
}

static void test_punctuation_and_ampersand(void **state)
{
    (void)state;
    expect_norm("Trust & Safety", "trust and safety");
    expect_norm("R&D", "r and d");
    expect_norm("e-discovery/litigation", "e discovery litigation");
    expect_norm("Customers' calls", "customer call");
    expect_norm("customer’s calls", "customer call");
    expect_norm("M&A (support)!!", "m and a support");
    expect_norm("Level-1 tech support.", "level 1 tech support");
}

static void test_plurals(void **state)
{
    (void)state;
    expect_norm("services", "service");
    expect_norm("Companies", "company");
    expect_norm("analyses", "analysis");
    expect_norm("processes", "process");
    expect_norm("taxes", "tax");
    expect_norm("searches", "search");
    expect_norm("claims", "claim");
    expect_norm("analytics", "analytics");
    expect_norm("sales", "sales");
    expect_norm("telesales", "telesales");
    expect_norm("business analysis", "business analysis");
    expect_norm("status", "status");
    expect_norm("basis", "basis"); /* "-is" is not a plural */
    expect_norm("bus", "bus");
    expect_norm("Enquiries and Complaints", "enquiry and complaint");
}

static void test_non_latin(void **state)
{
    (void)state;
    expect_norm("客户服务", "客户服务");
    expect_norm("Обслуживание клиентов", "обслуживание клиентов");
    expect_norm("خدمة العملاء", "خدمة العملاء");
    expect_norm("数据录入、客户服务", "数据录入 客户服务");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    expect_norm("data \xff entry", "");
    expect_norm("\xc3", "");
    expect_norm("\xed\xa0\x80", ""); /* surrogate */
}

static void test_very_long(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *big = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = "Services & Analyses; "[i % 21];
    big[n] = '\0';
    char *out = textnorm_phrase(big);
    assert_non_null(out);
    assert_true(strncmp(out, "service and analysis service", 28) == 0);
    free(out);
    memcpy(big, "Ü", 2); /* the Unicode path too */
    out = textnorm_phrase(big);
    assert_true(strncmp(out, "u", 1) == 0);
    free(out);
    free(big);
}

/* textnorm_phrase_buf gives textnorm_phrase's result, in the caller's buffer
 * when it fits there (each '&' grows by four bytes) and malloc'd otherwise;
 * text that needs utf8proc always comes back malloc'd. */
static void expect_buf(const char *in, size_t cap, bool in_buf)
{
    char buf[64];
    char *want = textnorm_phrase(in), *got = textnorm_phrase_buf(in, buf, cap);
    if (strcmp(got, want) != 0)
        fail_msg("textnorm_phrase_buf(\"%s\", %zu) = \"%s\", want \"%s\"", in, cap, got, want);
    if ((got == buf) != in_buf)
        fail_msg("textnorm_phrase_buf(\"%s\", %zu): %s the buffer", in, cap,
                 in_buf ? "not in" : "in");
    if (got != buf)
        free(got);
    free(want);
}

static void test_into_buffer(void **state)
{
    (void)state;
    expect_buf("Customer Services", 64, true);
    expect_buf("a&b&c", 5 * 5 + 1, true);     /* the worst case fits without counting */
    expect_buf("a&b&c", 5 + 2 * 4 + 1, true); /* exactly what "a and b and c" may need */
    expect_buf("a&b&c", 5 + 2 * 4, false);    /* one byte short */
    expect_buf("", 1, true);
    expect_buf("x", 0, false);
    expect_buf("Café & Études", 64, false); /* the Unicode path */
    assert_null(textnorm_phrase_buf(NULL, NULL, 0));
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(textnorm_distance("custmer", 7, "customer", 8, 2), 1);
    assert_int_equal(textnorm_distance("reveiw", 6, "review", 6, 2), 1); /* transposition */
    assert_int_equal(textnorm_distance("tax", 3, "tech", 4, 3), 3);
    assert_int_equal(textnorm_distance("entry", 5, "science", 7, 2), 3); /* gave up: max + 1 */
    assert_int_equal(textnorm_distance("same", 4, "same", 4, 0), 0);
    /* Symmetric, the empty string included (fuzz_normalize found "4" vs ""
     * giving 1 one way and "gave up" the other). */
    assert_int_equal(textnorm_distance("", 0, "4", 1, 3), 1);
    assert_int_equal(textnorm_distance("4", 1, "", 0, 3), 1);
    assert_int_equal(textnorm_distance("ab", 2, "", 0, 2), 2);
    assert_int_equal(textnorm_distance("abc", 3, "", 0, 2), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_and_spaces),
        cmocka_unit_test(test_accents_and_compat),
        cmocka_unit_test(test_punctuation_and_ampersand),
        cmocka_unit_test(test_plurals),
        cmocka_unit_test(test_non_latin),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_very_long),
        cmocka_unit_test(test_into_buffer),
        cmocka_unit_test(test_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
