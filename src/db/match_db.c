/*
 * match_db: candidate retrieval for match. The statement is built from the
 * need's shape (which constraints are active): each constraint is one
 * predicate over the normalised columns, every value a $n parameter, and the
 * score bound one float8 expression mirroring score.c. Statements are
 * prepared once per shape and run with plan_cache_mode = force_custom_plan,
 * so the planner always sees the actual arrays and picks the right index.
 */
#include "db/match_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/match_defaults.h"
#include "core/normalize.h"
#include "db/pgutil.h"
#include "db/taxonomy_db.h"
#include "io/output.h"

#define MAX_PARAMS 64
#define MAX_STATEMENTS 64

struct match_db {
    PGconn *conn;
    bool session_ready;
    bool exhaustive;
    char *sql[MAX_STATEMENTS];
    size_t n_sql;
};

/* One statement under construction: its parameters and per-constraint SQL. */
struct qbuild {
    char *vals[MAX_PARAMS];
    int n;
    char *cond[CON_COUNT]; /* NULL when the constraint is not active */
    struct sbuf bound;
};

static const char cand_columns[] =
    "v.id, v.name, v.effective_type, v.manual_type IS NOT NULL, v.confidence, v.services, "
    "v.certifications, v.languages, v.industries, v.delivery, v.country, v.employees_min, "
    "v.employees_max, v.rate_min, v.rate_max, v.currency, v.rating, "
    "COALESCE(v.website_host, v.website), v.city, v.email, v.phone";
enum {
    COL_BRANCH,
    COL_ID,
    COL_NAME,
    COL_TYPE,
    COL_MANUAL,
    COL_CONF,
    COL_SERVICES,
    COL_CERTS,
    COL_LANGS,
    COL_INDUSTRIES,
    COL_DELIVERY,
    COL_COUNTRY,
    COL_EMP_MIN,
    COL_EMP_MAX,
    COL_RATE_MIN,
    COL_RATE_MAX,
    COL_CURRENCY,
    COL_RATING,
    COL_WEBSITE,
    COL_CITY,
    COL_EMAIL,
    COL_PHONE,
    COL_BOUND
};

struct match_db *match_db_new(PGconn *conn)
{
    struct match_db *m = xcalloc(1, sizeof *m);
    m->conn = conn;
    return m;
}

void match_db_set_exhaustive(struct match_db *m, bool on)
{
    m->exhaustive = on;
}

void match_db_free(struct match_db *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_sql; i++)
        free(m->sql[i]);
    free(m);
}

void match_rows_free(struct match_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        vendor_cand_free(&r->cands[i]);
    free(r->cands);
    memset(r, 0, sizeof *r);
}

/* Adds a parameter (value copied; NULL is SQL NULL) and returns its number. */
static int param(struct qbuild *q, const char *value)
{
    if (q->n >= MAX_PARAMS)
        abort(); /* the builder adds a fixed, small number of parameters */
    q->vals[q->n++] = value ? xstrdup(value) : NULL;
    return q->n;
}

static int param_num(struct qbuild *q, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    return param(q, buf);
}

static int param_array(struct qbuild *q, const struct strlist *l)
{
    struct sbuf lit;
    sbuf_init(&lit);
    pg_text_array_format(&lit, l);
    int k = param(q, lit.data);
    sbuf_free(&lit);
    return k;
}

static void qbuild_free(struct qbuild *q)
{
    for (int i = 0; i < q->n; i++)
        free(q->vals[i]);
    for (int c = 0; c < CON_COUNT; c++)
        free(q->cond[c]);
    sbuf_free(&q->bound);
}

/* The security certifications as canonical codes, for --sensitivity high.
 * normalize.h answers "is this code a security certification?" one code at
 * a time; SQL needs the set, so probe the spellings people use. */
