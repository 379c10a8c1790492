/*
 * test_normalize: each normaliser with the edge cases catalogs really hold:
 * every ISO country by name and code, aliases, "City, Country", accents,
 * languages by name and code, ranges, rates, ratings, certifications,
 * websites, name keys and UTF-8 validation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/iso.h"
#include "core/normalize.h"

static void expect_country(const char *text, const char *code, const char *city)
{
    char *c = NULL;
    const char *got = norm_country(text, &c);
    if (!code) {
        if (got)
            fail_msg("\"%s\" gave %s, want none", text, got);
    } else {
        if (!got || strcmp(got, code) != 0)
            fail_msg("\"%s\" gave %s, want %s", text, got ? got : "NULL", code);
    }
    if (city) {
        if (!c || strcmp(c, city) != 0)
            fail_msg("\"%s\" city %s, want %s", text, c ? c : "NULL", city);
    } else {
        assert_null(c);
    }
    free(c);
}

static void test_country_all_iso(void **state)
{
    assert_int_equal(iso_countries_count, 249);
    for (size_t i = 0; i < iso_countries_count; i++) {
        const struct iso_country *c = &iso_countries[i];
        expect_country(c->name, c->alpha2, NULL);
        expect_country(c->alpha3, c->alpha2, NULL);
        expect_country(c->alpha2, c->alpha2, NULL);
        if (c->official_name)
            expect_country(c->official_name, c->alpha2, NULL);
        if (c->common_name)
            expect_country(c->common_name, c->alpha2, NULL);
    }
}

static void test_country_aliases(void **state)
{
    static const char *const cases[][2] = {
        {"USA", "US"},
        {"U.S.", "US"},
        {"usa", "US"},
        {"United States of America", "US"},
        {"UK", "GB"},
        {"Great Britain", "GB"},
        {"England", "GB"},
        {"Scotland", "GB"},
        {"Wales", "GB"},
        {"Holland", "NL"},
        {"the Netherlands", "NL"},
        {"Russia", "RU"},
        {"South Korea", "KR"},
        {"Korea", "KR"},
        {"Vietnam", "VN"},
        {"Viet Nam", "VN"},
        {"Czechia", "CZ"},
        {"Czech Republic", "CZ"},
        {"UAE", "AE"},
        {"Ivory Coast", "CI"},
        {"Côte d'Ivoire", "CI"},
        {"COTE D’IVOIRE", "CI"},
        {"Cote dIvoire", "CI"},
        {"Türkiye", "TR"},
        {"Turkey", "TR"},
        {"Iran", "IR"},
        {"Bolivia", "BO"},
        {"Venezuela", "VE"},
        {"Tanzania", "TZ"},
        {"Moldova", "MD"},
        {"Syria", "SY"},
        {"Laos", "LA"},
        {"Brunei", "BN"},
        {"Macedonia", "MK"},
        {"Taiwan", "TW"},
        {"Philippines", "PH"},
        {"  india  ", "IN"},
        {"ÅLAND ISLANDS", "AX"},
        {"Curacao", "CW"},
        {"Réunion", "RE"},
        {"Trinidad & Tobago", "TT"},
        {"Holy See", "VA"},
        {"Deutschland", "DE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_country(cases[i][0], cases[i][1], NULL);
    expect_country("", NULL, NULL);
    expect_country("Atlantis", NULL, NULL);
    expect_country("Remote", NULL, NULL);
    expect_country("\xFF\xFE", NULL, NULL);
    assert_null(norm_country(NULL, NULL));
    assert_string_equal(norm_country("India", NULL), "IN");
}

static void test_country_city(void **state)
{
    expect_country("Bangalore, India", "IN", "Bangalore");
    expect_country("Manila, Philippines", "PH", "Manila");
    expect_country("Austin, TX", "US", "Austin");
    expect_country("Austin, Texas", "US", "Austin");
    expect_country("Austin, TX, USA", "US", "Austin");
    expect_country("New York, NY, United States", "US", "New York");
    expect_country("São Paulo, Brazil", "BR", "São Paulo");
    expect_country("Seoul, Korea, Republic of", "KR", "Seoul");
    expect_country("Korea, Republic of", "KR", NULL);
    expect_country("Abidjan, Côte d'Ivoire", "CI", "Abidjan");
    expect_country(", Germany", "DE", NULL);
    expect_country("Springfield, Nowhere", NULL, NULL);
    /* "City - Country", "City (Country)"; "Country - note", "Country (City)" */
    expect_country("Sao Paulo - Brazil", "BR", "Sao Paulo");
    expect_country("Cebu \xE2\x80\x93 Philippines", "PH", "Cebu"); /* en dash */
    expect_country("Mumbai (India)", "IN", "Mumbai");
    expect_country("Berlin (DE)", "DE", "Berlin"); /* a code in parentheses: the country's */
    expect_country("Austin - Texas", "US", "Austin");
    expect_country("India (Mumbai)", "IN", NULL);
    expect_country("United States - Remote", "US", NULL);
    expect_country("Guinea-Bissau", "GW", NULL);
    expect_country("Timor-Leste", "TL", NULL);
    expect_country("Mumbai (India) office", NULL, NULL);
    expect_country("Remote - worldwide", NULL, NULL);
}

