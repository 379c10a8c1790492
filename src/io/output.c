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
    t->fit = 0;
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

/* Bytes at the start of s[0..len) below 0x7f, and not below 0x20 unless
 * controls is true; eight at a time (most text is plain ASCII). */
static size_t ascii_prefix(const unsigned char *s, size_t len, bool controls)
{
    const uint64_t ones = 0x0101010101010101u, high = ones * 0x80;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w, del;
        memcpy(&w, s + i, 8);
        del = w ^ (ones * 0x7f); /* a zero byte where w has DEL */
        if ((w & high) || ((del - ones) & ~del & high) ||
            (!controls && ((w - ones * 0x20) & ~w & high)))
            break;
    }
    while (i < len && s[i] < 0x7f && (controls || s[i] >= 0x20))
        i++;
    return i;
}

/* Bytes at the start of s[0..len) that the rule leaves as they are. */
static size_t plain_prefix(const char *s, size_t len, enum out_safe_mode mode)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (;;) {
        i += ascii_prefix(u + i, len - i, false);
        if (i < len && mode == OUT_SAFE_TEXT && (u[i] == '\t' || u[i] == '\n'))
            i++;
        else
            return i;
    }
}

bool output_is_plain(const char *s, size_t len, enum out_safe_mode mode)
{
    return plain_prefix(s, len, mode) == len;
}

size_t output_safe_next(const char *s, size_t len, enum out_safe_mode mode, const char **out,
                        size_t *out_len)
{
    size_t run = plain_prefix(s, len, mode);
    if (run) {
        *out = s;
        *out_len = run;
        return run;
    }
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, (utf8proc_ssize_t)len, &cp);
    if (n <= 0) { /* invalid UTF-8: one replacement per byte */
        *out = replacement;
        *out_len = 3;
        return 1;
    }
    bool crlf = mode == OUT_SAFE_TEXT && cp == '\r' && len > 1 && p[1] == '\n';
    if (crlf || !output_char_unsafe(cp)) {
        *out = s;
        *out_len = (size_t)n;
    } else if (mode == OUT_SAFE_LINE && (cp == '\t' || cp == '\n' || cp == '\r')) {
        *out = " ";
        *out_len = 1;
    } else {
        *out = replacement;
        *out_len = 3;
    }
    return (size_t)n;
}

void output_safe_append(struct sbuf *b, const char *s, size_t len, enum out_safe_mode mode)
{
    while (len > 0) {
        const char *out;
        size_t out_len, n = output_safe_next(s, len, mode, &out, &out_len);
        sbuf_append(b, out, out_len);
        s += n;
        len -= n;
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
    size_t len = s ? strlen(s) : 0;
    while (len > 0) {
        const char *out;
        size_t out_len, n = output_safe_next(s, len, OUT_SAFE_TEXT, &out, &out_len);
        fwrite(out, 1, out_len, f);
        s += n;
        len -= n;
    }
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

/* Cuts s to at most max display columns, ending it with an ellipsis
 * (U+2026, one column) when it was longer. It cuts only between grapheme
 * clusters (an accent stays on its letter, a wide character is never
 * halved) and never inside a UTF-8 sequence. */
char *output_fit_width(const char *s, size_t max)
{
    if (output_display_width(s) <= max)
        return xstrdup(s);
    struct sbuf b;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    utf8proc_int32_t prev = -1, state = 0;
    size_t w = 0, keep = 0; /* bytes up to the last cluster boundary that fits */
    sbuf_init(&b);
    sbuf_puts(&b, "");
    while (left > 0 && max > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) { /* a stray byte: its own cluster, one column as measured */
            n = 1;
            cp = -1;
        }
        if (prev < 0)
            state = 0;
        bool boundary = prev < 0 || cp < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state);
        int cw = cp < 0 ? 1 : utf8proc_charwidth(cp);
        if (boundary)
            keep = b.len;
        if (w + (size_t)(cw > 0 ? cw : 0) > max - 1)
            break;
        w += (size_t)(cw > 0 ? cw : 0);
        sbuf_append(&b, (const char *)p, (size_t)n);
        prev = cp;
        p += n;
        left -= n;
    }
    if (left > 0 && max > 0) /* cut: drop a cluster left incomplete */
        b.len = keep;
    else
        keep = b.len;
    b.data[keep] = '\0';
    sbuf_puts(&b, "\xe2\x80\xa6");
    return sbuf_detach(&b);
}

