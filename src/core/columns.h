/*
 * columns: which column of a catalog holds which canonical field. Header
 * names are compared ignoring case, accents, spaces and punctuation ("Avg.
 * Hourly Rate" = "avg hourly rate" = "AvgHourlyRate") against each field's
 * aliases; --map FIELD=HEADER overrides; every other column is "extra" and is
 * kept verbatim under its original header. Pure: no I/O.
 */
#ifndef VM_CORE_COLUMNS_H
#define VM_CORE_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/fields.h"
#include "core/util.h"

struct column_map {
    int field_col[VF_COUNT]; /* column index holding each field, or -1 */
    bool from_map[VF_COUNT]; /* field_col[f] was given by --map, not found by name */
    size_t ncols;
    int *col_field; /* per column: its enum vendor_field, or VF_EXTRA (-1) */
    size_t nextra;
    size_t *extra;      /* indexes of the extra columns, in file order */
    char **extra_names; /* per extra column: its header, made unique ("Notes",
                           "Notes (2)"); "column N" for an empty header */
    char rate_currency[4]; /* the ISO 4217 code the hourly_rate column's header
                              names ("Hourly rate (EUR)"), or "" */
};

/* Canonical name (case, spaces and punctuation ignored: "Hourly Rate") ->
 * field, or -1. */
int col_field_by_name(const char *name);
/* True when a --map argument has the form FIELD=HEADER with a canonical
 * FIELD (the header is checked against the file later, by columns_map). */
bool columns_map_arg_ok(const char *arg);
/* The field a header names by itself (aliases included), or -1. */
int col_field_of_header(const char *header);

/* The currency a rate column's header names: "Hourly rate (EUR)", "Rate
 * €/h", "Rate (GBP/hour)", "USD Rate" give EUR, EUR, GBP, USD when what is
 * left of the header (without the currency and unit words) names the
 * hourly_rate field. NULL otherwise (also for two different currencies).
 * When field is not NULL it gets VF_HOURLY_RATE in that case, else -1. */
const char *col_header_currency(const char *header, int *field);

/* Builds the map for a header row. maps holds "FIELD=HEADER" strings from
 * --map (nmaps may be 0); "FIELD=" with no header turns off the automatic
 * match of FIELD. Automatic matching goes left to right: the first column
 * naming a field wins, later ones become extra columns. file names the file
 * in messages (may be NULL). Errors: an unknown FIELD or a HEADER not in the
 * file (VM_EXIT_USAGE), no name column (VM_EXIT_DATAERR). On error the map
 * holds nothing to free. */
int columns_map(const char *const *headers, size_t nheaders, const char *const *maps, size_t nmaps,
                const char *file, struct column_map *out, struct vm_err *err);

void column_map_free(struct column_map *m);

#endif
