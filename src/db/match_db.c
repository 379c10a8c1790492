/*
 * match_db: candidate retrieval for match. The statement is built from the
 * need's shape (which constraints are active): each constraint is one
 * predicate over the normalised columns and the row bound a sum of the
 * criteria's points, both from criteria.c's table (the one declaration of
 * each constraint and criterion, which score.c scores from too), every
 * value a $n parameter. Statements are prepared once per shape and run
 * with plan_cache_mode = force_custom_plan, so the planner always sees the
 * actual arrays and picks the right index.
 */
#include "db/match_db.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/criteria.h"
#include "core/match_defaults.h"
#include "db/pgutil.h"
#include "db/taxonomy_db.h"
#include "io/output.h"

#define MAX_PARAMS 64
#define MAX_STATEMENTS 256

/* The near misses failing only the type count as rare when fewer than one
 * in RARE_SHARE of the rows read so far fail the type alone. When they are
 * rare and the key index holds more than WIDE_ROWS entries between the
 * walk's position and their floor (the planner's estimate from the index's
 * statistics), they are read by a bitmap of the rejected types' partial
 * service key indexes (migrations/0015; type_arms) instead of crawling
 * those entries; a walk of other classes takes them out when type_way_due. */
#define MATCH_WALK_RARE_SHARE 16
#define MATCH_WALK_WIDE_ROWS 100000.0
#define MATCH_WALK_DETACH_CHUNK 64
/* The qualifying vendors are read apart from the near misses when the near
 * misses' key span holds fewer entries than this (main_apart). */
#define MATCH_WALK_APART_ROWS 8000.0
/* Read by the bitmap, the type class alone comes in chunks BITMAP_CHUNKS
 * times the key walk's (256, 1024, ... rows): each chunk reads the class's
 * rows of a key span (walk_chunk) from the heap and sorts them, and the
 * first few mostly close it, so a short top-N sort sends less than them all. */
#define MATCH_WALK_BITMAP_CHUNKS 16
/* The first key span of a chunk with the row points filter (row_points_sql),
 * growing as the chunk size does. */
#define MATCH_WALK_FIRST_SPAN 0.02
/* The type class by the bitmap reads key spans TYPE_SPANS times the row
 * points filter's (0.16, 0.64, ...) until this many in a row held none of
 * its rows, then all the rest at once. */
#define MATCH_WALK_TYPE_SPANS 8
#define MATCH_WALK_EMPTY_SPANS 1

struct match_db {
    PGconn *conn;
    bool session_ready;
    bool exhaustive;
    int timeout_ms; /* the session's statement_timeout (0: none) */
    FILE *trace;    /* -vv: one line per walk chunk */
    char *sql[MAX_STATEMENTS];
    size_t n_sql;
    /* vendors.services holds taxonomy category ids (migrations/0006); needs
     * and scores use codes. The categories, sorted by id (session_start). */
    int *cat_id;
    char **cat_code;
    size_t n_cats;
};

/* One statement under construction: its parameters and per-constraint SQL. */
struct qbuild {
    char *vals[MAX_PARAMS];
    int n;
    char *cond[CON_COUNT]; /* NULL when the constraint is not active */
    char *neg[CON_COUNT];  /* an indexable negation of cond, when there is one */
    /* The criteria.c value each parameter holds (NULL: the walk's own). */
    const char *names[MAX_PARAMS];
    enum crit_value_kind kinds[MAX_PARAMS];
    int per_class;   /* parameters per open class: its floor [, its row points] */
    char *type_arms; /* the type class by the bitmap: rejected type and service keys */
    bool key_only;   /* by the key index, the services hidden from index matching too */
};

/* Which vendors offering requested services a walk visits: any of them, or
 * (m >= 2 services) those offering all, then those offering only some. */
enum tier { TIER_ANY = CRIT_COVER_ANY, TIER_ALL = CRIT_COVER_ALL, TIER_SOME = CRIT_COVER_SOME };

/* K(v) of migrations/0003_match_quality_index.sql, verbatim but for the alias. */
static const char key_expr[] =
    "((COALESCE(v.rating::float8, 0) / 5) + CASE WHEN v.manual_type IS NOT NULL THEN 1 ELSE "
    "v.confidence::float8 END)";

/* What the walk reads: the columns migrations/0003 INCLUDEs, so every chunk
 * is an Index Only Scan, and the key (walk_sql adds it AS walk_key).
 * Contact details come later (match_db_details). */
static const char walk_columns[] =
    "v.id, v.name, v.effective_type, v.manual_type IS NOT NULL AS manual, v.confidence, "
    "v.services, v.certifications, v.languages, v.industries, v.delivery, v.country, "
    "v.employees_min, v.employees_max, v.rate_min, v.rate_max, v.currency, v.rating";
/* Their names in a result, read by name (pgu_columns): COL_ID indexes
 * walk_col_names, struct walk_cols holds their positions in one result. */
enum {
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
    COL_KEY,
    COL_COUNT
};
static const char *const walk_col_names[COL_COUNT] = {
    "id",       "name",           "effective_type", "manual",     "confidence",
    "services", "certifications", "languages",      "industries", "delivery",
    "country",  "employees_min",  "employees_max",  "rate_min",   "rate_max",
    "currency", "rating",         "walk_key",
};
struct walk_cols {
    int at[COL_COUNT];
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

void match_db_set_trace(struct match_db *m, FILE *f)
{
    m->trace = f;
}

double match_db_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void match_db_free(struct match_db *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_sql; i++)
        free(m->sql[i]);
    for (size_t i = 0; i < m->n_cats; i++)
        free(m->cat_code[i]);
    free(m->cat_id);
    free(m->cat_code);
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
    for (int c = 0; c < CON_COUNT; c++) {
        free(q->cond[c]);
        free(q->neg[c]);
    }
    free(q->type_arms);
}

/* criteria.c's values as parameters of q, each name and kind once. */
struct qparams {
    struct qbuild *q;
    const char *service_ids; /* the need's categories as a vendors.services literal */
};

static int crit_param(void *ctx, const struct crit_value *v)
{
    struct qparams *c = ctx;
    struct qbuild *q = c->q;
    struct sbuf lit;
    int k = 0;
    for (int i = 0; i < q->n; i++)
        if (q->names[i] && q->kinds[i] == v->kind && strcmp(q->names[i], v->name) == 0)
            return i + 1;
    switch (v->kind) {
    case CRIT_V_LIST:
        k = param_array(q, &v->list);
        break;
    case CRIT_V_NUMBERS: /* "{1.08,1}": the numbers as C printed them */
        sbuf_init(&lit);
        sbuf_putc(&lit, '{');
        for (size_t i = 0; i < v->list.len; i++)
            sbuf_printf(&lit, "%s%s", i ? "," : "", v->list.items[i]);
        sbuf_putc(&lit, '}');
        k = param(q, lit.data);
        sbuf_free(&lit);
        break;
    case CRIT_V_NUMBER:
    case CRIT_V_WEIGHT:
        k = param_num(q, v->number);
        break;
    case CRIT_V_SERVICE_IDS:
        k = param(q, c->service_ids);
        break;
    }
    q->names[k - 1] = v->name;
    q->kinds[k - 1] = v->kind;
    return k;
}

/* migrations/0015's key of a vendor's services in the buckets of its key:
 * its first SERVICE_KEYS services, each id * 128 + the bucket (0.02 of K,
 * every K >= 2 in bucket 100), and -1 for a vendor with more. The
 * expression of the partial indexes, verbatim but for the alias. */
#define SERVICE_KEYS 8
static void service_keys_expr(struct sbuf *sql)
{
    sbuf_puts(sql, "(ARRAY[");
    for (int i = 1; i <= SERVICE_KEYS; i++)
        sbuf_printf(sql, "v.services[%d] * 128 + LEAST(floor(%s * 50), 100)::int4, ", i, key_expr);
    sbuf_printf(sql, "CASE WHEN cardinality(v.services) > %d THEN -1 END])", SERVICE_KEYS);
}

