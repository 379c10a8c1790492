/*
 * tag_db: vendors' tags in and out. The re-tag moves vendors through a
 * server-side cursor in batches and the workflow's classifications back
 * through COPY into a temporary table, ending with one UPDATE ... FROM that
 * writes only rows whose classification changed, so re-running `classify`
 * on an unchanged taxonomy writes nothing. Beside it: the stored tags as
 * rows (for --explain), and the manual tag (`tag set/clear`). No business
 * rules here: classify() decides, in the workflow (src/app/classify.c).
 */
#ifndef VM_DB_TAG_DB_H
#define VM_DB_TAG_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/classify.h"
#include "core/util.h"

struct retag_stats {
    long vendors;      /* vendors classified */
    long tags_changed; /* vendors whose computed_type changed */
    long updated;      /* vendors whose stored classification changed at all */
};

/* One vendor as the classifier needs it; strings NULL when SQL NULL. */
struct retag_vendor {
    const char *id;
    struct strlist service_phrases;
    const char *description, *expertise, *data_security;
};

struct retag_db;

/* BEGIN and open the cursor over every vendor (vendor_id <= 0) or one. */
int retag_db_begin(PGconn *conn, long long vendor_id, struct retag_db **out, struct vm_err *err);
/* The same over the vendor ids the SQL subquery ids gives (a constant such
 * as VCOLS_RETAG_IDS, never user text), inside the caller's transaction:
 * the importer and `sources` re-tag the vendors they merged again. */
int retag_db_begin_listed(PGconn *conn, const char *ids, struct retag_db **out, struct vm_err *err);
/* The next batch (*n == 0 at the end), valid until the next call; the
 * classifications of the previous batch are sent first. */
int retag_db_next(struct retag_db *db, const struct retag_vendor **rows, size_t *n,
                  struct vm_err *err);
/* The classification of a vendor of the current batch, and its
 * classification_evidence_compact text. */
int retag_db_put(struct retag_db *db, const char *id, const struct classification *c,
                 const char *evidence, struct vm_err *err);
/* Stores what changed (never the manual_* columns), fills *stats, and
 * COMMITs (retag_db_begin) or drops its table for the caller's next re-tag
 * (retag_db_begin_listed). */
int retag_db_commit(struct retag_db *db, struct retag_stats *stats, struct vm_err *err);
/* Rolls back whatever was not committed and frees db (NULL is fine). */
void retag_db_free(struct retag_db *db);

/* A vendor's tags as stored; strings owned by the array. */
struct stored_tag {
    long long id;
    char *name;
    char *computed_type;
    double confidence;
    char *manual_type, *manual_reason; /* NULL when no manual tag */
    char *effective_type;
    char *tag_evidence; /* the compact text (docs/classification.md) */
    struct strlist service_phrases;
};
struct stored_tags {
    struct stored_tag *items;
    size_t n;
};

/* Every vendor's (vendor_id <= 0) or one vendor's tags, by id. */
int tag_db_read(PGconn *conn, long long vendor_id, struct stored_tags *out, struct vm_err *err);
void stored_tags_free(struct stored_tags *t);

/* VM_EXIT_FAILURE "no vendor with id ..." unless the vendor exists. */
int tag_db_vendor_exists(PGconn *conn, long long vendor_id, struct vm_err *err);

/* Sets (type not NULL, with its reason) or clears the manual tag of a
 * vendor; *computed (16 bytes) gets the computed tag it overrides. A vendor
 * that does not exist: VM_EXIT_FAILURE "no vendor with id ...". */
int tag_db_set_manual(PGconn *conn, long long vendor_id, const char *type, const char *reason,
                      char computed[16], struct vm_err *err);

#endif
