/*
 * output: aligned tables, CSV and JSON, and the one rule for untrusted text
 * (output_char_unsafe). The aligned view measures display width with
 * utf8proc; CSV quotes per RFC 4180 and defuses spreadsheet formulas; JSON
 * escapes what a terminal would act on. Every view writes text through
 * output_safe_append or the JSON escaper, never raw.
 */
#include "io/output.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void table_init(struct table *t, size_t ncols, const char *const *headers)
{
    t->ncols = ncols;
    t->headers = xcalloc(ncols, sizeof *t->headers);
    for (size_t i = 0; i < ncols; i++)
        t->headers[i] = xstrdup(headers[i]);
    strlist_init(&t->cells);
    t->max_width = 0;
}

void table_free(struct table *t)
{
    for (size_t i = 0; i < t->ncols; i++)
        free(t->headers[i]);
    free(t->headers);
    strlist_free(&t->cells);
}

void table_add_row(struct table *t, const char *const *cells)
{
    for (size_t i = 0; i < t->ncols; i++)
        strlist_push(&t->cells, cells[i] ? cells[i] : "");
}

size_t table_rows(const struct table *t)
{
    return t->ncols ? t->cells.len / t->ncols : 0;
}

/* ---- the rule for untrusted text ---- */

bool output_char_unsafe(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_CC: /* C0, DEL, C1 */
    case UTF8PROC_CATEGORY_CF: /* bidi controls, zero-width, BOM, tags, ... */
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return true;
    default:
        return false;
    }
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* True when s[0..len) is printable ASCII, TAB or LF only: nothing to do. */
static bool plain_ascii(const char *s, size_t len, enum out_safe_mode mode)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x7f || (c < 0x20 && (mode == OUT_SAFE_LINE || (c != '\t' && c != '\n'))))
            return false;
    }
    return true;
}

void output_safe_append(struct sbuf *b, const char *s, size_t len, enum out_safe_mode mode)
{
    if (plain_ascii(s, len, mode)) {
        sbuf_append(b, s, len);
        return;
    }
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) { /* invalid UTF-8: one replacement per byte */
            sbuf_append(b, replacement, 3);
            p++;
            left--;
            continue;
        }
        bool space = cp == '\t' || cp == '\n' || cp == '\r';
        bool keep = mode == OUT_SAFE_TEXT &&
                    (cp == '\t' || cp == '\n' || (cp == '\r' && left > 1 && p[1] == '\n'));
        if (keep || !output_char_unsafe(cp))
            sbuf_append(b, (const char *)p, (size_t)n);
        else if (space && mode == OUT_SAFE_LINE)
            sbuf_putc(b, ' ');
        else
            sbuf_append(b, replacement, 3);
        p += n;
        left -= n;
    }
}

char *output_safe(const char *s, enum out_safe_mode mode)
{
    struct sbuf b;
    size_t len = s ? strlen(s) : 0;
    sbuf_init(&b);
    sbuf_reserve(&b, len + 1);
    output_safe_append(&b, s ? s : "", len, mode);
    return sbuf_detach(&b);
}

char *output_terminal_safe(const char *s)
{
    return output_safe(s, OUT_SAFE_LINE);
}

void output_fputs(FILE *f, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    if (plain_ascii(s, len, OUT_SAFE_TEXT)) {
        fwrite(s, 1, len, f);
        return;
    }
    char *safe = output_safe(s, OUT_SAFE_TEXT);
    fputs(safe, f);
    free(safe);
}

int output_printf(FILE *f, const char *fmt, ...)
{
    struct sbuf raw;
    va_list ap;
    sbuf_init(&raw);
    va_start(ap, fmt);
    sbuf_vprintf(&raw, fmt, ap);
    va_end(ap);
    sbuf_puts(&raw, ""); /* a string even when empty */
    output_fputs(f, raw.data);
    sbuf_free(&raw);
    return ferror(f) ? -1 : 0;
}

size_t output_display_width(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    size_t w = 0;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            w++;
            p++;
            left--;
            continue;
        }
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        p += n;
        left -= n;
    }
    return w;
}

/* Cuts s (terminal-safe already) to at most max display columns, adding "...". */
static char *fit_width(const char *s, size_t max)
{
    if (output_display_width(s) <= max)
        return xstrdup(s);
    struct sbuf b;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    size_t w = 0;
    sbuf_init(&b);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            break;
        int cw = utf8proc_charwidth(cp);
        if (w + (size_t)(cw > 0 ? cw : 0) > max - 3)
            break;
        w += (size_t)(cw > 0 ? cw : 0);
        sbuf_append(&b, (const char *)p, (size_t)n);
        p += n;
        left -= n;
    }
    sbuf_puts(&b, "...");
    return sbuf_detach(&b);
}

