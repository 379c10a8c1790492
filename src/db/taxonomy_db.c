/*
 * taxonomy_db: the taxonomy tables in and out (the re-tag of vendors is in
 * tag_db.c). Result columns are looked up by name once per result.
 */
#include "db/taxonomy_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classify.h"
#include "core/normalize.h"
#include "core/textnorm.h"
#include "db/pgutil.h"

int taxonomy_db_load(PGconn *conn, struct taxonomy **out, struct vm_err *err)
{
    PGresult *res = NULL;
    struct taxonomy *t = taxonomy_new();
    int rc = pgu_exec(conn, "loading taxonomy categories",
                      "SELECT id, code, name, process_type, weight FROM taxonomy_categories "
                      "ORDER BY id",
                      0, NULL, &res, err);
    static const char *const cat_names[] = {"id", "code", "name", "process_type", "weight"};
    int col[5];
    if (rc == 0)
        rc = pgu_columns(res, "loading taxonomy categories", 5, cat_names, col, err);
    if (rc)
        goto done;
    int i_id = col[0], i_code = col[1], i_name = col[2], i_type = col[3], i_weight = col[4];
    for (int i = 0; i < PQntuples(res); i++)
        if (!taxonomy_add_category(t, atoi(PQgetvalue(res, i, i_id)), PQgetvalue(res, i, i_code),
                                   PQgetvalue(res, i, i_name), PQgetvalue(res, i, i_type),
                                   strtod(PQgetvalue(res, i, i_weight), NULL))) {
            rc = vm_err_set(err, VM_EXIT_FAILURE, "taxonomy category '%s' is invalid",
                            PQgetvalue(res, i, i_code));
            goto done;
        }
    PQclear(res);
    res = NULL;
    rc = pgu_exec(conn, "loading taxonomy aliases",
                  "SELECT c.code, a.phrase FROM taxonomy_aliases a "
                  "JOIN taxonomy_categories c ON c.id = a.category_id ORDER BY a.id",
                  0, NULL, &res, err);
    static const char *const alias_names[] = {"code", "phrase"};
    if (rc == 0)
        rc = pgu_columns(res, "loading taxonomy aliases", 2, alias_names, col, err);
    if (rc)
        goto done;
    int i_alias_code = col[0], i_phrase = col[1];
    for (int i = 0; i < PQntuples(res); i++) {
        struct vm_err e;
        /* phrase_norm is unique, so a conflict here means a stale normal form: skip it */
        if (taxonomy_add_alias(t, PQgetvalue(res, i, i_alias_code), PQgetvalue(res, i, i_phrase),
                               &e) != 0)
            continue;
    }
done:
    PQclear(res);
    if (rc) {
        taxonomy_free(t);
        t = NULL;
    }
    *out = t;
    return rc;
}

int taxonomy_db_evidence_categories(PGconn *conn, struct evidence_categories *out,
                                    struct vm_err *err)
{
    PGresult *res = NULL;
    int rc = pgu_exec(conn, "loading taxonomy categories",
                      "SELECT id, code, process_type FROM taxonomy_categories ORDER BY id", 0, NULL,
                      &res, err);
    static const char *const names[] = {"id", "code", "process_type"};
    int col[3];
    if (rc == 0)
        rc = pgu_columns(res, "loading taxonomy categories", 3, names, col, err);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++)
        evidence_categories_add(out, atoi(PQgetvalue(res, i, col[0])), PQgetvalue(res, i, col[1]),
                                PQgetvalue(res, i, col[2]));
    PQclear(res);
    return rc;
}

int taxonomy_db_add_alias(PGconn *conn, const char *phrase, const char *category_code, bool *added,
                          bool *unknown_category, struct vm_err *err)
{
    PGresult *res = NULL;
    char *norm = textnorm_phrase(phrase);
    int rc = 0;
    *added = false;
    if (unknown_category)
        *unknown_category = false;
    size_t bad;
    if (phrase && !norm_utf8_valid(phrase, strlen(phrase), &bad)) {
        /* files are checked as they are read: this came from the command line */
        rc = vm_err_set(err, VM_EXIT_USAGE,
                        "phrase is not UTF-8 text (byte 0x%02X at byte %zu); give it in UTF-8",
                        (unsigned char)phrase[bad], bad + 1);
        goto done;
    }
    if (!norm || !*norm) {
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "phrase '%s' has no letters or digits; give a service phrase",
                        phrase ? phrase : "");
        goto done;
    }
    const char *p1[] = {category_code};
    rc = pgu_exec(conn, "looking up the category",
                  "SELECT id FROM taxonomy_categories WHERE code = $1", 1, p1, &res, err);
    if (rc)
        goto done;
    if (PQntuples(res) == 0) {
        if (unknown_category)
            *unknown_category = true;
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "unknown category '%s' (see `vendormatch taxonomy list`)", category_code);
        goto done;
    }
    char *cat_id = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    res = NULL;
    const char *p2[] = {norm};
    rc = pgu_exec(conn, "looking up the alias",
                  "SELECT c.code, a.phrase FROM taxonomy_aliases a "
                  "JOIN taxonomy_categories c ON c.id = a.category_id WHERE a.phrase_norm = $1",
                  1, p2, &res, err);
    static const char *const names[] = {"code", "phrase"};
    int col[2];
    if (rc == 0)
        rc = pgu_columns(res, "looking up the alias", 2, names, col, err);
    if (rc == 0 && PQntuples(res) > 0) {
        const char *mapped = PQgetvalue(res, 0, col[0]), *as = PQgetvalue(res, 0, col[1]);
        if (strcmp(mapped, category_code) != 0)
            rc = vm_err_set(err, VM_EXIT_FAILURE,
                            "'%s' already maps to category '%s' (as '%s'); it cannot also map "
                            "to '%s'",
                            phrase, mapped, as, category_code);
        free(cat_id);
        goto done;
    }
    PQclear(res);
    res = NULL;
    if (rc == 0) {
        const char *p3[] = {cat_id, phrase, norm};
        rc = pgu_exec(conn, "adding the alias",
                      "INSERT INTO taxonomy_aliases (category_id, phrase, phrase_norm, origin) "
                      "VALUES ($1, $2, $3, 'user')",
                      3, p3, NULL, err);
        *added = rc == 0;
    }
    free(cat_id);
