/*
 * embedded: the private PostgreSQL cluster vendormatch runs for a user who
 * has no server of their own. One directory (the "home", mode 0700) holds the
 * data directory, the server log and the Unix socket; the server listens on
 * nothing else. As root, the server runs as the unprivileged 'postgres'
 * account, because PostgreSQL refuses to run as root.
 */
#ifndef VM_DB_EMBEDDED_H
#define VM_DB_EMBEDDED_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/util.h"

/* The role and database initdb and start create; the socket's port number. */
#define VM_EMBEDDED_USER "vendormatch"
#define VM_EMBEDDED_DBNAME "vendormatch"
#define VM_EMBEDDED_PORT 5432

struct vm_embedded {
    char *home;    /* $VENDORMATCH_HOME, $XDG_DATA_HOME/vendormatch or ~/.local/share/... */
    char *datadir; /* home/data */
    char *logfile; /* home/server.log */
    char *bindir;  /* where pg_ctl and initdb are; found by vm_embedded_start */
    bool quiet;    /* no progress lines on stderr */
    bool as_server_account; /* we are root: initdb and pg_ctl run as server_user */
    char *server_user;
    uid_t server_uid;
    gid_t server_gid;
};

/* Works out the paths (creating nothing) and checks the socket path fits. */
int vm_embedded_locate(struct vm_embedded *e, bool quiet, struct vm_err *err);
/* Frees what locate and start allocated; safe on a zeroed or failed struct. */
void vm_embedded_free(struct vm_embedded *e);
/* A libpq URI for the embedded database (socket directory, role, database). */
char *vm_embedded_conninfo(const struct vm_embedded *e);
/* The postmaster's pid when the server is running, else 0. */
long vm_embedded_pid(const struct vm_embedded *e);
/* True once initdb has run in the home. */
bool vm_embedded_initialised(const struct vm_embedded *e);
/* Creates the home and cluster on first use and starts the server; a no-op
 * (already_running set, if not NULL) when it runs. */
int vm_embedded_start(struct vm_embedded *e, bool *already_running, struct vm_err *err);
/* Stops the server (fast mode); a no-op (was_running false) if it is not running. */
int vm_embedded_stop(struct vm_embedded *e, bool *was_running, struct vm_err *err);

#endif
