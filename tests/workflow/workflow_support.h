/*
 * workflow_support: what the workflow tests share. Each test gets a fresh,
 * migrated database on the real PostgreSQL server that ctest's `pg` fixture
 * started (tests/integration/pg_harness.sh; its state file is $VM_PGSTATE),
 * and reads what the workflow stored back with plain SQL. Include after
 * <cmocka.h>.
 */
#ifndef VM_WORKFLOW_SUPPORT_H
#define VM_WORKFLOW_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/import.h"
#include "core/util.h"
#include "db/conn.h"
#include "db/migrate.h"
#include "db/pgutil.h"

struct wf_db {
    char host[256], user[64], name[64];
    char conninfo[512];       /* the test database */
    struct vm_db_options opt; /* what a workflow is given: --db conninfo */
    PGconn *conn;             /* the test's own connection, for reading back */
    char dir[64];             /* a scratch directory for input files */
};

/* One "KEY=value" line of the pg_harness state file. */
static inline void wf_state_value(const char *state, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    for (const char *p = state; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
            const char *v = p + klen + 1, *end = strchr(v, '\n');
            snprintf(out, size, "%.*s", end ? (int)(end - v) : (int)strlen(v), v);
            return;
        }
    fail_msg("%s not in the pg_harness state file", key);
}

static inline void wf_exec(PGconn *conn, const char *sql)
{
    struct vm_err err = {0};
    if (pgu_exec(conn, "test setup", sql, 0, NULL, NULL, &err))
        fail_msg("%s", err.msg);
}

/* A fresh database, migrated like `vendormatch migrate` does. */
static inline struct wf_db *wf_db_create(void)
{
    static int serial;
    struct wf_db *db = xcalloc(1, sizeof *db);
    struct vm_err err = {0};
    const char *path = getenv("VM_PGSTATE");
    if (!path)
        fail_msg("VM_PGSTATE is not set: run through ctest (the pg fixture starts the server)");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot read %s", path);
    char state[4096];
    size_t n = fread(state, 1, sizeof state - 1, f);
    state[n] = '\0';
    fclose(f);
    wf_state_value(state, "VM_PGHOST", db->host, sizeof db->host);
    wf_state_value(state, "VM_PGUSER", db->user, sizeof db->user);
    snprintf(db->name, sizeof db->name, "vmwf_%ld_%d", (long)getpid(), ++serial);

    char admin[512], sql[128];
    snprintf(admin, sizeof admin, "host=%s user=%s dbname=postgres", db->host, db->user);
    PGconn *c = NULL;
    if (vm_conn_open(admin, VM_DB_FROM_OPTION, &c, &err))
        fail_msg("%s", err.msg);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", db->name);
    wf_exec(c, sql);
    vm_conn_close(c);

    snprintf(db->conninfo, sizeof db->conninfo, "host=%s user=%s dbname=%s", db->host, db->user,
             db->name);
    db->opt = (struct vm_db_options){.db = db->conninfo, .quiet = true};
    if (vm_db_connect(&db->opt, &db->conn, NULL, &err) ||
        vm_migrate_apply(db->conn, VM_DEFAULT_SCHEMA, embedded_migrations,
                         embedded_migrations_count, NULL, NULL, &err))
        fail_msg("%s", err.msg);
    snprintf(db->dir, sizeof db->dir, "/tmp/vmwf.XXXXXX");
    if (!mkdtemp(db->dir))
        fail_msg("mkdtemp failed");
    return db;
}

static inline void wf_db_drop(struct wf_db *db)
{
    struct vm_err err = {0};
    char admin[512], sql[128];
    vm_conn_close(db->conn);
    snprintf(admin, sizeof admin, "host=%s user=%s dbname=postgres", db->host, db->user);
    PGconn *c = NULL;
    if (vm_conn_open(admin, VM_DB_FROM_OPTION, &c, &err) == 0) {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db->name);
        wf_exec(c, sql);
    }
    vm_conn_close(c);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf '%s'", db->dir);
    if (system(rm) != 0)
        fail_msg("cannot remove %s", db->dir);
    free(db);
}

/* cmocka setup and teardown: a fresh database in *state, dropped after. */
static inline int wf_setup(void **state)
{
    *state = wf_db_create();
    return 0;
}

static inline int wf_teardown(void **state)
{
    wf_db_drop(*state);
    return 0;
}

/* Writes text to a file of the scratch directory; returns its path (malloc'd). */
static inline char *wf_write(const struct wf_db *db, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", db->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Imports text as the catalog file name with the import workflow, tagged
 * or not: the catalog a test of a later workflow starts from. */
static inline void wf_import(struct wf_db *db, const char *name, const char *text, bool classify)
{
    struct app_import_opts o = {.classify = classify, .quiet = true};
    struct vm_err err = {0};
    char *path = wf_write(db, name, text);
    const char *files[] = {path};
    if (app_import(&db->opt, &o, files, 1, NULL, NULL, &err))
        fail_msg("%s", err.msg);
    free(path);
}

/* One value (row 0, column 0) of a query, as text ("" for none or NULL);
 * valid until the next call. */
static inline const char *wf_value(const struct wf_db *db, const char *sql)
{
    static char buf[4096];
    struct vm_err err = {0};
    char *v = NULL;
    if (pgu_query_value(db->conn, "test query", sql, 0, NULL, &v, &err))
        fail_msg("%s: %s", sql, err.msg);
    snprintf(buf, sizeof buf, "%s", v ? v : "");
    free(v);
    return buf;
}

#endif
