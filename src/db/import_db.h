/*
 * import_db: moves one catalog file's vendor records into PostgreSQL as one
 * transaction.
 *
 * The idea: never talk to the server per row. Rows stream with COPY (binary
 * format, large buffers, sent by a second thread) into a TEMP staging table,
 * or straight into an empty catalog, while the client is still parsing; then
 * a handful of set-based statements resolve identities against the catalog,
 * merge the rows that name one vendor into one record of the source, store
 * the records whose content hash differs from the source's own, merge each
 * touched vendor again from all its sources' records (db/vendor_cols) and
 * record the batch.
 * Nothing is visible to anyone until COMMIT; every failure path rolls back.
 * No business rules here: records arrive normalised and classified.
 */
#ifndef VM_DB_IMPORT_DB_H
#define VM_DB_IMPORT_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/classify.h"
#include "core/util.h"
#include "core/vendor.h"

/* The transaction-level advisory lock every import takes first, so imports
 * run one at a time: the bytes of "vmimport" as a big-endian 64-bit integer
 * (docs/database.md, Concurrency). */
#define VM_IMPORT_LOCK_KEY "8533592787695661684"

struct import_db_opts {
    const char *source_name; /* sources.name; scopes the id column */
    const char *file_name;   /* as given on the command line ("-" = stdin) */
    bool skip_bad;           /* --on-error skip */
    long long size_hint;     /* the file's size in bytes, -1 when unknown */
    const struct strlist *maps;   /* the --map FIELD=HEADER used, remembered (NULL: none) */
    const struct strlist *header; /* the file's header row, remembered */
    char delimiter;               /* --delimiter, 0 when detected */
    bool full;                    /* --full: the file is the source's whole catalog */
    bool dry_run;                 /* --dry-run: everything but COMMIT; nothing stays */
};

struct import_counts {
    long rows;      /* data rows read, good and bad */
    long inserted;  /* new vendors */
    long updated;   /* existing vendors whose content changed */
    long unchanged; /* existing vendors with identical content */
    long merged;    /* rows that named a vendor a later row of the file also named */
    long rejected;  /* bad rows (skip mode) */
    long retired;   /* --full: vendors the source no longer lists (its record removed) */
    long long batch_id;
};

struct import_db;

/* In a transaction: the import advisory lock, then SHARE ROW EXCLUSIVE on
 * vendors (what every import takes first; `sources drop|priority` too). */
int import_db_lock_catalog(PGconn *conn, struct vm_err *err);

/* BEGIN, find or create the source, open the batch, start streaming. */
int import_db_begin(PGconn *conn, const struct import_db_opts *opts, struct import_db **out,
                    struct vm_err *err);

/* Streams one good record (buffered; the server ingests in the background)
 * with its tags: c is classify's result as it is (NULL: UNCLASSIFIED, no
 * categories), evidence its classification_evidence_compact text (NULL = ""). */
int import_db_add(struct import_db *db, const struct vendor_record *rec,
                  const struct classification *c, const char *evidence, struct vm_err *err);

/* Remembers one bad row for import_rejects (kept in a temporary file). */
int import_db_reject(struct import_db *db, long line, long col, const char *reason, const char *raw,
                     size_t raw_len, struct vm_err *err);

/* Ends the stream, merges into the catalog and records the batch, leaving
 * the transaction open: the vendors whose merge needs a new tag are listed
 * in VCOLS_RETAG_TABLE (db/vendor_cols.h), for the caller to re-tag first.
 * sha256_hex is the file's hash, bytes its size. Fills *counts. */
int import_db_merge(struct import_db *db, const char *sha256_hex, long long bytes, long rows,
                    struct import_counts *counts, struct vm_err *err);

/* COMMITs (with dry_run: puts the id sequences back and rolls everything
 * back instead). */
int import_db_commit(struct import_db *db, struct vm_err *err);

/* Rolls back whatever has not been committed and frees db (NULL is fine). */
void import_db_free(struct import_db *db);

#endif
