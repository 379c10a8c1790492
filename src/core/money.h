/*
 * money: how every view writes an amount and an hourly rate, one
 * convention everywhere (tables, reasons, reports, JSON rate_text): the
 * symbol for the three currencies people read at a glance ("$25", "€18",
 * "£40"), the ISO 4217 code and a space for every other ("CAD 30",
 * "NOK 450"); whole amounts without decimals, others with two. A rate adds
 * "/h": "$25/h", "$25-49/h", "< $25/h" (no lower end), "$150+/h" (no upper
 * end). Pure formatting, no I/O.
 */
#ifndef VM_CORE_MONEY_H
#define VM_CORE_MONEY_H

#include <stdbool.h>
#include <stddef.h>

/* "$25", "€18.50", "CAD 30"; cur NULL or "" reads as USD. */
void money_amount_text(char *out, size_t size, const char *cur, double amount);
/* "$25/h". */
void money_hourly_text(char *out, size_t size, const char *cur, double amount);
/* A rate range as above; "" when neither end is known. */
void money_rate_text(char *out, size_t size, const char *cur, bool has_min, double min,
                     bool has_max, double max);

#endif
