/*
 * vendor_cols: one table of the importer's vendor columns with their merge
 * rule, and the SQL derived from it (see vendor_cols.h).
 */
#include "db/vendor_cols.h"

#include <stdlib.h>

#include "core/util.h"

const struct vcol vcols[] = {
    {"name", "text", VCOL_SCALAR, "name"},
    {"name_key", "text", VCOL_SCALAR, "name"},
    {"website", "text", VCOL_SCALAR, "website"},
    {"website_host", "text", VCOL_SCALAR, "website"},
    {"country", "char(2)", VCOL_SCALAR, "country_raw"},
    {"country_raw", "text", VCOL_SCALAR, "country_raw"},
    {"city", "text", VCOL_SCALAR, "city"},
    {"services_raw", "text", VCOL_LIST_RAW, NULL},
    {"services", "int4[]", VCOL_TAG, NULL},
    {"service_phrases", "text[]", VCOL_LIST, NULL},
    {"industries_raw", "text", VCOL_LIST_RAW, NULL},
    {"industries", "text[]", VCOL_LIST, NULL},
    {"languages_raw", "text", VCOL_LIST_RAW, NULL},
    {"languages", "text[]", VCOL_LIST, NULL},
    {"certifications_raw", "text", VCOL_LIST_RAW, NULL},
    {"certifications", "text[]", VCOL_LIST, NULL},
    {"employees_raw", "text", VCOL_SCALAR, "employees_raw"},
    {"employees_min", "integer", VCOL_SCALAR, "employees_raw"},
    {"employees_max", "integer", VCOL_SCALAR, "employees_raw"},
    {"founded_raw", "text", VCOL_SCALAR, "founded_raw"},
    {"founded", "integer", VCOL_SCALAR, "founded_raw"},
    {"rate_raw", "text", VCOL_SCALAR, "rate_raw"},
    {"rate_min", "numeric(12,2)", VCOL_SCALAR, "rate_raw"},
    {"rate_max", "numeric(12,2)", VCOL_SCALAR, "rate_raw"},
    {"currency", "char(3)", VCOL_SCALAR, "rate_raw"},
    {"rating_raw", "text", VCOL_SCALAR, "rating_raw"},
    {"rating", "numeric(4,2)", VCOL_SCALAR, "rating_raw"},
    {"delivery_raw", "text", VCOL_LIST_RAW, NULL},
    {"delivery", "text[]", VCOL_LIST, NULL},
    {"email", "text", VCOL_SCALAR, "email"},
    {"phone", "text", VCOL_SCALAR, "phone"},
    {"description", "text", VCOL_SCALAR, "description"},
    {"expertise", "text", VCOL_SCALAR, "expertise"},
    {"data_security", "text", VCOL_SCALAR, "data_security"},
    {"extra", "jsonb", VCOL_EXTRA, NULL},
    {"content_hash", "text", VCOL_HASH, NULL},
    {"computed_type", "text", VCOL_TAG, NULL},
    {"confidence", "real", VCOL_TAG, NULL},
    {"tag_evidence", "text", VCOL_TAG, NULL},
    {"unknown_phrases", "text[]", VCOL_TAG, NULL},
};
const size_t n_vcols = sizeof vcols / sizeof *vcols;

const struct vfield vfields[] = {
    {"name", "name", "r.name", "r.name_key", false},
    {"website", "website", "r.website", "coalesce(r.website_host, r.website)", false},
    {"country", "country_raw", "r.country_raw", "coalesce(r.country, r.country_raw)", false},
    {"city", "city", "r.city", "lower(r.city)", false},
    {"employees", "employees_raw", "r.employees_raw",
     "coalesce(r.employees_min || '-' || coalesce(r.employees_max::text, ''), r.employees_raw)",
     false},
    {"founded", "founded_raw", "r.founded_raw", "coalesce(r.founded::text, r.founded_raw)", false},
    {"rate", "rate_raw", "r.rate_raw",
     "coalesce(coalesce(r.rate_min::text, '') || '-' || coalesce(r.rate_max::text, '') || ' '"
     " || coalesce(r.currency, ''), r.rate_raw)",
     false},
    {"rating", "rating_raw", "r.rating_raw", "coalesce(r.rating::text, r.rating_raw)", false},
    {"email", "email", "r.email", "lower(r.email)", false},
    {"phone", "phone", "r.phone", "r.phone", false},
    {"description", "description", "r.description", "r.description", false},
    {"expertise", "expertise", "r.expertise", "r.expertise", false},
    {"data_security", "data_security", "r.data_security", "r.data_security", false},
    {"services", "services_raw", "r.services_raw", NULL, true},
    {"industries", "industries_raw", "r.industries_raw", NULL, true},
    {"languages", "languages_raw", "r.languages_raw", NULL, true},
    {"certifications", "certifications_raw", "r.certifications_raw", NULL, true},
    {"delivery", "delivery_raw", "r.delivery_raw", NULL, true},
};
const size_t n_vfields = sizeof vfields / sizeof *vfields;

char *vcols_list(const char *prefix, bool with_types, bool records_only)
{
    struct sbuf b;
    sbuf_init(&b);
    bool first = true;
    for (size_t i = 0; i < n_vcols; i++) {
        if (records_only && vcols[i].rule == VCOL_TAG)
            continue;
        sbuf_printf(&b, "%s%s%s%s%s", first ? "" : ", ", prefix, vcols[i].name,
                    with_types ? " " : "", with_types ? vcols[i].type : "");
        first = false;
    }
    return sbuf_detach(&b);
}

/* "x, y, z" over the record columns (not the VCOL_TAG ones), each as emit
 * writes it, named after its column when named. */
