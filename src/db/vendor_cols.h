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
 * SELECT the merge of groups of rows by the rules above: one row per group
 * (vm_grp, the value of group_key) with every record column merged and
 * n_rec, the rows that say something (a content hash). The rows are
 * from_where's ("FROM ... r ... WHERE ...": r holds the record columns),
 * best_first orders a group's rows best first ("r.rn DESC"), hash_order
 * (over the outer r, which has r.*) orders the hashes the merged hash is
 * made of, outer_extra adds to the outer select list (", max(r.id) AS keep").
 * The rows are sorted once and reach the aggregates in that order, so no
 * aggregate sorts its own input. malloc'd.
 */
char *vcols_merge_select(const char *group_key, const char *from_where, const char *best_first,
                         const char *hash_order, const char *outer_extra);

/* The merge of a single record (columns prefixed by prefix), column for
 * column in vcols_list(.., true) order: what vcols_merge_select gives a
 * group of one, without the aggregate. malloc'd. */
char *vcols_single(const char *prefix);

/* The order of a vendor's records across sources, best first: the higher
 * priority, then the most recently changed record (r: vendor_sources,
 * s: sources). */
#define VCOLS_SOURCE_ORDER "s.priority DESC, r.last_batch_id DESC NULLS LAST, r.source_id DESC"
#define VCOLS_SOURCE_ORDER_REV "s.priority, r.last_batch_id NULLS FIRST, r.source_id"

/* What a vendor's tags are computed from (the classification's inputs):
 * the merged vendors whose inputs did not change keep their tags. */
#define VCOLS_TAG_INPUTS_OF(p)                                                                     \
    p "service_phrases, " p "description, " p "expertise, " p "data_security"
#define VCOLS_TAG_INPUTS VCOLS_TAG_INPUTS_OF("")

/*
 * UPDATE vendors from the merge of their records (in VCOLS_SOURCE_ORDER),
 * for the vendor ids the subquery ids gives: every record column,
 * updated_at, and whatever set_extra adds (", col = expr"; the merged row
 * is m). One statement, which also lists in VCOLS_RETAG_TABLE (created
 * first) the vendors whose tag inputs the merge changed, for the caller to
 * re-tag (app_retag_listed, src/app/classify.c), and returns one row: the
 * count of vendors updated (those with a record that says something).
 * malloc'd.
 */
char *vcols_remerge_sql(const char *ids, const char *set_extra);

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