done:
    PQclear(res);
    free(norm);
    return rc;
}

int taxonomy_db_add_category(PGconn *conn, const char *code, const char *name,
                             const char *process_type, double weight, struct vm_err *err)
{
    PGresult *res = NULL;
    char wbuf[32];
    snprintf(wbuf, sizeof wbuf, "%g", weight);
    const char *p[] = {code, name && *name ? name : code, process_type, wbuf};
    int rc = pgu_exec(conn, "adding the category",
                      "INSERT INTO taxonomy_categories (code, name, process_type, weight, origin) "
                      "VALUES ($1, $2, $3, $4, 'user') ON CONFLICT (code) DO NOTHING",
                      4, p, NULL, err);
    if (rc)
        goto done;
    rc = pgu_exec(conn, "checking the category",
                  "SELECT process_type FROM taxonomy_categories WHERE code = $1", 1, p, &res, err);
    if (rc == 0 && (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 0), process_type) != 0))
        rc = vm_err_set(err, VM_EXIT_FAILURE, "category '%s' already exists as %s, not %s", code,
                        PQntuples(res) ? PQgetvalue(res, 0, 0) : "?", process_type);
done:
    PQclear(res);
    return rc;
}

/* A result as a table, headed by its column names. */
static void result_table(const PGresult *res, struct table *out)
{
    int nf = PQnfields(res);
    const char **names = xcalloc((size_t)nf + 1, sizeof *names);
    const char **cells = xcalloc((size_t)nf + 1, sizeof *cells);
    for (int k = 0; k < nf; k++)
        names[k] = PQfname(res, k);
    table_init(out, (size_t)nf, names);
    for (int i = 0; i < PQntuples(res); i++) {
        for (int k = 0; k < nf; k++)
            cells[k] = PQgetvalue(res, i, k);
        table_add_row(out, cells);
    }
    free(names);
    free(cells);
}

/* Runs a query and hands its result over as a table. */
static int query_table(PGconn *conn, const char *what, const char *sql, int nparams,
                       const char *const *params, struct table *out, struct vm_err *err)
{
    PGresult *res = NULL;
    table_init(out, 0, NULL);
    int rc = pgu_exec(conn, what, sql, nparams, params, &res, err);
    if (rc == 0) {
        table_free(out);
        result_table(res, out);
    }
    PQclear(res);
    return rc;
}

int taxonomy_db_list(PGconn *conn, struct table *out, struct vm_err *err)
{
    return query_table(conn, "listing the taxonomy",
                       "SELECT c.code AS category, c.process_type AS side, c.name, "
                       "c.weight, a.phrase AS alias, a.origin FROM taxonomy_categories c "
                       "JOIN taxonomy_aliases a ON a.category_id = c.id "
                       "ORDER BY c.process_type, c.code, a.phrase_norm",
                       0, NULL, out, err);
}

int taxonomy_db_unknown(PGconn *conn, long limit, struct table *out, struct vm_err *err)
{
    char lbuf[32];
    snprintf(lbuf, sizeof lbuf, "%ld", limit);
    const char *p[] = {lbuf};
    return query_table(conn, "ranking unknown phrases",
                       "SELECT u.phrase, count(DISTINCT v.id) AS vendors FROM vendors v, "
                       "unnest(v.unknown_phrases) AS u(phrase) GROUP BY u.phrase "
                       "ORDER BY vendors DESC, u.phrase LIMIT $1::int",
                       1, p, out, err);
}

int pg_text_array_parse(const char *s, struct strlist *out)
{
    if (!s || *s != '{')
        return -1;
    s++;
    struct sbuf b;
    sbuf_init(&b);
    int rc = 0;
    while (*s && *s != '}') {
        bool quoted = *s == '"';
        sbuf_reset(&b);
        sbuf_putc(&b, '\0');
        b.len = 0;
        if (quoted) {
            for (s++; *s && *s != '"'; s++) {
                if (*s == '\\' && s[1])
                    s++;
                sbuf_putc(&b, *s);
            }
            if (*s != '"') {
                rc = -1;
                break;
            }
            s++;
            strlist_push(out, b.data);
        } else {
            while (*s && *s != ',' && *s != '}')
                sbuf_putc(&b, *s++);
            if (strcmp(b.data, "NULL") != 0)
                strlist_push(out, b.data);
        }
        if (*s == ',')
            s++;
    }
    if (*s != '}')
        rc = -1;
    sbuf_free(&b);
    return rc;
}

void pg_text_array_format(struct sbuf *b, const struct strlist *items)
{
    sbuf_putc(b, '{');
    for (size_t i = 0; i < items->len; i++) {
        if (i)
            sbuf_putc(b, ',');
        sbuf_putc(b, '"');
        for (const char *p = items->items[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                sbuf_putc(b, '\\');
            sbuf_putc(b, *p);
        }
        sbuf_putc(b, '"');
    }
    sbuf_putc(b, '}');
}