/* The vendors of a type n rejects that offer a requested service, as one
 * arm per rejected type, "((v.effective_type = 'KPO' AND keys && span AND
 * (svc) IS TRUE) OR ...)", each arm matching migrations/0015's partial GIN
 * of its type: span (vm_service_key_span) holds the requested services' keys
 * in the buckets of the chunk's key span, parameters lo (exclusive) to k, so
 * the index gives the rows of that span only; the service condition q's
 * (svc), hidden from index matching, and the key conditions the statement
 * keeps decide exactly. Which types fail is the type constraint's check
 * (criteria.c) on a vendor of each type; effective_type is one of these
 * four, never NULL (0001's CHECKs), so the arms hold exactly the vendors
 * failing the type. */
static char *type_arms(const struct need *n, const struct qbuild *q, enum tier tier, int lo, int k)
{
    static const char *const all[] = {"BPO", "KPO", "HYBRID", "UNCLASSIFIED"};
    int ids = 0;
    for (int i = 0; i < q->n && !ids; i++)
        if (q->names[i] && q->kinds[i] == CRIT_V_SERVICE_IDS)
            ids = i + 1;
    struct sbuf arms, expr, keys;
    sbuf_init(&arms);
    sbuf_init(&expr);
    sbuf_init(&keys);
    service_keys_expr(&expr);
    /* Vendors offering every requested service (TIER_ALL): one condition
     * per service, which the index ANDs (a vendor's services share its
     * bucket); else any of them, in one. */
    for (size_t i = 0; i < (tier == TIER_ALL ? n->categories.len : 1); i++) {
        char *one = tier == TIER_ALL ? xasprintf("ARRAY[($%d::int4[])[%zu]]", ids, i + 1)
                                     : xasprintf("$%d::int4[]", ids);
        sbuf_printf(&keys, "%s%s && vm_service_key_span(%s, $%d::float8, $%d::float8)",
                    i ? " AND " : "", expr.data, one, lo, k);
        free(one);
    }
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        struct vendor_cand v;
        struct score_result r;
        vendor_cand_init(&v);
        snprintf(v.process_type, sizeof v.process_type, "%s", all[i]);
        score_vendor(n, &v, &r);
        if (r.failed & (1u << CON_TYPE))
            sbuf_printf(&arms, "%s(v.effective_type = '%s' AND %s AND (%s) IS TRUE)",
                        arms.len ? " OR " : "", all[i], keys.data, q->cond[CON_SERVICE]);
        score_result_free(&r);
        vendor_cand_free(&v);
    }
    char *out = xasprintf("(%s)", arms.data ? arms.data : "false");
    sbuf_free(&arms);
    sbuf_free(&expr);
    sbuf_free(&keys);
    return out;
}

/* Every active constraint's SQL and indexable negation, from criteria.c's
 * table; service_ids: the need's categories as an int4[] literal
 * (service_ids()), tier: which of the vendors offering them. */
static void build_conditions(struct qbuild *q, const struct need *n, const char *service_ids,
                             enum tier tier)
{
    struct qparams c = {.q = q, .service_ids = service_ids};
    struct crit_params p = {.param = crit_param, .ctx = &c};
    for (int k = 0; k < CON_COUNT; k++)
        q->cond[k] =
            crit_constraint_sql((enum constraint)k, n, (enum crit_cover)tier, &p, &q->neg[k]);
}

/* What a walk chunk reads, as a bit set: OPEN_MAIN, the qualifying
 * vendors; bit c (enum constraint), the near misses failing constraint c
 * alone. A list is open while a vendor not read yet could still enter it. */
#define OPEN_MAIN (1u << CON_COUNT)
#define TYPE_CLASS (1u << CON_TYPE)

/* The vendors failing exactly constraint `fails` among the active ones
 * (-1: none), as a conjunction of the constraints' plain SQL, so the
 * planner estimates it from the statistics as it does the main walk's. */
/* hide_others (the type class on the bitmap path, whose rejected types
 * where_clause states with the services, q->type_arms): the other
 * constraints in "(...) IS TRUE", so the planner reads the partial service
 * indexes of the rejected types only, not a range of the rating index or a
 * large GIN bitmap besides. */
static void exactly_failing(const struct qbuild *q, int fails, bool hide_others, struct sbuf *sql)
{
    bool first = true;
    if (hide_others)
        sbuf_puts(sql, "(");
    for (int c = 0; c < CON_COUNT; c++) {
        if (!q->cond[c] || c == CON_SERVICE || (hide_others && c == fails))
            continue;
        sbuf_puts(sql, first ? "" : " AND ");
        first = false;
        if (c == fails && q->neg[c])
            sbuf_puts(sql, q->neg[c]);
        else if (c == fails)
            sbuf_printf(sql, "(%s) IS NOT TRUE", q->cond[c]);
        else
            sbuf_puts(sql, q->cond[c]);
    }
    if (first)
        sbuf_puts(sql, "true");
    if (hide_others)
        sbuf_puts(sql, ") IS TRUE");
}

static bool class_open(unsigned open, int c)
{
    return open & (c < 0 ? OPEN_MAIN : 1u << c);
}

/* A row's rating and confidence points, and its price and capacity points
 * when score_price_per_row / score_capacity_per_row (criteria.c's
 * sql_points; the weights are parameters): with score_row_fixed_bound, a
 * bound of the row's own score, so a chunk returns only rows that can enter
 * a list. NULL when K bounds the row closely enough. */
static char *row_points_sql(struct qbuild *q, const struct need *n)
{
    struct qparams c = {.q = q};
    struct crit_params p = {.param = crit_param, .ctx = &c};
    return crit_row_points_sql(n, &p);
}

/* WHERE clause: the service condition (a near miss offers a requested
 * service too), then the OR of the open classes: passing every other
 * constraint (OPEN_MAIN) or failing exactly constraint c (bit c), each
 * above its key floor and with row points at least its threshold
 * (parameters floor, floor + 1: the first class's; floor + 2... in class
 * order). */
static void where_clause(const struct qbuild *q, unsigned open, const char *key, const char *points,
                         int floor, bool by_index, struct sbuf *sql)
{
    bool first = true;
    /* By the key index, "(...) IS TRUE" hides the classes' predicates from
     * index matching (the planner still estimates them): it cannot OR one
     * bitmap per class, nor pick a bitmap of the constraints' indexes for
     * the qualifying vendors (measured slower than the key walk, 2-5x on
     * selective needs; the time limit still sends a crawl to statement [0]).
     * The near misses failing the type alone stay plain, so the type index
     * can serve them. */
    bool opaque = by_index && open != TYPE_CLASS;
    /* The type class by the bitmap: the rejected types with the services'
     * keys in the chunk's key span, so each type's partial GIN
     * (migrations/0015) gives exactly its rows there. */
    bool by_type = !by_index && open == TYPE_CLASS && q->type_arms;
    sbuf_puts(sql, " WHERE ");
    if (by_type)
        sbuf_printf(sql, "%s AND ", q->type_arms);
    else if (q->cond[CON_SERVICE] && by_index && q->key_only)
        sbuf_printf(sql, "(%s) IS TRUE AND ", q->cond[CON_SERVICE]);
    else if (q->cond[CON_SERVICE])
        sbuf_printf(sql, "%s AND ", q->cond[CON_SERVICE]);
    sbuf_puts(sql, "(");
    for (int c = -1; c < CON_COUNT; c++) {
        if (!class_open(open, c))
            continue;
        sbuf_puts(sql, first ? "(" : " OR (");
        first = false;
        exactly_failing(q, c, by_type, sql);
        sbuf_printf(sql, " AND %s > $%d::float8", key, floor++);
        if (points)
            sbuf_printf(sql, " AND %s >= $%d::float8", points, floor++);
        sbuf_puts(sql, ")");
    }
    sbuf_puts(sql, first ? "false)" : ")");
    sbuf_puts(sql, opaque ? " IS TRUE AND " : " AND ");
}

