/*
 * output: aligned tables, CSV and JSON. The aligned view is for a terminal,
 * so it measures display width with utf8proc and strips control characters;
 * CSV quotes per RFC 4180 and defuses spreadsheet formulas.
 */
#include "io/output.h"

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

char *output_terminal_safe(const char *s)
{
    struct sbuf b;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);

    sbuf_init(&b);
    sbuf_reserve(&b, (size_t)left);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            sbuf_putc(&b, '?');
            p++;
            left--;
            continue;
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            sbuf_putc(&b, cp == '\n' || cp == '\t' || cp == '\r' ? ' ' : '?');
        else
            sbuf_append(&b, (const char *)p, (size_t)n);
        p += n;
        left -= n;
    }
    return sbuf_detach(&b);
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
    bool quote = strpbrk(s, ",\"\r\n;\t") != NULL;
    bool prefix = defuse && csv_cell_needs_defusing(s);
    if (prefix)
        quote = true;
    if (!quote) {
        fputs(s, f);
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

int json_print(FILE *f, const json_t *v)
{
    if (json_dumpf(v, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) != 0)
        return -1;
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