static void security_codes(struct strlist *out)
{
    static const char *const spellings[] = {
        "ISO 27001",
        "ISO 27001:2022",
        "SOC 2",
        "SOC 2 Type II",
        "SOC 1",
        "SOC 3",
        "PCI DSS",
        "PCI",
        "HITRUST",
        "ISO 27701",
        "ISO 27017",
        "ISO 27018",
        "ISO 22301",
        "FedRAMP",
        "CSA STAR",
        "TISAX",
        "Cyber Essentials",
        "Cyber Essentials Plus",
        "NIST 800-53",
        "NIST CSF",
        "NIST 800-171",
        "CMMC",
        "HIPAA",
        "GDPR",
        "ISAE 3402",
        "SSAE 18",
        "IRAP",
        "C5",
        "ISO 20000",
        "ISO 9001",
        "CCPA",
        "ISO 27002",
        "ISO 27701:2019",
        "SOX",
    };
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        char code[64];
        if (norm_certification(spellings[i], code, sizeof code) &&
            norm_is_security_certification(code) && !strlist_contains(out, code))
            strlist_push(out, code);
    }
}

static void accepted_types(enum need_process p, struct strlist *out)
{
    if (p != NEED_PROCESS_KPO)
        strlist_push(out, "BPO");
    if (p != NEED_PROCESS_BPO)
        strlist_push(out, "KPO");
    strlist_push(out, "HYBRID");
}

static void cond_array(struct qbuild *q, enum constraint c, const char *fmt,
                       const struct strlist *l)
{
    if (l->len == 0)
        return;
    int k = param_array(q, l);
    q->cond[c] = xasprintf(fmt, k);
}

static void build_conditions(struct qbuild *q, const struct need *n)
{
    struct strlist tmp;
    strlist_init(&tmp);
    cond_array(q, CON_SERVICE, "v.services && $%d::text[]", &n->categories);
    accepted_types(n->process, &tmp);
    cond_array(q, CON_TYPE, "v.effective_type = ANY($%d::text[])", &tmp);
    cond_array(q, CON_CERT, "v.certifications @> $%d::text[]", &n->certifications);
    strlist_free(&tmp);
    strlist_init(&tmp);
    if (n->sensitivity == SENS_HIGH) {
        security_codes(&tmp);
        q->cond[CON_SENSITIVITY] =
            xasprintf("v.certifications && $%d::text[]", param_array(q, &tmp));
    }
    strlist_free(&tmp);
    cond_array(q, CON_LANGUAGE, "v.languages @> $%d::text[]", &n->languages);
    cond_array(q, CON_COUNTRY, "v.country = ANY($%d::bpchar[])", &n->countries);
    cond_array(q, CON_EXCLUDE_COUNTRY, "(v.country IS NULL OR v.country <> ALL($%d::bpchar[]))",
               &n->exclude_countries);
    cond_array(q, CON_DELIVERY, "v.delivery && $%d::text[]", &n->delivery);
    if (n->has_min_employees)
        q->cond[CON_EMPLOYEES] = xasprintf("COALESCE(v.employees_max, v.employees_min) >= $%d",
                                           param_num(q, (double)n->min_employees));
    if (n->has_max_rate) {
        int max = param_num(q, n->max_rate), cur = param(q, n->currency);
        q->cond[CON_RATE] = xasprintf("(v.rate_min <= $%d::numeric AND "
                                      "COALESCE(v.currency::text, 'USD') = $%d::text)",
                                      max, cur);
    }
    if (n->has_min_rating)
        q->cond[CON_RATING] = xasprintf("v.rating >= $%d::numeric", param_num(q, n->min_rating));
}

/* weight * (count of the need's values present in column) / count. */
static void bound_share(struct qbuild *q, double weight, const struct strlist *want,
                        const char *column)
{
    if (want->len == 0) {
        sbuf_printf(&q->bound, " + $%d::float8", param_num(q, weight));
        return;
    }
    int arr = param_array(q, want), w = param_num(q, weight / (double)want->len);
    sbuf_printf(&q->bound, " + $%d::float8 * (0", w);
    for (size_t i = 1; i <= want->len; i++)
        sbuf_printf(&q->bound, " + (($%d::text[])[%zu] = ANY(%s))::int", arr, i, column);
    sbuf_puts(&q->bound, ")");
}