static char *record_columns(void (*emit)(struct sbuf *, const struct vcol *, const char *),
                            const char *arg, bool named)
{
    struct sbuf b;
    sbuf_init(&b);
    bool first = true;
    for (size_t i = 0; i < n_vcols; i++) {
        const struct vcol *c = &vcols[i];
        if (c->rule == VCOL_TAG)
            continue;
        sbuf_puts(&b, first ? "" : ", ");
        first = false;
        emit(&b, c, arg);
        if (named)
            sbuf_printf(&b, " AS %s", c->name);
    }
    return sbuf_detach(&b);
}

/* The merged value of column c over the rows r of one group, which reach
 * the aggregates best first (vcols_merge_select sorts them): no aggregate
 * sorts its own input but the two that need another order. */
static void emit_merged(struct sbuf *b, const struct vcol *c, const char *hash_order)
{
    switch (c->rule) {
    case VCOL_SCALAR:
        sbuf_printf(b, "(array_agg(r.%s) FILTER (WHERE r.%s IS NOT NULL))[1]", c->name, c->key);
        break;
    case VCOL_LIST: /* empty lists add nothing: the step function is not called */
        sbuf_printf(b, "coalesce(vm_array_union(r.%s) FILTER (WHERE cardinality(r.%s) > 0), '{}')",
                    c->name, c->name);
        break;
    case VCOL_LIST_RAW:
        sbuf_printf(b,
                    "array_to_string(vm_array_union(ARRAY[r.%s])"
                    " FILTER (WHERE r.%s IS NOT NULL), '; ')",
                    c->name, c->name);
        break;
    case VCOL_EXTRA: /* the best record last: its value of a shared key wins */
        sbuf_printf(b, "coalesce(vm_jsonb_merge(r.%s ORDER BY r.vm_ord DESC), '{}')", c->name);
        break;
    case VCOL_HASH:
        sbuf_printf(b,
                    "CASE WHEN count(r.%s) <= 1 THEN max(r.%s)"
                    " ELSE md5(string_agg(r.%s, ',' ORDER BY %s)) END",
                    c->name, c->name, c->name, hash_order);
        break;
    case VCOL_TAG:
        break;
    }
}

/* The same for a group of one record (columns prefixed by prefix). */
static void emit_single(struct sbuf *b, const struct vcol *c, const char *prefix)
{
    switch (c->rule) {
    case VCOL_SCALAR:
        sbuf_printf(b, "CASE WHEN %s%s IS NOT NULL THEN %s%s END", prefix, c->key, prefix, c->name);
        break;
    case VCOL_LIST:
    case VCOL_EXTRA:
        sbuf_printf(b, "coalesce(%s%s, '{}')", prefix, c->name);
        break;
    case VCOL_LIST_RAW:
    case VCOL_HASH:
        sbuf_printf(b, "%s%s", prefix, c->name);
        break;
    case VCOL_TAG:
        break;
    }
}

char *vcols_merge_select(const char *group_key, const char *from_where, const char *best_first,
                         const char *hash_order, const char *outer_extra)
{
    char *agg = record_columns(emit_merged, hash_order, true);
    /* The rows are numbered best first within their group and handed over
     * in that order (a subquery's ORDER BY is kept for the aggregate above
     * it); vm_grp leads the sort key, so grouping needs no sort of its own
     * that could reorder a group's rows. */
    char *sql = xasprintf("SELECT r.vm_grp, %s, count(r.content_hash) AS n_rec%s"
                          " FROM (SELECT %s AS vm_grp,"
                          "        row_number() OVER (ORDER BY %s, %s) AS vm_ord, r.* %s"
                          "       ORDER BY 1, 2) r GROUP BY r.vm_grp",
                          agg, outer_extra, group_key, group_key, best_first, from_where);
    free(agg);
    return sql;
}

char *vcols_single(const char *prefix)
{
    return record_columns(emit_single, prefix, false);
}

char *vcols_remerge_sql(const char *ids, const char *set_extra)
{
    char *cols = vcols_list("", false, true), *mcols = vcols_list("m.", false, true);
    char *from = xasprintf("FROM vendor_sources r JOIN sources s ON s.id = r.source_id"
                           " WHERE r.vendor_id IN (%s)",
                           ids);
    char *merged = vcols_merge_select("r.vendor_id", from, VCOLS_SOURCE_ORDER, "r.source_id", "");
    /* o: the row before the update (the statement's snapshot) */
    char *sql = xasprintf(
        "WITH u AS (UPDATE vendors v SET (%s) = ROW(%s), updated_at = now()%s"
        "  FROM (%s) m JOIN vendors o ON o.id = m.vm_grp"
        "  WHERE v.id = m.vm_grp AND m.n_rec > 0"
        "  RETURNING v.id, ROW(" VCOLS_TAG_INPUTS_OF(
            "o.") ") IS DISTINCT FROM"
                  "   ROW(" VCOLS_TAG_INPUTS_OF("m.") ") AS retag),"
                                                      " l AS (INSERT INTO " VCOLS_RETAG_TABLE
                                                      " SELECT id FROM u WHERE retag"
                                                      "  ON CONFLICT DO NOTHING)"
                                                      " SELECT count(*) FROM u",
        cols, mcols, set_extra, merged);
    free(cols);
    free(mcols);
    free(from);
    free(merged);
    return sql;
}

char *vcols_conflict_having(void)
{
    struct sbuf b;
    sbuf_init(&b);
    bool first = true;
    for (size_t i = 0; i < n_vfields; i++) {
        if (vfields[i].list)
            continue;
        sbuf_printf(&b, "%scount(DISTINCT CASE WHEN r.%s IS NOT NULL THEN %s END) > 1",
                    first ? "" : " OR ", vfields[i].key, vfields[i].cmp);
        first = false;
    }
    return sbuf_detach(&b);
}
