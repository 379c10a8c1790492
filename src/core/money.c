/*
 * money: the one way amounts and hourly rates are written (money.h).
 */
#include "core/money.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void money_amount_text(char *out, size_t size, const char *cur, double amount)
{
    if (!cur || !cur[0])
        cur = "USD";
    const char *sym = strcmp(cur, "USD") == 0   ? "$"
                      : strcmp(cur, "EUR") == 0 ? "\u20ac"
                      : strcmp(cur, "GBP") == 0 ? "\u00a3"
                                                : NULL;
    char num[32];
    if (amount == floor(amount) && fabs(amount) < 1e15)
        snprintf(num, sizeof num, "%.0f", amount);
    else
        snprintf(num, sizeof num, "%.2f", amount);
    if (sym)
        snprintf(out, size, "%s%s", sym, num);
    else
        snprintf(out, size, "%.3s %s", cur, num);
}

void money_hourly_text(char *out, size_t size, const char *cur, double amount)
{
    char a[48];
    money_amount_text(a, sizeof a, cur, amount);
    snprintf(out, size, "%s/h", a);
}

void money_rate_text(char *out, size_t size, const char *cur, bool has_min, double min,
                     bool has_max, double max)
{
    char a[48], b[48];
    money_amount_text(a, sizeof a, cur, min);
    money_amount_text(b, sizeof b, cur, max);
    if (!has_min && !has_max)
        snprintf(out, size, "%s", "");
    else if (!has_min)
        snprintf(out, size, "< %s/h", b);
    else if (!has_max)
        snprintf(out, size, "%s+/h", a);
    else if (min == max)
        snprintf(out, size, "%s/h", a);
    else /* the upper end without its symbol or code: "$25-49/h" */
        snprintf(out, size, "%s-%s/h", a, b + strcspn(b, "0123456789"));
}
