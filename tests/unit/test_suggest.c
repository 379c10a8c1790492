/*
 * test_suggest: "did you mean" hints. The edit distance over letter-and-digit
 * keys (a swap counts one), the length-scaled limit, ties going to the first
 * candidate, and the country, language and certification hints built on
 * the ISO tables and the certification list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/normalize.h"
#include "core/suggest.h"

static const char *best_of(const char *typed, const char *const *cands, size_t n)
{
    struct suggest s;
    suggest_init(&s, typed);
    for (size_t i = 0; i < n; i++)
        suggest_offer_str(&s, cands[i]);
    return s.best;
}

static void test_distance_and_limit(void **state)
{
    static const char *const svc[] = {"customer support", "collections", "data entry",
                                      "customer service"};
    (void)state;
    assert_string_equal(best_of("custmer suport", svc, 4), "customer support"); /* 2 edits */
    assert_string_equal(best_of("Data-Entry", svc, 4), "data entry");           /* punctuation */
    assert_string_equal(best_of("colletcions", svc, 4), "collections");         /* a swap: 1 */
    assert_null(best_of("basket weaving", svc, 4));
    assert_null(best_of("cs", svc, 4));              /* short: 1 edit at most, none that close */
    assert_null(best_of("", svc, 4));                /* nothing typed */
    assert_null(best_of("custmr suprt xx", svc, 4)); /* 5 edits > 3 */
    static const char *const tie[] = {"abcd", "abce"};
    assert_string_equal(best_of("abcf", tie, 2), "abcd"); /* ties: the first offered */
}

static void test_iso_and_certs(void **state)
{
    (void)state;
    assert_string_equal(norm_suggest_country("Indai"), "India");
    assert_string_equal(norm_suggest_country("Phillipines"), "Philippines");
    assert_string_equal(norm_suggest_country("Grmany"), "Germany");
    assert_null(norm_suggest_country("Qwxzv Land"));
    assert_string_equal(norm_suggest_language("Englsh"), "English");
    assert_string_equal(norm_suggest_language("Spansh"), "Spanish");
    assert_null(norm_suggest_language("Zzqxv"));
    assert_string_equal(norm_suggest_certification("ISO 2700"), "ISO27001");
    assert_string_equal(norm_suggest_certification("SOC-3"), "SOC3");
    assert_null(norm_suggest_certification("Foo Bar Cert"));
    assert_true(norm_certification_known("ISO27001"));
    assert_true(norm_certification_known("CMMI3"));
    assert_false(norm_certification_known("ISO2700"));
    assert_false(norm_certification_known("FOOBARCERT"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance_and_limit),
        cmocka_unit_test(test_iso_and_certs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