static void bound_price(struct qbuild *q, const struct need *n, double weight)
{
    int w = param_num(q, weight);
    if (!n->has_max_rate) {
        sbuf_printf(&q->bound, " + $%d::float8", w);
        return;
    }
    int max = param_num(q, n->max_rate), cur = param(q, n->currency);
    sbuf_printf(&q->bound,
                " + CASE WHEN v.rate_min IS NULL OR COALESCE(v.currency::text, 'USD') <> "
                "$%d::text THEN 0 ",
                cur);
    if (n->max_rate <= 0)
        sbuf_printf(&q->bound, "WHEN v.rate_min <= 0 THEN $%d::float8 ELSE 0 END", w);
    else
        sbuf_printf(&q->bound,
                    "ELSE $%d::float8 * LEAST(1, GREATEST(0, %.17g + %.17g * ($%d::float8 - "
                    "v.rate_min::float8) / $%d::float8)) END",
                    w, MATCH_PRICE_AT_MAX, 1.0 - MATCH_PRICE_AT_MAX, max, max);
}

static void bound_capacity(struct qbuild *q, const struct need *n, double weight)
{
    int w = param_num(q, weight);
    if (!n->has_min_employees || n->min_employees <= 0) {
        sbuf_printf(&q->bound, " + $%d::float8", w);
        return;
    }
    int full = param_num(q, MATCH_CAPACITY_FULL_AT * (double)n->min_employees);
    sbuf_printf(&q->bound,
                " + COALESCE($%d::float8 * LEAST(1, GREATEST(0, "
                "COALESCE(v.employees_max, v.employees_min)::float8 / $%d::float8)), 0)",
                w, full);
}

static void build_bound(struct qbuild *q, const struct need *n)
{
    const double *w = n->weights;
    sbuf_init(&q->bound);
    sbuf_printf(&q->bound, "(%.17g", MATCH_BOUND_SLACK);
    bound_share(q, w[CRIT_SERVICE_COVERAGE], &n->categories, "v.services");
    bound_share(q, w[CRIT_INDUSTRY], &n->industries, "v.industries");
    sbuf_printf(&q->bound,
                " + $%d::float8 * LEAST(1, GREATEST(0, COALESCE(v.rating::float8, 0) / %.17g))",
                param_num(q, w[CRIT_RATING]), MATCH_RATING_SCALE);
    bound_price(q, n, w[CRIT_PRICE]);
    bound_capacity(q, n, w[CRIT_CAPACITY]);
    bound_share(q, w[CRIT_LANGUAGES], &n->languages, "v.languages");
    sbuf_printf(&q->bound,
                " + $%d::float8 * CASE WHEN v.manual_type IS NOT NULL THEN 1 "
                "ELSE LEAST(1, GREATEST(0, v.confidence::float8)) END)",
                param_num(q, w[CRIT_CONFIDENCE]));
}

/* WHERE clause: every active constraint, with `negate` (if >= 0) inverted. */
static void where_clause(const struct qbuild *q, int negate, struct sbuf *sql)
{
    bool first = true;
    for (int c = 0; c < CON_COUNT; c++) {
        if (!q->cond[c])
            continue;
        sbuf_puts(sql, first ? " WHERE " : " AND ");
        first = false;
        if (c == negate)
            sbuf_printf(sql, "NOT COALESCE(%s, false)", q->cond[c]);
        else
            sbuf_puts(sql, q->cond[c]);
    }
}

/* One SELECT of the union: branch 0 is the main list, branch c+1 the near
 * misses failing constraint c. limit_param 0 means no LIMIT. */
static void branch_select(const struct qbuild *q, int branch, int negate, int limit_param,
                          int min_bound_param, struct sbuf *sql)
{
    /* The inner query ranks on narrow columns only; the wide candidate
     * columns are read for the few rows it keeps. */
    sbuf_printf(sql, "(SELECT b.branch, %s, b.bound FROM (SELECT %d AS branch, v.id, %s AS bound "
                     "FROM vendors v",
                cand_columns, branch, q->bound.data);
    where_clause(q, negate, sql);
    if (min_bound_param)
        sbuf_printf(sql, " AND %s >= $%d::float8", q->bound.data, min_bound_param);
    sbuf_puts(sql, " ORDER BY 3 DESC, v.rating DESC NULLS LAST, v.name COLLATE \"C\", v.id");
    if (limit_param)
        sbuf_printf(sql, " LIMIT $%d", limit_param);
    sbuf_puts(sql, ") b JOIN vendors v ON v.id = b.id)");
}

