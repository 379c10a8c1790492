/*
 * vendor_cols: the importer's vendor columns and the rules that merge
 * several records of one vendor into one row, declared once. The importer
 * stages and stores rows by this table; the merge SQL (within one file: the
 * rows that name one vendor; across sources: the records of one vendor)
 * and the provenance and conflict queries of `vendors show` are derived
 * from it, so the rules cannot drift between them (docs/import.md, "Many
 * sources").
 */
#ifndef VM_DB_VENDOR_COLS_H
#define VM_DB_VENDOR_COLS_H

#include <stdbool.h>
#include <stddef.h>

enum vcol_rule {
    VCOL_SCALAR,   /* from the best record whose `key` column is not NULL */
    VCOL_LIST,     /* the union, best record's items first */
    VCOL_LIST_RAW, /* the distinct original texts, best first, joined by "; " */
    VCOL_EXTRA,    /* every key; the best record's value for a shared key */
    VCOL_HASH,     /* the record's own hash, or an md5 of the merged ones */
    VCOL_TAG,      /* classification: only the vendors row has it */
};

struct vcol {
    const char *name; /* the column in vendors, vendor_sources and the staging table */
    const char *type;
    enum vcol_rule rule;
    const char *key; /* VCOL_SCALAR: the column that says the record has the field */
};

extern const struct vcol vcols[];
extern const size_t n_vcols;

/* A field as `vendors show` reports its provenance and conflicts. */
struct vfield {
    const char *label;   /* "rating" */
    const char *key;     /* the column that says a record has it */
    const char *display; /* SQL over a record r: the text to show */
    const char *cmp;     /* SQL over r: the value two records disagree on (scalars) */
    bool list;
};

extern const struct vfield vfields[];
extern const size_t n_vfields;

/* "a, b, c" (prefix before each name; with their types; records_only leaves
 * out the VCOL_TAG columns). malloc'd. */
char *vcols_list(const char *prefix, bool with_types, bool records_only);

/*
 * The merged value of every record column, comma-separated in vcols order,
 * as aggregates over rows aliased r of one group: best_first orders the
 * rows best first ("r.rn DESC"), best_last the other way round, hash_order
 * orders the hashes the merged hash is made of. malloc'd.
 */
char *vcols_merged(const char *best_first, const char *best_last, const char *hash_order);

/* The order of a vendor's records across sources, best first: the higher
 * priority, then the most recently changed record (r: vendor_sources,
 * s: sources). */
#define VCOLS_SOURCE_ORDER "s.priority DESC, r.last_batch_id DESC NULLS LAST, r.source_id DESC"
#define VCOLS_SOURCE_ORDER_REV "s.priority, r.last_batch_id NULLS FIRST, r.source_id"

/*
 * UPDATE vendors from the merge of their records, for the vendor ids the
 * subquery ids gives: every record column, updated_at, and whatever
 * set_extra adds (", col = expr"; the merged row is m, with m.n_rec its
 * records that say something); from_extra and where_extra extend the FROM
 * and WHERE. The tags are the caller's (app_retag_listed, src/app/classify.c).
 * malloc'd.
 */
char *vcols_recompute_sql(const char *ids, const char *set_extra, const char *from_extra,
                          const char *where_extra);

/* The vendors whose merge must be re-tagged (several records, or a record
 * made of several rows): a temporary table of ids the writers of a merge
 * fill, and the caller re-tags from the merged values inside the same
 * transaction before committing (classification is not the database's). */
#define VCOLS_RETAG_TABLE "vm_retag"
#define VCOLS_RETAG_CREATE                                                                         \
    "CREATE TEMP TABLE IF NOT EXISTS " VCOLS_RETAG_TABLE " (id bigint PRIMARY KEY) ON COMMIT DROP"
#define VCOLS_RETAG_IDS "SELECT id FROM " VCOLS_RETAG_TABLE

/* SQL true for a group of records r (GROUP BY the vendor) that disagree on
 * any scalar field. malloc'd. */
char *vcols_conflict_having(void);

#endif
