/*
 * suggest: nearest known term by edit distance over letter-and-digit keys
 * (suggest.h). The distance is computed with two rolling rows plus the one
 * before them (for transpositions), cut off early once every cell of a row
 * exceeds the best distance so far.
 */
#include "core/suggest.h"

#include <ctype.h>
#include <string.h>

/* Lower-cased letters and digits of text[0..len) (bytes >= 0x80 kept, so
 * non-Latin names compare too), at most size - 1 of them. */
static size_t make_key(const char *text, size_t len, char *out, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if (isalnum(c) || c >= 0x80)
            out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
    return k;
}

void suggest_init(struct suggest *s, const char *typed)
{
    s->len = make_key(typed, strlen(typed), s->key, sizeof s->key);
    s->limit = (int)(s->len / 4);
    s->limit = s->limit < 1 ? 1 : s->limit > 3 ? 3 : s->limit;
    s->best_dist = s->limit + 1;
    s->best = NULL;
    s->best_shown = 0;
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance, or cap + 1 once it must exceed cap. */
static int distance(const char *a, size_t la, const char *b, size_t lb, int cap)
{
    int rows[3][65];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    if ((la > lb ? la - lb : lb - la) > (size_t)cap)
        return cap + 1;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int row_min;
        cur[0] = row_min = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int d = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            row_min = d < row_min ? d : row_min;
        }
        if (row_min > cap)
            return cap + 1;
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

void suggest_offer(struct suggest *s, const char *cand, size_t cand_len, const char *shown,
                   size_t shown_len)
{
    char key[64];
    size_t len = make_key(cand, cand_len, key, sizeof key);
    if (s->len == 0 || len == 0)
        return;
    int d = distance(s->key, s->len, key, len, s->best_dist - 1);
    if (d < s->best_dist) {
        s->best_dist = d;
        s->best = shown;
        s->best_shown = shown_len;
    }
}

void suggest_offer_str(struct suggest *s, const char *cand)
{
    suggest_offer(s, cand, strlen(cand), cand, strlen(cand));
}
