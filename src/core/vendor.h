/*
 * vendor: one catalog row -> one normalised vendor record, ready to store.
 *
 * The idea: the importer sees a row as cells plus a layout (which canonical
 * field, if any, each column holds, and its header as written). This module
 * keeps the original text of every recognised cell (the *_raw columns),
 * derives the normalised values beside it, keeps unrecognised columns
 * verbatim as a JSON object keyed by the original header, chooses the row's
 * identity key, and hashes the whole stored record so a re-import can tell
 * "unchanged" without comparing columns. Pure: no I/O, no libpq. A record is
 * reused row after row, so its buffers are allocated once per import.
 */
#ifndef VM_CORE_VENDOR_H
#define VM_CORE_VENDOR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/fields.h"
#include "core/util.h"

/*
 * Bounds on what a vendor's normalised values may hold. The matcher's covering
 * index (migrations/0003) stores the name and the normalised lists in every
 * index entry, and a btree entry must stay under ~2.7 KB, so one absurd cell
 * must not make a whole import fail. The original text is always kept whole;
 * only the normalised lists are capped (documented in docs/import.md).
 */
#define VENDOR_NAME_MAX_BYTES 300 /* longer: the row is rejected */
#define VENDOR_LIST_MAX_ITEMS 16  /* industries, delivery, certifications kept per vendor */
#define VENDOR_ITEM_MAX_BYTES 48  /* a longer industry/delivery value is not kept */
#define VENDOR_LANGUAGES_MAX 32

/* How the columns of one file map to fields; built once per file. */
struct vendor_layout {
    size_t ncols;
    const int *field;           /* per column: enum vendor_field or VF_EXTRA */
    const char *const *headers; /* per column: the header text as written */
    const char *rate_currency;  /* ISO 4217 code of rates that name no currency
                                   (the header's, or --currency); NULL = USD */
};

/* The identity a row is known by, strongest first (docs/import.md, "Identity"). */
enum vendor_ident_kind { VI_SOURCE_ID, VI_WEBSITE, VI_NAME };

struct vendor_record {
    /* Original texts, trimmed; NULL when the column is absent or blank. */
    const char *raw[VF_COUNT];
    struct sbuf rawbuf[VF_COUNT];

    /* Normalised values. */
    struct sbuf name_key;     /* norm_name_key(name) */
    struct sbuf website_host; /* "" when none */
    char country[3];          /* "" when not recognised */
    struct sbuf city;         /* city column, else the city part of "City, Country" */
    struct strlist service_phrases, industries, languages, certifications, delivery;
    bool has_employees_min, has_employees_max;
    long employees_min, employees_max;
    bool has_founded;
    int founded;
    bool has_rate;                   /* has_rate_min || has_rate_max */
    bool has_rate_min, has_rate_max; /* an open end ("< $25", "$150+") has none */
    double rate_min, rate_max;
    char currency[4];
    bool has_rating;
    double rating;

    struct sbuf extra_json; /* {"Original Header": "cell", ...}; "{}" when none */

    /* Per field: the cell had text that could not be normalised (for a list
     * field, at least one of its items: not a language or certification the
     * normaliser knows, or beyond the bounds above). Only fields with a
     * normaliser that can fail (vendor_field_normalised) are ever set. */
    bool unread[VF_COUNT];

    enum vendor_ident_kind ident_kind;
    struct sbuf ident; /* "src:<id>", "web:<host>" or "name:<name_key>|<cc>" */

    char content_hash[33]; /* 128-bit hex of everything above but ident */

    /* Scratch reused from row to row (not part of the record). */
    struct sbuf hashbuf;
    struct strlist parts;
};

void vendor_record_init(struct vendor_record *r);
void vendor_record_free(struct vendor_record *r);

/*
 * Fills r from one row of layout->ncols cells (NUL-terminated UTF-8; a
 * NULL cell counts as blank). Returns 0, or -1 when the row cannot be a
 * vendor (no name): *bad_col gets the 0-based column to blame (the name
 * column, or 0 when the file has none) and *reason a static message.
 */
int vendor_from_row(const struct vendor_layout *layout, const char *const *cells,
                    struct vendor_record *r, size_t *bad_col, const char **reason);

/* True for the fields whose text is normalised by a rule that can fail to
 * read it (website, country, industries, languages, certifications,
 * employees, founded, hourly_rate, rating, delivery): the ones
 * vendor_record.unread can name. */
bool vendor_field_normalised(enum vendor_field f);

/* Appends a JSON string literal (quotes included) for s to b. */
void vendor_json_string(struct sbuf *b, const char *s);

#endif
