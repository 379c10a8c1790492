/*
 * pgutil: the libpq habits every database module needs, in one place: run a
 * statement with parameters and turn a bad status into a struct vm_err that
 * says what was being done, and stream rows into COPY ... FROM STDIN with the
 * text-format escaping done here so callers never escape anything by hand.
 */
#ifndef VM_DB_PGUTIL_H
#define VM_DB_PGUTIL_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/util.h"

/*
 * Runs one statement with nparams text parameters ($1..). On success returns 0
 * and, if res is not NULL, hands the result to the caller (who PQclears it).
 * On failure returns VM_EXIT_FAILURE (VM_EXIT_UNAVAILABLE if the connection
 * is gone) with err = "<what>: <server message>".
 */
int pgu_exec(PGconn *conn, const char *what, const char *sql, int nparams,
             const char *const *params, PGresult **res, struct vm_err *err);

/* A prepared statement: pgu_prepare makes sql the statement `name` (for
 * nparams parameters, their types inferred), pgu_exec_prepared runs it;
 * both checked like pgu_exec. On failure sqlstate (6 bytes, may be NULL)
 * gets the error's SQLSTATE ("" when there is none): 57014 when
 * statement_timeout cancelled it. */
int pgu_prepare(PGconn *conn, const char *what, const char *name, const char *sql, int nparams,
                struct vm_err *err);
int pgu_exec_prepared(PGconn *conn, const char *what, const char *name, int nparams,
                      const char *const *params, PGresult **res, char sqlstate[6],
                      struct vm_err *err);

/* A result's columns by name: cols[i] gets the index of column names[i]
 * of res. A name the result lacks (the query and its reader disagree) is
 * an error naming it: "<what>: no column <name> in the result". */
int pgu_columns(const PGresult *res, const char *what, int n, const char *const *names, int *cols,
                struct vm_err *err);

/* Like pgu_exec for a statement without parameters or result; on failure
 * sqlstate (6 bytes) gets the error's SQLSTATE ("" when there is none), for
 * callers that tell one refusal from another (42501: not allowed). */
int pgu_exec_sqlstate(PGconn *conn, const char *what, const char *sql, char sqlstate[6],
                      struct vm_err *err);

/*
 * Transactions: BEGIN and COMMIT checked like pgu_exec (what names the work
 * in the message: "starting the import"). pgu_rollback is for the way out of
 * a failed transaction: best effort, nothing to check (on a dead connection
 * the server has dropped the transaction already).
 */
int pgu_begin(PGconn *conn, const char *what, struct vm_err *err);
int pgu_commit(PGconn *conn, const char *what, struct vm_err *err);
void pgu_rollback(PGconn *conn);
/* A deliberate ROLLBACK (a dry run ends so), checked like pgu_commit. */
int pgu_rollback_checked(PGconn *conn, const char *what, struct vm_err *err);

/* Like pgu_exec, for SQL text holding several statements and no parameters
 * (a migration file). Results are discarded. */
int pgu_exec_script(PGconn *conn, const char *what, const char *sql, struct vm_err *err);

/* Runs a one-value query; *value is a malloc'd copy of row 0 column 0, or
 * NULL when there is no row or the value is SQL NULL. */
int pgu_query_value(PGconn *conn, const char *what, const char *sql, int nparams,
                    const char *const *params, char **value, struct vm_err *err);

/*
 * Cancelling the running statement from a signal handler (Ctrl-C): arm it
 * for a connection before the work, request it from the handler (async-
 * signal-safe; nothing happens unless armed), disarm after. One connection
 * at a time per process.
 */
void pgu_cancel_arm(PGconn *conn);
void pgu_cancel_request(void);
void pgu_cancel_disarm(void);

/* Error text of a failed result: primary message, then detail and hint. */
void pgu_result_error(const PGresult *res, char *out, size_t size);

/*
 * COPY ... FROM STDIN in text format. Usage:
 *   pgu_copy_begin(&c, conn, "COPY t (a, b) FROM STDIN", err);
 *   for each row: pgu_copy_field(&c, a); pgu_copy_field(&c, NULL); pgu_copy_end_row(&c, err);
 *   pgu_copy_finish(&c, err);    (or pgu_copy_abort(&c, "why") on the way out)
 * Rows are buffered and sent in large chunks.
 *
 * Binary format (pgu_copy_begin_binary, "... FROM STDIN (FORMAT binary)"):
 * the caller starts each field with pgu_copy_bin_field() and appends its
 * int32 length and bytes in the type's binary form to c->buf; the field
 * count of each row and the stream's header and trailer are written here.
 * The server then skips parsing text (arrays and numbers especially).
 */
struct pgu_copy {
    PGconn *conn;
    struct sbuf buf;
    bool in_row;       /* a field has been added to the current row */
    bool active;       /* between begin and finish/abort */
    bool binary;       /* FORMAT binary */
    size_t row_start;  /* binary: offset of the current row's field count */
    unsigned n_fields; /* binary: fields in the current row so far */
};

int pgu_copy_begin(struct pgu_copy *c, PGconn *conn, const char *copy_sql, struct vm_err *err);
int pgu_copy_begin_binary(struct pgu_copy *c, PGconn *conn, const char *copy_sql,
                          struct vm_err *err);

/* Binary format: opens the next field of the current row (and the row). */
static inline void pgu_copy_bin_field(struct pgu_copy *c)
{
    if (!c->in_row) {
        c->in_row = true;
        c->row_start = c->buf.len;
        c->n_fields = 0;
        sbuf_append(&c->buf, "\0\0", 2); /* the field count, set when the row closes */
    }
    c->n_fields++;
}

/* Ends the current row in the buffer without flushing it. */
void pgu_copy_close_row(struct pgu_copy *c);
/* Adds one field to the current row; NULL is SQL NULL. */
void pgu_copy_field(struct pgu_copy *c, const char *value);
void pgu_copy_field_n(struct pgu_copy *c, const char *value, size_t len);
int pgu_copy_end_row(struct pgu_copy *c, struct vm_err *err);
/* Sends what is buffered, ends the COPY and checks the server's verdict. */
int pgu_copy_finish(struct pgu_copy *c, struct vm_err *err);
/* Abandons the COPY (the server rolls the statement back); safe to call twice
 * or after finish. */
void pgu_copy_abort(struct pgu_copy *c, const char *why);

#endif
