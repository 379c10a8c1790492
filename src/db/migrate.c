/*
 * migrate: the idea is "compare, then apply under a lock". inspect() finds
 * the migrations table (the schema's own, else an earlier vendormatch's in
 * public) and lines up the embedded migrations with its rows by version;
 * apply() takes a session advisory lock (so a second concurrent run waits,
 * then finds nothing left to do), re-inspects, refuses changed or unknown
 * migrations, and runs each pending file in its own transaction together
 * with the row that records it.
 */
#include "db/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "db/conn.h"
#include "db/pgutil.h"

static const char create_table_sql[] = "CREATE TABLE %s (\n"
                                       "    version     integer PRIMARY KEY,\n"
                                       "    file_name   text NOT NULL,\n"
                                       "    checksum    text NOT NULL,\n"
                                       "    applied_at  timestamptz NOT NULL DEFAULT now()\n"
                                       ")";

static const char applied_sql[] =
    "SELECT version, file_name, checksum,"
    " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS applied_at"
    " FROM %s ORDER BY version";

/* The schema_migrations tables in the catalog schema and in public, and
 * whether each has vendormatch's columns (a Rails-style one has only version). */
static const char locate_sql[] =
    "SELECT n.nspname = $1 AS in_schema,"
    " bool_or(a.attname = 'file_name') AND bool_or(a.attname = 'checksum') AS ours"
    " FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
    "  AND NOT a.attisdropped"
    " WHERE c.relname = 'schema_migrations' AND c.relkind IN ('r', 'p')"
    "  AND n.nspname IN ($1, 'public')"
    " GROUP BY n.nspname";

/* A public.schema_migrations with our columns is an earlier vendormatch's
 * catalog when it recorded our first migration. */
static const char legacy_sql[] = "SELECT 1 FROM public.schema_migrations"
                                 " WHERE version = 1 AND file_name = '0001_schema.sql'";

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
static int merge_applied(PGresult *res, struct vm_migration_report *r, struct vm_err *err)
{
    static const char *const names[] = {"version", "file_name", "checksum", "applied_at"};
    int col[4];
    int rc = pgu_columns(res, "reading schema_migrations", 4, names, col, err);
    if (rc)
        return rc;
    size_t embedded = r->count;
    int i_version = col[0], i_file = col[1], i_checksum = col[2], i_applied = col[3];
    for (int row = 0; row < PQntuples(res); row++) {
        int version = atoi(PQgetvalue(res, row, i_version));
        struct vm_migration_status *s = NULL;
        for (size_t i = 0; i < embedded && !s; i++)
            if (r->items[i].version == version)
                s = &r->items[i];
        if (s) {
            char hex[VM_SHA256_HEX_LEN + 1];
            checksum_of(s->source, hex);
            s->state = strcmp(hex, PQgetvalue(res, row, i_checksum)) == 0 ? VM_MIGRATION_APPLIED
                                                                          : VM_MIGRATION_CHANGED;
        } else {
            s = &r->items[r->count++];
            s->version = version;
            s->state = VM_MIGRATION_UNKNOWN;
            snprintf(s->file_name, sizeof s->file_name, "%s", PQgetvalue(res, row, i_file));
        }
        snprintf(s->applied_at, sizeof s->applied_at, "%s", PQgetvalue(res, row, i_applied));
    }
    return 0;
}

/* "schema".schema_migrations, quoted by libpq. */
static int qualified_table(PGconn *conn, const char *schema, char *out, size_t size,
                           struct vm_err *err)
{
    char *q = PQescapeIdentifier(conn, schema, strlen(schema));
    if (!q)
        return vm_err_set(err, VM_EXIT_FAILURE, "quoting the schema name: %s",
                          PQerrorMessage(conn));
    snprintf(out, size, "%s.schema_migrations", q);
    PQfreemem(q);
    return 0;
}

/* Finds the migrations table: in the schema, else (when the schema has none
 * yet) an earlier vendormatch's in public; sets report->table and ->legacy. */
