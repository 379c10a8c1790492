/*
 * fx: exchange rates in memory, and the European Central Bank's reference
 * rate CSV read into them.
 *
 * The idea: every rate is "US dollars per unit of the currency" (EUR 1.08),
 * so converting an amount from A to B is amount * usd(A) / usd(B), USD
 * being 1. The ECB publishes units of each currency per euro with a USD
 * column; fx_parse_ecb turns a row into this form (EUR = the USD column,
 * X = USD column / X column). Pure: text in, table out.
 */
#ifndef VM_CORE_FX_H
#define VM_CORE_FX_H

#include <stdbool.h>
#include <stddef.h>

struct fx_rate {
    char currency[4];
    double usd_per_unit;
    char date[11]; /* YYYY-MM-DD */
};

struct fx_table {
    struct fx_rate *rates;
    size_t n, cap;
};

void fx_table_init(struct fx_table *t);
void fx_table_free(struct fx_table *t);
/* Adds or replaces the rate of a currency. */
void fx_table_set(struct fx_table *t, const char *currency, double usd_per_unit, const char *date);
/* The rate of a currency (USD is always 1, dated ""), or NULL. */
const struct fx_rate *fx_table_find(const struct fx_table *t, const char *currency);
/* amount in from -> to; false when either has no rate. *factor gets
 * usd(from) / usd(to), the multiplier applied. */
bool fx_convert(const struct fx_table *t, const char *from, const char *to, double amount,
                double *out, double *factor);

/*
 * Reads an ECB reference-rate CSV: eurofxref.csv (a header "Date, USD, JPY,
 * ..." and one row "07 December 2026, 1.0812, ...") or eurofxref-hist.csv
 * (many rows "2026-12-07,1.0812,...", "N/A" where a currency had no rate).
 * Takes the row dated want_date (YYYY-MM-DD), or the newest when want_date
 * is NULL, and fills out with every currency of that row as USD per unit
 * (EUR included). Returns 0, or -1 with *why (malloc'd), *line and *col
 * (1-based; the column counts characters of the line, as import's errors do)
 * naming the problem.
 */
int fx_parse_ecb(const char *text, size_t len, const char *want_date, struct fx_table *out,
                 char **why, long *line, long *col);

/* "2026-12-01": a real calendar date in this form. */
bool fx_valid_date(const char *s);

#endif
