/*
 * vendor_db: the read side of the catalog. Each query's columns are
 * described once by a table of (JSON key, kind) so a row turns into a JSON
 * object by one loop; arrays and jsonb come back as JSON text from the
 * server (array_to_json) and are parsed, never hand-split. The stored
 * evidence is compact text, decoded here (evidence_decode) with the vendor's
 * service phrases and the taxonomy's categories.
 */
#include "db/vendor_db.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classify.h"
#include "db/pgutil.h"
#include "db/taxonomy_db.h"
#include "db/vendor_cols.h"

enum col_kind { COL_TEXT, COL_INT, COL_REAL, COL_BOOL, COL_JSON };

struct col_spec {
    const char *key;
    enum col_kind kind;
};

static json_t *cell_json(const PGresult *r, int row, int col, enum col_kind kind)
{
    if (PQgetisnull(r, row, col))
        return json_null();
    const char *v = PQgetvalue(r, row, col);
    switch (kind) {
    case COL_TEXT: {
        json_t *s = json_string(v);
        return s ? s : json_null();
    }
    case COL_INT:
        return json_integer(strtoll(v, NULL, 10));
    case COL_REAL:
        return json_real(strtod(v, NULL));
    case COL_BOOL:
        return json_boolean(v[0] == 't');
    case COL_JSON: {
        json_t *j = json_loads(v, JSON_DECODE_ANY, NULL);
        return j ? j : json_null();
    }
    }
    return json_null();
}

/* The column of each spec, looked up once per result: every query names
 * its columns as the specs' keys (a missing one is an error naming it). */
static int spec_columns(const PGresult *r, const char *what, const struct col_spec *specs, size_t n,
                        int *col, struct vm_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = pgu_columns(r, what, 1, &specs[i].key, &col[i], err);
    return rc;
}

/* Adds the cells of row `row` to o, spec i's from column col[i]. */
static void row_json_add(json_t *o, const PGresult *r, int row, const struct col_spec *specs,
                         const int *col, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, specs[i].key, cell_json(r, row, col[i], specs[i].kind));
}

/* vendors.services holds category ids (0006); shown as their codes, in order. */
#define SERVICE_CODES_JSON                                                                         \
    "(SELECT coalesce(json_agg(tc.code ORDER BY u.n), '[]') FROM unnest(v.services)"               \
    "   WITH ORDINALITY AS u(id, n) JOIN taxonomy_categories tc ON tc.id = u.id)"

/* Each column is named as its JSON key (vendor_specs), and read by that name. */
#define VENDOR_COLUMNS                                                                             \
    "v.id, v.name, v.website_host AS website, v.country, v.city,"                                  \
    " v.effective_type AS process_type, v.confidence, v.manual_type IS NOT NULL AS "               \
    "tag_manual, " SERVICE_CODES_JSON " AS services, array_to_json(v.industries) AS industries,"   \
    " array_to_json(v.languages) AS languages, array_to_json(v.certifications) AS certifications," \
    " v.employees_min, v.employees_max, v.rate_min, v.rate_max, v.currency, v.rating, v.founded,"  \
    " (SELECT s.name FROM vendor_sources vs JOIN sources s ON s.id = vs.source_id"                 \
    "   WHERE vs.vendor_id = v.id ORDER BY vs.first_batch_id, s.name LIMIT 1) AS source,"          \
    " (SELECT coalesce(json_agg(s.name ORDER BY vs.first_batch_id, s.name), '[]')"                 \
    "   FROM vendor_sources vs JOIN sources s ON s.id = vs.source_id WHERE vs.vendor_id = v.id)"   \
    "   AS sources,"                                                                               \
    " v.extra"

static const struct col_spec vendor_specs[] = {
    {"id", COL_INT},
    {"name", COL_TEXT},
    {"website", COL_TEXT},
    {"country", COL_TEXT},
    {"city", COL_TEXT},
    {"process_type", COL_TEXT},
    {"confidence", COL_REAL},
    {"tag_manual", COL_BOOL},
    {"services", COL_JSON},
    {"industries", COL_JSON},
    {"languages", COL_JSON},
    {"certifications", COL_JSON},
    {"employees_min", COL_INT},
    {"employees_max", COL_INT},
    {"rate_min", COL_REAL},
    {"rate_max", COL_REAL},
    {"currency", COL_TEXT},
    {"rating", COL_REAL},
    {"founded", COL_INT},
    {"source", COL_TEXT},
    {"sources", COL_JSON},
    {"extra", COL_JSON},
};
#define N_VENDOR_SPECS (sizeof vendor_specs / sizeof vendor_specs[0])

