/*
 * pgutil: statement execution and COPY with one error convention. Every
 * PGresult is checked and cleared here, so callers see only 0 or a vm_err.
 * A failure on a dead connection is reported as "database unavailable" (69).
 */
#include "db/pgutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/normalize.h"
#include "io/output.h"

#define COPY_FLUSH_BYTES (256 * 1024)

void pgu_result_error(const PGresult *res, char *out, size_t size)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;

    if (!primary) {
        const char *raw = res ? PQresultErrorMessage(res) : "";
        snprintf(out, size, "%s", raw[0] ? raw : "no result from the server");
    } else {
        snprintf(out, size, "%s", primary);
        if (detail) {
            size_t used = strlen(out);
            snprintf(out + used, size - used, " (%s)", detail);
        }
        if (hint) {
            size_t used = strlen(out);
            snprintf(out + used, size - used, "; hint: %s", hint);
        }
    }
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
}

static PGcancel *volatile cancel_handle;

void pgu_cancel_arm(PGconn *conn)
{
    cancel_handle = PQgetCancel(conn);
}

void pgu_cancel_request(void)
{
    char buf[256];
    PGcancel *c = cancel_handle;
    if (c)
        PQcancel(c, buf, sizeof buf); /* async-signal-safe */
}

void pgu_cancel_disarm(void)
{
    PGcancel *c = cancel_handle;
    cancel_handle = NULL;
    PQfreeCancel(c);
}

/* Builds err from a failed result (res may be NULL: then from the connection). */
static int fail_with(PGconn *conn, const PGresult *res, const char *what, struct vm_err *err)
{
    char why[1024];
    if (res)
        pgu_result_error(res, why, sizeof why);
    else
        snprintf(why, sizeof why, "%s", PQerrorMessage(conn));
    size_t n = strlen(why);
    while (n > 0 && why[n - 1] == '\n')
        why[--n] = '\0';
    int code = PQstatus(conn) == CONNECTION_BAD ? VM_EXIT_UNAVAILABLE : VM_EXIT_FAILURE;
    return vm_err_set(err, code, "%s: %s", what, why);
}

static bool result_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return res && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
}

/* Checks r, the result of a statement: on success hands it to *res (if res
 * is not NULL), else clears it; on failure the SQLSTATE into sqlstate (if
 * not NULL). */
static int take_result(PGconn *conn, PGresult *r, const char *what, PGresult **res,
                       char sqlstate[6], struct vm_err *err)
{
    int rc = 0;

    if (!result_ok(r)) {
        if (sqlstate) {
            const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
            snprintf(sqlstate, 6, "%s", st ? st : "");
        }
        rc = fail_with(conn, r, what, err);
        goto done;
    }
    if (res) {
        *res = r;
        r = NULL;
    }
done:
    PQclear(r);
    return rc;
}

/* Every parameter is text for a UTF-8 database. Files are checked as they
 * are read, so a value that is not UTF-8 came from the command line (a
 * source or shortlist name, a --reason, a filter...): a usage error that
 * names it, not the server's "invalid byte sequence" (exit 1). */
static int params_utf8(const char *what, int nparams, const char *const *params, struct vm_err *err)
{
    size_t bad;
    for (int i = 0; i < nparams; i++) {
        if (!params[i] || norm_utf8_valid(params[i], strlen(params[i]), &bad))
            continue;
        char *safe = output_terminal_safe(params[i]);
        vm_err_set(err, VM_EXIT_USAGE,
                   "%s: '%s' is not UTF-8 text (byte 0x%02X at byte %zu); give it in UTF-8", what,
                   safe, (unsigned char)params[i][bad], bad + 1);
        free(safe);
        return VM_EXIT_USAGE;
    }
    return 0;
}

/* pgu_exec, and on failure the SQLSTATE into sqlstate (if not NULL). */
static int exec_checked(PGconn *conn, const char *what, const char *sql, int nparams,
                        const char *const *params, PGresult **res, char sqlstate[6],
                        struct vm_err *err)
{
    if (params_utf8(what, nparams, params, err))
        return VM_EXIT_USAGE;
    PGresult *r = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    return take_result(conn, r, what, res, sqlstate, err);
}

int pgu_prepare(PGconn *conn, const char *what, const char *name, const char *sql, int nparams,
                struct vm_err *err)
{
    return take_result(conn, PQprepare(conn, name, sql, nparams, NULL), what, NULL, NULL, err);
}

int pgu_exec_prepared(PGconn *conn, const char *what, const char *name, int nparams,
                      const char *const *params, PGresult **res, char sqlstate[6],
                      struct vm_err *err)
{
    if (params_utf8(what, nparams, params, err))
        return VM_EXIT_USAGE;
    PGresult *r = PQexecPrepared(conn, name, nparams, params, NULL, NULL, 0);
    return take_result(conn, r, what, res, sqlstate, err);
}

int pgu_columns(const PGresult *res, const char *what, int n, const char *const *names, int *cols,
                struct vm_err *err)
{
    for (int i = 0; i < n; i++) {
        cols[i] = PQfnumber(res, names[i]);
        if (cols[i] < 0)
            return vm_err_set(err, VM_EXIT_FAILURE, "%s: no column %s in the result", what,
                              names[i]);
    }
    return 0;
}

int pgu_exec(PGconn *conn, const char *what, const char *sql, int nparams,
             const char *const *params, PGresult **res, struct vm_err *err)
{
    return exec_checked(conn, what, sql, nparams, params, res, NULL, err);
}

int pgu_exec_sqlstate(PGconn *conn, const char *what, const char *sql, char sqlstate[6],
                      struct vm_err *err)
{
    return exec_checked(conn, what, sql, 0, NULL, NULL, sqlstate, err);
}

