/*
 * taxonomy_db: moves the taxonomy between PostgreSQL and the pure core.
 * Loads taxonomy_categories/taxonomy_aliases into a struct taxonomy, inserts
 * user aliases and categories, and reads the taxonomy and the unknown
 * service phrases as tables for `taxonomy list` and `taxonomy unknown`. No
 * business rules here (vendors' tags move in db/tag_db.h).
 */
#ifndef VM_DB_TAXONOMY_DB_H
#define VM_DB_TAXONOMY_DB_H

#include <libpq-fe.h>

#include "core/classify.h"
#include "core/taxonomy.h"
#include "core/util.h"
#include "io/output.h"

/* Builds the taxonomy from the database. *out is the caller's to free. */
int taxonomy_db_load(PGconn *conn, struct taxonomy **out, struct vm_err *err);

/*
 * Inserts an alias (phrase verbatim, phrase_norm = textnorm_phrase(phrase)) for
 * the category with this code, origin 'user'. Errors (VM_EXIT_FAILURE): unknown
 * category, empty phrase, the alias already maps to another category. *added
 * is false when it already mapped to this category (nothing to do).
 * *unknown_category (when not NULL) tells the first error from the others, so
 * a file's error can point at the category's cell rather than the phrase's.
 */
int taxonomy_db_add_alias(PGconn *conn, const char *phrase, const char *category_code, bool *added,
                          bool *unknown_category, struct vm_err *err);

/* Inserts a user category unless the code exists (then it must be on the same side). */
int taxonomy_db_add_category(PGconn *conn, const char *code, const char *name,
                             const char *process_type, double weight, struct vm_err *err);

/* `taxonomy list`: every alias with its category, as a table with the
 * columns category, side, name, weight, alias, origin (out is initialised
 * here; the caller frees it). */
int taxonomy_db_list(PGconn *conn, struct table *out, struct vm_err *err);
/* `taxonomy unknown`: the service phrases no alias matched, with the number
 * of vendors naming each, most first: columns phrase, vendors; at most limit. */
int taxonomy_db_unknown(PGconn *conn, long limit, struct table *out, struct vm_err *err);

/* Adds every taxonomy category to out (what evidence_decode needs). */
int taxonomy_db_evidence_categories(PGconn *conn, struct evidence_categories *out,
                                    struct vm_err *err);

/* Parses a PostgreSQL text-format one-dimensional array ('{a,"b c",NULL}');
 * NULL elements are skipped. Returns 0, or -1 on malformed input. */
int pg_text_array_parse(const char *s, struct strlist *out);
/* Appends a PostgreSQL array literal for the strings to b. */
void pg_text_array_format(struct sbuf *b, const struct strlist *items);

#endif
