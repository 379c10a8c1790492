/*
 * util: the small pieces every module shares: an error value that travels
 * back to main (which alone picks the exit code), a growable string buffer,
 * and allocation helpers that abort on out-of-memory instead of returning NULL.
 */
#ifndef VM_UTIL_H
#define VM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdbool.h>

/* Exit codes (README.md, where the commands are introduced; each --help). */
enum vm_exit {
    VM_EXIT_OK = 0,
    VM_EXIT_FAILURE = 1,
    VM_EXIT_USAGE = 2,
    VM_EXIT_DATAERR = 65,
    VM_EXIT_UNAVAILABLE = 69,
    VM_EXIT_INTERRUPTED = 130, /* 128 + SIGINT, as shells report it */
};

/* An error as a value: the exit code it implies and a message for the user. */
struct vm_err {
    int code;       /* one of enum vm_exit; 0 when no error */
    char msg[2048]; /* what failed and what to do */
};

void vm_err_clear(struct vm_err *err);
/* Sets err (if not NULL) and returns code, so callers can `return vm_err_set(...)`. */
int vm_err_set(struct vm_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable, always NUL-terminated byte buffer. */
struct sbuf {
    char *data;
    size_t len;
    size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_grow(struct sbuf *b, size_t extra);
void sbuf_puts(struct sbuf *b, const char *s);

/* Room for extra more bytes and the NUL. The fast paths below are inline:
 * an import appends a few hundred times a row. */
static inline void sbuf_reserve(struct sbuf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap)
        sbuf_grow(b, extra);
}

static inline void sbuf_append(struct sbuf *b, const char *s, size_t n)
{
    sbuf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void sbuf_putc(struct sbuf *b, char c)
{
    sbuf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap);
/* Hands the buffer's string to the caller (who frees it) and resets b. */
char *sbuf_detach(struct sbuf *b);

/* A growable array of owned strings. */
struct strlist {
    char **items;
    size_t len;
    size_t cap;
};

void strlist_init(struct strlist *l);
void strlist_free(struct strlist *l);
void strlist_push(struct strlist *l, const char *s); /* copies s */
void strlist_push_owned(struct strlist *l, char *s); /* takes s */
bool strlist_contains(const struct strlist *l, const char *s);

/* FNV-1a (64-bit) over n more bytes from state h: hashing a string in
 * pieces gives the same state as hashing it whole. */
#define VM_FNV_OFFSET 0xcbf29ce484222325ull
static inline uint64_t vm_fnv1a(uint64_t h, const void *s, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* A fixed list of words with their lengths, for lookups in hot loops:
 * static const struct vm_word list[] = {VM_WORD("and"), VM_WORD("or")}; */
struct vm_word {
    const char *text;
    size_t len;
};
#define VM_WORD(s)                                                                                 \
    {                                                                                              \
        s, sizeof s - 1                                                                            \
    }
/* True when the n bytes at w are one of the count words of list. */
bool vm_word_in(const struct vm_word *list, size_t count, const char *w, size_t n);

/*
 * Strict numbers, for every numeric option and every number in a needs or
 * taxonomy file. A plain decimal is ASCII digits, optionally '.' and more
 * digits: no sign, no spaces, no exponent, no hex, no inf or nan, nothing
 * after it. Returns true and sets *out only for such text within [min, max];
 * callers say the accepted form and range when it returns false.
 */
bool vm_parse_int(const char *s, long long min, long long max, long long *out);
bool vm_parse_decimal(const char *s, double min, double max, double *out);
/*
 * The plain decimal at the start of s, for parsers of richer forms ("EUR 25",
 * "20-30"): returns its length in bytes, 0 when s does not start with one.
 * fraction allows ".digits"; grouped also reads thousands groups ("1,000",
 * "12,500.50": 1-3 digits, then ",ddd" groups). *out gets the value (which
 * may be huge or inf for very long digit strings: check the range).
 */
size_t vm_scan_decimal(const char *s, bool fraction, bool grouped, double *out);

/*
 * Makes room for one more item in an array that starts in a caller's stack
 * buffer `small` and moves to the heap when full: returns the array to use
 * (the same, or a larger one holding its first n items). Free the result
 * when it is not `small`.
 */
void *vm_grow_small(void *array, const void *small, size_t n, size_t *cap, size_t item_size);

#endif