static int locate_table(PGconn *conn, const char *schema, struct vm_migration_report *r,
                        struct vm_err *err)
{
    const char *params[] = {schema};
    PGresult *res = NULL;
    bool public_ours = false;
    char *legacy = NULL;
    int rc = pgu_exec(conn, "looking for schema_migrations", locate_sql, 1, params, &res, err);
    static const char *const names[] = {"in_schema", "ours"};
    int col[2];
    if (rc == 0)
        rc = pgu_columns(res, "looking for schema_migrations", 2, names, col, err);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        bool in_schema = strcmp(PQgetvalue(res, i, col[0]), "t") == 0;
        bool ours = strcmp(PQgetvalue(res, i, col[1]), "t") == 0;
        if (in_schema && !ours)
            rc = vm_err_set(err, VM_EXIT_FAILURE,
                            "the table schema_migrations in schema %s belongs to another "
                            "application (it has no file_name and checksum columns); keep the "
                            "vendormatch catalog in a schema of its own with --schema NAME or "
                            "VENDORMATCH_SCHEMA",
                            schema);
        else if (in_schema)
            rc = qualified_table(conn, schema, r->table, sizeof r->table, err);
        else
            public_ours = ours;
    }
    PQclear(res);
    if (rc || r->table[0] || !public_ours)
        return rc;
    rc = pgu_query_value(conn, "looking for an earlier catalog in public", legacy_sql, 0, NULL,
                         &legacy, err);
    if (rc == 0 && legacy) {
        snprintf(r->table, sizeof r->table, "public.schema_migrations");
        r->legacy = true;
    }
    free(legacy);
    return rc;
}