/* Runs a list query (VENDOR_COLUMNS, then extra columns described by
 * extra_specs) and appends one object per row to *out, a new array. */
static int list_query(PGconn *c, const char *what, const char *sql, int nparams,
                      const char *const *params, const struct col_spec *extra_specs, size_t n_extra,
                      json_t **out, struct vm_err *err)
{
    PGresult *r = NULL;
    int col[N_VENDOR_SPECS], extra_col[4];
    int rc = pgu_exec(c, what, sql, nparams, params, &r, err);
    if (rc == 0)
        rc = spec_columns(r, what, vendor_specs, N_VENDOR_SPECS, col, err);
    if (rc == 0)
        rc = spec_columns(r, what, extra_specs, n_extra, extra_col, err);
    if (rc) {
        PQclear(r);
        return rc;
    }
    *out = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *o = json_object();
        row_json_add(o, r, i, vendor_specs, col, N_VENDOR_SPECS);
        row_json_add(o, r, i, extra_specs, extra_col, n_extra);
        json_array_append_new(*out, o);
    }
    PQclear(r);
    return 0;
}

static const char list_sql[] =
    "SELECT " VENDOR_COLUMNS " FROM vendors v"
    " WHERE ($1::text IS NULL OR v.effective_type = $1)"
    "   AND ($2::int4 IS NULL OR v.services @> ARRAY[$2::int4])"
    "   AND ($3::text IS NULL OR v.country = $3)"
    "   AND ($4::text IS NULL OR v.industries @> ARRAY[$4::text])"
    "   AND ($5::text IS NULL OR v.certifications @> ARRAY[$5::text])"
    "   AND ($6::text IS NULL OR v.languages @> ARRAY[$6::text])"
    "   AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM vendor_sources vs"
    "        JOIN sources s ON s.id = vs.source_id WHERE vs.vendor_id = v.id AND s.name = $7))"
    "%s ORDER BY v.name, v.id LIMIT $8::bigint";

/* --conflicts: vendors whose sources disagree on a single-valued field. */
static const char conflicts_sql[] =
    "   AND v.id IN (SELECT r.vendor_id FROM vendor_sources r"
    "     WHERE r.vendor_id IN (SELECT vendor_id FROM vendor_sources"
    "       GROUP BY vendor_id HAVING count(content_hash) > 1)"
    "     GROUP BY r.vendor_id HAVING %s)";

int vendor_db_list(PGconn *c, const struct vendor_filter *f, json_t **out, struct vm_err *err)
{
    char limit[32];
    const char *params[8] = {f->process_type,  f->service_id, f->country, f->industry,
                             f->certification, f->language,   f->source,  NULL};
    if (f->limit > 0) {
        snprintf(limit, sizeof limit, "%ld", f->limit);
        params[7] = limit;
    }
    char *having = f->conflicts ? vcols_conflict_having() : NULL;
    char *cond = having ? xasprintf(conflicts_sql, having) : NULL;
    char *sql = xasprintf(list_sql, cond ? cond : "");
    int rc = list_query(c, "listing vendors", sql, 8, params, NULL, 0, out, err);
    free(sql);
    free(cond);
    free(having);
    return rc;
}

/* Named as show_specs' keys, like VENDOR_COLUMNS. */
static const char show_sql[] =
    "SELECT " VENDOR_COLUMNS ","
    " v.website AS website_raw, v.country_raw, v.services_raw,"
    " array_to_json(v.service_phrases) AS service_phrases, v.industries_raw, v.languages_raw,"
    " v.certifications_raw, v.employees_raw, v.founded_raw, v.rate_raw, v.rating_raw,"
    " v.delivery_raw, array_to_json(v.delivery) AS delivery, v.email, v.phone, v.description,"
    " v.expertise, v.data_security, v.computed_type, v.tag_evidence AS evidence,"
    " array_to_json(v.unknown_phrases) AS unknown_phrases, v.manual_type, v.manual_reason,"
    " to_char(v.manual_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS manual_at,"
    " to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,"
    " to_char(v.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS updated_at,"
    " (SELECT coalesce(json_agg(json_build_object('source', s.name, 'source_row_id',"
    "   r.source_row_id, 'first_batch_id', r.first_batch_id, 'last_batch_id',"
    "   r.last_batch_id, 'priority', s.priority, 'fields', '[]'::json)"
    "   ORDER BY " VCOLS_SOURCE_ORDER "), '[]')"
    "   FROM vendor_sources r JOIN sources s ON s.id = r.source_id WHERE r.vendor_id = v.id)"
    "   AS provenance"
    " FROM vendors v WHERE v.id = $1::bigint";