/*
 * One walk statement: the rows of the open classes (services limited to `tier`)
 * after the key position ($k, $id) and above the classes' key floors (no
 * vendor below its class's floor can enter the lists; the lowest floor is
 * an index condition too, so the scan stops there), best key first. by_index: the key
 * expression is the index's, verbatim, so the planner can walk the index
 * and stop after LIMIT rows; else it is hidden ("+ 0") and the planner must
 * use the conditions' indexes and sort (the fallback for conditions far
 * more selective than the planner thinks). The floors, then the last four
 * parameters (lowest floor, key, id, limit) change from chunk to chunk.
 */
static char *walk_sql(struct qbuild *q, const struct need *n, const char *service_ids,
                      unsigned open, enum tier tier, bool by_index)
{
    struct sbuf sql;
    char *key = by_index ? xstrdup(key_expr) : xasprintf("(%s + 0)", key_expr);
    sbuf_init(&sql);
    build_conditions(q, n, service_ids, tier);
    sbuf_printf(&sql, "SELECT %s, %s AS walk_key FROM vendors v", walk_columns, key);
    char *points = row_points_sql(q, n);
    int floor = q->n + 1;
    for (int c = -1; c < CON_COUNT; c++)
        if (class_open(open, c)) {
            param(q, "-1");
            if (points)
                param(q, "-Infinity");
        }
    /* The type class by the bitmap: lo and k are the next two parameters. */
    if (!by_index && open == TYPE_CLASS && q->cond[CON_SERVICE])
        q->type_arms = type_arms(n, q, tier, q->n + 1, q->n + 2);
    where_clause(q, open, key, points, floor, by_index, &sql);
    q->per_class = points ? 2 : 1;
    free(points);
    int lo = param(q, "-1"), k = param(q, "Infinity"), id = param(q, "0"), lim = param(q, "0");
    sbuf_printf(&sql,
                "%s > $%d::float8 AND (%s, v.id) < ($%d::float8, $%d::bigint) "
                "ORDER BY %s DESC, v.id DESC LIMIT $%d",
                key, lo, key, k, id, key, lim);
    free(key);
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

/* A vendors.services value ("{3,17}") as the codes of its categories, in order. */
static void services_from_ids(const struct match_db *m, const char *text, struct strlist *out)
{
    for (const char *p = text; *p;) {
        char *end;
        long id = strtol(p, &end, 10);
        if (end == p) {
            p++; /* '{', ',' or '}' */
            continue;
        }
        p = end;
        size_t lo = 0, hi = m->n_cats;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->cat_id[mid] < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < m->n_cats && m->cat_id[lo] == id)
            strlist_push(out, m->cat_code[lo]);
    }
}

/* The need's category codes as an int4[] literal of their ids; a code the
 * catalog's taxonomy lacks (none: needs are resolved against it) is -1,
 * which no vendor holds. */
static char *service_ids(const struct match_db *m, const struct strlist *codes)
{
    struct sbuf lit;
    sbuf_init(&lit);
    sbuf_putc(&lit, '{');
    for (size_t i = 0; i < codes->len; i++) {
        int id = -1;
        for (size_t k = 0; k < m->n_cats && id < 0; k++)
            if (strcmp(m->cat_code[k], codes->items[i]) == 0)
                id = m->cat_id[k];
        sbuf_printf(&lit, "%s%d", i ? "," : "", id);
    }
    sbuf_putc(&lit, '}');
    return sbuf_detach(&lit);
}

static void cand_from_row(const struct match_db *m, const PGresult *res, const struct walk_cols *c,
                          int row, struct vendor_cand *v)
{
    const int *at = c->at;
    vendor_cand_init(v);
    v->id = strtoll(PQgetvalue(res, row, at[COL_ID]), NULL, 10);
    v->name = xstrdup(PQgetvalue(res, row, at[COL_NAME]));
    snprintf(v->process_type, sizeof v->process_type, "%s", PQgetvalue(res, row, at[COL_TYPE]));
    v->manual_tag = PQgetvalue(res, row, at[COL_MANUAL])[0] == 't';
    v->confidence = strtod(PQgetvalue(res, row, at[COL_CONF]), NULL);
    services_from_ids(m, PQgetvalue(res, row, at[COL_SERVICES]), &v->services);
    pg_text_array_parse(PQgetvalue(res, row, at[COL_CERTS]), &v->certifications);
    pg_text_array_parse(PQgetvalue(res, row, at[COL_LANGS]), &v->languages);
    pg_text_array_parse(PQgetvalue(res, row, at[COL_INDUSTRIES]), &v->industries);
    pg_text_array_parse(PQgetvalue(res, row, at[COL_DELIVERY]), &v->delivery);
    snprintf(v->country, sizeof v->country, "%s", PQgetvalue(res, row, at[COL_COUNTRY]));
    v->has_employees_min = opt_long(res, row, at[COL_EMP_MIN], &v->employees_min);
    v->has_employees_max = opt_long(res, row, at[COL_EMP_MAX], &v->employees_max);
    v->has_rate_min = opt_double(res, row, at[COL_RATE_MIN], &v->rate_min);
    v->has_rate_max = opt_double(res, row, at[COL_RATE_MAX], &v->rate_max) && v->rate_max >= 0;
    v->has_rate = v->has_rate_min || v->has_rate_max;
    snprintf(v->currency, sizeof v->currency, "%s", PQgetvalue(res, row, at[COL_CURRENCY]));
    v->has_rating = opt_double(res, row, at[COL_RATING], &v->rating);
    v->key = strtod(PQgetvalue(res, row, at[COL_KEY]), NULL);
}

/* The taxonomy's categories, id -> code (struct match_db). */
static int load_categories(struct match_db *m, struct vm_err *err)
{
    static const char *const names[] = {"id", "code"};
    const char *what = "match: taxonomy categories";
    PGresult *res = NULL;
    int col[2];
    int rc = pgu_exec(m->conn, what, "SELECT id, code FROM taxonomy_categories ORDER BY id", 0,
                      NULL, &res, err);
    if (rc == 0)
        rc = pgu_columns(res, what, 2, names, col, err);
    if (rc == 0) {
        size_t n = (size_t)PQntuples(res);
        m->cat_id = xcalloc(n + 1, sizeof *m->cat_id);
        m->cat_code = xcalloc(n + 1, sizeof *m->cat_code);
        for (size_t i = 0; i < n; i++) {
            m->cat_id[i] = (int)strtol(PQgetvalue(res, (int)i, col[0]), NULL, 10);
            m->cat_code[i] = xstrdup(PQgetvalue(res, (int)i, col[1]));
        }
        m->n_cats = n;
    }
    PQclear(res);
    return rc;
}

/*
 * Once per connection, two round trips: the session settings of the walk
 * (custom plans, so the planner sees the actual arrays; no JIT or parallel
 * workers, which cost more than they save on a chunk; the chunk time limit)
 * and whether the catalog holds a negative rating, which would make a
 * vendor's key smaller than its rating and confidence points (normalize.h
 * never stores one): then every decision is left to C (fetch_all). Then the
 * taxonomy's category ids (load_categories). The chunk time limit is not
 * set here: only walk chunks run under it (walk_chunk sets it, and every
 * other statement clears it first), so a loaded server slows the other
 * statements down but never cancels them.
 */
static int session_start(struct match_db *m, struct vm_err *err)
{
    static const char sql[] =
        "SELECT set_config('plan_cache_mode', 'force_custom_plan', false), "
        "set_config('jit', 'off', false), "
        "set_config('max_parallel_workers_per_gather', '0', false), "
        "EXISTS (SELECT 1 FROM vendors WHERE rating < 0) AS negative_rating";
    PGresult *res = NULL;
    if (m->session_ready)
        return 0;
    static const char *const names[] = {"negative_rating"};
    int col;
    int rc = pgu_exec(m->conn, "match: session settings", sql, 0, NULL, &res, err);
    if (rc == 0)
        rc = pgu_columns(res, "match: session settings", 1, names, &col, err);
    if (rc == 0 && PQgetvalue(res, 0, col)[0] == 't')
        m->exhaustive = true;
    PQclear(res);
    if (rc == 0)
        rc = load_categories(m, err);
    m->session_ready = rc == 0;
    return rc;
}