int vm_migrate_inspect(PGconn *conn, const char *schema, const struct embedded_migration *list,
                       size_t n, struct vm_migration_report *report, struct vm_err *err)
{
    PGresult *res = NULL;
    int rc;

    memset(report, 0, sizeof *report);
    rc = locate_table(conn, schema, report, err);
    if (rc == 0 && report->table[0]) {
        char *sql = xasprintf(applied_sql, report->table);
        rc = pgu_exec(conn, "reading schema_migrations", sql, 0, NULL, &res, err);
        free(sql);
    }
    if (rc)
        goto done;
    report->items = xcalloc(n + (res ? (size_t)PQntuples(res) : 0), sizeof *report->items);
    rc = list_embedded(list, n, report, err);
    if (rc)
        goto done;
    if (res && (rc = merge_applied(res, report, err)) != 0)
        goto done;
    qsort(report->items, report->count, sizeof *report->items, by_version);
    for (size_t i = 0; i < report->count; i++)
        report->pending += report->items[i].state == VM_MIGRATION_PENDING;
done:
    PQclear(res);
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

/* True for the migration that carries an earlier catalog out of public. */
static bool is_own_schema_migration(const char *file_name)
{
    size_t len = strlen(file_name), slen = strlen(VM_OWN_SCHEMA_MIGRATION_SUFFIX);
    return len > slen && strcmp(file_name + len - slen, VM_OWN_SCHEMA_MIGRATION_SUFFIX) == 0;
}

/*
 * Runs one migration and records it in *table, in one transaction. When
 * switch_to is set (an earlier catalog being carried out of public), the
 * migration has moved the catalog and schema_migrations into that schema:
 * search_path and *table follow it before the record is written (both
 * revert with the transaction if it fails).
 */
static int apply_one(PGconn *conn, const struct vm_migration_status *s, char *table,
                     size_t table_size, const char *switch_to, struct vm_err *err)
{
    char hex[VM_SHA256_HEX_LEN + 1], version[16], what[320], moved[VM_MIGRATE_TABLE_MAX];
    const char *params[] = {version, s->file_name, hex};
    char *insert = NULL;
    int rc;

    checksum_of(s->source, hex);
    snprintf(version, sizeof version, "%d", s->version);
    snprintf(what, sizeof what, "applying migration %s", s->file_name);
    snprintf(moved, sizeof moved, "%s", table);
    rc = pgu_begin(conn, what, err);
    if (rc == 0)
        rc = pgu_exec_script(conn, what, s->source->sql, err);
    if (rc == 0 && switch_to)
        rc = vm_conn_set_search_path(conn, switch_to, err);
    if (rc == 0 && switch_to)
        rc = qualified_table(conn, switch_to, moved, sizeof moved, err);
    if (rc == 0) {
        insert =
            xasprintf("INSERT INTO %s (version, file_name, checksum) VALUES ($1, $2, $3)", moved);
        rc = pgu_exec(conn, what, insert, 3, params, NULL, err);
    }
    if (rc == 0)
        rc = pgu_commit(conn, what, err);
    if (rc)
        pgu_rollback(conn);
    else
        snprintf(table, table_size, "%s", moved);
    free(insert);
    return rc;
}

/* Creates the catalog schema unless it exists (without asking for the
 * database's CREATE privilege when a DBA made it already). */
static int ensure_schema(PGconn *conn, const char *schema, struct vm_err *err)
{
    const char *params[] = {schema};
    char *exists = NULL;
    int rc = pgu_query_value(conn, "looking for the catalog schema",
                             "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", 1, params,
                             &exists, err);
    if (rc == 0 && !exists) {
        char *q = PQescapeIdentifier(conn, schema, strlen(schema));
        char *sql = q ? xasprintf("CREATE SCHEMA %s", q) : NULL;
        rc = sql ? pgu_exec(conn, "creating the catalog schema", sql, 0, NULL, NULL, err)
                 : vm_err_set(err, VM_EXIT_FAILURE, "quoting the schema name: %s",
                              PQerrorMessage(conn));
        PQfreemem(q);
        free(sql);
    }
    free(exists);
    return rc;
}

/* Makes schema_migrations in the catalog schema when neither it nor an
 * earlier catalog's exists, then reads the state. */
static int prepare(PGconn *conn, const char *schema, const struct embedded_migration *list,
                   size_t n, struct vm_migration_report *report, struct vm_err *err)
{
    const char *params[] = {schema};
    int rc = ensure_schema(conn, schema, err);
    if (rc == 0)
        rc = pgu_exec(conn, "naming the catalog schema for the migrations",
                      "SELECT pg_catalog.set_config('vendormatch.schema', $1, false)", 1, params,
                      NULL, err);
    if (rc == 0)
        rc = vm_migrate_inspect(conn, schema, list, n, report, err);
    if (rc == 0 && !report->table[0]) {
        char table[VM_MIGRATE_TABLE_MAX];
        rc = qualified_table(conn, schema, table, sizeof table, err);
        char *sql = rc ? NULL : xasprintf(create_table_sql, table);
        if (sql)
            rc = pgu_exec(conn, "creating schema_migrations", sql, 0, NULL, NULL, err);
        free(sql);
        vm_migration_report_free(report);
        if (rc == 0)
            rc = vm_migrate_inspect(conn, schema, list, n, report, err);
    }
    if (rc == 0)
        rc = vm_migration_report_check(report, err);
    return rc;
}

int vm_migrate_apply(PGconn *conn, const char *schema, const struct embedded_migration *list,
                     size_t n, FILE *log, size_t *applied, struct vm_err *err)
{
    struct vm_migration_report report = {0};
    size_t done_count = 0;
    int rc = pgu_exec(conn, "taking the migration lock", "SELECT pg_advisory_lock($1::bigint)", 1,
                      lock_params, NULL, err);
    bool locked = rc == 0, legacy = false;

    if (rc == 0)
        rc = prepare(conn, schema, list, n, &report, err);
    /* An earlier catalog: its pending migrations run where it is, in public,
     * until the own-schema migration moves it. */
    legacy = rc == 0 && report.legacy;
    if (legacy)
        rc = vm_conn_set_search_path(conn, "public", err);
    for (size_t i = 0; rc == 0 && i < report.count; i++) {
        const struct vm_migration_status *s = &report.items[i];
        if (s->state != VM_MIGRATION_PENDING)
            continue;
        bool moves = legacy && is_own_schema_migration(s->file_name);
        rc = apply_one(conn, s, report.table, sizeof report.table, moves ? schema : NULL, err);
        if (rc == 0 && log)
            fprintf(log, "vendormatch: applied migration %s\n", s->file_name);
        if (rc == 0 && moves && log)
            fprintf(log, "vendormatch: moved the catalog from schema public to schema %s\n",
                    schema);
        done_count += rc == 0;
    }
    if (legacy) {
        int path_rc = vm_conn_set_search_path(conn, schema, rc ? NULL : err);
        if (rc == 0)
            rc = path_rc;
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