static const struct col_spec show_specs[] = {
    {"website_raw", COL_TEXT},        {"country_raw", COL_TEXT},    {"services_raw", COL_TEXT},
    {"service_phrases", COL_JSON},    {"industries_raw", COL_TEXT}, {"languages_raw", COL_TEXT},
    {"certifications_raw", COL_TEXT}, {"employees_raw", COL_TEXT},  {"founded_raw", COL_TEXT},
    {"rate_raw", COL_TEXT},           {"rating_raw", COL_TEXT},     {"delivery_raw", COL_TEXT},
    {"delivery", COL_JSON},           {"email", COL_TEXT},          {"phone", COL_TEXT},
    {"description", COL_TEXT},        {"expertise", COL_TEXT},      {"data_security", COL_TEXT},
    {"computed_type", COL_TEXT},      {"evidence", COL_JSON},       {"unknown_phrases", COL_JSON},
    {"manual_type", COL_TEXT},        {"manual_reason", COL_TEXT},  {"manual_at", COL_TEXT},
    {"created_at", COL_TEXT},         {"updated_at", COL_TEXT},     {"provenance", COL_JSON},
};

/* Sets o's "evidence" to the decoded stored text (o's "service_phrases" set). */
static int show_evidence(PGconn *c, const char *stored, json_t *o, struct vm_err *err)
{
    struct evidence_categories cats = {0};
    struct strlist phrases;
    strlist_init(&phrases);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(o, "service_phrases"), i, p)
        strlist_push(&phrases, json_is_string(p) ? json_string_value(p) : "");
    int rc = taxonomy_db_evidence_categories(c, &cats, err);
    json_t *ev = rc ? NULL : evidence_decode(stored, &phrases, &cats, err);
    if (!rc && !ev)
        rc = VM_EXIT_FAILURE;
    if (ev)
        json_object_set_new(o, "evidence", ev);
    evidence_categories_free(&cats);
    strlist_free(&phrases);
    return rc;
}

/* Per field of vendor_cols.h: each record that has it, best first (rk). */
static char *field_rows_sql(void)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_puts(
        &b, "WITH r AS (SELECT r.*, s.name AS src, row_number() OVER (ORDER BY " VCOLS_SOURCE_ORDER
            ") AS rk FROM vendor_sources r"
            " JOIN sources s ON s.id = r.source_id WHERE r.vendor_id = $1::bigint)"
            " SELECT f, src, display, cmp FROM (");
    for (size_t i = 0; i < n_vfields; i++)
        sbuf_printf(&b,
                    "%sSELECT %zu AS f, r.src, (%s)::text AS display, (%s)::text AS cmp, r.rk"
                    " FROM r WHERE r.%s IS NOT NULL",
                    i ? " UNION ALL " : "", i, vfields[i].display,
                    vfields[i].cmp ? vfields[i].cmp : "NULL", vfields[i].key);
    sbuf_puts(&b, ") x ORDER BY f, rk");
    return sbuf_detach(&b);
}

static json_t *provenance_entry(json_t *prov, const char *src)
{
    size_t i;
    json_t *e;
    json_array_foreach(prov, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "source")), src) == 0)
            return e;
    }
    return NULL;
}

/* Fills each provenance entry's "fields" (the scalar values it gave the
 * merged row, the lists it added to) and o's "conflicts": the scalar
 * fields whose sources disagree, every source's value, the chosen one
 * first. */
