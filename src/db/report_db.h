/*
 * report_db: reads a saved shortlist document back for the report command.
 * Database code only: it finds the row and hands over the stored JSON; what
 * the report says is decided by the renderers in src/io.
 */
#ifndef VM_DB_REPORT_DB_H
#define VM_DB_REPORT_DB_H

#include <jansson.h>
#include <libpq-fe.h>

#include "core/util.h"

/*
 * Loads the shortlist named by key: a number is tried as an id first, then
 * as a name; anything else is a name. On success *doc is the stored
 * document (caller decrefs), with id, name, created_at, catalog and weights
 * filled in from the row only where the document lacks them. An unknown
 * shortlist is VM_EXIT_FAILURE with a message that says how to list them.
 */
int report_db_load(PGconn *conn, const char *key, json_t **doc, struct vm_err *err);

#endif