/* The chunk time limit in ms (0: none), when it is not that already. */
static int set_timeout(struct match_db *m, int ms, struct vm_err *err)
{
    char sql[64];
    if (m->timeout_ms == ms)
        return 0;
    snprintf(sql, sizeof sql, "SET statement_timeout = %d", ms);
    int rc = pgu_exec(m->conn, "match: statement timeout", ms ? sql : "RESET statement_timeout", 0,
                      NULL, NULL, err);
    if (rc == 0)
        m->timeout_ms = ms;
    return rc;
}

int match_db_idle(struct match_db *m, struct vm_err *err)
{
    return m ? set_timeout(m, 0, err) : 0;
}

/* The name of the prepared statement for sql, preparing it on first use. */
static int statement_for(struct match_db *m, const char *sql, int nparams, char name[32],
                         struct vm_err *err)
{
    int rc = 0;
    size_t i;
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
    if (m->trace && getenv("VM_MATCH_TRACE_SQL"))
        fprintf(m->trace, "vendormatch: match: %s: %s\n", name, sql);
    rc = pgu_prepare(m->conn, "match: preparing the candidate query", name, sql, nparams, err);
    if (rc == 0)
        m->sql[m->n_sql++] = xstrdup(sql);
    return rc;
}

/* What the walk of one need collects into: the rows, and the best scores
 * of each list, which decide when the list is done. */
struct walk {
    struct match_db *m;
    const struct need *n;
    bool near;     /* near misses wanted */
    bool keep_all; /* keep every row read (fetch_all), not only possible entrants */
    struct score_topk *best_main, *best_near;
    struct match_rows *rows;
    char *service_ids;      /* n->categories as a vendors.services literal */
    bool unsafe;            /* a row's facts exceed its key: the bound does not hold */
    size_t seen, seen_type; /* rows read, and those failing the type alone */
    size_t seen_main;       /* rows read that qualify */
};

/* Whether the near misses failing only the type look rare among the rows
 * read so far (services asked): the services mostly decide a vendor's
 * type, so these are often a few dozen among tens of thousands of the
 * service's vendors, which the planner cannot see (it estimates the type
 * and the services independently). A walk along the key index would then
 * crawl most of the catalog for them; the rejected types' partial service
 * indexes find them in one bitmap scan. Only the plan depends on this,
 * never the rows. */
static bool type_class_rare(const struct walk *w)
{
    return w->n->categories.len && w->seen > 0 && w->seen_type * MATCH_WALK_RARE_SHARE < w->seen;
}

/* The planner's estimate of the key index entries with lo < K < hi (from
 * the index's statistics; no row is read), or -1 when it gives none. The
 * bounds are the walk's own floats, written as constants so the planner
 * estimates from them. Only a plan depends on it: a failure (a lost
 * connection included) is left to the walk's next statement to report. */
static double key_range_rows(struct match_db *m, double lo, double hi)
{
    char *sql = xasprintf("EXPLAIN SELECT 1 FROM vendors v WHERE %s > %.17g AND %s < %.17g",
                          key_expr, lo, key_expr, hi);
    char *plan = NULL;
    pgu_query_value(m->conn, "match: estimating a key range", sql, 0, NULL, &plan, NULL);
    const char *rows = plan ? strstr(plan, " rows=") : NULL;
    double n = rows ? strtod(rows + 6, NULL) : -1;
    free(plan);
    free(sql);
    return n;
}

static double tier_coverage(const struct need *n, enum tier tier)
{
    size_t m = n->categories.len;
    return tier == TIER_SOME ? (double)(m - 1) / (double)m : 1.0;
}

/* One tier's walk: its position, chunk size, and the two statements of
 * the open classes: [0] by the conditions' indexes, [1] by the key index. */
struct tier_walk {
    enum tier tier;
    double cov;
    char *key, *id; /* keyset position: the last row's (key, id), as text: exact */
    long chunk;
    bool fallback;                /* the key index timed out: the rest of the tier uses [0] */
    unsigned allowed;             /* the classes this walk may read */
    unsigned open;                /* the classes q and name were built for (0: none yet) */
    double floor[CON_COUNT + 1];  /* per class (main first): keys at most this are done */
    double points[CON_COUNT + 1]; /* per class: the least row points that can enter */
    double span, span_lo;         /* the chunk's key span, and its lowest key (exclusive) */
    bool narrow;     /* its classes lie in a short key span (main_apart): walk the key index */
    int empty_spans; /* the type class by the bitmap: key spans read in a row that held none */
    struct qbuild q;
    char name[2][32];
};

/* Whether a scored row can still enter its list: the list's k-th best
 * score only rises, so a row below it now never can (ties can, by the
 * tie-break). Feeds the list's best scores. */
static bool could_enter(struct walk *w, const struct score_result *sr)
{
    struct score_topk *best = sr->n_failed == 0                   ? w->best_main
                              : w->near && score_is_near_miss(sr) ? w->best_near
                                                                  : NULL;
    if (!best)
        return false;
    bool in = sr->cents >= score_topk_kth(best);
    score_topk_add(best, sr->cents);
    return in;
}

/* Scores the chunk's rows, feeds each list's best scores and keeps the
 * rows that could enter a list (score_rank decides over them); *cols gets
 * the result's columns. A chunk of the type class alone (open, of tier
 * walk t) stops at the first row whose key closes the class: the rows come
 * in descending key order and the near misses' k-th best score only rises,
 * so none after it can enter (a chunk by the bitmap sends 256 rows or more,
 * of which the first few mostly decide). t is NULL for fetch_all, which
 * keeps every row. */
static int take_rows(struct walk *w, const PGresult *res, const struct tier_walk *t, unsigned open,
                     struct walk_cols *cols, struct vm_err *err)
{
    int nt = PQntuples(res);
    bool type_only = t && open == TYPE_CLASS;
    struct match_rows *rows = w->rows;
    int rc =
        pgu_columns(res, "match: reading candidates", COL_COUNT, walk_col_names, cols->at, err);
    if (rc)
        return rc;
    rows->cands = xrealloc(rows->cands, (rows->n + (size_t)nt + 1) * sizeof *rows->cands);
    for (int r = 0; r < nt; r++) {
        if (type_only && score_walk_done(w->n, strtod(PQgetvalue(res, r, cols->at[COL_KEY]), NULL),
                                         t->cov, CON_TYPE, score_topk_kth(w->best_near)))
            break;
        struct vendor_cand *v = &rows->cands[rows->n];
        struct score_result sr;
        cand_from_row(w->m, res, cols, r, v);
        score_vendor(w->n, v, &sr);
        bool keep = could_enter(w, &sr) || w->keep_all;
        w->seen++;
        w->seen_type += score_is_near_miss(&sr) && sr.failed == TYPE_CLASS;
        w->seen_main += sr.n_failed == 0;
        if (!score_key_covers(v, v->key))
            w->unsafe = true;
        score_result_free(&sr);
        if (keep)
            rows->n++;
        else
            vendor_cand_free(v);
    }
    rows->n_rows += (size_t)nt;
    rows->n_queries++;
    return 0;
}

/* A chunk's LIMIT: the tier's growing chunk along the key index; by the
 * conditions' indexes, which read every row above the floors anyway, all
 * the rest (MAX_CHUNK), but the type class alone in growing chunks still
 * (MATCH_WALK_BITMAP_CHUNKS). */
static long chunk_limit(const struct tier_walk *t, unsigned open)
{
    if (!t->fallback)
        return t->chunk;
    if (open != TYPE_CLASS || t->chunk * MATCH_WALK_BITMAP_CHUNKS > MATCH_WALK_MAX_CHUNK)
        return MATCH_WALK_MAX_CHUNK;
    return t->chunk * MATCH_WALK_BITMAP_CHUNKS;
}

