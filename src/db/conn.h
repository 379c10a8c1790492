/*
 * conn: which PostgreSQL to talk to and how to connect to it. The target is
 * resolved once (--db, then $VENDORMATCH_DB, then $DATABASE_URL, else the
 * embedded database) and every message that names it goes through
 * vm_conninfo_redact, so a password never reaches the terminal.
 */
#ifndef VM_DB_CONN_H
#define VM_DB_CONN_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/util.h"

enum vm_db_source {
    VM_DB_FROM_OPTION,       /* --db CONNINFO */
    VM_DB_FROM_VENDORMATCH,  /* $VENDORMATCH_DB */
    VM_DB_FROM_DATABASE_URL, /* $DATABASE_URL */
    VM_DB_EMBEDDED,          /* the private cluster in the vendormatch home */
};

struct vm_db_target {
    enum vm_db_source source;
    const char *conninfo; /* borrowed from argv or the environment; NULL if embedded */
};

/* Picks the target by the documented precedence; empty variables count as unset. */
void vm_db_resolve(const char *db_option, struct vm_db_target *out);
/* "--db", "VENDORMATCH_DB", "DATABASE_URL" or "the embedded database". */
const char *vm_db_source_name(enum vm_db_source source);

/* A malloc'd copy of conninfo (URI or key=value) with every password value
 * replaced by "***"; what every message about a connection string shows. */
char *vm_conninfo_redact(const char *conninfo);

/*
 * Connects to conninfo (client_encoding UTF8, notices silenced). origin names
 * where it came from for messages. Failure: VM_EXIT_UNAVAILABLE (or
 * VM_EXIT_USAGE when --db cannot be parsed), with a password-free message.
 */
int vm_conn_open(const char *conninfo, enum vm_db_source origin, PGconn **out, struct vm_err *err);

/*
 * Resolves the target and connects; for the embedded database, starts it
 * first when it is not running (a progress line on stderr unless quiet).
 * *target (if not NULL) says which target was used.
 */
int vm_db_connect(const char *db_option, bool quiet, PGconn **out, struct vm_db_target *target,
                  struct vm_err *err);

#endif