static int show_provenance(PGconn *c, const char *idbuf, json_t *o, struct vm_err *err)
{
    char *sql = field_rows_sql();
    const char *params[1] = {idbuf};
    PGresult *r = NULL;
    int rc = pgu_exec(c, "reading the vendor's provenance", sql, 1, params, &r, err);
    free(sql);
    static const char *const names[] = {"f", "src", "display", "cmp"};
    int col[4];
    if (rc == 0)
        rc = pgu_columns(r, "reading the vendor's provenance", 4, names, col, err);
    if (rc) {
        PQclear(r);
        return rc;
    }
    int i_f = col[0], i_src = col[1], i_display = col[2], i_cmp = col[3];
    json_t *prov = json_object_get(o, "provenance"), *conflicts = json_array();
    int n = PQntuples(r);
    for (int i = 0; i < n;) {
        size_t f = (size_t)atol(PQgetvalue(r, i, i_f));
        int end = i;
        while (end < n && (size_t)atol(PQgetvalue(r, end, i_f)) == f)
            end++;
        json_t *values = json_array();
        bool differ = false;
        for (int k = i; k < end; k++) {
            json_t *e = provenance_entry(prov, PQgetvalue(r, k, i_src));
            if (e && (vfields[f].list || k == i))
                json_array_append_new(json_object_get(e, "fields"), json_string(vfields[f].label));
            if (vfields[f].list)
                continue;
            differ = differ || strcmp(PQgetvalue(r, k, i_cmp), PQgetvalue(r, i, i_cmp)) != 0;
            json_array_append_new(values, json_pack("{s:s, s:s?, s:b}", "source",
                                                    PQgetvalue(r, k, i_src), "value",
                                                    PQgetvalue(r, k, i_display), "chosen", k == i));
        }
        if (differ)
            json_array_append_new(
                conflicts, json_pack("{s:s, s:o}", "field", vfields[f].label, "values", values));
        else
            json_decref(values);
        i = end;
    }
    PQclear(r);
    json_object_set_new(o, "conflicts", conflicts);
    return 0;
}

int vendor_db_show(PGconn *c, long long id, json_t **out, struct vm_err *err)
{
    enum { N_SHOW_SPECS = sizeof show_specs / sizeof show_specs[0] };
    char idbuf[32];
    const char *params[1] = {idbuf};
    PGresult *r = NULL;
    int col[N_VENDOR_SPECS], show_col[N_SHOW_SPECS];
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    *out = NULL;
    int rc = pgu_exec(c, "reading the vendor", show_sql, 1, params, &r, err);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return vm_err_set(err, VM_EXIT_FAILURE,
                          "no vendor with id %lld (see `vendormatch vendors list`)", id);
    }
    static const char *const evidence_name[] = {"evidence"};
    int evidence_col;
    rc = spec_columns(r, "reading the vendor", vendor_specs, N_VENDOR_SPECS, col, err);
    if (rc == 0)
        rc = spec_columns(r, "reading the vendor", show_specs, N_SHOW_SPECS, show_col, err);
    if (rc == 0)
        rc = pgu_columns(r, "reading the vendor", 1, evidence_name, &evidence_col, err);
    if (rc) {
        PQclear(r);
        return rc;
    }
    json_t *o = json_object();
    row_json_add(o, r, 0, vendor_specs, col, N_VENDOR_SPECS);
    row_json_add(o, r, 0, show_specs, show_col, N_SHOW_SPECS);
    /* the evidence is stored compact: decoded by show_evidence */
    rc = show_evidence(c, PQgetvalue(r, 0, evidence_col), o, err);
    PQclear(r);
    if (rc == 0)
        rc = show_provenance(c, idbuf, o, err);
    if (rc)
        json_decref(o);
    *out = rc ? NULL : o;
    return rc;
}

/* pg_trgm may live in any schema (ours, or public when another application
 * created it first), so its operator and function are named with the
 * schema the server reports, quoted by the server. */
static int trgm_schema(PGconn *c, char *out, size_t size, struct vm_err *err)
{
    char *v = NULL;
    int rc = pgu_query_value(c, "finding pg_trgm",
                             "SELECT quote_ident(n.nspname) FROM pg_extension e"
                             " JOIN pg_namespace n ON n.oid = e.extnamespace"
                             " WHERE e.extname = 'pg_trgm'",
                             0, NULL, &v, err);
    if (rc == 0 && !v)
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "vendors search needs the pg_trgm extension: run `vendormatch migrate`");
    else if (rc == 0)
        snprintf(out, size, "%s", v);
    free(v);
    return rc;
}

