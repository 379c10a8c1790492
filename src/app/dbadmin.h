/*
 * dbadmin (workflow): `vendormatch db`, the user's handle on the embedded
 * PostgreSQL (start, stop, status, url: always the embedded database,
 * whatever --db or the environment say), and `db which`: the database and
 * schema the other commands would use, which rule chose each, and the state
 * of the catalog there, without starting the embedded database. Also
 * `vendormatch migrate` (the one command that changes a schema, on any
 * database) and the catalog names shell completion offers.
 */
#ifndef VM_APP_DBADMIN_H
#define VM_APP_DBADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/util.h"
#include "db/conn.h"
#include "io/output.h"

enum app_db_action { APP_DB_START, APP_DB_STOP, APP_DB_STATUS };

/* The embedded database after an action; strings malloc'd
 * (app_db_embedded_free). */
struct app_db_embedded {
    char *home;       /* its home (and socket directory) */
    char *logfile;    /* the server's log */
    long pid;         /* the server's pid, 0 when it is not running */
    bool initialised; /* the cluster exists */
    bool was_running; /* start: it already ran; stop: it ran until now */
};

/* Starts, stops or inspects the embedded database (quiet: no progress lines
 * on stderr). Status is not an error when the server is not running. */
int app_db_embedded(enum app_db_action action, bool quiet, struct app_db_embedded *out,
                    struct vm_err *err);
void app_db_embedded_free(struct app_db_embedded *e);

/* The embedded database's URI with options=-csearch_path="SCHEMA" (the
 * catalog schema opt resolves to, percent-encoded), so that psql sees the
 * catalog's tables unqualified; malloc'd. VM_EXIT_USAGE for a bad schema. */
int app_db_url(const struct vm_db_options *opt, char **url, struct vm_err *err);

/* The state of the catalog in the schema `db which` reports. */
enum app_catalog_state {
    APP_CATALOG_NOT_RUNNING, /* the embedded database is not running: not looked at */
    APP_CATALOG_UNREADABLE,  /* the migrations could not be read (why says why) */
    APP_CATALOG_ATTENTION,   /* changed or unknown migrations: `migrate --status` */
    APP_CATALOG_LEGACY,      /* in schema public, made by an earlier vendormatch */
    APP_CATALOG_NONE,        /* no migration applied yet */
    APP_CATALOG_PENDING,     /* pending migrations */
    APP_CATALOG_CURRENT,     /* up to date */
};

/* What `db which` prints; strings malloc'd (app_db_which_free) but schema
 * and schema_why, which are borrowed from the options and the environment. */
struct app_db_which {
    char why[200];                     /* the rule that chose the database */
    char *host, *port, *dbname, *user; /* never a password */
    const char *schema, *schema_why;
    enum app_catalog_state catalog;
    char *why_unreadable;    /* APP_CATALOG_UNREADABLE: the reason */
    size_t pending, applied; /* migrations pending, and all known (APP_CATALOG_CURRENT) */
};

/* Resolves the target as every catalog command does and connects to it,
 * except to an embedded database that is not running (never started here). */
int app_db_which(const struct vm_db_options *opt, struct app_db_which *out, struct vm_err *err);
void app_db_which_free(struct app_db_which *w);

struct app_migrate_result {
    const char *schema; /* the catalog schema (borrowed) */
    size_t applied;     /* migrations applied now */
    size_t total;       /* migrations vendormatch holds */
};

/* Applies the pending migrations to the database opt resolves, each in its
 * own transaction; progress (NULL: quiet) gets a line for each. */
int app_migrate(const struct vm_db_options *opt, FILE *progress, struct app_migrate_result *out,
                struct vm_err *err);

/* `migrate --status`: *out gets one row per migration (state: pending,
 * applied, CHANGED or UNKNOWN; applied_at, UTC, or ""; migration) and
 * *listed is true once it is made (the caller table_frees it then); the
 * result is VM_EXIT_FAILURE when an applied migration has changed or is
 * unknown, with the table made all the same. */
int app_migrate_status(const struct vm_db_options *opt, struct table *out, bool *listed,
                       struct vm_err *err);

/* For shell completion: the names of kind ("shortlists", "sources"; others
 * give none) that can be completed (no control characters), appended to
 * out. Never starts the embedded database, waits at most 2 s for another
 * (unless opt says how long), and says nothing: no catalog is no names. */
void app_complete_names(const struct vm_db_options *opt, const char *kind, struct strlist *out);

#endif
