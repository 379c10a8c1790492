/*
 * conn: which PostgreSQL to talk to, in which schema, and how to connect to
 * it. The target is resolved once (--db, then $VENDORMATCH_DB, then
 * $DATABASE_URL, then libpq's own PG* environment, else the embedded
 * database), every connection gets a connect timeout and the catalog schema
 * as its search_path, and every message that names a target goes through
 * vm_conninfo_redact or names only host/port/dbname/user, so a password
 * never reaches the terminal.
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
    VM_DB_FROM_PGENV,        /* $PGSERVICE, $PGHOST or $PGDATABASE: libpq reads PG* */
    VM_DB_EMBEDDED,          /* the private cluster in the vendormatch home */
};

/* The schema the catalog lives in when neither --schema nor $VENDORMATCH_SCHEMA say. */
#define VM_DEFAULT_SCHEMA "vendormatch"
/* Seconds to wait for a server when nothing else says (libpq's connect_timeout). */
#define VM_DEFAULT_CONNECT_TIMEOUT 10

/* What the global options said; NULL or "" means not given. */
struct vm_db_options {
    const char *db;              /* --db CONNINFO */
    const char *schema;          /* --schema NAME */
    const char *connect_timeout; /* --connect-timeout SECONDS */
    bool quiet;                  /* no progress line when starting the embedded database */
    int verbose;                 /* > 0: say which database and schema, and why, on stderr */
};

struct vm_db_target {
    enum vm_db_source source;
    const char *conninfo;   /* borrowed from argv or the environment; "" for the PG*
                             * environment; NULL if embedded */
    char why[200];          /* which rule chose it, e.g. "PGHOST, PGDATABASE in the environment" */
    const char *schema;     /* the catalog schema (validated) */
    const char *schema_why; /* "--schema", "VENDORMATCH_SCHEMA" or "the default" */
    int connect_timeout;    /* seconds, 0 = wait forever */
    char timeout_why[64];   /* "--connect-timeout", ..., "the default" */
};

/*
 * Resolves the target, the schema and the connect timeout by the documented
 * precedence (empty values count as unset). VM_EXIT_USAGE for an invalid
 * schema name or timeout, whether it came from an option or the environment.
 */
int vm_db_resolve(const struct vm_db_options *opt, struct vm_db_target *out, struct vm_err *err);
/* Short name of a source: "--db", "VENDORMATCH_DB", "DATABASE_URL", "the libpq
 * environment" or "the embedded database". */
const char *vm_db_source_name(enum vm_db_source source);

/* VM_EXIT_USAGE unless name is usable as the catalog schema: 1-63 bytes of valid
 * UTF-8 without control characters, not starting with "pg_". what names its origin. */
int vm_schema_name_check(const char *name, const char *what, struct vm_err *err);

/* A malloc'd copy of conninfo (URI or key=value) with every password value
 * replaced by "***"; what every message about a connection string shows. */
char *vm_conninfo_redact(const char *conninfo);

/* A malloc'd "host=... port=... dbname=... user=..." of an open (or failed)
 * connection: never a password. */
char *vm_conn_describe(const PGconn *conn);

/*
 * Connects to conninfo (client_encoding UTF8, notices silenced, the default
 * connect timeout). origin names where it came from for messages. Failure:
 * VM_EXIT_UNAVAILABLE (or VM_EXIT_USAGE when --db cannot be parsed), with a
 * password-free message.
 */
int vm_conn_open(const char *conninfo, enum vm_db_source origin, PGconn **out, struct vm_err *err);

/*
 * Resolves the target and connects; for the embedded database, starts it
 * first when it is not running (a progress line on stderr unless quiet).
 * Sets search_path to the catalog schema (which may not exist yet: migrate
 * creates it). With opt->verbose, says on stderr which database and schema
 * and why. *target (if not NULL) says which target was used.
 */
int vm_db_connect(const struct vm_db_options *opt, PGconn **out, struct vm_db_target *target,
                  struct vm_err *err);

/* What an open connection is connected to, as libpq reports it (strings
 * owned by the connection). */
struct vm_conn_params {
    const char *host, *port, *dbname, *user;
};
struct vm_conn_params vm_conn_params(const PGconn *conn);

/* Closes a connection (NULL is fine). */
void vm_conn_close(PGconn *conn);

/* Sets the session's search_path to schema alone (quoted as an identifier). */
int vm_conn_set_search_path(PGconn *conn, const char *schema, struct vm_err *err);

#endif
