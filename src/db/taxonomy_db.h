/*
 * taxonomy_db: moves the taxonomy and vendor tags between PostgreSQL and the
 * pure core. Loads taxonomy_categories/taxonomy_aliases into a struct
 * taxonomy, inserts user aliases and categories, and re-tags vendors in bulk
 * (cursor in, COPY into a temp table, one UPDATE ... FROM out). No business
 * rules here: classify() decides, this file only carries rows.
 */
#ifndef VM_DB_TAXONOMY_DB_H
#define VM_DB_TAXONOMY_DB_H

#include <libpq-fe.h>

#include "core/classify.h"
#include "core/taxonomy.h"
#include "core/util.h"

/* Builds the taxonomy from the database. *out is the caller's to free. */
int taxonomy_db_load(PGconn *conn, struct taxonomy **out, struct vm_err *err);

/*
 * Inserts an alias (phrase verbatim, phrase_norm = textnorm_phrase(phrase)) for
 * the category with this code, origin 'user'. Errors (VM_EXIT_FAILURE): unknown
 * category, empty phrase, the alias already maps to another category. *added
 * is false when it already mapped to this category (nothing to do).
 */
int taxonomy_db_add_alias(PGconn *conn, const char *phrase, const char *category_code, bool *added,
                          struct vm_err *err);

/* Inserts a user category unless the code exists (then it must be on the same side). */
int taxonomy_db_add_category(PGconn *conn, const char *code, const char *name,
                             const char *process_type, double weight, struct vm_err *err);

struct retag_stats {
    long vendors;      /* vendors classified */
    long tags_changed; /* vendors whose computed_type changed */
    long updated;      /* vendors whose stored classification changed at all */
};

/*
 * Re-classifies every vendor (vendor_id <= 0) or one vendor with t and stores
 * computed_type, confidence, tag_evidence, services and unknown_phrases where
 * they changed. Never touches manual_* columns. Runs in its own transaction.
 */
int taxonomy_db_retag(PGconn *conn, struct taxonomy *t, long long vendor_id,
                      struct retag_stats *stats, struct vm_err *err);

/* The same for the vendor ids the SQL subquery ids gives, inside the
 * caller's transaction (the importer and `sources` re-tag merged vendors). */
int taxonomy_db_retag_listed(PGconn *conn, struct taxonomy *t, const char *ids,
                             struct retag_stats *stats, struct vm_err *err);

/* Adds every taxonomy category to out (what evidence_decode needs). */
int taxonomy_db_evidence_categories(PGconn *conn, struct evidence_categories *out,
                                    struct vm_err *err);

/* Parses a PostgreSQL text-format one-dimensional array ('{a,"b c",NULL}');
 * NULL elements are skipped. Returns 0, or -1 on malformed input. */
int pg_text_array_parse(const char *s, struct strlist *out);
/* Appends a PostgreSQL array literal for the strings to b. */
void pg_text_array_format(struct sbuf *b, const struct strlist *items);

#endif