/* A header as every aligned table shows it: upper case, '_' as a space
 * ("usd_per_unit" -> "USD PER UNIT"), one style in every command. */
static char *header_text(const char *h)
{
    char *s = output_terminal_safe(h);
    for (char *p = s; *p; p++)
        *p = *p == '_' ? ' ' : (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
    return s;
}

/* Narrows the widest columns, one column at a time, until a line of the
 * table fits t->fit columns or every column is down to its header (and at
 * least 4 columns wide). True when it narrowed any. */
static bool fit_columns(const struct table *t, size_t *width, char *const *headers)
{
    bool narrowed = false;
    size_t total = 2 * (t->ncols - 1);
    for (size_t c = 0; c < t->ncols; c++)
        total += width[c];
    while (t->fit && total > t->fit) {
        size_t widest = t->ncols;
        for (size_t c = 0; c < t->ncols; c++) {
            size_t floor = output_display_width(headers[c]);
            if (width[c] > (floor > 4 ? floor : 4) &&
                (widest == t->ncols || width[c] >= width[widest]))
                widest = c;
        }
        if (widest == t->ncols)
            break;
        width[widest]--;
        total--;
        narrowed = true;
    }
    return narrowed;
}

void table_print_aligned(const struct table *t, FILE *f)
{
    size_t rows = table_rows(t), max = t->max_width ? t->max_width : 48;
    size_t *width = xcalloc(t->ncols, sizeof *width);
    char **headers = xcalloc(t->ncols, sizeof *headers);
    char **shown = xcalloc(t->cells.len ? t->cells.len : 1, sizeof *shown);

    for (size_t c = 0; c < t->ncols; c++) {
        headers[c] = header_text(t->headers[c]);
        width[c] = output_display_width(headers[c]);
    }
    for (size_t i = 0; i < t->cells.len; i++) {
        char *safe = output_terminal_safe(t->cells.items[i]);
        shown[i] = output_fit_width(safe, max < 4 ? 4 : max);
        free(safe);
        size_t w = output_display_width(shown[i]);
        if (w > width[i % t->ncols])
            width[i % t->ncols] = w;
    }
    bool narrowed = fit_columns(t, width, headers);
    for (size_t i = 0; narrowed && i < t->cells.len; i++) {
        if (output_display_width(shown[i]) <= width[i % t->ncols])
            continue;
        char *cut = output_fit_width(shown[i], width[i % t->ncols]);
        free(shown[i]);
        shown[i] = cut;
    }
    for (size_t r = 0; r <= rows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = r == 0 ? headers[c] : shown[(r - 1) * t->ncols + c];
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
    for (size_t c = 0; c < t->ncols; c++)
        free(headers[c]);
    free(headers);
    free(shown);
    free(width);
}

void output_print_wrapped(FILE *f, const char *first, const char *indent, const char *text,
                          size_t width)
{
    char *safe = output_terminal_safe(text), *head = output_terminal_safe(first);
    size_t hang = output_display_width(indent), col = output_display_width(head);
    const char *p = safe;
    bool first_word = true;
    fputs(head, f);
    free(head);
    while (*p) {
        const char *word = p + strspn(p, " ");
        size_t len = strcspn(word, " ");
        if (len == 0)
            break;
        char *w = xstrndup(word, len);
        size_t ww = output_display_width(w);
        if (!first_word && col + 1 + ww > width && col > hang) {
            fputc('\n', f);
            fputs(indent, f);
            col = hang;
        } else if (!first_word) {
            fputc(' ', f);
            col++;
        }
        first_word = false;
        if (col + ww > width && width > col) { /* a word longer than a line: cut it */
            char *cut = output_fit_width(w, width - col);
            free(w);
            w = cut;
            ww = output_display_width(w);
        }
        fputs(w, f);
        col += ww;
        free(w);
        p = word + len;
    }
    fputc('\n', f);
    free(safe);
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
    if (!output_is_plain(s, strlen(s), OUT_SAFE_TEXT))
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

/* jansson hands its text over in many small pieces; they are gathered and
 * written in blocks of about this size. */
#define JSON_OUT_BLOCK ((size_t)64 << 10)

struct json_out {
    FILE *f;
    struct sbuf buf; /* text not written yet */
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
    if (n == 1 && p[0] < 0x80)
        json_put_escape(f, p[0]); /* DEL: other ASCII is written in runs */
    else if (utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp) != (utf8proc_ssize_t)n)
        fputs(replacement, f); /* never from jansson, which writes valid UTF-8 */
    else if (output_char_unsafe(cp))
        json_put_escape(f, cp);
    else
        fwrite(p, 1, n, f);
}

/* Writes the gathered text; a UTF-8 sequence cut at its end waits for the
 * next piece unless this is the end. */
static void json_out_flush(struct json_out *o, bool last)
{
    const unsigned char *p = (const unsigned char *)o->buf.data, *end = p + o->buf.len;
    while (p < end) {
        size_t run = ascii_prefix(p, (size_t)(end - p), true); /* ASCII but DEL: as is */
        fwrite(p, 1, run, o->f);
        p += run;
        if (p == end)
            break;
        size_t n = utf8_seq_len(*p);
        if ((size_t)(end - p) < n && !last)
            break;
        n = (size_t)(end - p) < n ? (size_t)(end - p) : n;
        json_put_seq(o->f, p, n);
        p += n;
    }
    size_t left = (size_t)(end - p);
    memmove(o->buf.data, p, left);
    o->buf.len = left;
    o->buf.data[left] = '\0';
}

static int json_out_piece(const char *piece, size_t size, void *data)
{
    struct json_out *o = data;
    sbuf_append(&o->buf, piece, size);
    if (o->buf.len >= JSON_OUT_BLOCK)
        json_out_flush(o, false);
    return 0;
}

int json_print(FILE *f, const json_t *v)
{
    struct json_out o = {.f = f};
    sbuf_init(&o.buf);
    sbuf_reserve(&o.buf, JSON_OUT_BLOCK + 1);
    int rc = json_dump_callback(v, json_out_piece, &o,
                                JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_out_flush(&o, true);
    sbuf_free(&o.buf);
    if (rc != 0 || fputc('\n', f) == EOF || ferror(f))
        return -1;
    return 0;
}

int table_print(const struct table *t, enum out_format fmt, const enum table_json *json, FILE *f,
                struct vm_err *err)
{
    if (fmt != OUT_JSON) {
        if (fmt == OUT_CSV)
            table_print_csv(t, f);
        else
            table_print_aligned(t, f);
        return 0;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < table_rows(t); i++) {
        json_t *o = json_object();
        for (size_t k = 0; k < t->ncols; k++) {
            const char *v = t->cells.items[i * t->ncols + k];
            json_object_set_new(o, t->headers[k],
                                json[k] == TABLE_JSON_NUMBER                 ? json_real(atof(v))
                                : json[k] == TABLE_JSON_OR_NULL && v[0] == 0 ? json_null()
                                                                             : json_string(v));
        }
        json_array_append_new(arr, o);
    }
    int rc = json_print(f, arr)
                 ? vm_err_set(err, VM_EXIT_FAILURE, "error writing to standard output")
                 : 0;
    json_decref(arr);
    return rc;
}