int pgu_begin(PGconn *conn, const char *what, struct vm_err *err)
{
    return pgu_exec(conn, what, "BEGIN", 0, NULL, NULL, err);
}

int pgu_commit(PGconn *conn, const char *what, struct vm_err *err)
{
    return pgu_exec(conn, what, "COMMIT", 0, NULL, NULL, err);
}

void pgu_rollback(PGconn *conn)
{
    PQclear(PQexec(conn, "ROLLBACK"));
}

int pgu_rollback_checked(PGconn *conn, const char *what, struct vm_err *err)
{
    return pgu_exec(conn, what, "ROLLBACK", 0, NULL, NULL, err);
}

int pgu_exec_script(PGconn *conn, const char *what, const char *sql, struct vm_err *err)
{
    int rc = 0;
    PGresult *r = PQexec(conn, sql);

    if (!result_ok(r) && PQresultStatus(r) != PGRES_EMPTY_QUERY)
        rc = fail_with(conn, r, what, err);
    PQclear(r);
    return rc;
}

int pgu_query_value(PGconn *conn, const char *what, const char *sql, int nparams,
                    const char *const *params, char **value, struct vm_err *err)
{
    PGresult *r = NULL;
    int rc = pgu_exec(conn, what, sql, nparams, params, &r, err);

    *value = NULL;
    if (rc == 0 && PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0))
        *value = xstrdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return rc;
}

int pgu_copy_begin_binary(struct pgu_copy *c, PGconn *conn, const char *copy_sql,
                          struct vm_err *err)
{
    int rc = pgu_copy_begin(c, conn, copy_sql, err);
    if (rc == 0) {
        static const char header[] = "PGCOPY\n\377\r\n"; /* + NUL, flags, extension length */
        c->binary = true;
        sbuf_append(&c->buf, header, sizeof header);
        sbuf_append(&c->buf, "\0\0\0\0\0\0\0\0", 8);
    }
    return rc;
}

int pgu_copy_begin(struct pgu_copy *c, PGconn *conn, const char *copy_sql, struct vm_err *err)
{
    int rc = 0;
    PGresult *r = PQexec(conn, copy_sql);

    memset(c, 0, sizeof *c);
    c->conn = conn;
    sbuf_init(&c->buf);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = fail_with(conn, r, "starting COPY", err);
        goto done;
    }
    c->active = true;
done:
    PQclear(r);
    return rc;
}

void pgu_copy_field(struct pgu_copy *c, const char *value)
{
    pgu_copy_field_n(c, value, value ? strlen(value) : 0);
}

/* COPY text format: tab between fields, newline ends a row, \N is NULL, and
 * backslash, tab, newline and carriage return inside a value are escaped. */
void pgu_copy_field_n(struct pgu_copy *c, const char *value, size_t len)
{
    if (c->in_row)
        sbuf_putc(&c->buf, '\t');
    c->in_row = true;
    if (!value) {
        sbuf_puts(&c->buf, "\\N");
        return;
    }
    for (size_t i = 0; i < len; i++) {
        switch (value[i]) {
        case '\\':
            sbuf_puts(&c->buf, "\\\\");
            break;
        case '\t':
            sbuf_puts(&c->buf, "\\t");
            break;
        case '\n':
            sbuf_puts(&c->buf, "\\n");
            break;
        case '\r':
            sbuf_puts(&c->buf, "\\r");
            break;
        default:
            sbuf_putc(&c->buf, value[i]);
            break;
        }
    }
}

static int copy_flush(struct pgu_copy *c, struct vm_err *err)
{
    if (c->buf.len == 0)
        return 0;
    if (PQputCopyData(c->conn, c->buf.data, (int)c->buf.len) != 1)
        return fail_with(c->conn, NULL, "sending COPY data", err);
    sbuf_reset(&c->buf);
    return 0;
}

void pgu_copy_close_row(struct pgu_copy *c)
{
    if (c->binary) {
        c->buf.data[c->row_start] = (char)(c->n_fields >> 8);
        c->buf.data[c->row_start + 1] = (char)(c->n_fields & 0xff);
    } else {
        sbuf_putc(&c->buf, '\n');
    }
    c->in_row = false;
}

int pgu_copy_end_row(struct pgu_copy *c, struct vm_err *err)
{
    pgu_copy_close_row(c);
    return c->buf.len >= COPY_FLUSH_BYTES ? copy_flush(c, err) : 0;
}

/* Reads results until the connection is idle; returns the first failure. */
static int copy_collect(struct pgu_copy *c, struct vm_err *err)
{
    int rc = 0;
    PGresult *r;
    while ((r = PQgetResult(c->conn)) != NULL) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = fail_with(c->conn, r, "COPY", err);
        PQclear(r);
    }
    return rc;
}

int pgu_copy_finish(struct pgu_copy *c, struct vm_err *err)
{
    int rc = 0;
    if (!c->active)
        goto done;
    c->active = false;
    if (c->binary)
        sbuf_append(&c->buf, "\377\377", 2); /* the trailer: a field count of -1 */
    rc = copy_flush(c, err);
    if (PQputCopyEnd(c->conn, rc ? "client failed while sending" : NULL) != 1 && rc == 0)
        rc = fail_with(c->conn, NULL, "ending COPY", err);
    int collected = copy_collect(c, rc ? NULL : err);
    if (rc == 0)
        rc = collected;
done:
    sbuf_free(&c->buf);
    return rc;
}

void pgu_copy_abort(struct pgu_copy *c, const char *why)
{
    if (c->active) {
        c->active = false;
        PQputCopyEnd(c->conn, why ? why : "aborted by the client");
        copy_collect(c, NULL);
    }
    sbuf_free(&c->buf);
}
