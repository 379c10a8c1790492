/*
 * taxonomy_db: the taxonomy tables in and out, and the bulk re-tag. The
 * re-tag streams vendors through a server-side cursor in batches, classifies
 * each batch in memory, COPYs the results into a temporary table, and ends
 * with one UPDATE ... FROM that writes only rows whose classification changed,
 * so re-running `classify` on an unchanged taxonomy writes nothing.
 */
#include "db/taxonomy_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classify.h"
#include "core/textnorm.h"
#include "db/pgutil.h"

#define RETAG_BATCH_S "5000" /* vendors per FETCH and per COPY */

int taxonomy_db_load(PGconn *conn, struct taxonomy **out, struct vm_err *err)
{
    PGresult *res = NULL;
    struct taxonomy *t = taxonomy_new();
    int rc = pgu_exec(conn, "loading taxonomy categories",
                      "SELECT id, code, name, process_type, weight FROM taxonomy_categories "
                      "ORDER BY id",
                      0, NULL, &res, err);
    if (rc)
        goto done;
    for (int i = 0; i < PQntuples(res); i++)
        if (!taxonomy_add_category(t, atoi(PQgetvalue(res, i, 0)), PQgetvalue(res, i, 1),
                                   PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
                                   strtod(PQgetvalue(res, i, 4), NULL))) {
            rc = vm_err_set(err, VM_EXIT_FAILURE, "taxonomy category '%s' is invalid",
                            PQgetvalue(res, i, 1));
            goto done;
        }
    PQclear(res);
    res = NULL;
    rc = pgu_exec(conn, "loading taxonomy aliases",
                  "SELECT c.code, a.phrase FROM taxonomy_aliases a "
                  "JOIN taxonomy_categories c ON c.id = a.category_id ORDER BY a.id",
                  0, NULL, &res, err);
    if (rc)
        goto done;
    for (int i = 0; i < PQntuples(res); i++) {
        struct vm_err e;
        /* phrase_norm is unique, so a conflict here means a stale normal form: skip it */
        if (taxonomy_add_alias(t, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), &e) != 0)
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
    for (int i = 0; rc == 0 && i < PQntuples(res); i++)
        evidence_categories_add(out, atoi(PQgetvalue(res, i, 0)), PQgetvalue(res, i, 1),
                                PQgetvalue(res, i, 2));
    PQclear(res);
    return rc;
}