/* One chunk of prepared statement `name`; on failure sqlstate (may be
 * NULL) says why (57014: the time limit cancelled it). */
static int exec_walk_chunk(struct walk *w, const char *name, struct qbuild *q, PGresult **res,
                           char sqlstate[6], struct vm_err *err)
{
    return pgu_exec_prepared(w->m->conn, "match: fetching candidates", name, q->n,
                             (const char *const *)q->vals, res, sqlstate, err);
}

/* The tier's parameters for the open classes, (re)built when they change,
 * and its statement [by_index] prepared: each only when a chunk first
 * needs it (most walks never fall back to [0]). */
static int tier_statement(struct walk *w, struct tier_walk *t, unsigned open, bool by_index,
                          struct vm_err *err)
{
    struct qbuild q = {0};
    if (t->open != open) {
        qbuild_free(&t->q);
        memset(&t->q, 0, sizeof t->q);
        t->name[0][0] = t->name[1][0] = '\0';
        t->q.key_only = t->narrow;
        free(walk_sql(&t->q, w->n, w->service_ids, open, t->tier, true));
        t->open = open;
    }
    if (t->name[by_index][0])
        return 0;
    q.key_only = t->narrow;
    char *sql = walk_sql(&q, w->n, w->service_ids, open, t->tier, by_index);
    int rc = statement_for(w->m, sql, q.n, t->name[by_index], err);
    if (rc)
        t->name[by_index][0] = '\0';
    free(sql);
    qbuild_free(&q);
    return rc;
}

/* The walk's position as a key: every key is at most 2 (a rating above 5
 * aside, whose keys the bucket 100 of migrations/0015 holds too). */
static double walk_position(const struct tier_walk *t)
{
    double pos = strtod(t->key, NULL);
    return pos > 2.0 ? 2.0 : pos;
}

/* Whether the tier reads the type class alone by the bitmap of the
 * rejected types' service keys (type_arms), in key spans. */
static bool type_keyed(const struct tier_walk *t, unsigned open)
{
    return t->fallback && open == TYPE_CLASS && t->q.cond[CON_SERVICE];
}

/* One chunk of the open classes after the tier's position: by the key
 * index under a time limit; when the planner's guess makes it crawl, the
 * same chunk (same rows) by the conditions' indexes, and so on for the tier. */
static int walk_chunk(struct walk *w, struct tier_walk *t, unsigned open, PGresult **res,
                      struct vm_err *err)
{
    int rc = tier_statement(w, t, open, !t->fallback, err);
    struct qbuild *q = &t->q;
    if (rc)
        return rc;
    int i = q->n - 4 - q->per_class * __builtin_popcount(open);
    double lo = 2.0;
    for (int c = -1; c < CON_COUNT; c++) {
        if (!class_open(open, c))
            continue;
        free(q->vals[i]);
        q->vals[i++] = xasprintf("%.17g", t->floor[c + 1]);
        if (q->per_class == 2) {
            free(q->vals[i]);
            q->vals[i++] = xasprintf("%.17g", t->points[c + 1]);
        }
        lo = t->floor[c + 1] < lo ? t->floor[c + 1] : lo;
    }
    /* With the row points filter, few rows may pass: the chunk's key span
     * bounds the index entries it scans, so the floors follow the k-th
     * scores the chunk's rows raise (not on a bitmap, which reads all). */
    t->span_lo = lo;
    if (q->per_class == 2 && !t->fallback) {
        double pos = strtod(t->key, NULL);
        if (isfinite(pos) && pos - t->span > lo)
            t->span_lo = lo = pos - t->span;
    }
    /* The type class by the bitmap reads its rows in the span's key buckets
     * only (type_arms), MATCH_WALK_TYPE_SPANS times as wide: its rows often
     * lie well below the walk's position (from above every key at first),
     * and a bucket of it holds few rows. After MATCH_WALK_EMPTY_SPANS spans
     * in a row held none, the class is rare: the rest in one chunk. */
    if (type_keyed(t, open) && t->empty_spans < MATCH_WALK_EMPTY_SPANS &&
        walk_position(t) - MATCH_WALK_TYPE_SPANS * t->span > lo)
        t->span_lo = lo = walk_position(t) - MATCH_WALK_TYPE_SPANS * t->span;
    for (int j = q->n - 4; j < q->n; j++)
        free(q->vals[j]);
    q->vals[q->n - 4] = xasprintf("%.17g", lo);
    q->vals[q->n - 3] = xstrdup(t->key);
    q->vals[q->n - 2] = xstrdup(t->id);
    q->vals[q->n - 1] = xasprintf("%ld", chunk_limit(t, open));
    if (w->m->trace && getenv("VM_MATCH_TRACE_SQL"))
        for (int j = 0; j < q->n; j++)
            output_printf(w->m->trace, "vendormatch: match:   $%d = %s\n", j + 1,
                          q->vals[j] ? q->vals[j] : "NULL");
    /* Near misses failing only the type, with services asked: the services
     * mostly decide the type, so these are often rare among the service's
     * vendors, which the planner cannot see; a short limit sends a crawl to
     * the rejected types' service indexes early, while a dense class still walks. */
    int ms = open == TYPE_CLASS && w->n->categories.len ? MATCH_WALK_RARE_TIMEOUT_MS
                                                        : MATCH_WALK_INDEX_TIMEOUT_MS;
    if (!t->fallback) {
        char state[6] = "";
        if ((rc = set_timeout(w->m, ms, err)) != 0)
            return rc;
        rc = exec_walk_chunk(w, t->name[1], q, res, state, err);
        if (rc == 0 || strcmp(state, "57014") != 0) /* 57014: query_canceled */
            return rc;
        vm_err_clear(err);
        t->fallback = true;
        w->rows->n_fallback++;
    }
    if ((rc = set_timeout(w->m, 0, err)) != 0 || (rc = tier_statement(w, t, open, false, err)))
        return rc;
    return exec_walk_chunk(w, t->name[0], q, res, NULL, err);
}

/* The classes still open at key k: the qualifying vendors, and the near
 * misses failing constraint c, while a vendor with a key at most k could
 * still enter their list (each near-miss class has its own bound, capped by
 * the constraint it fails). */
/* The least rating, confidence, price and capacity points (row_points_sql)
 * a row of class `failing` needs to reach kth_cents; -inf while the list
 * is not full. */
static double row_points_min(const struct need *n, double cov, int failing, long long kth)
{
    if (kth == LLONG_MIN)
        return -INFINITY;
    return (double)kth / 100.0 - MATCH_BOUND_SLACK - score_row_fixed_bound(n, cov, failing);
}

static unsigned classes_open(const struct walk *w, struct tier_walk *t, double k)
{
    unsigned open = 0, active = score_active_constraints(w->n) & ~(1u << CON_SERVICE);
    long long kth = score_topk_kth(w->best_main);
    if (!score_walk_done(w->n, k, t->cov, -1, kth))
        open |= OPEN_MAIN;
    t->floor[0] = score_walk_floor(w->n, t->cov, -1, kth);
    t->points[0] = row_points_min(w->n, t->cov, -1, kth);
    kth = score_topk_kth(w->best_near);
    for (int c = 0; w->near && c < CON_COUNT; c++) {
        if ((active & (1u << c)) && !score_walk_done(w->n, k, t->cov, c, kth))
            open |= 1u << c;
        t->floor[c + 1] = score_walk_floor(w->n, t->cov, c, kth);
        t->points[c + 1] = row_points_min(w->n, t->cov, c, kth);
    }
    return open;
}

static void trace_chunk(const struct walk *w, const struct tier_walk *t, unsigned open, int nt,
                        long limit, double ms, double ms_c)
{
    if (!w->m->trace)
        return;
    fprintf(w->m->trace,
            "vendormatch: match: tier %d, classes %s%#x, after key %s: %d of %ld rows, "
            "%.1f ms + %.1f ms scoring%s\n",
            (int)t->tier, open & OPEN_MAIN ? "main+" : "", open & ~OPEN_MAIN, t->key, nt, limit, ms,
            ms_c, t->fallback ? " (fallback)" : "");
}

