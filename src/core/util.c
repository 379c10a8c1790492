/*
 * util: error values, string buffers and checked allocation. Allocation
 * failure aborts: a CLI that cannot allocate a few bytes cannot report
 * anything useful either, and it keeps every caller free of NULL checks.
 */
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vm_err_clear(struct vm_err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

int vm_err_set(struct vm_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

static void oom(void)
{
    fputs("vendormatch: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    struct sbuf b;
    va_list ap;
    sbuf_init(&b);
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    return sbuf_detach(&b);
}

void sbuf_init(struct sbuf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void sbuf_free(struct sbuf *b)
{
    free(b->data);
    sbuf_init(b);
}

void sbuf_reset(struct sbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void sbuf_grow(struct sbuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0'; /* the buffer is a valid string at every moment */
}

void sbuf_puts(struct sbuf *b, const char *s)
{
    sbuf_append(b, s, strlen(s));
}

void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    sbuf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *sbuf_detach(struct sbuf *b)
{
    char *s = b->data ? b->data : xstrdup("");
    sbuf_init(b);
    return s;
}

void strlist_init(struct strlist *l)
{
    l->items = NULL;
    l->len = 0;
    l->cap = 0;
}

void strlist_free(struct strlist *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    strlist_init(l);
}

void strlist_push_owned(struct strlist *l, char *s)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->len++] = s;
}

void strlist_push(struct strlist *l, const char *s)
{
    strlist_push_owned(l, xstrdup(s));
}

bool strlist_contains(const struct strlist *l, const char *s)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

bool vm_word_in(const struct vm_word *list, size_t count, const char *w, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].len == n && memcmp(list[i].text, w, n) == 0)
            return true;
    return false;
}

void *vm_grow_small(void *array, const void *small, size_t n, size_t *cap, size_t item_size)
{
    if (n < *cap)
        return array;
    *cap *= 2;
    if (array != small)
        return xrealloc(array, *cap * item_size);
    void *heap = xmalloc(*cap * item_size);
    memcpy(heap, small, n * item_size);
    return heap;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t vm_scan_decimal(const char *s, bool fraction, bool grouped, double *out)
{
    size_t n = 0, lead = 0;
    struct sbuf digits;
    while (is_digit(s[lead]))
        lead++;
    if (lead == 0)
        return 0;
    n = lead;
    /* "1,000": a thousands group is a comma and exactly three digits, after a
     * first group of one to three; anything else ends the number before it. */
    if (grouped && lead <= 3)
        while (s[n] == ',' && is_digit(s[n + 1]) && is_digit(s[n + 2]) && is_digit(s[n + 3]) &&
               !is_digit(s[n + 4]))
            n += 4;
    if (fraction && s[n] == '.' && is_digit(s[n + 1]))
        for (n++; is_digit(s[n]); n++)
            ;
    sbuf_init(&digits);
    for (size_t i = 0; i < n; i++)
        if (s[i] != ',')
            sbuf_putc(&digits, s[i]);
    *out = strtod(digits.data, NULL); /* only digits and '.': the C locale's form */
    sbuf_free(&digits);
    return n;
}

bool vm_parse_decimal(const char *s, double min, double max, double *out)
{
    double v;
    size_t n = vm_scan_decimal(s, true, false, &v);
    if (n == 0 || s[n] != '\0' || !isfinite(v) || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool vm_parse_int(const char *s, long long min, long long max, long long *out)
{
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    if (n == 0 || s[n] != '\0')
        return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE || v < min || v > max)
        return false;
    *out = v;
    return true;
}
