/*
 * dbadmin (workflow): see dbadmin.h. db/embedded runs the cluster,
 * db/conn resolves and opens the target, db/migrate reads the catalog's
 * migrations; this file decides what each subcommand looks at.
 */
#include "app/dbadmin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/complete_db.h"
#include "db/embedded.h"
#include "db/migrate.h"

int app_db_embedded(enum app_db_action action, bool quiet, struct app_db_embedded *out,
                    struct vm_err *err)
{
    struct vm_embedded e;
    memset(out, 0, sizeof *out);
    int rc = vm_embedded_locate(&e, quiet, err);
    if (rc == 0 && action == APP_DB_START)
        rc = vm_embedded_start(&e, &out->was_running, err);
    else if (rc == 0 && action == APP_DB_STOP)
        rc = vm_embedded_stop(&e, &out->was_running, err);
    if (rc == 0) {
        out->home = xstrdup(e.home);
        out->logfile = xstrdup(e.logfile);
        out->pid = vm_embedded_pid(&e);
        out->initialised = vm_embedded_initialised(&e);
    }
    vm_embedded_free(&e);
    return rc;
}

void app_db_embedded_free(struct app_db_embedded *e)
{
    free(e->home);
    free(e->logfile);
}

int app_db_url(const struct vm_db_options *opt, char **url, struct vm_err *err)
{
    struct vm_embedded e;
    struct vm_db_target t;
    *url = NULL;
    int rc = vm_embedded_locate(&e, opt->quiet, err);
    if (rc == 0 && vm_db_resolve(opt, &t, err) != 0)
        rc = VM_EXIT_USAGE;
    if (rc) {
        vm_embedded_free(&e);
        return rc;
    }
    /* in options a space is escaped with a backslash, then all is percent-encoded */
    char *base = vm_embedded_conninfo(&e);
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "%s&options=-csearch_path%%3D%%22", base);
    for (const unsigned char *p = (const unsigned char *)t.schema; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '_')
            sbuf_putc(&b, (char)*p);
        else if (*p == ' ' || *p == '\\')
            sbuf_printf(&b, "%%5C%%%02X", *p);
        else if (*p == '"')
            sbuf_puts(&b, "%22%22");
        else
            sbuf_printf(&b, "%%%02X", *p);
    }
    sbuf_puts(&b, "%22");
    free(base);
    vm_embedded_free(&e);
    *url = sbuf_detach(&b);
    return 0;
}

/* The state of the catalog in the schema, from its migrations. */
static void catalog_state(PGconn *conn, struct app_db_which *w)
{
    struct vm_migration_report r;
    struct vm_err err;
    vm_err_clear(&err);
    if (vm_migrate_inspect(conn, w->schema, embedded_migrations, embedded_migrations_count, &r,
                           &err) != 0) {
        w->catalog = APP_CATALOG_UNREADABLE;
        w->why_unreadable = xstrdup(err.msg);
        return;
    }
    w->pending = r.pending;
    w->applied = r.count;
    w->catalog = vm_migration_report_check(&r, &err) != 0 ? APP_CATALOG_ATTENTION
                 : r.legacy                               ? APP_CATALOG_LEGACY
                 : r.pending == r.count                   ? APP_CATALOG_NONE
                 : r.pending > 0                          ? APP_CATALOG_PENDING
                                                          : APP_CATALOG_CURRENT;
    vm_migration_report_free(&r);
}

int app_db_which(const struct vm_db_options *opt, struct app_db_which *out, struct vm_err *err)
{
    struct vm_db_options quiet = *opt;
    struct vm_db_target t;
    struct vm_embedded e;
    PGconn *conn = NULL;
    memset(out, 0, sizeof *out);
    memset(&e, 0, sizeof e);
    int rc = vm_db_resolve(opt, &t, err);
    if (rc == 0 && t.source == VM_DB_EMBEDDED)
        rc = vm_embedded_locate(&e, true, err);
    if (rc == 0 && (t.source != VM_DB_EMBEDDED || vm_embedded_pid(&e) > 0)) {
        quiet.quiet = true;
        quiet.verbose = 0;
        rc = vm_db_connect(&quiet, &conn, NULL, err);
    }
    if (rc)
        goto done;
    snprintf(out->why, sizeof out->why, "%s", t.why);
    out->schema = t.schema;
    out->schema_why = t.schema_why;
    if (conn) {
        struct vm_conn_params p = vm_conn_params(conn);
        out->host = xstrdup(p.host);
        out->port = xstrdup(p.port);
        out->dbname = xstrdup(p.dbname);
        out->user = xstrdup(p.user);
        catalog_state(conn, out);
    } else {
        out->host = xstrdup(e.home);
        out->port = xasprintf("%d", VM_EMBEDDED_PORT);
        out->dbname = xstrdup(VM_EMBEDDED_DBNAME);
        out->user = xstrdup(VM_EMBEDDED_USER);
        out->catalog = APP_CATALOG_NOT_RUNNING;
    }
done:
    vm_conn_close(conn);
    vm_embedded_free(&e);
    return rc;
}

