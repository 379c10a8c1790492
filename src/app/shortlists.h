/*
 * shortlists (workflow): the saved shortlists, for `shortlists` and
 * `report`. A saved shortlist is its stored document (io/shortlist_doc.h),
 * frozen when `match --save` wrote it; these calls open the catalog, move
 * the stored JSON in or out (db/shortlist_db, db/report_db) and close it
 * again, so a command never holds a connection.
 */
#ifndef VM_APP_SHORTLISTS_H
#define VM_APP_SHORTLISTS_H

#include <jansson.h>

#include "core/util.h"
#include "db/conn.h"

/* The shortlist with id key (digits), else the one named key: its stored
 * document (new reference) with id, name, created_at, catalog and weights
 * filled in from the row where it lacks them (report_db_load). An unknown
 * shortlist is VM_EXIT_FAILURE saying how to list them. */
int app_shortlist_load(const struct vm_db_options *db, const char *key, json_t **doc,
                       struct vm_err *err);

/* [{id, name, created_at, process_type, services, results}] ordered by id
 * (new reference). */
int app_shortlist_list(const struct vm_db_options *db, json_t **list, struct vm_err *err);

/* Deletes the shortlist with id key, else the one named key, with its
 * entries; *gone = {id, name} (new reference). None: VM_EXIT_FAILURE. */
int app_shortlist_delete(const struct vm_db_options *db, const char *key, json_t **gone,
                         struct vm_err *err);

#endif
