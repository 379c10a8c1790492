/*
 * shortlist_db: saved shortlists in and out of PostgreSQL.
 *
 * The idea: a shortlist is frozen at save time. The full match document is
 * stored as `document` (with id, name and created_at added), and its parts
 * are spread into shortlists / shortlist_entries / shortlist_excluded from
 * that same document inside one transaction, so the tables and the document
 * can never disagree, and nothing reads the vendors table afterwards: a
 * re-import cannot change a saved shortlist. Database code only.
 */
#ifndef VM_DB_SHORTLIST_DB_H
#define VM_DB_SHORTLIST_DB_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "core/util.h"

/* The first key of the advisory lock a save takes on its name (the second is
 * hashtext(name)): the bytes of "vmsl" as a big-endian 32-bit integer. */
#define VM_SHORTLIST_LOCK_CLASS "1986884460"

/*
 * Saves doc (a match document) as shortlist `name`, adding "id", "name" and
 * "created_at" to doc. A name already used is VM_EXIT_FAILURE unless replace
 * (then the old shortlist is deleted in the same transaction). Concurrent
 * saves of one name take turns: with replace the last one wins, without it
 * every one after the first gets the name-taken error.
 */
int shortlist_db_save(PGconn *conn, const char *name, bool replace, json_t *doc,
                      struct vm_err *err);

/* [{id, name, created_at, process_type, services, results}] ordered by id. */
int shortlist_db_list(PGconn *conn, json_t **out, struct vm_err *err);

/* Deletes the shortlist with id key, else the one named key, with its
 * entries; *deleted = {id, name}. None: VM_EXIT_FAILURE saying so. */
int shortlist_db_delete(PGconn *conn, const char *key, json_t **deleted, struct vm_err *err);

#endif