void table_print_aligned(const struct table *t, FILE *f)
{
    size_t rows = table_rows(t), max = t->max_width ? t->max_width : 48;
    size_t *width = xcalloc(t->ncols, sizeof *width);
    char **shown = xcalloc(t->cells.len ? t->cells.len : 1, sizeof *shown);

    for (size_t c = 0; c < t->ncols; c++)
        width[c] = output_display_width(t->headers[c]);
    for (size_t i = 0; i < t->cells.len; i++) {
        char *safe = output_terminal_safe(t->cells.items[i]);
        shown[i] = fit_width(safe, max < 4 ? 4 : max);
        free(safe);
        size_t w = output_display_width(shown[i]);
        if (w > width[i % t->ncols])
            width[i % t->ncols] = w;
    }
    for (size_t r = 0; r <= rows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = r == 0 ? t->headers[c] : shown[(r - 1) * t->ncols + c];
            bool last = c + 1 == t->ncols;
            fputs(s, f);
            if (!last)
                for (size_t pad = output_display_width(s); pad < width[c] + 2; pad++)
                    fputc(' ', f);
        }
        fputc('\n', f);
    }
    for (size_t i = 0; i < t->cells.len; i++)
        free(shown[i]);
    free(shown);
    free(width);
}

static bool is_plain_number(const char *s)
{
    char *end;
    if (!*s)
        return false;
    strtod(s, &end);
    return *end == '\0' && s[0] != '\t' && s[0] != '\r' && s[0] != ' ';
}

bool csv_cell_needs_defusing(const char *s)
{
    if (!strchr("=+-@\t\r", s[0]) || s[0] == '\0')
        return false;
    return !is_plain_number(s);
}

void csv_write_cell(FILE *f, const char *s, bool defuse)
{
    char *safe = NULL;
    if (!plain_ascii(s, strlen(s), OUT_SAFE_TEXT))
        s = safe = output_safe(s, OUT_SAFE_TEXT);
    bool quote = strpbrk(s, ",\"\r\n;\t") != NULL;
    bool prefix = defuse && csv_cell_needs_defusing(s);
    if (prefix)
        quote = true;
    if (!quote) {
        fputs(s, f);
        free(safe);
        return;
    }
    fputc('"', f);
    if (prefix)
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
    free(safe);
}

void table_print_csv(const struct table *t, FILE *f)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            fputc(',', f);
        csv_write_cell(f, t->headers[c], true);
    }
    fputs("\r\n", f);
    for (size_t i = 0; i < t->cells.len; i++) {
        csv_write_cell(f, t->cells.items[i], true);
        fputs((i + 1) % t->ncols == 0 ? "\r\n" : ",", f);
    }
}

/* ---- JSON: jansson's text with unsafe code points as \uXXXX ---- */

struct json_out {
    FILE *f;
    unsigned char pend[4]; /* the start of a UTF-8 sequence split across chunks */
    size_t npend;
};

static void json_put_escape(FILE *f, int32_t cp)
{
    if (cp > 0xFFFF) { /* a surrogate pair, as JSON spells it */
        cp -= 0x10000;
        fprintf(f, "\\u%04X\\u%04X", (unsigned)(0xD800 + (cp >> 10)),
                (unsigned)(0xDC00 + (cp & 0x3FF)));
    } else {
        fprintf(f, "\\u%04X", (unsigned)cp);
    }
}

/* Bytes of the UTF-8 sequence that lead byte c starts (1 for a stray byte). */
static size_t utf8_seq_len(unsigned char c)
{
    return c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 1;
}

/* Writes one whole sequence of n bytes. Outside strings jansson writes only
 * printable ASCII, spaces and newlines, so whatever is escaped here is inside
 * a string, where \uXXXX means the same code point. */
static void json_put_seq(FILE *f, const unsigned char *p, size_t n)
{
    utf8proc_int32_t cp;
    if (n == 1 && p[0] < 0x80) {
        if (p[0] == 0x7f)
            json_put_escape(f, p[0]);
        else
            fputc(p[0], f);
    } else if (utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp) != (utf8proc_ssize_t)n) {
        fputs(replacement, f); /* never from jansson, which writes valid UTF-8 */
    } else if (output_char_unsafe(cp)) {
        json_put_escape(f, cp);
    } else {
        fwrite(p, 1, n, f);
    }
}

static int json_safe_chunk(const char *buffer, size_t size, void *data)
{
    struct json_out *o = data;
    const unsigned char *p = (const unsigned char *)buffer, *end = p + size;
    while (p < end) {
        if (o->npend) { /* complete the sequence the last chunk began */
            size_t need = utf8_seq_len(o->pend[0]);
            while (o->npend < need && p < end)
                o->pend[o->npend++] = *p++;
            if (o->npend < need)
                break;
            json_put_seq(o->f, o->pend, need);
            o->npend = 0;
            continue;
        }
        const unsigned char *run = p; /* ASCII but DEL: as is, in one write */
        while (p < end && *p < 0x7f)
            p++;
        if (p > run) {
            fwrite(run, 1, (size_t)(p - run), o->f);
            continue;
        }
        size_t n = utf8_seq_len(*p);
        if ((size_t)(end - p) < n) {
            memcpy(o->pend, p, (size_t)(end - p));
            o->npend = (size_t)(end - p);
            break;
        }
        json_put_seq(o->f, p, n);
        p += n;
    }
    return ferror(o->f) ? -1 : 0;
}

int json_print(FILE *f, const json_t *v)
{
    struct json_out o = {.f = f};
    if (json_dump_callback(v, json_safe_chunk, &o,
                           JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) != 0)
        return -1;
    if (o.npend)
        fputs(replacement, f);
    return fputc('\n', f) == EOF ? -1 : 0;
}

json_t *json_string_or_null(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    return v ? v : json_null(); /* invalid UTF-8 never reaches here: import rejects it */
}

json_t *json_strlist(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->len; i++)
        json_array_append_new(a, json_string_or_null(l->items[i]));
    return a;
}