/* The lowest key floor of the classes in open: the walk's end. */
static double lowest_floor(const struct tier_walk *t, unsigned open)
{
    double lo = 2.0;
    for (int c = -1; c < CON_COUNT; c++)
        if (class_open(open, c) && t->floor[c + 1] < lo)
            lo = t->floor[c + 1];
    return lo;
}

/* Test aid (VM_MATCH_TYPE_BITMAP set): the type class is read by the
 * bitmap whenever services are asked, first, as a large catalog reads it
 * when its near misses are rare; a small one hardly ever would. */
static bool type_bitmap_forced(const struct walk *w)
{
    return w->n->categories.len && getenv("VM_MATCH_TYPE_BITMAP");
}

/* Whether the type class, open at the walk's position, is better read by
 * the rejected types' service indexes than along the key index: rare among the
 * rows read, with many key index entries above its floor. */
static bool type_class_by_bitmap(const struct walk *w, const struct tier_walk *t)
{
    if (type_bitmap_forced(w))
        return true;
    if (!type_class_rare(w))
        return false;
    double pos = walk_position(t), floor = t->floor[CON_TYPE + 1];
    double n = key_range_rows(w->m, floor, pos);
    if (w->m->trace)
        fprintf(w->m->trace,
                "vendormatch: match: %zu of %zu rows read fail the type alone; "
                "about %.0f keys between %.3f and the type floor %.3f\n",
                w->seen_type, w->seen, n, pos, floor);
    return n > MATCH_WALK_WIDE_ROWS;
}

static int walk_classes(struct walk *w, struct tier_walk *t, const char *key, const char *id,
                        struct vm_err *err);

/* Reads the classes `which` alone after the walk t's position, until they
 * close (the type class by the bitmap of the rejected types' service keys,
 * the qualifying vendors along the key index), and takes them out of t's
 * walk, which goes on with the classes still open (*open) from its position,
 * in chunks starting small again. */
static int walk_apart(struct walk *w, struct tier_walk *t, unsigned which, unsigned *open,
                      struct vm_err *err)
{
    bool bitmap = which == TYPE_CLASS;
    struct tier_walk u = {.tier = t->tier, .cov = t->cov, .allowed = which, .fallback = bitmap};
    w->rows->n_fallback += bitmap;
    t->allowed &= ~which;
    int rc = walk_classes(w, &u, t->key, t->id, err);
    free(u.key);
    free(u.id);
    qbuild_free(&u.q);
    *open = classes_open(w, t, strtod(t->key, NULL)) & t->allowed;
    t->chunk = MATCH_WALK_FIRST_CHUNK;
    t->span = MATCH_WALK_FIRST_SPAN;
    return rc;
}

/* Whether the qualifying vendors are better read apart: their list is not
 * full yet (no floor bounds them) while the near misses' is, and few of the
 * rows read so far qualify. A chunk of them all would count the near misses
 * above their floors towards its LIMIT, then crawl on for qualifying rows
 * far past those that fill the list when these are sparse there; read
 * alone, the qualifying class stops as the table path does. Worth it only
 * when the near misses' own walk down to their floors is short (fewer than
 * MATCH_WALK_APART_ROWS key entries, the planner's estimate): the two walks
 * then read the same key span twice. */
static bool main_apart(struct walk *w, const struct tier_walk *t, unsigned open)
{
    if (!(open & OPEN_MAIN) || open == OPEN_MAIN || score_topk_kth(w->best_main) != LLONG_MIN ||
        score_topk_kth(w->best_near) == LLONG_MIN || w->seen_main * 2 >= w->seen)
        return false;
    double pos = walk_position(t), lo = lowest_floor(t, open & ~OPEN_MAIN);
    double n = key_range_rows(w->m, lo, pos);
    bool apart = n >= 0 && n < MATCH_WALK_APART_ROWS;
    if (w->m->trace)
        fprintf(w->m->trace,
                "vendormatch: match: %zu of %zu rows read qualify; "
                "about %.0f keys between %.3f and the near misses' floor %.3f: %s\n",
                w->seen_main, w->seen, n, pos, lo,
                apart ? "qualifying vendors read apart" : "read together");
    return apart;
}

/* Whether to settle now how the open type class is read (by the bitmap or
 * along the key index): when it is the last class open, or no qualifying
 * vendor is read along with it any more, before the chunks grow past
 * MATCH_WALK_DETACH_CHUNK rows or once more rows than that are read, and
 * once a chunk is read while it is the only near-miss class, its floor is
 * still none and the qualifying vendors' list is full: a chunk would then
 * run down the whole key index for it. */
static bool type_way_due(const struct walk *w, const struct tier_walk *t, unsigned open)
{
    if (!(open & TYPE_CLASS))
        return false;
    return open == TYPE_CLASS || !(open & OPEN_MAIN) || t->chunk > MATCH_WALK_DETACH_CHUNK ||
           w->seen > MATCH_WALK_DETACH_CHUNK || type_bitmap_forced(w) ||
           (w->seen >= MATCH_WALK_FIRST_CHUNK && (open & ~(OPEN_MAIN | TYPE_CLASS)) == 0 &&
            t->floor[CON_TYPE + 1] < 0 && t->floor[0] >= 0);
}

/*
 * Walks the allowed classes of one tier in descending (key, id) order
 * after (key, id), in growing chunks: one walk for both lists, each chunk
 * reading the rows of the classes still open (qualifying, near misses
 * failing constraint c), until none is; the chunk size starts over when
 * the classes change. The near misses failing only the type, when rare
 * (type_class_by_bitmap), are read apart: before the chunks grow past
 * MATCH_WALK_DETACH_CHUNK rows, or once more rows than that are read (a
 * chunk size starts over when a class closes), while other classes are open (their scores
 * then raise the near misses' k-th best score early, closing the other
 * classes sooner), and whenever they are the only class left.
 */
static int walk_classes(struct walk *w, struct tier_walk *t, const char *key, const char *id,
                        struct vm_err *err)
{
    unsigned open = classes_open(w, t, 2.0) & t->allowed;
    bool decided = t->fallback; /* whether the type class's way is settled */
    bool main_decided = false;  /* whether the qualifying vendors are read apart */
    int rc = 0;
    t->key = xstrdup(key);
    t->id = xstrdup(id);
    t->chunk = MATCH_WALK_FIRST_CHUNK;
    t->span = MATCH_WALK_FIRST_SPAN;
    while (open && rc == 0) {
        if (!decided && type_way_due(w, t, open)) {
            decided = true;
            if (open == TYPE_CLASS && type_class_by_bitmap(w, t)) {
                t->fallback = true;
                w->rows->n_fallback++;
            } else if (open != TYPE_CLASS && type_class_by_bitmap(w, t)) {
                if ((rc = walk_apart(w, t, TYPE_CLASS, &open, err)) != 0)
                    break;
                continue;
            }
        }
        if (!main_decided && (open & OPEN_MAIN) && score_topk_kth(w->best_near) != LLONG_MIN) {
            main_decided = true;
            if (main_apart(w, t, open)) {
                t->narrow = true; /* what is left lies above the near misses' floors */
                if ((rc = walk_apart(w, t, OPEN_MAIN, &open, err)) != 0)
                    break;
                continue;
            }
        }
        PGresult *res = NULL;
        long limit = chunk_limit(t, open);
        double t0 = match_db_clock_ms();
        rc = walk_chunk(w, t, open, &res, err);
        if (rc == 0) {
            int nt = PQntuples(res);
            unsigned was = open;
            double t1 = match_db_clock_ms();
            struct walk_cols cols;
            if ((rc = take_rows(w, res, t, open, &cols, err)) != 0) {
                PQclear(res);
                break;
            }
            trace_chunk(w, t, open, nt, limit, t1 - t0, match_db_clock_ms() - t1);
            if (type_keyed(t, was))
                t->empty_spans = nt ? 0 : t->empty_spans + 1;
            open = 0; /* the tier has no more rows of the open classes */
            bool spanned = nt < limit && t->span_lo > lowest_floor(t, was);
            if ((nt == limit || spanned) && !w->unsafe) {
                free(t->key);
                free(t->id);
                t->key = nt == limit ? xstrdup(PQgetvalue(res, nt - 1, cols.at[COL_KEY]))
                                     : xasprintf("%.17g", t->span_lo);
                t->id = nt == limit ? xstrdup(PQgetvalue(res, nt - 1, cols.at[COL_ID]))
                                    : xstrdup("9223372036854775807");
                open = classes_open(w, t, strtod(t->key, NULL)) & t->allowed;
            }
            t->chunk = open != was ? MATCH_WALK_FIRST_CHUNK
                       : t->chunk * MATCH_WALK_GROWTH > MATCH_WALK_MAX_CHUNK
                           ? MATCH_WALK_MAX_CHUNK
                           : t->chunk * MATCH_WALK_GROWTH;
            t->span = open != was ? MATCH_WALK_FIRST_SPAN : t->span * MATCH_WALK_GROWTH;
        }
        PQclear(res);
    }
    return rc;
}

