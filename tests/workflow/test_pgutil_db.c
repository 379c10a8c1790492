/*
 * test_pgutil_db: pgutil's checked helpers for prepared statements and
 * columns by name (what match_db reads its candidates through), called
 * from C against the real PostgreSQL server of the workflow tests: columns
 * are found by name whatever their position, a missing one is an error
 * naming it; a prepared statement's failure carries its SQLSTATE (57014
 * for the time limit the match walk falls back on) and exits 1, but 69
 * once the connection is gone, for preparing and executing alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "workflow_support.h"

static void test_columns_by_name(void **state)
{
    struct wf_db *db = *state;
    struct vm_err err = {0};
    PGresult *res = NULL;
    static const char *const names[] = {"code", "id", "n"};
    int col[3];
    assert_int_equal(
        pgu_exec(db->conn, "test", "SELECT 7 AS id, 2 AS n, 'x' AS code", 0, NULL, &res, &err), 0);
    assert_int_equal(pgu_columns(res, "test", 3, names, col, &err), 0);
    assert_string_equal(PQgetvalue(res, 0, col[0]), "x");
    assert_string_equal(PQgetvalue(res, 0, col[1]), "7");
    assert_string_equal(PQgetvalue(res, 0, col[2]), "2");
    static const char *const wrong[] = {"id", "name"};
    assert_int_equal(pgu_columns(res, "match: reading", 2, wrong, col, &err), VM_EXIT_FAILURE);
    assert_string_equal(err.msg, "match: reading: no column name in the result");
    PQclear(res);
}

static void test_prepared_statements(void **state)
{
    struct wf_db *db = *state;
    struct vm_err err = {0};
    PGresult *res = NULL;
    char sqlstate[6] = "?";
    const char *vals[] = {"41"};
    assert_int_equal(pgu_prepare(db->conn, "test", "t_add", "SELECT $1::int + 1 AS v", 1, &err), 0);
    assert_int_equal(pgu_exec_prepared(db->conn, "test", "t_add", 1, vals, &res, sqlstate, &err),
                     0);
    assert_string_equal(PQgetvalue(res, 0, 0), "42");
    PQclear(res);
    res = NULL;

    /* A bad statement: an error with the server's message, exit 1. */
    assert_int_equal(pgu_prepare(db->conn, "preparing", "t_bad", "SELECT nonsense(", 0, &err),
                     VM_EXIT_FAILURE);
    assert_non_null(strstr(err.msg, "preparing: syntax error"));

    /* The time limit: 57014, which the match walk tells from other errors. */
    wf_exec(db->conn, "SET statement_timeout = 50");
    assert_int_equal(pgu_prepare(db->conn, "test", "t_slow", "SELECT pg_sleep(5)", 0, &err), 0);
    assert_int_equal(
        pgu_exec_prepared(db->conn, "fetching", "t_slow", 0, NULL, &res, sqlstate, &err),
        VM_EXIT_FAILURE);
    assert_null(res);
    assert_string_equal(sqlstate, "57014");
    wf_exec(db->conn, "RESET statement_timeout");

    /* The connection gone (the server ends this backend): 69, for both. */
    pgu_exec(db->conn, "test", "SELECT pg_terminate_backend(pg_backend_pid())", 0, NULL, NULL,
             NULL);
    assert_int_equal(pgu_exec_prepared(db->conn, "fetching", "t_add", 1, vals, &res, NULL, &err),
                     VM_EXIT_UNAVAILABLE);
    assert_int_equal(pgu_prepare(db->conn, "preparing", "t_other", "SELECT 1", 0, &err),
                     VM_EXIT_UNAVAILABLE);
    assert_non_null(strstr(err.msg, "preparing: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_columns_by_name, wf_setup, wf_teardown),
        cmocka_unit_test_setup_teardown(test_prepared_statements, wf_setup, wf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
