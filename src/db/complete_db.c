/*
 * complete_db: the names shell completion offers (see complete_db.h).
 */
#include "db/complete_db.h"

#include <string.h>

#include "db/pgutil.h"

static const struct {
    const char *kind;
    const char *sql; /* one column: the names */
} name_lists[] = {
    {"shortlists", "SELECT name FROM shortlists ORDER BY name"},
    {"sources", "SELECT name FROM sources ORDER BY name"},
};

static const char *names_sql(const char *kind)
{
    for (size_t i = 0; i < sizeof name_lists / sizeof name_lists[0]; i++)
        if (strcmp(kind, name_lists[i].kind) == 0)
            return name_lists[i].sql;
    return NULL;
}

bool complete_db_knows(const char *kind)
{
    return names_sql(kind) != NULL;
}

int complete_db_names(PGconn *conn, const char *kind, struct strlist *out, struct vm_err *err)
{
    PGresult *res = NULL;
    const char *sql = names_sql(kind);
    if (!sql)
        return vm_err_set(err, VM_EXIT_USAGE, "no completion for '%s'", kind);
    static const char *const names[] = {"name"};
    int col;
    int rc = pgu_exec(conn, "listing names for completion", sql, 0, NULL, &res, err);
    if (rc == 0)
        rc = pgu_columns(res, "listing names for completion", 1, names, &col, err);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++)
        strlist_push(out, PQgetvalue(res, i, col));
    PQclear(res);
    return rc;
}