static int walk_tier(struct walk *w, enum tier tier, struct vm_err *err)
{
    struct tier_walk t = {.tier = tier, .cov = tier_coverage(w->n, tier), .allowed = ~0u};
    int rc = walk_classes(w, &t, "Infinity", "0", err);
    free(t.key);
    free(t.id);
    qbuild_free(&t.q);
    return rc;
}

/* All tiers: vendors offering every requested service, then some. */
static int walk_tiers(struct walk *w, struct vm_err *err)
{
    if (w->n->categories.len < 2)
        return walk_tier(w, TIER_ANY, err);
    int rc = walk_tier(w, TIER_ALL, err);
    return rc ? rc : walk_tier(w, TIER_SOME, err);
}

static int fetch_all(struct match_db *m, struct match_rows *rows, struct vm_err *err)
{
    char *sql = xasprintf("SELECT %s, %s AS walk_key FROM vendors v", walk_columns, key_expr);
    struct need none;
    struct score_topk best;
    char name[32];
    need_init(&none);
    score_topk_init(&best, 0);
    struct walk w = {
        .m = m, .n = &none, .keep_all = true, .best_main = &best, .best_near = &best, .rows = rows};
    PGresult *res = NULL;
    int rc = set_timeout(m, 0, err);
    if (rc == 0)
        rc = statement_for(m, sql, 0, name, err);
    if (rc == 0) {
        struct qbuild q = {0};
        rc = exec_walk_chunk(&w, name, &q, &res, NULL, err);
    }
    struct walk_cols cols;
    if (rc == 0)
        rc = take_rows(&w, res, NULL, 0, &cols, err);
    PQclear(res);
    score_topk_free(&best);
    need_free(&none);
    free(sql);
    return rc;
}

int match_db_candidates(struct match_db *m, const struct need *n, bool near,
                        struct match_rows *rows, struct vm_err *err)
{
    struct score_topk best_main, best_near;
    int rc = session_start(m, err);
    if (rc || m->exhaustive)
        return rc ? rc : fetch_all(m, rows, err);
    score_topk_init(&best_main, (size_t)n->top);
    score_topk_init(&best_near, MATCH_NEAR_MISSES);
    struct walk w = {.m = m,
                     .n = n,
                     .near = near,
                     .best_main = &best_main,
                     .best_near = &best_near,
                     .rows = rows,
                     .service_ids = service_ids(m, &n->categories)};
    rc = walk_tiers(&w, err);
    if (rc == 0 && w.unsafe) { /* cannot happen with normalised data: decide over all */
        match_rows_free(rows);
        rc = fetch_all(m, rows, err);
    }
    score_topk_free(&best_main);
    score_topk_free(&best_near);
    free(w.service_ids);
    return rc;
}

