/*
 * textnorm: Unicode-aware phrase normalisation (utf8proc does NFKC, case
 * folding and accent stripping), then a byte pass that turns punctuation into
 * spaces and singularises English plurals word by word. Pure ASCII input, the
 * common case at import time, skips utf8proc entirely but gives the same result.
 */
#include "core/textnorm.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/util.h"

/* Words that end in 's' but are not plurals, or whose plural we keep. */
static const struct vm_word singular_keep[] = {
    VM_WORD("sales"),   VM_WORD("news"),    VM_WORD("series"),  VM_WORD("species"),
    VM_WORD("always"),  VM_WORD("various"), VM_WORD("does"),    VM_WORD("basis"),
    VM_WORD("was"),     VM_WORD("has"),     VM_WORD("this"),    VM_WORD("yes"),
    VM_WORD("whereas"), VM_WORD("perhaps"), VM_WORD("towards"), VM_WORD("chassis"),
    VM_WORD("ethos"),   VM_WORD("atlas"),   VM_WORD("canvas"),  VM_WORD("bias"),
    VM_WORD("alias"),   VM_WORD("plus"),    VM_WORD("thus"),    VM_WORD("across"),
};

static bool ends_with(const char *w, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(w + len - n, suffix, n) == 0;
}

void textnorm_singular(char *w, size_t *len)
{
    size_t n = *len;
    if (n <= 3 || w[n - 1] != 's')
        return;
    for (size_t i = 0; i < n; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return; /* only plain lower-case ASCII words */
    if (vm_word_in(singular_keep, sizeof singular_keep / sizeof *singular_keep, w, n))
        return;
    if (ends_with(w, n, "ss") || ends_with(w, n, "us") || ends_with(w, n, "is") ||
        ends_with(w, n, "ics") || ends_with(w, n, "sales"))
        return;
    if (ends_with(w, n, "yses")) { /* analyses -> analysis */
        w[n - 2] = 'i';
        return;
    }
    if (n > 4 && ends_with(w, n, "ies")) { /* companies -> company */
        w[n - 3] = 'y';
        n -= 2;
    } else if (ends_with(w, n, "sses") || ends_with(w, n, "xes") || ends_with(w, n, "ches") ||
               ends_with(w, n, "shes") || ends_with(w, n, "zzes")) {
        n -= 2; /* processes -> process, taxes -> tax, searches -> search */
    } else {
        n -= 1;
    }
    w[n] = '\0';
    *len = n;
}

/* Ends the word out[word..o): singularised and followed by one space;
 * returns the new end. An empty word adds nothing. */
static size_t end_word(char *out, size_t word, size_t o)
{
    if (o == word)
        return o;
    size_t wl = o - word;
    textnorm_singular(out + word, &wl);
    out[word + wl] = ' ';
    return word + wl + 1;
}

/* Ends a text written as words each followed by one space: without the
 * last space, NUL-terminated; returns its length. */
static size_t end_text(char *out, size_t o)
{
    if (o > 0)
        o--;
    out[o] = '\0';
    return o;
}

/* Rewrites `spaced` (words between runs of spaces; room for len + 1 bytes)
 * in place as its words singularised and joined by single spaces; returns
 * the new length. The write position never passes the read position. */
static size_t finish_words(char *spaced, size_t len)
{
    size_t o = 0, word = 0;
    for (size_t i = 0; i < len; i++) {
        if (spaced[i] != ' ') {
            spaced[o++] = spaced[i];
        } else {
            o = end_word(spaced, word, o);
            word = o;
        }
    }
    return end_text(spaced, end_word(spaced, word, o));
}

/* The normal form of a buffer built by a first pass, in place. */
static char *finish_buffer(struct sbuf *b)
{
    if (!b->data)
        return xstrdup("");
    b->len = finish_words(b->data, b->len);
    return sbuf_detach(b);
}

static bool is_apostrophe(int32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == '`';
}

/* Writes the normal form of s[0..len) to out, which has room for len bytes
 * plus 4 for each '&' plus 1, and returns out; NULL as soon as a byte is not
 * ASCII (the text needs utf8proc). One pass: words end as finish_words ends
 * them, without a second pass over the text. */
static char *normalise_ascii_into(const char *s, size_t len, char *out)
{
    size_t o = 0, word = 0; /* out[word..o) is the word being read */
    for (size_t i = 0; i <= len; i++) {
        unsigned char c = i < len ? (unsigned char)s[i] : ' ';
        if ((unsigned)(c - 'A') < 26u) {
            out[o++] = (char)(c - 'A' + 'a');
        } else if ((unsigned)(c - 'a') < 26u || (unsigned)(c - '0') < 10u) {
            out[o++] = (char)c;
        } else if (c >= 0x80) {
            return NULL;
        } else if (!is_apostrophe(c)) {
            o = end_word(out, word, o);
            if (c == '&') {
                memcpy(out + o, "and ", 4);
                o += 4;
            }
            word = o;
        }
    }
    end_text(out, o);
    return out;
}

static char *normalise_unicode(const char *s)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                         UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0)
        return xstrdup("");
    struct sbuf b;
    sbuf_init(&b);
    sbuf_reserve(&b, (size_t)n + 8);
    utf8proc_ssize_t i = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t step = utf8proc_iterate(folded + i, n - i, &c);
        if (step <= 0)
            break;
        utf8proc_category_t cat = utf8proc_category(c);
        bool keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO);
        if (c == '&')
            sbuf_puts(&b, " and ");
        else if (keep)
            sbuf_append(&b, (const char *)folded + i, (size_t)step);
        else if (!is_apostrophe(c))
            sbuf_putc(&b, ' ');
        i += step;
    }
    free(folded);
    return finish_buffer(&b);
}

char *textnorm_phrase_buf(const char *utf8, char *buf, size_t cap)
{
    if (!utf8)
        return NULL;
    /* Each '&' grows by 4 bytes (" and "): count them only when the
     * worst case would not fit in buf anyway. */
    size_t len = strlen(utf8), need = len + 4 * len + 1;
    if (need > cap) {
        need = len + 1;
        for (const char *p = utf8; (p = strchr(p, '&')) != NULL; p++)
            need += 4;
    }
    char *out = need <= cap ? buf : xmalloc(need);
    if (normalise_ascii_into(utf8, len, out))
        return out;
    if (out != buf)
        free(out);
    return normalise_unicode(utf8);
}

char *textnorm_phrase(const char *utf8)
{
    return textnorm_phrase_buf(utf8, NULL, 0);
}

int textnorm_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
    enum { CAP = 64 };
    if (alen >= CAP || blen >= CAP)
        return max + 1;
    int diff = (int)alen - (int)blen;
    if (diff > max || -diff > max)
        return max + 1;
    int d[CAP][CAP];
    for (size_t i = 0; i <= alen; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= blen; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= alen; i++) {
        int row_min = d[i][0]; /* column 0 counts: against "" the distance is alen */
        for (size_t j = 1; j <= blen; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > max)
            return max + 1;
    }
    return d[alen][blen] > max ? max + 1 : d[alen][blen];
}