/* One value of sql's single row into out ("" when NULL or no row). */
static int query_value(PGconn *c, const char *what, const char *sql, char *out, size_t size,
                       struct vm_err *err)
{
    char *v = NULL;
    int rc = pgu_query_value(c, what, sql, 0, NULL, &v, err);
    snprintf(out, size, "%s", v ? v : "");
    free(v);
    return rc;
}

/* Runs a statement of the index build; on failure *state gets its SQLSTATE
 * and err the message. */
static int build_step(PGconn *c, const char *sql, char state[6], struct vm_err *err)
{
    return pgu_exec_sqlstate(c, "building the name search index", sql, state, err);
}

static const char search_index_exists_sql[] =
    "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid"
    " WHERE i.indrelid = 'vendors'::regclass AND x.relname = '" VENDOR_SEARCH_INDEX "')";

/*
 * Builds VENDOR_SEARCH_INDEX when it is missing (see vendor_db.h). The build
 * runs in its own short transaction, so it holds nothing after: the
 * advisory lock first (a second search waits there, then finds the index),
 * then CREATE INDEX's SHARE lock on vendors, which waits for a running
 * import and holds the next one back until built; an import never waits for
 * the advisory lock, so the two cannot deadlock. Readers are not blocked.
 */
static int ensure_search_index(PGconn *c, const char *schema, FILE *note, struct vm_err *err)
{
    char v[32], state[6] = "";
    static const char looking[] = "looking for the name search index";
    int rc = query_value(c, looking, search_index_exists_sql, v, sizeof v, err);
    if (rc)
        return rc;
    if (strcmp(v, "t") == 0)
        return 0;
    char *create = xasprintf("CREATE INDEX IF NOT EXISTS " VENDOR_SEARCH_INDEX
                             " ON vendors USING gin (name_key %s.gin_trgm_ops)",
                             schema);
    rc = pgu_begin(c, "building the name search index", err);
    if (rc == 0)
        rc = build_step(c, "SELECT pg_advisory_xact_lock(" VENDOR_SEARCH_INDEX_LOCK_KEY ")", state,
                        err);
    if (rc == 0)
        rc = query_value(c, looking, search_index_exists_sql, v, sizeof v, err);
    bool missing = rc == 0 && strcmp(v, "f") == 0;
    struct vm_err count_err;
    if (missing && note &&
        query_value(c, "counting vendors", "SELECT count(*) FROM vendors", v, sizeof v,
                    &count_err) == 0 &&
        atoll(v) > VENDOR_SEARCH_INDEX_NOTE_MIN) {
        fprintf(note, "building the name search index once (%s vendors)...\n", v);
        fflush(note);
    }
    if (missing)
        rc = build_step(c, "SET LOCAL maintenance_work_mem = '256MB'", state, err);
    if (missing && rc == 0)
        rc = build_step(c, create, state, err);
    free(create);
    if (rc == 0)
        return pgu_commit(c, "building the name search index", err);
    pgu_rollback(c);
    /* Another build won a race the lock did not cover (the index name is
     * taken): the index is there. */
    if (strcmp(state, "42P07") == 0 || strcmp(state, "23505") == 0) {
        vm_err_clear(err);
        return 0;
    }
    /* A role that does not own vendors, or a read-only transaction or server. */
    if (strcmp(state, "42501") == 0 || strcmp(state, "25006") == 0) {
        if (note)
            fprintf(note, "note: the name search index is missing and this connection may"
                          " not build it (that needs the catalog's owner and a writable"
                          " database); searching without it, which is slower\n");
        vm_err_clear(err);
        return 0;
    }
    return rc;
}