void app_db_which_free(struct app_db_which *w)
{
    free(w->host);
    free(w->port);
    free(w->dbname);
    free(w->user);
    free(w->why_unreadable);
}

int app_migrate(const struct vm_db_options *opt, FILE *progress, struct app_migrate_result *out,
                struct vm_err *err)
{
    struct vm_db_target target;
    PGconn *conn = NULL;
    memset(out, 0, sizeof *out);
    out->total = embedded_migrations_count;
    int rc = vm_db_connect(opt, &conn, &target, err);
    if (rc == 0) {
        out->schema = target.schema;
        rc = vm_migrate_apply(conn, target.schema, embedded_migrations, embedded_migrations_count,
                              progress, &out->applied, err);
    }
    vm_conn_close(conn);
    return rc;
}

static const char *state_name(enum vm_migration_state state)
{
    switch (state) {
    case VM_MIGRATION_PENDING:
        return "pending";
    case VM_MIGRATION_APPLIED:
        return "applied";
    case VM_MIGRATION_CHANGED:
        return "CHANGED";
    case VM_MIGRATION_UNKNOWN:
        break;
    }
    return "UNKNOWN";
}

int app_migrate_status(const struct vm_db_options *opt, struct table *out, bool *listed,
                       struct vm_err *err)
{
    static const char *const headers[] = {"state", "applied_at", "migration"};
    struct vm_migration_report report;
    struct vm_db_target target;
    PGconn *conn = NULL;
    *listed = false;
    int rc = vm_db_connect(opt, &conn, &target, err);
    if (rc == 0)
        rc = vm_migrate_inspect(conn, target.schema, embedded_migrations, embedded_migrations_count,
                                &report, err);
    vm_conn_close(conn);
    if (rc)
        return rc;
    table_init(out, 3, headers);
    *listed = true;
    for (size_t i = 0; i < report.count; i++) {
        const struct vm_migration_status *s = &report.items[i];
        const char *row[] = {state_name(s->state), s->applied_at, s->file_name};
        table_add_row(out, row);
    }
    rc = vm_migration_report_check(&report, err);
    vm_migration_report_free(&report);
    return rc;
}

/* A connection only if one is there for the taking; NULL otherwise. The
 * embedded database is used only when it already runs: vm_db_connect would
 * start it. */
static PGconn *connect_if_running(const struct vm_db_options *given)
{
    struct vm_db_options opt = *given;
    struct vm_db_target t;
    struct vm_embedded e = {0};
    struct vm_err err;
    PGconn *c = NULL;

    opt.quiet = true;
    opt.verbose = 0;
    if (!opt.connect_timeout || !*opt.connect_timeout)
        opt.connect_timeout = "2";
    if (vm_db_resolve(&opt, &t, &err) != 0)
        return NULL;
    if (t.source == VM_DB_EMBEDDED) {
        bool running = vm_embedded_locate(&e, true, &err) == 0 && vm_embedded_pid(&e) > 0;
        vm_embedded_free(&e);
        if (!running)
            return NULL;
    }
    if (vm_db_connect(&opt, &c, NULL, &err) != 0)
        c = NULL;
    return c;
}

void app_complete_names(const struct vm_db_options *opt, const char *kind, struct strlist *out)
{
    struct strlist names;
    struct vm_err err;
    PGconn *c;
    if (!complete_db_knows(kind) || !(c = connect_if_running(opt)))
        return;
    strlist_init(&names);
    if (complete_db_names(c, kind, &names, &err) == 0)
        for (size_t i = 0; i < names.len; i++) {
            const char *name = names.items[i];
            bool plain = true;
            for (const unsigned char *p = (const unsigned char *)name; *p; p++)
                plain = plain && *p >= 0x20 && *p != 0x7f;
            if (plain && *name)
                strlist_push(out, name);
        }
    strlist_free(&names);
    vm_conn_close(c);
}
