/*
 * complete_db: the catalog names shell completion offers (`vendormatch
 * __complete sources`): one query per kind of name. Adding a kind is one
 * line here plus one in each completion script.
 */
#ifndef VM_DB_COMPLETE_DB_H
#define VM_DB_COMPLETE_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/util.h"

/* True when complete_db_names knows this kind ("shortlists", "sources"). */
bool complete_db_knows(const char *kind);
/* The names of that kind, sorted, appended to out. */
int complete_db_names(PGconn *conn, const char *kind, struct strlist *out, struct vm_err *err);

#endif
