/*
 * migrate: brings a catalog schema up to the migrations compiled into the
 * binary. Each migrations/NNNN_name.sql runs once, in version order, in its
 * own transaction, and is recorded in SCHEMA.schema_migrations with the
 * SHA-256 of its bytes; a recorded file whose bytes changed is an error,
 * never re-run. A catalog made by an earlier vendormatch in public (with its
 * public.schema_migrations) is brought up to date there and then moved into
 * the schema by the NNNN_own_schema.sql migration.
 */
#ifndef VM_DB_MIGRATE_H
#define VM_DB_MIGRATE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/util.h"
#include "db/migrations_embedded.h"

/* The pg_advisory_lock key that serialises concurrent migrate runs on one
 * database: the bytes of "vmmigrat" read as a big-endian 64-bit integer. */
#define VM_MIGRATE_LOCK_KEY "8533597168411500916"

enum vm_migration_state {
    VM_MIGRATION_PENDING,
    VM_MIGRATION_APPLIED,
    VM_MIGRATION_CHANGED, /* applied, but the file's checksum differs now */
    VM_MIGRATION_UNKNOWN, /* applied by a newer vendormatch: not in this binary */
};

struct vm_migration_status {
    int version;
    char file_name[256]; /* the embedded name, or the recorded one when UNKNOWN */
    const struct embedded_migration *source; /* NULL when UNKNOWN */
    enum vm_migration_state state;
    char applied_at[40]; /* UTC, ISO 8601; empty when pending */
};

/* Room for "schema".schema_migrations, quoted. */
#define VM_MIGRATE_TABLE_MAX 160

/* The migration that moves an earlier catalog out of public ends so. */
#define VM_OWN_SCHEMA_MIGRATION_SUFFIX "_own_schema.sql"

struct vm_migration_report {
    struct vm_migration_status *items; /* ordered by version */
    size_t count;
    size_t pending;
    char table[VM_MIGRATE_TABLE_MAX]; /* the quoted schema_migrations read, or "" */
    bool legacy; /* table is an earlier vendormatch's public.schema_migrations */
};

/* The version number a migration file name starts with ("0007_x.sql" -> 7), or -1. */
int vm_migration_version(const char *file_name);

/* Reads schema.schema_migrations (or, while schema has none, an earlier
 * vendormatch's public.schema_migrations; absent = nothing applied) and
 * compares it with list. A schema_migrations of another application in
 * schema is an error. Does not lock and writes nothing. */
int vm_migrate_inspect(PGconn *conn, const char *schema, const struct embedded_migration *list,
                       size_t n, struct vm_migration_report *report, struct vm_err *err);
void vm_migration_report_free(struct vm_migration_report *report);
/* VM_EXIT_FAILURE naming the first changed or unknown migration, else 0. */
int vm_migration_report_check(const struct vm_migration_report *report, struct vm_err *err);

/*
 * Applies the pending migrations of list to the catalog in schema (created
 * when missing) under the advisory lock, after checking that none of the
 * applied ones changed. Names each one applied on log (if not NULL);
 * *applied (if not NULL) counts them. Leaves search_path set to schema.
 */
int vm_migrate_apply(PGconn *conn, const char *schema, const struct embedded_migration *list,
                     size_t n, FILE *log, size_t *applied, struct vm_err *err);

#endif