static void test_language(void **state)
{
    static const char *const cases[][2] = {
        {"English", "en"},   {"en", "en"},
        {"eng", "en"},       {"ENG", "en"},
        {"fre", "fr"},       {"fra", "fr"},
        {"French", "fr"},    {"Français", "fr"},
        {"Español", "es"},   {"spanish", "es"},
        {"Castilian", "es"}, {"ger", "de"},
        {"German", "de"},    {"Mandarin", "zh"},
        {"Chinese", "zh"},   {"Greek", "el"},
        {"Tagalog", "tl"},   {"Filipino", "tl"},
        {"Punjabi", "pa"},   {"Panjabi", "pa"},
        {"Flemish", "nl"},   {"English (native)", "en"},
        {"Hindi", "hi"},     {"Arabic", "ar"},
        {"Русский", "ru"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = norm_language(cases[i][0]);
        if (!got || strcmp(got, cases[i][1]) != 0)
            fail_msg("\"%s\" gave %s, want %s", cases[i][0], got ? got : "NULL", cases[i][1]);
    }
    assert_null(norm_language("Klingon"));
    assert_null(norm_language(""));
    assert_null(norm_language("fil")); /* no ISO 639-1 code: not guessed */
    /* every language with a 639-1 code round-trips by its codes */
    for (size_t i = 0; i < iso_languages_count; i++) {
        const struct iso_language *l = &iso_languages[i];
        if (!l->alpha2)
            continue;
        assert_string_equal(norm_language(l->alpha2), l->alpha2);
        assert_string_equal(norm_language(l->alpha3), l->alpha2);
    }
}

/* -1 stands for an open end (no value) in these tables. */
static void expect_emp(const char *text, long mn, long mx)
{
    struct norm_range g;
    if (!norm_employees(text, &g))
        fail_msg("\"%s\" not recognised", text);
    long a = g.has_min ? (long)g.min : -1, b = g.has_max ? (long)g.max : -1;
    if (a != mn || b != mx)
        fail_msg("\"%s\" gave %ld..%ld, want %ld..%ld", text, a, b, mn, mx);
}

static void test_employees(void **state)
{
    expect_emp("51-200", 51, 200);
    expect_emp("1,000 - 9,999", 1000, 9999);
    expect_emp("10,000+", 10000, -1);
    expect_emp("51-200 employees", 51, 200);
    expect_emp("< 10", -1, 10);
    expect_emp("< 50", -1, 50);
    expect_emp("up to 50", -1, 50);
    expect_emp("fewer than 20 employees", -1, 20);
    expect_emp("at least 1,000", 1000, -1);
    expect_emp("5,000 and up", 5000, -1);
    expect_emp("from 10 to 50", 10, 50);
    expect_emp("about 250", 250, 250);
    expect_emp("2-10", 2, 10);
    expect_emp("5000", 5000, 5000);
    expect_emp("5.000", 5000, 5000);
    expect_emp("250 to 999", 250, 999);
    expect_emp("1k-5k", 1000, 5000);
    expect_emp("more than 500", 500, -1);
    expect_emp("200 - 50", 50, 200);
    /* thousands separated by a space, as French and Nordic exports write them */
    expect_emp("1 000 - 9 999", 1000, 9999);
    expect_emp("1\xC2\xA0"
               "000 - 4\xC2\xA0"
               "999",
               1000, 4999); /* U+00A0 */
    expect_emp("10\xE2\x80\xAF"
               "000+",
               10000, -1); /* U+202F */
    expect_emp("1 000 000", 1000000, 1000000);
    expect_emp("10 to 50", 10, 50);
    expect_emp("50 - 249 employees", 50, 249);
    struct norm_range g;
    assert_false(norm_employees("", &g));
    assert_false(norm_employees("Freelancer", &g));
    assert_false(norm_employees("n/a", &g));
    assert_false(norm_employees(NULL, &g));
}

static void expect_rate(const char *text, double mn, double mx, const char *cur)
{
    struct norm_range g;
    char c[4] = "";
    if (!norm_rate(text, &g, c))
        fail_msg("\"%s\" not recognised", text);
    double a = g.has_min ? g.min : -1, b = g.has_max ? g.max : -1;
    if (a != mn || b != mx || strcmp(c, cur) != 0)
        fail_msg("\"%s\" gave %g..%g %s, want %g..%g %s", text, a, b, c, mn, mx, cur);
}

static void test_rate(void **state)
{
    expect_rate("$25 - $49 / hr", 25, 49, "USD");
    expect_rate("< $25 / hr", -1, 25, "USD");
    expect_rate("under $25", -1, 25, "USD");
    expect_rate("up to 25", -1, 25, "USD");
    expect_rate("≤ €20/h", -1, 20, "EUR");
    expect_rate("> 150", 150, -1, "USD");
    expect_rate("≥ 150", 150, -1, "USD");
    expect_rate("from $40", 40, -1, "USD");
    expect_rate("40 and up", 40, -1, "USD");
    expect_rate("starting at £30/hr", 30, -1, "GBP");
    expect_rate("from $40 to $60", 40, 60, "USD");
    expect_rate("USD 18", 18, 18, "USD");
    expect_rate("15-20", 15, 20, "USD");
    expect_rate("€30/h", 30, 30, "EUR");
    expect_rate("$100 - $149 / hr", 100, 149, "USD");
    expect_rate("£40", 40, 40, "GBP");
    expect_rate("US$ 22.50 per hour", 22.5, 22.5, "USD");
    expect_rate("25 EUR", 25, 25, "EUR");
    expect_rate("₹1,500/hr", 1500, 1500, "INR");
    expect_rate("INR 800 - 1200", 800, 1200, "INR");
    expect_rate("Rs. 900", 900, 900, "INR");
    expect_rate("$150+ / hr", 150, -1, "USD");
    expect_rate("18,50 €", 18.5, 18.5, "EUR");
    expect_rate("php 400", 400, 400, "PHP");
    expect_rate("ISK 12.000", 12000, 12000, "ISK");
    /* any ISO 4217 code from iso-codes, not a hand-typed list */
    expect_rate("BWP 150", 150, 150, "BWP");
    expect_rate("25 mnt/h", 25, 25, "MNT");
    expect_rate("ALL 500", 500, 500, "ALL");         /* a word-code in capitals */
    expect_rate("$25 all inclusive", 25, 25, "USD"); /* the same word in lower case */
    expect_rate("XAU 2", 2, 2, "USD");               /* gold is no money */
    expect_rate("NOK 1 200", 1200, 1200, "NOK");     /* a space between thousands */
    expect_rate("1\xC2\xA0"
                "200 - 1\xC2\xA0"
                "500 SEK",
                1200, 1500, "SEK");
    assert_string_equal(norm_currency("bwp", 3), "BWP");
    assert_null(norm_currency("top", 3));
    assert_string_equal(norm_currency("TOP", 3), "TOP");
    assert_null(norm_currency("XTS", 3));
    assert_null(norm_currency("XYZ", 3));
    assert_string_equal(norm_currency_name("EUR"), "Euro");
    struct norm_range g;
    char c[4];
    assert_false(norm_rate("Undisclosed", &g, c));
    assert_false(norm_rate("", &g, c));
    assert_false(norm_rate("$4000 per month", &g, c));
}

static void test_rating(void **state)
{
    double r;
    assert_true(norm_rating("4.8", &r));
    assert_true(r == 4.8);
    assert_true(norm_rating("4.8/5", &r));
    assert_true(r == 4.8);
    assert_true(norm_rating("4,8", &r));
    assert_true(r == 4.8);
    assert_true(norm_rating("96%", &r));
    assert_true(r == 4.8);
    assert_true(norm_rating("9.2/10", &r));
    assert_true(r == 4.6);
    assert_true(norm_rating("4.9 (27 reviews)", &r));
    assert_true(r == 4.9);
    assert_true(norm_rating("4 out of 5", &r));
    assert_true(r == 4.0);
    assert_false(norm_rating("", &r));
    assert_false(norm_rating("none", &r));
    assert_false(norm_rating("7/0", &r));
    assert_false(norm_rating("6/5", &r));
}

static void test_founded(void **state)
{
    int y;
    assert_true(norm_founded("2004", &y));
    assert_int_equal(y, 2004);
    assert_true(norm_founded("est. 1998", &y));
    assert_int_equal(y, 1998);
    assert_true(norm_founded("founded in 2010", &y));
    assert_int_equal(y, 2010);
    assert_false(norm_founded("20045", &y));
    assert_false(norm_founded("1492", &y));
    assert_false(norm_founded("", &y));
}

static void test_certification(void **state)
{
    static const char *const cases[][2] = {
        {"ISO/IEC 27001:2013", "ISO27001"},
        {"ISO 27001", "ISO27001"},
        {"iso27001", "ISO27001"},
        {"ISO-27001:2022 certified", "ISO27001"},
        {"ISO 9001:2015", "ISO9001"},
        {"SOC 2 Type II", "SOC2"},
        {"SOC2", "SOC2"},
        {"PCI DSS v4.0", "PCIDSS"},
        {"PCI-DSS", "PCIDSS"},
        {"HIPAA compliant", "HIPAA"},
        {"GDPR", "GDPR"},
        {"CMMI Level 3", "CMMI3"},
        {"CMMI ML5", "CMMI5"},
        {"CMMI", "CMMI"},
        {"COPC CX Standard", "COPC"},
        {"ISO 27701", "ISO27701"},
        {"HITRUST CSF", "HITRUST"},
        {"Great Place to Work", "GREATPLACETOWORK"},
        {"ISO 18295-1", "ISO18295"},
    };
    char out[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_true(norm_certification(cases[i][0], out, sizeof out));
        if (strcmp(out, cases[i][1]) != 0)
            fail_msg("\"%s\" gave %s, want %s", cases[i][0], out, cases[i][1]);
    }
    assert_false(norm_certification("", out, sizeof out));
    assert_false(norm_certification(" - ", out, sizeof out));
    char tiny[4];
    assert_true(norm_certification("Great Place", tiny, sizeof tiny));
    assert_string_equal(tiny, "GRE");
    assert_true(norm_is_security_certification("ISO27001"));
    assert_true(norm_is_security_certification("SOC2"));
    assert_true(norm_is_security_certification("PCIDSS"));
    assert_false(norm_is_security_certification("ISO9001"));
    assert_false(norm_is_security_certification("COPC"));
}

static void expect_host(const char *text, const char *host)
{
    char *h = norm_website_host(text);
    if (!host) {
        if (h)
            fail_msg("\"%s\" gave %s, want none", text, h);
    } else if (!h || strcmp(h, host) != 0) {
        fail_msg("\"%s\" gave %s, want %s", text, h ? h : "NULL", host);
    }
    free(h);
}

static void test_website(void **state)
{
    expect_host("https://WWW.Example.com/about?x", "example.com");
    expect_host("http://acme.co.uk:8080/", "acme.co.uk");
    expect_host("www.acme.in", "acme.in");
    expect_host("acme.com", "acme.com");
    expect_host("  Acme.COM/contact  ", "acme.com");
    expect_host("//cdn.acme.com/x", "cdn.acme.com");
    expect_host("https://user@acme.com", "acme.com");
    expect_host("acme.com.", "acme.com");
    expect_host("https://société.fr", "société.fr");
    expect_host("", NULL);
    expect_host("n/a", NULL);
    expect_host("acme", NULL);
    expect_host("acme com", NULL);
    expect_host("www.", NULL);
    expect_host("1.2", NULL);
    expect_host("a..b.com", NULL);
    expect_host("http://acme.com:80x/", NULL);
}

static void expect_key(const char *name, const char *key)
{
    char *k = norm_name_key(name);
    if (strcmp(k, key) != 0)
        fail_msg("\"%s\" gave \"%s\", want \"%s\"", name, k, key);
    free(k);
}

static void test_name_key(void **state)
{
    expect_key("Acme Inc.", "acme");
    expect_key("ACME, Incorporated", "acme");
    expect_key("Acme Solutions Pvt. Ltd.", "acme solutions");
    expect_key("Acme Solutions Private Limited", "acme solutions");
    expect_key("Acme L.L.C.", "acme");
    expect_key("Acme GmbH", "acme");
    expect_key("Acme S.A.", "acme");
    expect_key("Acme SAS", "acme");
    expect_key("Acme B.V.", "acme");
    expect_key("Acme Co., Ltd.", "acme");
    expect_key("Acme Sdn Bhd", "acme");
    expect_key("Acme Pty Ltd", "acme");
    expect_key("Acme PLC", "acme");
    expect_key("The Acme Group", "acme group");
    expect_key("Société Générale Services", "societe generale services");
    expect_key("Smith & Jones LLP", "smith and jones");
    expect_key("O'Brien Contact Centres", "obrien contact centres");
    expect_key("Company", "company");
    expect_key("Inc", "inc");
    expect_key("", "");
    expect_key("!!!", "");
    expect_key("\xFF", "");
    expect_key("Polska Obsługa Klienta Sp. z o.o.", "polska obsluga klienta");
    expect_key("Türk Çağrı Merkezi A.Ş.", "turk cagri merkezi");
    expect_key("Baltic Verification Services UAB", "baltic verification services");
    expect_key("Ørsted Økonomi ApS", "orsted okonomi");
}

static void expect_split(const char *cell, size_t n, const char *const *parts)
{
    struct strlist l;
    strlist_init(&l);
    norm_split_multi(cell, &l);
    assert_int_equal(l.len, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(l.items[i], parts[i]);
    strlist_free(&l);
}

static void test_split(void **state)
{
    expect_split("a; b ;c", 3, (const char *[]){"a", "b", "c"});
    expect_split("Call centre, Collections", 2, (const char *[]){"Call centre", "Collections"});
    expect_split("Research, analysis; Legal", 2, (const char *[]){"Research, analysis", "Legal"});
    expect_split("x|y|", 2, (const char *[]){"x", "y"});
    expect_split("one\r\ntwo\nthree", 3, (const char *[]){"one", "two", "three"});
    expect_split("  ", 0, NULL);
    expect_split("", 0, NULL);
    expect_split("solo", 1, (const char *[]){"solo"});
    double share;
    assert_string_equal(norm_strip_share("40% Call Center Services", &share),
                        "Call Center Services");
    assert_true(share == 40);
    assert_string_equal(norm_strip_share("Call Center", &share), "Call Center");
    assert_true(share == -1);
}

static void test_utf8(void **state)
{
    size_t off = 99;
    assert_true(norm_utf8_valid("", 0, &off));
    assert_true(norm_utf8_valid("plain ascii text, long enough for the fast path", 47, &off));
    assert_true(norm_utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14, &off));
    assert_true(norm_utf8_valid("\xED\x9F\xBF", 3, &off));     /* U+D7FF */
    assert_true(norm_utf8_valid("\xF4\x8F\xBF\xBF", 4, &off)); /* U+10FFFF */
    assert_false(norm_utf8_valid("ab\xC0\x80", 4, &off));      /* overlong NUL */
    assert_int_equal(off, 2);
    assert_false(norm_utf8_valid("abcdefghij\xE0\x80\xAF", 13, &off)); /* overlong '/' */
    assert_int_equal(off, 10);
    assert_false(norm_utf8_valid("\xF0\x80\x80\xAF", 4, &off));
    assert_int_equal(off, 0);
    assert_false(norm_utf8_valid("x\xED\xA0\x80", 4, &off)); /* surrogate U+D800 */
    assert_int_equal(off, 1);
    assert_false(norm_utf8_valid("x\xF4\x90\x80\x80", 5, &off)); /* > U+10FFFF */
    assert_int_equal(off, 1);
    assert_false(norm_utf8_valid("abc\xE2\x82", 5, &off)); /* truncated */
    assert_int_equal(off, 3);
    assert_false(norm_utf8_valid("\x80", 1, &off)); /* lone continuation */
    assert_int_equal(off, 0);
    assert_false(norm_utf8_valid("ok\xC3(", 4, &off));
    assert_int_equal(off, 2);
    assert_false(norm_utf8_valid("\xF8\x88\x80\x80\x80", 5, &off));
    assert_false(norm_utf8_valid("\xFF", 1, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_country_all_iso),
        cmocka_unit_test(test_country_aliases),
        cmocka_unit_test(test_country_city),
        cmocka_unit_test(test_language),
        cmocka_unit_test(test_employees),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_rating),
        cmocka_unit_test(test_founded),
        cmocka_unit_test(test_certification),
        cmocka_unit_test(test_website),
        cmocka_unit_test(test_name_key),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
