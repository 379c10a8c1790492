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
    size_t *extra;         /* indexes of the extra columns, in file order */
    char **extra_names;    /* per extra column: its header, made unique ("Notes",
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
 * in messages (may be NULL), header_line the header's line (0: unknown).
 * Errors: an unknown FIELD or a HEADER not in the file (VM_EXIT_USAGE), no
 * name column (VM_EXIT_DATAERR, "FILE:LINE:1: no name column ..."). On error
 * the map holds nothing to free. */
int columns_map(const char *const *headers, size_t nheaders, const char *const *maps, size_t nmaps,
                const char *file, long header_line, struct column_map *out, struct vm_err *err);

void column_map_free(struct column_map *m);

/* How a file's header differs from the one its source was last imported
 * with. Headers are compared as exact texts, in any order: a column is the
 * same column wherever it stands. A reorder counts only when it changes the
 * column a field is read from (two columns naming one field, such as
 * "Website" and "URL", swapped). */
struct header_move {
    enum vendor_field field;
    char *header; /* the column the field is read from now */
    char *was;    /* the one it was read from (still in the file) */
};
struct header_diff {
    struct strlist added;   /* headers of the new file the old lacked, in file order */
    struct strlist removed; /* headers of the old file the new lacks */
    struct header_move moved[VF_COUNT];
    size_t nmoved;
};

/* Fills out (to free with header_diff_free). maps are the --map strings the
 * new file is read with; the old header is mapped with them too, to find a
 * field that moved (none when either header does not map). */
void columns_header_diff(const char *const *old_hdr, size_t n_old, const char *const *new_hdr,
                         size_t n_new, const char *const *maps, size_t nmaps,
                         struct header_diff *out);
bool header_diff_empty(const struct header_diff *d);
void header_diff_free(struct header_diff *d);

#endif