int vendor_db_search(PGconn *c, const char *key, const char *host, long limit, FILE *note,
                     json_t **out, struct vm_err *err)
{
    static const struct col_spec sim_spec[] = {{"similarity", COL_REAL}};
    char schema[256], limit_text[32];
    const char *params[3] = {key, NULL, host};
    int rc = trgm_schema(c, schema, sizeof schema, err);
    if (rc || (rc = ensure_search_index(c, schema, note, err)))
        return rc;
    rc = pgu_exec(
        c, "setting the search threshold",
        "SELECT set_config('pg_trgm.word_similarity_threshold', '" VENDOR_SEARCH_MIN_SIMILARITY
        "', false)",
        0, NULL, NULL, err);
    if (rc)
        return rc;
    if (limit > 0) {
        snprintf(limit_text, sizeof limit_text, "%ld", limit);
        params[1] = limit_text;
    }
    /* The best ids first (trigram index on name_key, btree on website_host),
     * then the list's columns for those few only. */
    char *sql = xasprintf(
        "SELECT " VENDOR_COLUMNS ", m.sim AS similarity FROM (SELECT v.id, v.name,"
        " CASE WHEN v.website_host = $3 THEN 1"
        " ELSE round(%s.word_similarity($1, v.name_key)::numeric, 3) END AS sim"
        " FROM vendors v WHERE $1 OPERATOR(%s.<%%) v.name_key OR v.website_host = $3"
        " ORDER BY sim DESC, v.name, v.id LIMIT $2::bigint) m JOIN vendors v ON v.id = m.id"
        " ORDER BY m.sim DESC, m.name, m.id",
        schema, schema);
    rc = list_query(c, "searching vendors", sql, 3, params, sim_spec, 1, out, err);
    free(sql);
    return rc;
}

int vendor_db_find_by_name(PGconn *c, const char *key, json_t **out, struct vm_err *err)
{
    static const char sql[] =
        "SELECT " VENDOR_COLUMNS " FROM vendors v WHERE v.name_key = $1 ORDER BY v.id";
    const char *params[1] = {key};
    return list_query(c, "finding the vendor by name", sql, 1, params, NULL, 0, out, err);
}

/* Runs a query whose single row and column is JSON text, parsed into *out. */
static int json_query(PGconn *c, const char *sql, const char *param, json_t **out,
                      struct vm_err *err)
{
    const char *params[1] = {param};
    PGresult *r = NULL;
    int rc = pgu_exec(c, "computing catalog statistics", sql, param ? 1 : 0, params, &r, err);
    if (rc == 0 && PQntuples(r) != 1)
        rc = vm_err_set(err, VM_EXIT_FAILURE, "computing catalog statistics: no result");
    if (rc == 0)
        *out = cell_json(r, 0, 0, COL_JSON);
    PQclear(r);
    return rc;
}

static const char stats_sql[] =
    "SELECT json_build_object("
    " 'total', (SELECT count(*) FROM vendors),"
    " 'by_type', (SELECT json_build_object("
    "     'BPO', count(*) FILTER (WHERE effective_type = 'BPO'),"
    "     'KPO', count(*) FILTER (WHERE effective_type = 'KPO'),"
    "     'HYBRID', count(*) FILTER (WHERE effective_type = 'HYBRID'),"
    "     'UNCLASSIFIED', count(*) FILTER (WHERE effective_type = 'UNCLASSIFIED')) FROM vendors),"
    " 'by_country', (SELECT coalesce(json_agg(json_build_object('country', country, 'count', n)"
    "     ORDER BY n DESC, country), '[]') FROM (SELECT coalesce(country, '--') AS country,"
    "     count(*) AS n FROM vendors GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $1::int) t),"
    " 'by_service', (SELECT coalesce(json_agg(json_build_object('service', t.code, 'name',"
    "     coalesce(t.name, t.code), 'process_type', t.process_type, 'count', t.n)"
    "     ORDER BY t.n DESC, t.code), '[]') FROM (SELECT coalesce(tc.code, g.id::text) AS code,"
    "     tc.name, tc.process_type, g.n FROM (SELECT u.id, count(*) AS n FROM vendors,"
    "     unnest(services) AS u(id) GROUP BY 1) g LEFT JOIN taxonomy_categories tc ON tc.id = g.id"
    "     ORDER BY g.n DESC, 1 LIMIT $1::int) t),"
    " 'sources', (SELECT coalesce(json_agg(json_build_object('source', s.name, 'vendors',"
    "     (SELECT count(*) FROM vendor_sources vs WHERE vs.source_id = s.id),"
    "     'batches', (SELECT count(*) FROM import_batches b WHERE b.source_id = s.id),"
    "     'last_import', (SELECT to_char(max(b.finished_at) AT TIME ZONE 'UTC',"
    "        'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM import_batches b WHERE b.source_id = s.id))"
    "     ORDER BY s.name), '[]') FROM sources s),"
    " 'generated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))";

int vendor_db_stats(PGconn *c, int top, json_t **out, struct vm_err *err)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", top > 0 ? top : 20);
    return json_query(c, stats_sql, buf, out, err);
}
