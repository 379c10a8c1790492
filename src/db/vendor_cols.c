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

char *vcols_merged(const char *best_first, const char *best_last, const char *hash_order)
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
        switch (c->rule) {
        case VCOL_SCALAR:
            sbuf_printf(&b, "(array_agg(r.%s ORDER BY %s) FILTER (WHERE r.%s IS NOT NULL))[1]",
                        c->name, best_first, c->key);
            break;
        case VCOL_LIST:
            sbuf_printf(&b, "coalesce(vm_array_union(r.%s ORDER BY %s), '{}')", c->name,
                        best_first);
            break;
        case VCOL_LIST_RAW:
            sbuf_printf(&b,
                        "array_to_string(vm_array_union(ARRAY[r.%s] ORDER BY %s)"
                        " FILTER (WHERE r.%s IS NOT NULL), '; ')",
                        c->name, best_first, c->name);
            break;
        case VCOL_EXTRA:
            sbuf_printf(&b, "coalesce(vm_jsonb_merge(r.%s ORDER BY %s), '{}')", c->name, best_last);
            break;
        case VCOL_HASH:
            sbuf_printf(&b,
                        "CASE WHEN count(r.%s) <= 1 THEN max(r.%s)"
                        " ELSE md5(string_agg(r.%s, ',' ORDER BY %s)) END",
                        c->name, c->name, c->name, hash_order);
            break;
        case VCOL_TAG:
            break;
        }
        sbuf_printf(&b, " AS %s", c->name);
    }
    return sbuf_detach(&b);
}

char *vcols_recompute_sql(const char *ids, const char *set_extra, const char *from_extra,
                          const char *where_extra)
{
    char *cols = vcols_list("", false, true), *mcols = vcols_list("m.", false, true);
    char *merged = vcols_merged(VCOLS_SOURCE_ORDER, VCOLS_SOURCE_ORDER_REV, "r.source_id");
    char *sql = xasprintf("UPDATE vendors v SET (%s) = ROW(%s), updated_at = now()%s"
                          " FROM (SELECT r.vendor_id, %s, count(r.content_hash) AS n_rec"
                          "   FROM vendor_sources r JOIN sources s ON s.id = r.source_id"
                          "  WHERE r.vendor_id IN (%s) GROUP BY r.vendor_id"
                          "  HAVING count(r.content_hash) > 0) m%s"
                          " WHERE v.id = m.vendor_id%s",
                          cols, mcols, set_extra, merged, ids, from_extra, where_extra);
    free(cols);
    free(mcols);
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
