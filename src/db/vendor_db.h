/*
 * vendor_db: reads vendors out of the catalog for `vendors list|show` and
 * `stats`. It only moves rows: filters arrive already normalised (the
 * vendors workflow, src/app/vendors.c, does that with core/normalize),
 * results leave as JSON values shaped as docs/json.md documents.
 */
#ifndef VM_DB_VENDOR_DB_H
#define VM_DB_VENDOR_DB_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/util.h"

/* Filters of `vendors list`; NULL / empty means "any". Values are normalised. */
struct vendor_filter {
    const char *process_type;  /* BPO KPO HYBRID UNCLASSIFIED */
    const char *service_id;    /* taxonomy category id (decimal) */
    const char *country;       /* ISO alpha-2 */
    const char *industry;      /* lower-case industry */
    const char *certification; /* canonical code */
    const char *language;      /* ISO 639-1 */
    const char *source;        /* source name */
    bool conflicts;            /* only vendors whose sources disagree on a value */
    long limit;                /* 0 = no limit */
};

/* Appends one JSON object per matching vendor to *out (a new array),
 * ordered by name then id. */
int vendor_db_list(PGconn *c, const struct vendor_filter *f, json_t **out, struct vm_err *err);

/* One vendor with everything known about it: the list fields plus raw
 * texts, evidence, unknown phrases, manual tag reason and provenance.
 * Returns VM_EXIT_FAILURE with "no vendor with id N" when absent. */
int vendor_db_show(PGconn *c, long long id, json_t **out, struct vm_err *err);

/* The least pg_trgm word similarity `vendors search` accepts (pg_trgm's own
 * default is 0.6): 0.5 lets two typos in two words through ("meridan
 * reserch" finds "Meridian Research Partners" at 0.545). */
#define VENDOR_SEARCH_MIN_SIMILARITY "0.5"

/* The GIN trigram index behind the search (migrations/0008). A first load
 * into an empty catalog drops it and does not rebuild it (that build cost
 * more than the rest of the load); the first search builds it. */
#define VENDOR_SEARCH_INDEX "vendors_name_key_trgm"

/* A catalog at least this large is told on stderr that the first search
 * builds the index (seconds: ~1 s per 100k names). */
#define VENDOR_SEARCH_INDEX_NOTE_MIN 50000

/* Serialises the on-demand builds of VENDOR_SEARCH_INDEX: an advisory
 * transaction lock (the import lock's key plus one), then SHARE on vendors
 * (docs/database.md, Concurrency). */
#define VENDOR_SEARCH_INDEX_LOCK_KEY "8533592787695661685"

/*
 * Fuzzy search by name, exact by website. key is the query through
 * norm_name_key (case, accents, punctuation and legal suffixes folded);
 * vendors whose name_key has a pg_trgm word similarity to it of at least
 * VENDOR_SEARCH_MIN_SIMILARITY (migrations/0008: a GIN trigram index), so typos are forgiven and a
 * word inside a longer name counts fully; plus the vendors whose
 * website_host equals host (the query through norm_website_host; NULL for
 * none), which rank as similarity 1. *out: the list's objects, each with a
 * "similarity" (0..1), best first, then by name and id; at most limit
 * (0 = no limit). When VENDOR_SEARCH_INDEX is missing it is built first
 * (once; concurrent searches wait for one build); a role that may not build
 * it searches without it (a sequential scan). note (NULL: quiet) gets one
 * line about either.
 */
int vendor_db_search(PGconn *c, const char *key, const char *host, long limit, FILE *note,
                     json_t **out, struct vm_err *err);

/* Vendors whose name key equals key exactly (a name, whatever its case,
 * accents or legal suffix), as list objects ordered by id. */
int vendor_db_find_by_name(PGconn *c, const char *key, json_t **out, struct vm_err *err);

/* Catalog overview: {"total", "by_type", "by_country", "by_service",
 * "sources", "generated_at"} (see docs/json.md). top limits the country and
 * service lists. */
int vendor_db_stats(PGconn *c, int top, json_t **out, struct vm_err *err);

#endif
