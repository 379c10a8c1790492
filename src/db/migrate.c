/*
 * migrate: the idea is "compare, then apply under a lock". inspect() lines up
 * the embedded migrations with the rows of schema_migrations by version;
 * apply() takes a session advisory lock (so a second concurrent run waits,
 * then finds nothing left to do), re-inspects, refuses changed or unknown
 * migrations, and runs each pending file in its own transaction together
 * with the row that records it.
 */
#include "db/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "db/pgutil.h"

static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
                                       "    version     integer PRIMARY KEY,\n"
                                       "    file_name   text NOT NULL,\n"
                                       "    checksum    text NOT NULL,\n"
                                       "    applied_at  timestamptz NOT NULL DEFAULT now()\n"
                                       ")";

static const char applied_sql[] =
    "SELECT version, file_name, checksum,"
    " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    " FROM schema_migrations ORDER BY version";

static const char *const lock_params[] = {VM_MIGRATE_LOCK_KEY};

int vm_migration_version(const char *file_name)
{
    char *end;
    long v = strtol(file_name, &end, 10);
    if (end == file_name || *end != '_' || v < 0 || v > 999999)
        return -1;
    return (int)v;
}

static int by_version(const void *a, const void *b)
{
    const struct vm_migration_status *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

static void checksum_of(const struct embedded_migration *m, char hex[VM_SHA256_HEX_LEN + 1])
{
    vm_sha256_hex(m->sql, strlen(m->sql), hex);
}

/* One item per embedded migration, all pending. */
static int list_embedded(const struct embedded_migration *list, size_t n,
                         struct vm_migration_report *r, struct vm_err *err)
{
    for (size_t i = 0; i < n; i++) {
        struct vm_migration_status *s = &r->items[r->count++];
        s->version = vm_migration_version(list[i].file_name);
        s->source = &list[i];
        s->state = VM_MIGRATION_PENDING;
        snprintf(s->file_name, sizeof s->file_name, "%s", list[i].file_name);
        if (s->version < 0 || (i > 0 && s->version == r->items[r->count - 2].version))
            return vm_err_set(err, VM_EXIT_FAILURE,
                              "migration file %s is misnamed or reuses a version number; name "
                              "migrations NNNN_description.sql with distinct numbers",
                              list[i].file_name);
    }
    return 0;
}

/* Marks the items recorded in schema_migrations; unknown versions are added. */
static void merge_applied(PGresult *res, struct vm_migration_report *r)
{
    size_t embedded = r->count;
    for (int row = 0; row < PQntuples(res); row++) {
        int version = atoi(PQgetvalue(res, row, 0));
        struct vm_migration_status *s = NULL;
        for (size_t i = 0; i < embedded && !s; i++)
            if (r->items[i].version == version)
                s = &r->items[i];
        if (s) {
            char hex[VM_SHA256_HEX_LEN + 1];
            checksum_of(s->source, hex);
            s->state = strcmp(hex, PQgetvalue(res, row, 2)) == 0 ? VM_MIGRATION_APPLIED
                                                                 : VM_MIGRATION_CHANGED;
        } else {
            s = &r->items[r->count++];
            s->version = version;
            s->state = VM_MIGRATION_UNKNOWN;
            snprintf(s->file_name, sizeof s->file_name, "%s", PQgetvalue(res, row, 1));
        }
        snprintf(s->applied_at, sizeof s->applied_at, "%s", PQgetvalue(res, row, 3));
    }
}

int vm_migrate_inspect(PGconn *conn, const struct embedded_migration *list, size_t n,
                       struct vm_migration_report *report, struct vm_err *err)
{
    PGresult *res = NULL;
    char *exists = NULL;
    int rc;

    memset(report, 0, sizeof *report);
    rc = pgu_query_value(conn, "looking for schema_migrations",
                         "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL, &exists,
                         err);
    if (rc == 0 && exists && strcmp(exists, "t") == 0)
        rc = pgu_exec(conn, "reading schema_migrations", applied_sql, 0, NULL, &res, err);
    if (rc)
        goto done;
    report->items = xcalloc(n + (res ? (size_t)PQntuples(res) : 0), sizeof *report->items);
    rc = list_embedded(list, n, report, err);
    if (rc)
        goto done;
    if (res)
        merge_applied(res, report);
    qsort(report->items, report->count, sizeof *report->items, by_version);
    for (size_t i = 0; i < report->count; i++)
        report->pending += report->items[i].state == VM_MIGRATION_PENDING;
done:
    PQclear(res);
    free(exists);
    return rc;
}

void vm_migration_report_free(struct vm_migration_report *report)
{
    free(report->items);
    memset(report, 0, sizeof *report);
}

int vm_migration_report_check(const struct vm_migration_report *report, struct vm_err *err)
{
    for (size_t i = 0; i < report->count; i++) {
        const struct vm_migration_status *s = &report->items[i];
        if (s->state == VM_MIGRATION_CHANGED)
            return vm_err_set(err, VM_EXIT_FAILURE,
                              "migration %s has changed since it was applied to this database "
                              "(its SHA-256 no longer matches schema_migrations); applied "
                              "migrations must never change: restore the original file and "
                              "put the change in a new migration",
                              s->file_name);
        if (s->state == VM_MIGRATION_UNKNOWN)
            return vm_err_set(err, VM_EXIT_FAILURE,
                              "this database has migration %s applied, which this vendormatch "
                              "does not have: it was migrated by a newer version; upgrade "
                              "vendormatch",
                              s->file_name);
    }
    return 0;
}

/* Runs one migration and records it, in one transaction. */
static int apply_one(PGconn *conn, const struct vm_migration_status *s, struct vm_err *err)
{
    char hex[VM_SHA256_HEX_LEN + 1], version[16], what[320];
    const char *params[] = {version, s->file_name, hex};
    int rc;

    checksum_of(s->source, hex);
    snprintf(version, sizeof version, "%d", s->version);
    snprintf(what, sizeof what, "applying migration %s", s->file_name);
    rc = pgu_exec(conn, what, "BEGIN", 0, NULL, NULL, err);
    if (rc == 0)
        rc = pgu_exec_script(conn, what, s->source->sql, err);
    if (rc == 0)
        rc = pgu_exec(conn, what,
                      "INSERT INTO schema_migrations (version, file_name, checksum)"
                      " VALUES ($1, $2, $3)",
                      3, params, NULL, err);
    if (rc == 0)
        rc = pgu_exec(conn, what, "COMMIT", 0, NULL, NULL, err);
    if (rc)
        PQclear(PQexec(conn, "ROLLBACK"));
    return rc;
}

int vm_migrate_apply(PGconn *conn, const struct embedded_migration *list, size_t n, FILE *log,
                     size_t *applied, struct vm_err *err)
{
    struct vm_migration_report report = {0};
    size_t done_count = 0;
    int rc = pgu_exec(conn, "taking the migration lock", "SELECT pg_advisory_lock($1::bigint)", 1,
                      lock_params, NULL, err);
    bool locked = rc == 0;

    if (rc == 0)
        rc = pgu_exec(conn, "creating schema_migrations", create_table_sql, 0, NULL, NULL, err);
    if (rc == 0)
        rc = vm_migrate_inspect(conn, list, n, &report, err);
    if (rc == 0)
        rc = vm_migration_report_check(&report, err);
    for (size_t i = 0; rc == 0 && i < report.count; i++) {
        if (report.items[i].state != VM_MIGRATION_PENDING)
            continue;
        rc = apply_one(conn, &report.items[i], err);
        if (rc == 0 && log)
            fprintf(log, "vendormatch: applied migration %s\n", report.items[i].file_name);
        done_count += rc == 0;
    }
    if (locked) {
        int unlock_rc =
            pgu_exec(conn, "releasing the migration lock", "SELECT pg_advisory_unlock($1::bigint)",
                     1, lock_params, NULL, rc ? NULL : err);
        if (rc == 0)
            rc = unlock_rc;
    }
    if (applied)
        *applied = done_count;
    vm_migration_report_free(&report);
    return rc;
}
