/*
 * fx: the rate table and the ECB CSV reader (fx.h). The CSV is small (one
 * row, or a few thousand in the history file), split here by hand: fields
 * separated by commas, trimmed, no quoting in the ECB's files.
 */
#include "core/fx.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/normalize.h"
#include "core/util.h"

void fx_table_init(struct fx_table *t)
{
    memset(t, 0, sizeof *t);
}

void fx_table_free(struct fx_table *t)
{
    free(t->rates);
    memset(t, 0, sizeof *t);
}

void fx_table_set(struct fx_table *t, const char *currency, double usd_per_unit, const char *date)
{
    struct fx_rate *r = (struct fx_rate *)fx_table_find(t, currency);
    if (!r || strcmp(currency, "USD") == 0) {
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 32;
            t->rates = xrealloc(t->rates, t->cap * sizeof *t->rates);
        }
        r = &t->rates[t->n++];
    }
    snprintf(r->currency, sizeof r->currency, "%s", currency);
    r->usd_per_unit = usd_per_unit;
    snprintf(r->date, sizeof r->date, "%s", date ? date : "");
}

const struct fx_rate *fx_table_find(const struct fx_table *t, const char *currency)
{
    static const struct fx_rate usd = {"USD", 1.0, ""};
    if (strcmp(currency, "USD") == 0)
        return &usd;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rates[i].currency, currency) == 0)
            return &t->rates[i];
    return NULL;
}

bool fx_convert(const struct fx_table *t, const char *from, const char *to, double amount,
                double *out, double *factor)
{
    const struct fx_rate *a = fx_table_find(t, from), *b = fx_table_find(t, to);
    if (!a || !b)
        return false;
    *factor = a->usd_per_unit / b->usd_per_unit;
    *out = amount * *factor;
    return true;
}

bool fx_valid_date(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    if (s[10])
        return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] &&
           (m != 2 || d <= 28 || leap);
}

/* "07 December 2026" or "2026-12-07" -> "2026-12-07"; false otherwise. */
static bool ecb_date(const char *s, char out[11])
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    if (strlen(s) == 10) {
        snprintf(out, 11, "%s", s);
        return fx_valid_date(out);
    }
    int d = 0, y = 0;
    char mon[16];
    if (sscanf(s, "%2d %15s %4d", &d, mon, &y) != 3)
        return false;
    for (int m = 0; m < 12; m++)
        if (strcasecmp(mon, months[m]) == 0) {
            snprintf(out, 11, "%04d-%02d-%02d", y, m + 1, d);
            return fx_valid_date(out);
        }
    return false;
}

/* Splits one line at commas into trimmed fields (in place). */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    for (char *p = line; n < max;) {
        char *end = strchr(p, ',');
        if (end)
            *end = '\0';
        while (isspace((unsigned char)*p))
            p++;
        char *e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            *--e = '\0';
        f[n++] = p;
        if (!end)
            break;
        p = end + 1;
    }
    return n;
}

#define FX_MAX_COLS 128

/* How many line feeds text[0..n) holds. */
static size_t count_lines(const char *text, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += text[i] == '\n';
    return k;
}

/* Where a problem is: line and column (1-based, the column in characters
 * of the line, as import counts them), and what it is. */
struct ecb_pos {
    char **why;
    long *line, *col;
};

/* The column of p within the line starting at start: 1 + the characters
 * before it (a UTF-8 continuation byte is no character; the NULs split()
 * wrote over commas and spaces stand for one character each). */
static long char_col(const char *start, const char *p)
{
    long c = 1;
    for (; start < p; start++)
        c += ((unsigned char)*start & 0xC0) != 0x80;
    return c;
}

static int ecb_fail(const struct ecb_pos *at, long line, long col, char *msg)
{
    *at->why = msg;
    *at->line = line;
    *at->col = col;
    return -1;
}

/* The problem at text[i] of the whole file: its line and column. */
static int ecb_fail_at(const struct ecb_pos *at, const char *text, size_t i, char *msg)
{
    size_t ls = i;
    while (ls > 0 && text[ls - 1] != '\n')
        ls--;
    return ecb_fail(at, 1 + (long)count_lines(text, i), char_col(text + ls, text + i), msg);
}

/* Fills out from the chosen row (fields, split from the line at rl, line
 * number ln) under the header's codes (split from the line at hl, line hn). */
