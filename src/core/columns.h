/*
 * columns: which column of a catalog holds which canonical field. Header
 * names are compared ignoring case, accents, spaces and punctuation ("Avg.
 * Hourly Rate" = "avg hourly rate" = "AvgHourlyRate") against each field's
 * aliases; --map FIELD=HEADER overrides; every other column is "extra" and is
 * kept verbatim under its original header. Pure: no I/O.
 */
#ifndef VM_CORE_COLUMNS_H
#define VM_CORE_COLUMNS_H

#include <stddef.h>

#include "core/util.h"

/* The canonical fields, in the SPEC's order (the same order as vendor.h's
 * enum vendor_field). */
enum col_field {
    COL_ID,
    COL_NAME,
    COL_WEBSITE,
    COL_COUNTRY,
    COL_CITY,
    COL_SERVICES,
    COL_INDUSTRIES,
    COL_LANGUAGES,
    COL_CERTIFICATIONS,
    COL_EMPLOYEES,
    COL_FOUNDED,
    COL_HOURLY_RATE,
    COL_RATING,
    COL_DELIVERY,
    COL_EMAIL,
    COL_PHONE,
    COL_DESCRIPTION,
    COL_EXPERTISE,
    COL_DATA_SECURITY,
    COL_NFIELDS
};

struct column_map {
    int field_col[COL_NFIELDS]; /* column index holding each field, or -1 */
    size_t ncols;
    int *col_field; /* per column: its enum col_field, or -1 for an extra column */
    size_t nextra;
    size_t *extra;      /* indexes of the extra columns, in file order */
    char **extra_names; /* per extra column: its header, made unique ("Notes",
                           "Notes (2)"); "column N" for an empty header */
};

/* "hourly_rate" for COL_HOURLY_RATE. */
const char *col_field_name(enum col_field f);
/* Canonical name (case, spaces and punctuation ignored: "Hourly Rate") ->
 * field, or -1. */
int col_field_by_name(const char *name);
/* The field a header names by itself (aliases included), or -1. */
int col_field_of_header(const char *header);

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