static int cmp_id(const void *a, const void *b)
{
    const long long *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

/* The ids of the vendors an outcome shows, sorted, as a bigint[] literal. */
static size_t shown_ids(const struct match_outcome *out, long long **ids, struct sbuf *lit)
{
    size_t n = 0;
    *ids = xcalloc(out->n_results + out->n_near + 1, sizeof **ids);
    for (size_t i = 0; i < out->n_results; i++)
        (*ids)[n++] = out->results[i].v->id;
    for (size_t i = 0; i < out->n_near; i++)
        (*ids)[n++] = out->near[i].v->id;
    qsort(*ids, n, sizeof **ids, cmp_id);
    sbuf_puts(lit, "{");
    for (size_t i = 0; i < n; i++)
        sbuf_printf(lit, "%s%lld", i ? "," : "", (*ids)[i]);
    sbuf_puts(lit, "}");
    return n;
}

/* Copies each details row into every candidate row of its id: the result is
 * ordered by id, so one binary search per candidate. */
static int set_details(struct match_rows *rows, const PGresult *res, struct vm_err *err)
{
    static const char *const names[] = {"id", "website", "city", "email", "phone"};
    int nt = PQntuples(res), col[5];
    int rc = pgu_columns(res, "match: reading contact details", 5, names, col, err);
    if (rc)
        return rc;
    long long *ids = xcalloc((size_t)nt + 1, sizeof *ids);
    for (int r = 0; r < nt; r++)
        ids[r] = strtoll(PQgetvalue(res, r, col[0]), NULL, 10);
    for (size_t i = 0; i < rows->n; i++) {
        struct vendor_cand *v = &rows->cands[i];
        const long long *hit = bsearch(&v->id, ids, (size_t)nt, sizeof *ids, cmp_id);
        if (!hit || v->website || v->city || v->email || v->phone)
            continue;
        int r = (int)(hit - ids);
        v->website = opt_text(res, r, col[1]);
        v->city = opt_text(res, r, col[2]);
        v->email = opt_text(res, r, col[3]);
        v->phone = opt_text(res, r, col[4]);
    }
    free(ids);
    return 0;
}

int match_db_details(struct match_db *m, struct match_rows *rows, const struct match_outcome *out,
                     struct vm_err *err)
{
    long long *ids = NULL;
    struct sbuf lit;
    char name[32];
    PGresult *res = NULL;
    sbuf_init(&lit);
    size_t n = shown_ids(out, &ids, &lit);
    int rc = n ? set_timeout(m, 0, err) : 0;
    if (rc == 0 && n)
        rc = statement_for(m,
                           "SELECT id, COALESCE(website_host, website) AS website, city, "
                           "email, phone FROM vendors WHERE id = ANY($1::bigint[]) ORDER BY id",
                           1, name, err);
    if (rc == 0 && n) {
        const char *vals[1] = {lit.data};
        rc = pgu_exec_prepared(m->conn, "match: fetching contact details", name, 1, vals, &res,
                               NULL, err);
    }
    if (rc == 0 && res)
        rc = set_details(rows, res, err);
    PQclear(res);
    sbuf_free(&lit);
    free(ids);
    return rc;
}

/* One EXISTS test per term: its phrase for the caller, the SQL, its value. */
struct term_test {
    struct strlist what, sql, vals;
};

static void term_add(struct term_test *t, const char *kind, const char *shown, const char *fmt,
                     const char *value)
{
    strlist_push_owned(&t->what, xasprintf("%s '%s'", kind, shown));
    strlist_push_owned(&t->sql, xasprintf(fmt, t->vals.len + 1));
    strlist_push(&t->vals, value);
}

static void term_list(struct term_test *t, const char *kind, const char *fmt,
                      const struct strlist *l)
{
    for (size_t i = 0; i < l->len; i++)
        term_add(t, kind, l->items[i], fmt, l->items[i]);
}

static int run_term_tests(struct match_db *m, const struct term_test *t, struct strlist *out,
                          struct vm_err *err);

int match_db_absent_terms(struct match_db *m, const struct need *n, struct strlist *out,
                          struct vm_err *err)
{
    struct term_test t;
    strlist_init(&t.what);
    strlist_init(&t.sql);
    strlist_init(&t.vals);
    for (size_t i = 0; i < n->categories.len; i++) {
        struct strlist one;
        strlist_init(&one);
        strlist_push(&one, n->categories.items[i]);
        char *ids = service_ids(m, &one);
        term_add(&t, "service", n->categories.items[i], "services @> $%zu::int4[]", ids);
        free(ids);
        strlist_free(&one);
    }
    term_list(&t, "country", "country = $%zu::bpchar", &n->countries);
    term_list(&t, "language", "languages @> ARRAY[$%zu::text]", &n->languages);
    term_list(&t, "certification", "certifications @> ARRAY[$%zu::text]", &n->certifications);
    term_list(&t, "delivery model", "delivery @> ARRAY[$%zu::text]", &n->delivery);
    int rc = run_term_tests(m, &t, out, err);
    strlist_free(&t.what);
    strlist_free(&t.sql);
    strlist_free(&t.vals);
    return rc;
}

/* Runs the tests of t in one query; appends to out the `what` of each that
 * no vendor passes. */
static int run_term_tests(struct match_db *m, const struct term_test *t, struct strlist *out,
                          struct vm_err *err)
{
    const char *what = "match: checking the need's terms";
    struct sbuf sql;
    struct strlist names;
    PGresult *res = NULL;
    int rc = 0, *col = xcalloc(t->sql.len + 1, sizeof *col);
    sbuf_init(&sql);
    strlist_init(&names);
    sbuf_puts(&sql, "SELECT ");
    for (size_t i = 0; i < t->sql.len; i++) {
        strlist_push_owned(&names, xasprintf("term_%zu", i + 1));
        sbuf_printf(&sql, "%sEXISTS (SELECT 1 FROM vendors WHERE %s) AS %s", i ? ", " : "",
                    t->sql.items[i], names.items[i]);
    }
    if (t->sql.len)
        rc = pgu_exec(m->conn, what, sql.data, (int)t->vals.len, (const char *const *)t->vals.items,
                      &res, err);
    if (rc == 0 && res)
        rc = pgu_columns(res, what, (int)names.len, (const char *const *)names.items, col, err);
    for (size_t i = 0; rc == 0 && res && i < t->what.len; i++)
        if (PQgetvalue(res, 0, col[i])[0] != 't')
            strlist_push(out, t->what.items[i]);
    PQclear(res);
    sbuf_free(&sql);
    strlist_free(&names);
    free(col);
    return rc;
}

int match_db_absent_industries(struct match_db *m, const struct need *n, struct strlist *absent,
                               struct strlist *known, struct vm_err *err)
{
    static const char labels_sql[] =
        "SELECT DISTINCT i AS industry FROM vendors, unnest(industries) i ORDER BY 1";
    static const char *const names[] = {"industry"};
    const char *what = "match: reading the catalog's industries";
    struct term_test t;
    PGresult *res = NULL;
    int col = 0;
    strlist_init(&t.what);
    strlist_init(&t.sql);
    strlist_init(&t.vals);
    for (size_t i = 0; i < n->industries.len; i++) { /* `what` is the label itself */
        strlist_push(&t.what, n->industries.items[i]);
        strlist_push_owned(&t.sql, xasprintf("industries @> ARRAY[$%zu::text]", i + 1));
        strlist_push(&t.vals, n->industries.items[i]);
    }
    int rc = run_term_tests(m, &t, absent, err);
    if (rc == 0 && absent->len)
        rc = pgu_exec(m->conn, what, labels_sql, 0, NULL, &res, err);
    if (rc == 0 && res)
        rc = pgu_columns(res, what, 1, names, &col, err);
    for (int r = 0; rc == 0 && res && r < PQntuples(res); r++)
        strlist_push(known, PQgetvalue(res, r, col));
    PQclear(res);
    strlist_free(&t.what);
    strlist_free(&t.sql);
    strlist_free(&t.vals);
    return rc;
}

int match_db_cheapest_rates(PGconn *conn, struct score_cheapest_rates *out, struct vm_err *err)
{
    /* The currencies present, by a loose scan of the index (one probe each),
     * then each one's cheapest amount, the NULL currency (USD) last. That
     * one is written as the index's order: "currency IS NULL" does not fix
     * the leading column for ORDER BY as "= c" does, so min() over it was
     * planned as a scan of every vendor without a currency (1.7 s at
     * 1,000,000 vendors half of which state no rate). */
    static const char sql[] =
        "WITH RECURSIVE cur AS ("
        " (SELECT currency FROM vendors WHERE currency IS NOT NULL ORDER BY currency LIMIT 1)"
        " UNION ALL SELECT (SELECT v.currency FROM vendors v WHERE v.currency > cur.currency"
        "                   ORDER BY v.currency LIMIT 1)"
        "  FROM cur WHERE cur.currency IS NOT NULL)"
        " SELECT currency::text AS currency, (SELECT min(COALESCE(v.rate_min, v.rate_max))"
        "                        FROM vendors v WHERE v.currency = cur.currency) AS amount"
        "  FROM cur WHERE currency IS NOT NULL"
        " UNION ALL SELECT 'USD', (SELECT COALESCE(v.rate_min, v.rate_max) FROM vendors v"
        "                          WHERE v.currency IS NULL"
        "                            AND COALESCE(v.rate_min, v.rate_max) IS NOT NULL"
        "                          ORDER BY v.currency, COALESCE(v.rate_min, v.rate_max) LIMIT 1)";
    static const char *const names[] = {"currency", "amount"};
    PGresult *res = NULL;
    char *present = NULL;
    int col[2];
    score_cheapest_rates_free(out);
    out->known = false;
    int rc = pgu_query_value(conn, "match: looking for the cheapest-rate index",
                             "SELECT to_regclass('vendors_cheapest_rate_idx') IS NOT NULL", 0, NULL,
                             &present, err);
    if (rc == 0 && present && strcmp(present, "t") == 0)
        rc = pgu_exec(conn, "match: reading the cheapest rates", sql, 0, NULL, &res, err);
    if (rc == 0 && res)
        rc = pgu_columns(res, "match: reading the cheapest rates", 2, names, col, err);
    for (int i = 0; rc == 0 && res && i < PQntuples(res); i++) {
        if (PQgetisnull(res, i, col[1]))
            continue;
        out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
        snprintf(out->items[out->n].currency, sizeof out->items[out->n].currency, "%s",
                 PQgetvalue(res, i, col[0]));
        out->items[out->n++].amount = strtod(PQgetvalue(res, i, col[1]), NULL);
    }
    out->known = rc == 0 && res;
    PQclear(res);
    free(present);
    return rc;
}

int match_db_catalog(PGconn *conn, json_t **out, struct vm_err *err)
{
    static const char sql[] =
        "SELECT b.id AS batch_id, b.file_name AS file, s.name AS source, b.file_sha256 AS sha256, "
        "to_char(COALESCE(b.finished_at, b.started_at) AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS imported_at "
        "FROM import_batches b JOIN sources s ON s.id = b.source_id ORDER BY b.id";
    /* The document's keys are the columns' names. */
    static const char *const names[] = {"batch_id", "file", "source", "sha256", "imported_at"};
    PGresult *res = NULL;
    int col[5];
    int rc = pgu_exec(conn, "match: reading import batches", sql, 0, NULL, &res, err);
    if (rc == 0)
        rc = pgu_columns(res, "match: reading import batches", 5, names, col, err);
    *out = json_array();
    for (int r = 0; rc == 0 && r < PQntuples(res); r++) {
        json_t *b = json_object();
        json_object_set_new(b, names[0],
                            json_integer(strtoll(PQgetvalue(res, r, col[0]), NULL, 10)));
        for (int k = 1; k < 5; k++)
            json_object_set_new(b, names[k], json_string_or_null(PQgetvalue(res, r, col[k])));
        json_array_append_new(*out, b);
    }
    PQclear(res);
    return rc;
}