static int ecb_row(const char *hl, long hn, char **head, size_t nh, const char *rl, char **row,
                   size_t nr, long ln, const char *date, struct fx_table *out,
                   const struct ecb_pos *at)
{
    size_t usd = 0;
    for (size_t i = 1; i < nh; i++)
        if (strcmp(head[i], "USD") == 0)
            usd = i;
    double usd_per_eur;
    if (!usd)
        return ecb_fail(at, hn, 1,
                        xstrdup("no USD column (the ECB layout has a USD column: units per "
                                "euro)"));
    if (usd >= nr || !vm_parse_decimal(row[usd], 1e-9, 1e9, &usd_per_eur))
        return ecb_fail(at, ln, usd < nr ? char_col(rl, row[usd]) : 1,
                        xstrdup("no USD rate in the row (the ECB layout has a "
                                "USD column: units per euro)"));
    fx_table_set(out, "EUR", usd_per_eur, date);
    for (size_t i = 1; i < nh && i < nr; i++) {
        double per_eur;
        if (i == usd || !head[i][0] || strcmp(row[i], "N/A") == 0 || !row[i][0])
            continue;
        if (!norm_currency(head[i], strlen(head[i])) || strlen(head[i]) != 3)
            return ecb_fail(at, hn, char_col(hl, head[i]),
                            xasprintf("'%s' is no ISO 4217 code", head[i]));
        if (!vm_parse_decimal(row[i], 1e-9, 1e12, &per_eur))
            return ecb_fail(at, ln, char_col(rl, row[i]),
                            xasprintf("bad %s rate '%s'", head[i], row[i]));
        fx_table_set(out, head[i], usd_per_eur / per_eur, date);
    }
    return 0;
}

int fx_parse_ecb(const char *text, size_t len, const char *want_date, struct fx_table *out,
                 char **why, long *line, long *col)
{
    const struct ecb_pos at = {.why = why, .line = line, .col = col};
    size_t bad = 0;
    *why = NULL;
    if (!norm_utf8_valid(text, len, &bad))
        return ecb_fail_at(&at, text, bad, xstrdup("invalid UTF-8: not a reference-rate file"));
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 && text[i] != '\n' && text[i] != '\r' && text[i] != '\t')
            return ecb_fail_at(&at, text, i,
                               xasprintf("control byte 0x%02x: not a reference-rate file",
                                         (unsigned char)text[i]));
    char *buf = xstrndup(text, len), *save = NULL, *head[FX_MAX_COLS], *row[FX_MAX_COLS];
    char *best = NULL, *hl = NULL, best_date[11] = "";
    long best_line = 0, head_line = 0, n = 1; /* n: l's line (blank ones are skipped) */
    size_t nh = 0, seen = 0;
    int rc = 0;
    for (char *l = strtok_r(buf, "\r\n", &save); l && rc == 0; l = strtok_r(NULL, "\r\n", &save)) {
        n += (long)count_lines(text + seen, (size_t)(l - buf) - seen);
        seen = (size_t)(l - buf);
        if (!hl) {
            if (strncmp(l, "\xEF\xBB\xBF", 3) == 0)
                l += 3;
            hl = l;
            head_line = n;
            nh = split(l, head, FX_MAX_COLS);
            if (nh < 2 || strcasecmp(head[0], "Date") != 0)
                rc = ecb_fail(&at, n, 1,
                              xstrdup("not an ECB reference-rate file (the header starts "
                                      "with 'Date, USD, JPY, ...')"));
            continue;
        }
        char *comma = strchr(l, ','), d[11];
        char *first = xstrndup(l, comma ? (size_t)(comma - l) : strlen(l));
        char *trim = first;
        while (isspace((unsigned char)*trim))
            trim++;
        bool ok = ecb_date(trim, d);
        free(first);
        if (!ok) {
            rc = ecb_fail(&at, n, 1, xasprintf("bad date in '%.40s'", l));
            break;
        }
        if (want_date ? strcmp(d, want_date) == 0 : strcmp(d, best_date) > 0) {
            best = l;
            best_line = n;
            snprintf(best_date, sizeof best_date, "%s", d);
        }
    }
    if (rc == 0 && !best)
        rc = ecb_fail(&at, n, 1,
                      want_date ? xasprintf("no row dated %s", want_date)
                                : xstrdup("no rates: the file has a header and no row"));
    if (rc == 0)
        rc = ecb_row(hl, head_line, head, nh, best, row, split(best, row, FX_MAX_COLS), best_line,
                     best_date, out, &at);
    free(buf);
    return rc;
}