static char *build_sql(struct qbuild *q, const struct need *n, long limit, bool near,
                       long near_per_branch, double min_bound, bool exhaustive)
{
    struct sbuf sql;
    char num[32];
    sbuf_init(&sql);
    build_bound(q, n);
    if (exhaustive) {
        branch_select(q, 0, -1, 0, 0, &sql);
        return sbuf_detach(&sql);
    }
    build_conditions(q, n);
    if (isfinite(min_bound)) {
        branch_select(q, 0, -1, 0, param_num(q, min_bound), &sql);
        return sbuf_detach(&sql);
    }
    snprintf(num, sizeof num, "%ld", limit);
    branch_select(q, 0, -1, param(q, num), 0, &sql);
    if (!near)
        return sbuf_detach(&sql);
    snprintf(num, sizeof num, "%ld", near_per_branch);
    int near_limit = param(q, num);
    for (int c = 0; c < CON_COUNT; c++) {
        if (c == CON_SERVICE || !q->cond[c])
            continue;
        sbuf_puts(&sql, " UNION ALL ");
        branch_select(q, c + 1, c, near_limit, 0, &sql);
    }
    return sbuf_detach(&sql);
}

static char *opt_text(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

static bool opt_double(const PGresult *res, int row, int col, double *out)
{
    if (PQgetisnull(res, row, col))
        return false;
    *out = strtod(PQgetvalue(res, row, col), NULL);
    return true;
}

static bool opt_long(const PGresult *res, int row, int col, long *out)
{
    if (PQgetisnull(res, row, col))
        return false;
    *out = strtol(PQgetvalue(res, row, col), NULL, 10);
    return true;
}

static void cand_from_row(const PGresult *res, int row, struct vendor_cand *v)
{
    vendor_cand_init(v);
    v->id = strtoll(PQgetvalue(res, row, COL_ID), NULL, 10);
    v->name = xstrdup(PQgetvalue(res, row, COL_NAME));
    snprintf(v->process_type, sizeof v->process_type, "%s", PQgetvalue(res, row, COL_TYPE));
    v->manual_tag = PQgetvalue(res, row, COL_MANUAL)[0] == 't';
    v->confidence = strtod(PQgetvalue(res, row, COL_CONF), NULL);
    pg_text_array_parse(PQgetvalue(res, row, COL_SERVICES), &v->services);
    pg_text_array_parse(PQgetvalue(res, row, COL_CERTS), &v->certifications);
    pg_text_array_parse(PQgetvalue(res, row, COL_LANGS), &v->languages);
    pg_text_array_parse(PQgetvalue(res, row, COL_INDUSTRIES), &v->industries);
    pg_text_array_parse(PQgetvalue(res, row, COL_DELIVERY), &v->delivery);
    snprintf(v->country, sizeof v->country, "%s", PQgetvalue(res, row, COL_COUNTRY));
    v->has_employees_min = opt_long(res, row, COL_EMP_MIN, &v->employees_min);
    v->has_employees_max = opt_long(res, row, COL_EMP_MAX, &v->employees_max);
    v->has_rate = opt_double(res, row, COL_RATE_MIN, &v->rate_min);
    if (!opt_double(res, row, COL_RATE_MAX, &v->rate_max))
        v->rate_max = v->rate_min;
    snprintf(v->currency, sizeof v->currency, "%s", PQgetvalue(res, row, COL_CURRENCY));
    v->has_rating = opt_double(res, row, COL_RATING, &v->rating);
    v->website = opt_text(res, row, COL_WEBSITE);
    v->city = opt_text(res, row, COL_CITY);
    v->email = opt_text(res, row, COL_EMAIL);
    v->phone = opt_text(res, row, COL_PHONE);
    v->bound = strtod(PQgetvalue(res, row, COL_BOUND), NULL);
}

static int fail_result(PGresult *res, const char *what, struct vm_err *err)
{
    char msg[1024];
    pgu_result_error(res, msg, sizeof msg);
    return vm_err_set(err, VM_EXIT_FAILURE, "%s: %s", what, msg);
}

/* The name of the prepared statement for sql, preparing it on first use. */
static int statement_for(struct match_db *m, const char *sql, int nparams, char name[32],
                         struct vm_err *err)
{
    PGresult *res = NULL;
    int rc = 0;
    size_t i;
    if (!m->session_ready) {
        rc = pgu_exec(m->conn, "match: session settings", "SET plan_cache_mode = force_custom_plan",
                      0, NULL, NULL, err);
        if (rc)
            return rc;
        m->session_ready = true;
    }
    for (i = 0; i < m->n_sql; i++)
        if (strcmp(m->sql[i], sql) == 0)
            break;
    snprintf(name, 32, "vm_match_%zu", i);
    if (i < m->n_sql)
        return 0;
    if (m->n_sql == MAX_STATEMENTS) { /* a batch of many shapes: start the cache over */
        pgu_exec(m->conn, "match: deallocate", "DEALLOCATE ALL", 0, NULL, NULL, NULL);
        for (size_t k = 0; k < m->n_sql; k++)
            free(m->sql[k]);
        m->n_sql = i = 0;
        snprintf(name, 32, "vm_match_0");
    }
    res = PQprepare(m->conn, name, sql, nparams, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = fail_result(res, "match: preparing the candidate query", err);
        goto done;
    }
    m->sql[m->n_sql++] = xstrdup(sql);
done:
    PQclear(res);
    return rc;
}

static void append_rows(const PGresult *res, struct match_rows *rows, long limit, bool unlimited)
{
    int nt = PQntuples(res);
    size_t main_rows = 0, base = rows->n;
    rows->cands = xrealloc(rows->cands, (rows->n + (size_t)nt + 1) * sizeof *rows->cands);
    rows->min_bound = INFINITY;
    for (int pass = 0; pass < 2; pass++) /* main rows first, then near misses */
        for (int r = 0; r < nt; r++) {
            bool is_main = strcmp(PQgetvalue(res, r, COL_BRANCH), "0") == 0;
            if (is_main != (pass == 0))
                continue;
            cand_from_row(res, r, &rows->cands[rows->n++]);
            if (is_main) {
                main_rows++;
                if (rows->cands[rows->n - 1].bound < rows->min_bound)
                    rows->min_bound = rows->cands[rows->n - 1].bound;
            }
        }
    if (main_rows == 0)
        rows->min_bound = -INFINITY;
    rows->n_main = base + main_rows;
    rows->main_complete = unlimited || (long)main_rows < limit;
}

int match_db_fetch(struct match_db *m, const struct need *n, long limit, bool near,
                   long near_per_branch, double min_bound, struct match_rows *rows,
                   struct vm_err *err)
{
    struct qbuild q = {0};
    PGresult *res = NULL;
    char name[32];
    char *sql = build_sql(&q, n, limit, near, near_per_branch, min_bound, m->exhaustive);
    int rc = statement_for(m, sql, q.n, name, err);
    if (rc)
        goto done;
    res = PQexecPrepared(m->conn, name, q.n, (const char *const *)q.vals, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = fail_result(res, "match: fetching candidates", err);
        if (PQstatus(m->conn) == CONNECTION_BAD)
            err->code = rc = VM_EXIT_UNAVAILABLE;
        goto done;
    }
    append_rows(res, rows, limit, isfinite(min_bound) || m->exhaustive);
done:
    PQclear(res);
    free(sql);
    qbuild_free(&q);
    return rc;
}

int match_db_catalog(PGconn *conn, json_t **out, struct vm_err *err)
{
    static const char sql[] =
        "SELECT b.id, b.file_name, s.name, b.file_sha256, "
        "to_char(COALESCE(b.finished_at, b.started_at) AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
        "FROM import_batches b JOIN sources s ON s.id = b.source_id ORDER BY b.id";
    PGresult *res = NULL;
    int rc = pgu_exec(conn, "match: reading import batches", sql, 0, NULL, &res, err);
    *out = json_array();
    for (int r = 0; rc == 0 && r < PQntuples(res); r++) {
        json_t *b = json_object();
        json_object_set_new(b, "batch_id", json_integer(strtoll(PQgetvalue(res, r, 0), NULL, 10)));
        json_object_set_new(b, "file", json_string_or_null(PQgetvalue(res, r, 1)));
        json_object_set_new(b, "source", json_string_or_null(PQgetvalue(res, r, 2)));
        json_object_set_new(b, "sha256", json_string_or_null(PQgetvalue(res, r, 3)));
        json_object_set_new(b, "imported_at", json_string_or_null(PQgetvalue(res, r, 4)));
        json_array_append_new(*out, b);
    }
    PQclear(res);
    return rc;
}
