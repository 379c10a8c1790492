/*
 * fuzz_normalize: every value normaliser (src/core/normalize.c, textnorm.c)
 * on one text, with the guarantees their headers state: codes are ISO-shaped,
 * ranges are ordered and finite, keys and hosts are clean UTF-8, splits give
 * trimmed non-empty parts, the phrase normal form is a fixed point.
 *
 * Input: the text (UTF-8, as the CSV reader and need_set guarantee; other
 * bytes are skipped, and a NUL ends the text). The distance check takes the
 * text's two halves.
 */
#include <math.h>
#include <stdint.h>

#include "core/need.h"
#include "core/normalize.h"
#include "core/textnorm.h"
#include "fuzz_support.h"

static bool all_in(const char *s, const char *set)
{
    return s[strspn(s, set)] == '\0';
}

static void check_clean_key(const char *k)
{
    size_t bad;
    FUZZ_CHECK(k != NULL);
    FUZZ_CHECK(norm_utf8_valid(k, strlen(k), &bad));
    FUZZ_CHECK(k[0] != ' ' && strstr(k, "  ") == NULL);
    FUZZ_CHECK(k[0] == '\0' || k[strlen(k) - 1] != ' ');
}

static void check_codes(const char *s)
{
    const char *upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char *city = NULL;
    const char *cc = norm_country(s, &city);
    FUZZ_CHECK(cc == NULL || (strlen(cc) == 2 && all_in(cc, upper)));
    free(city);
    const char *lang = norm_language(s);
    FUZZ_CHECK(lang == NULL || (strlen(lang) == 2 && all_in(lang, "abcdefghijklmnopqrstuvwxyz")));
    char cert[64];
    if (norm_certification(s, cert, sizeof cert)) {
        FUZZ_CHECK(cert[0] != '\0' && strlen(cert) < sizeof cert);
        FUZZ_CHECK(all_in(cert, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"));
        (void)norm_is_security_certification(cert);
    }
}

static void check_numbers(const char *s)
{
    struct norm_range g;
    if (norm_employees(s, &g)) {
        FUZZ_CHECK(g.has_min || g.has_max);
        FUZZ_CHECK(g.min >= 0 && g.max >= 0 && (!g.has_min || !g.has_max || g.max >= g.min));
    }
    char cur[4] = "";
    if (norm_rate(s, &g, cur)) {
        FUZZ_CHECK(g.has_min || g.has_max);
        FUZZ_CHECK(isfinite(g.min) && isfinite(g.max) && 0 <= g.min && 0 <= g.max);
        FUZZ_CHECK(!g.has_min || !g.has_max || g.min <= g.max);
        FUZZ_CHECK(strlen(cur) == 3 && all_in(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    }
    double rating;
    if (norm_rating(s, &rating))
        FUZZ_CHECK(isfinite(rating) && rating >= 0 && rating <= 5);
    int year;
    if (norm_founded(s, &year))
        FUZZ_CHECK(year >= 1800 && year <= 2100);
}

static void check_texts(const char *s)
{
    size_t bad;
    char *host = norm_website_host(s);
    if (host) {
        FUZZ_CHECK(host[0] != '\0' && strpbrk(host, " \t\r\n/") == NULL);
        FUZZ_CHECK(norm_utf8_valid(host, strlen(host), &bad));
        free(host);
    }
    char *k = norm_name_key(s);
    check_clean_key(k);
    free(k);
    k = norm_text_key(s);
    check_clean_key(k);
    free(k);
    k = need_label_norm(s); /* trimmed, inner spaces as written (as vendor.c stores them) */
    FUZZ_CHECK(norm_utf8_valid(k, strlen(k), &bad));
    FUZZ_CHECK(k[0] != ' ' && (k[0] == '\0' || k[strlen(k) - 1] != ' '));
    free(k);
    char *p = textnorm_phrase(s);
    check_clean_key(p);
    char *again = textnorm_phrase(p); /* aliases are stored in this form */
    FUZZ_CHECK(strcmp(p, again) == 0);
    free(again);
    free(p);

    struct strlist parts;
    strlist_init(&parts);
    norm_split_multi(s, &parts);
    for (size_t i = 0; i < parts.len; i++) {
        const char *part = parts.items[i];
        size_t n = strlen(part);
        FUZZ_CHECK(n > 0 && part[0] != ' ' && part[n - 1] != ' ');
        double share;
        const char *rest = norm_strip_share(part, &share);
        FUZZ_CHECK(rest >= part && rest <= part + n);
        FUZZ_CHECK(share == -1 || share >= 0); /* not capped at 100: only the text is used */
    }
    strlist_free(&parts);
}

static void check_distance(const char *s)
{
    size_t n = strlen(s), h = n / 2;
    int d = textnorm_distance(s, h, s + h, n - h, 3);
    FUZZ_CHECK(d >= 0 && d <= 4);
    FUZZ_CHECK(textnorm_distance(s + h, n - h, s, h, 3) == d);
    if (n < 64) /* longer words are not compared: it gives up (max + 1) */
        FUZZ_CHECK(textnorm_distance(s, n, s, n, 0) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xmalloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    size_t bad;
    if (norm_utf8_valid(s, strlen(s), &bad)) {
        check_codes(s);
        check_numbers(s);
        check_texts(s);
        check_distance(s);
    }
    free(s);
    return 0;
}
