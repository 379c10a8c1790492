/*
 * sources_db: the catalog's sources as things a user manages (`vendormatch
 * sources`): list and show them, drop one (its records go, the vendors it
 * described are merged again from what the other sources say, and those no
 * other source lists are deleted), and set a source's priority (the vendors
 * it shares with other sources are merged again). Moves rows only: the
 * merge rules are db/vendor_cols, the tags come from core/classify through
 * taxonomy_db. Shortlists are never touched: they are frozen documents.
 */
#ifndef VM_DB_SOURCES_DB_H
#define VM_DB_SOURCES_DB_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "core/util.h"

/* [{"name", "priority", "files", "batches", "vendors", "last_import",
 *   "column_map", "delimiter", "header", "created_at"}] ordered by name. */
int sources_db_list(PGconn *c, json_t **out, struct vm_err *err);

/* One source's list object plus "imports": [{"batch_id", "file", "sha256",
 * "rows", "inserted", "updated", "unchanged", "rejected", "started_at",
 * "finished_at"}]. VM_EXIT_FAILURE "no source named ..." when absent. */
int sources_db_show(PGconn *c, const char *name, json_t **out, struct vm_err *err);

struct source_drop_counts {
    long records;  /* the source's records removed */
    long remerged; /* vendors merged again from their other sources */
    long deleted;  /* vendors no other source lists, deleted */
    long batches;  /* its import batches removed */
};

/* Drops the source: BEGIN, the import lock (no import runs at the same
 * time), then the work, leaving the transaction open on success so the
 * caller re-tags the merged vendors (VCOLS_RETAG_TABLE, db/vendor_cols.h)
 * and ends it with sources_db_end; rolled back on failure. */
int sources_db_drop(PGconn *c, const char *name, struct source_drop_counts *n, struct vm_err *err);

/* COMMITs (commit) or rolls back the transaction drop or set_priority left open. */
int sources_db_end(PGconn *c, bool commit, struct vm_err *err);

/* Inside the caller's transaction: removes the records of source source_id
 * (its id, decimal) whose vendor the SQL condition which selects, deletes
 * the vendors left without a record, merges the others again and lists them
 * for re-tagging (VCOLS_RETAG_TABLE). Fills records, deleted and remerged. */
int sources_db_remove_records(PGconn *c, const char *source_id, const char *which,
                              struct source_drop_counts *n, struct vm_err *err);

/* Sets the source's priority and merges again the vendors it shares with
 * another source (*remerged counts them); the transaction is left open as
 * by sources_db_drop. */
int sources_db_set_priority(PGconn *c, const char *name, int priority, long *remerged,
                            struct vm_err *err);

/* The remembered mapping of a source for its next import: *maps gets its
 * --map FIELD=HEADER items, *header its last header row, *delimiter its
 * delimiter (0: detected). *found is false for a new source. */
int sources_db_remembered(PGconn *c, const char *name, bool *found, struct strlist *maps,
                          struct strlist *header, char *delimiter, struct vm_err *err);

#endif