int taxonomy_db_add_alias(PGconn *conn, const char *phrase, const char *category_code, bool *added,
                          struct vm_err *err)
{
    PGresult *res = NULL;
    char *norm = textnorm_phrase(phrase);
    int rc = 0;
    *added = false;
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
    if (rc == 0 && PQntuples(res) > 0) {
        if (strcmp(PQgetvalue(res, 0, 0), category_code) != 0)
            rc = vm_err_set(err, VM_EXIT_FAILURE,
                            "'%s' already maps to category '%s' (as '%s'); it cannot also map "
                            "to '%s'",
                            phrase, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), category_code);
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

static const char *value_or_null(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* Classifies one fetched batch and COPYs the results into retag_results. */
static int retag_batch(PGconn *conn, struct taxonomy *t, const PGresult *res, struct vm_err *err)
{
    struct pgu_copy copy;
    struct sbuf buf;
    struct strlist phrases;
    sbuf_init(&buf);
    strlist_init(&phrases);
    int rc = pgu_copy_begin(&copy, conn,
                            "COPY retag_results (id, computed_type, confidence, tag_evidence, "
                            "services, unknown_phrases) FROM STDIN",
                            err);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        strlist_free(&phrases);
        strlist_init(&phrases);
        if (pg_text_array_parse(PQgetvalue(res, i, 1), &phrases) != 0) {
            rc = vm_err_set(err, VM_EXIT_FAILURE, "vendor %s: unreadable service_phrases",
                            PQgetvalue(res, i, 0));
            break;
        }
        struct classify_input in = {(const char *const *)phrases.items, phrases.len,
                                    value_or_null(res, i, 2), value_or_null(res, i, 3),
                                    value_or_null(res, i, 4)};
        struct classification c;
        classify(t, &in, &c);
        char conf[32];
        snprintf(conf, sizeof conf, "%.3f", c.confidence);
        struct sbuf ev;
        sbuf_init(&ev);
        classification_evidence_compact(&c, &phrases, &ev); /* as import stores it */
        char *ev_text = sbuf_detach(&ev);
        pgu_copy_field(&copy, PQgetvalue(res, i, 0));
        pgu_copy_field(&copy, c.process_type);
        pgu_copy_field(&copy, conf);
        pgu_copy_field(&copy, ev_text);
        sbuf_reset(&buf);
        sbuf_putc(&buf, '{');
        for (size_t k = 0; k < c.n_categories; k++)
            sbuf_printf(&buf, "%s%d", k ? "," : "", c.categories[k]->id);
        sbuf_putc(&buf, '}');
        pgu_copy_field(&copy, buf.data);
        sbuf_reset(&buf);
        pg_text_array_format(&buf, &c.unknown);
        pgu_copy_field(&copy, buf.data);
        free(ev_text);
        classification_free(&c);
        rc = pgu_copy_end_row(&copy, err);
    }
    if (rc == 0)
        rc = pgu_copy_finish(&copy, err);
    else
        pgu_copy_abort(&copy, "re-tag failed");
    strlist_free(&phrases);
    sbuf_free(&buf);
    return rc;
}

static long count_value(PGresult *res)
{
    return res && PQntuples(res) ? atol(PQgetvalue(res, 0, 0)) : 0;
}

/* Re-tags the vendors `where` selects (SQL over vendors, with params)
 * inside the caller's transaction; see taxonomy_db_retag. */
static int retag_where(PGconn *conn, struct taxonomy *t, const char *where, int n_params,
                       const char *const *params, struct retag_stats *stats, struct vm_err *err)
{
    PGresult *res = NULL;
    memset(stats, 0, sizeof *stats);
    int rc =
        pgu_exec(conn, "creating the re-tag table",
                 "CREATE TEMP TABLE retag_results (id bigint PRIMARY KEY, computed_type text, "
                 "confidence real, tag_evidence text, services int4[], unknown_phrases text[]) "
                 "ON COMMIT DROP",
                 0, NULL, NULL, err);
    if (rc)
        goto done;
    char *sql = xasprintf("DECLARE retag_cursor NO SCROLL CURSOR FOR SELECT id, service_phrases, "
                          "description, expertise, data_security FROM vendors WHERE %s",
                          where);
    rc = pgu_exec(conn, "reading vendors", sql, n_params, params, NULL, err);
    free(sql);
    for (;;) {
        if (rc)
            goto done;
        rc = pgu_exec(conn, "reading vendors", "FETCH " RETAG_BATCH_S " FROM retag_cursor", 0, NULL,
                      &res, err);
        if (rc || PQntuples(res) == 0)
            break;
        stats->vendors += PQntuples(res);
        rc = retag_batch(conn, t, res, err);
        PQclear(res);
        res = NULL;
    }
    if (rc)
        goto done;
    PQclear(res);
    res = NULL;
    rc = pgu_exec(conn, "closing the cursor", "CLOSE retag_cursor", 0, NULL, NULL, err);
    if (rc)
        goto done;
    rc = pgu_exec(conn, "counting changed tags",
                  "SELECT count(*) FROM vendors v JOIN retag_results r ON r.id = v.id "
                  "WHERE v.computed_type <> r.computed_type",
                  0, NULL, &res, err);
    if (rc)
        goto done;
    stats->tags_changed = count_value(res);
    PQclear(res);
    res = NULL;
    rc = pgu_exec(conn, "storing tags",
                  "UPDATE vendors v SET computed_type = r.computed_type, "
                  "confidence = r.confidence, tag_evidence = r.tag_evidence, "
                  "services = r.services, unknown_phrases = r.unknown_phrases, tagged_at = now() "
                  "FROM retag_results r WHERE r.id = v.id AND "
                  "(v.computed_type, v.confidence, v.tag_evidence, v.services, "
                  "v.unknown_phrases) IS DISTINCT FROM "
                  "(r.computed_type, r.confidence, r.tag_evidence, r.services, "
                  "r.unknown_phrases)",
                  0, NULL, &res, err);
    if (rc)
        goto done;
    stats->updated = atol(PQcmdTuples(res));
    PQclear(res);
    res = NULL;
    rc =
        pgu_exec(conn, "dropping the re-tag table", "DROP TABLE retag_results", 0, NULL, NULL, err);
done:
    PQclear(res);
    return rc;
}

int taxonomy_db_retag_listed(PGconn *conn, struct taxonomy *t, const char *ids,
                             struct retag_stats *stats, struct vm_err *err)
{
    char *where = xasprintf("id IN (%s)", ids);
    int rc = retag_where(conn, t, where, 0, NULL, stats, err);
    free(where);
    return rc;
}

int taxonomy_db_retag(PGconn *conn, struct taxonomy *t, long long vendor_id,
                      struct retag_stats *stats, struct vm_err *err)
{
    char idbuf[32];
    memset(stats, 0, sizeof *stats);
    int rc = pgu_exec(conn, "starting the re-tag", "BEGIN", 0, NULL, NULL, err);
    if (rc)
        return rc;
    snprintf(idbuf, sizeof idbuf, "%lld", vendor_id);
    const char *p[] = {idbuf};
    rc = retag_where(conn, t, "$1::bigint <= 0 OR id = $1::bigint", 1, p, stats, err);
    if (rc == 0)
        rc = pgu_exec(conn, "committing the re-tag", "COMMIT", 0, NULL, NULL, err);
    if (rc) {
        PGresult *rb = PQexec(conn, "ROLLBACK");
        PQclear(rb);
    }
    return rc;
}
