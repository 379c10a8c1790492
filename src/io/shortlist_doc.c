/*
 * shortlist_doc: the match / shortlist document written and read (see
 * shortlist_doc.h and docs/shortlist-json.md). The writer turns the ranking's
 * plain structs into the document key by key; unknown numbers are null,
 * never 0. The readers below it are what every view reads the document
 * through.
 */
#include "io/shortlist_doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonval.h"
#include "core/match_defaults.h"

/* --- writing ------------------------------------------------------------- */
static json_t *opt_real(bool has, double v)
{
    return has ? json_real(v) : json_null();
}

static json_t *vendor_snapshot(const struct score_result *r)
{
    const struct vendor_cand *v = r->v;
    json_t *o = json_object();
    json_object_set_new(o, "website", json_string_or_null(v->website));
    json_object_set_new(o, "country", json_string_or_null(v->country[0] ? v->country : NULL));
    json_object_set_new(o, "city", json_string_or_null(v->city));
    json_object_set_new(o, "services", json_strlist(&v->services));
    json_object_set_new(o, "matched_services", json_strlist(&r->matched_services));
    json_object_set_new(o, "industries", json_strlist(&v->industries));
    json_object_set_new(o, "languages", json_strlist(&v->languages));
    json_object_set_new(o, "certifications", json_strlist(&v->certifications));
    json_object_set_new(o, "employees_min",
                        v->has_employees_min ? json_integer(v->employees_min) : json_null());
    json_object_set_new(o, "employees_max",
                        v->has_employees_max ? json_integer(v->employees_max) : json_null());
    json_object_set_new(o, "rate_min", opt_real(v->has_rate_min, v->rate_min));
    json_object_set_new(o, "rate_max", opt_real(v->has_rate_max, v->rate_max));
    char rate[64];
    score_rate_text(rate, sizeof rate, v);
    json_object_set_new(o, "rate_text", json_string_or_null(rate[0] ? rate : NULL));
    json_object_set_new(o, "currency",
                        json_string_or_null(v->has_rate && v->currency[0] ? v->currency : NULL));
    json_object_set_new(o, "rating", opt_real(v->has_rating, v->rating));
    json_object_set_new(o, "email", json_string_or_null(v->email));
    json_object_set_new(o, "phone", json_string_or_null(v->phone));
    json_object_set_new(o, "manual_tag", json_boolean(v->manual_tag));
    json_object_set_new(o, "confidence", json_real(round(v->confidence * 100) / 100));
    return o;
}

static json_t *breakdown_json(const struct score_result *r)
{
    json_t *b = json_object();
    for (int c = 0; c < CRIT_COUNT; c++)
        json_object_set_new(b, criterion_name(c), json_real(r->points[c]));
    return b;
}

/* rate_converted: the vendor's rate in the need's currency, or null. */
static json_t *converted_json(const struct score_result *r)
{
    if (!r->converted)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "amount", json_real(round(r->conv_amount * 100) / 100));
    json_object_set_new(o, "currency", json_string(r->conv_currency));
    json_object_set_new(o, "rate", json_real(r->conv_factor));
    json_object_set_new(o, "date", json_string_or_null(r->conv_date[0] ? r->conv_date : NULL));
    return o;
}

/* A result's "robustness": shares of the draws in which it kept its rank
 * and was in the top 3 (docs/matching.md "Robustness"). */
static json_t *robustness_json(const struct robust_outcome *rob, size_t i)
{
    json_t *o = json_object();
    double draws = rob->draws > 0 ? rob->draws : 1;
    json_object_set_new(o, "rank_kept", json_real(rob->rank_kept[i] / draws));
    json_object_set_new(o, "top3_kept", json_real(rob->top3[i] / draws));
    json_object_set_new(o, "draws", json_integer(rob->draws));
    json_object_set_new(o, "spread", json_real(rob->spread));
    return o;
}

/* The document's "swap": the smallest single weight change that puts #2
 * ahead of #1 (criterion null when none within 0..MATCH_MAX_WEIGHT), or
 * null with fewer than two results. */
static json_t *swap_json(const struct robust_outcome *rob, const struct match_outcome *out)
{
    const struct robust_swap *sw = &rob->swap;
    if (!rob->has_pair || out->n_results < 2)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "leader_id", json_integer(out->results[0].v->id));
    json_object_set_new(o, "challenger_id", json_integer(out->results[1].v->id));
    json_object_set_new(o, "criterion",
                        sw->found ? json_string(criterion_name(sw->crit)) : json_null());
    json_object_set_new(o, "direction",
                        sw->found ? json_string(sw->rises ? "rises" : "falls") : json_null());
    json_object_set_new(o, "weight", sw->found ? json_real(sw->weight) : json_null());
    json_object_set_new(o, "threshold", sw->found ? json_real(sw->threshold) : json_null());
    json_object_set_new(o, "max_weight", json_integer(MATCH_MAX_WEIGHT));
    return o;
}

/* The document's "robustness": how the figures were drawn. */
static json_t *robust_method_json(const struct robust_outcome *rob)
{
    json_t *o = json_object();
    json_object_set_new(o, "draws", json_integer(rob->draws));
    json_object_set_new(o, "spread", json_real(rob->spread));
    json_object_set_new(o, "generator", json_string("splitmix64"));
    char seed[32];
    snprintf(seed, sizeof seed, "0x%016llX", (unsigned long long)MATCH_ROBUST_SEED);
    json_object_set_new(o, "seed", json_string(seed)); /* a string: above 2^53 */
    json_object_set_new(o, "compared", json_integer((json_int_t)rob->n));
    return o;
}

/* "unverified": the facts r passed without the catalog stating them. */
static json_t *unverified_json(const struct score_result *r)
{
    struct strlist facts;
    strlist_init(&facts);
    score_unverified_facts(r, &facts);
    json_t *a = json_strlist(&facts);
    strlist_free(&facts);
    return a;
}

static json_t *result_json(const struct score_result *r, size_t rank,
                           const struct robust_outcome *rob)
{
    json_t *o = json_object();
    json_object_set_new(o, "rank", json_integer((json_int_t)rank));
    json_object_set_new(o, "vendor_id", json_integer(r->v->id));
    json_object_set_new(o, "name", json_string_or_null(r->v->name));
    json_object_set_new(o, "process_type", json_string(r->v->process_type));
    json_object_set_new(o, "score", json_real(r->score));
    json_object_set_new(o, "breakdown", breakdown_json(r));
    json_object_set_new(o, "reasons", json_strlist(&r->reasons));
    json_object_set_new(o, "unverified", unverified_json(r));
    json_object_set_new(o, "unverified_reasons", json_strlist(&r->unverified_reasons));
    json_object_set_new(o, "rate_converted", converted_json(r));
    if (rob && rank - 1 < rob->n)
        json_object_set_new(o, "robustness", robustness_json(rob, rank - 1));
    json_object_set_new(o, "vendor", vendor_snapshot(r));
    return o;
}

static json_t *excluded_json(const struct score_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "vendor_id", json_integer(r->v->id));
    json_object_set_new(o, "name", json_string_or_null(r->v->name));
    json_object_set_new(o, "process_type", json_string(r->v->process_type));
    json_object_set_new(o, "would_be_score", json_real(r->score));
    json_object_set_new(o, "reasons", json_strlist(&r->failures));
    json_object_set_new(o, "unverified", unverified_json(r));
    json_object_set_new(o, "unverified_reasons", json_strlist(&r->unverified_reasons));
    json_object_set_new(o, "rate_converted", converted_json(r));
    return o;
}

json_t *shortlist_doc_new(const struct need *n, const struct match_outcome *out,
                          const struct robust_outcome *rob, const json_t *catalog)
{
    json_t *doc = json_object(), *results = json_array(), *excluded = json_array();
    for (size_t i = 0; i < out->n_results; i++)
        json_array_append_new(results, result_json(&out->results[i], i + 1, rob));
    for (size_t i = 0; i < out->n_near; i++)
        json_array_append_new(excluded, excluded_json(&out->near[i]));
    json_object_set_new(doc, "need", need_to_json(n));
    json_object_set_new(doc, "process_type", json_string(need_process_name(n->process)));
    json_object_set_new(doc, "process_type_inferred", json_boolean(n->process_inferred));
    json_object_set_new(doc, "process_type_reason", json_string_or_null(n->process_reason));
    json_object_set_new(doc, "weights", need_weights_json(n));
    json_object_set_new(doc, "catalog", json_deep_copy(catalog));
    if (rob) {
        json_object_set_new(doc, "robustness", robust_method_json(rob));
        json_object_set_new(doc, "swap", swap_json(rob, out));
    }
    json_object_set_new(doc, "results", results);
    json_object_set_new(doc, "excluded", excluded);
    return doc;
}

/* --- tolerant document access ------------------------------------------- */

const json_t *rj_get(const json_t *obj, const char *key)
{
    if (!obj || !json_is_object(obj))
        return NULL;
    const json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v) ? v : NULL;
}

const char *rj_str(const json_t *obj, const char *key)
{
    const json_t *v = rj_get(obj, key);
    return v && json_is_string(v) ? json_string_value(v) : NULL;
}

bool rj_num(const json_t *obj, const char *key, double *out)
{
    const json_t *v = rj_get(obj, key);
    if (!v || !json_is_number(v))
        return false;
    double d = json_number_value(v);
    if (!isfinite(d))
        return false;
    *out = d;
    return true;
}

bool rj_true(const json_t *obj, const char *key)
{
    const json_t *v = rj_get(obj, key);
    return v && json_is_true(v);
}

const json_t *rj_arr(const json_t *obj, const char *key)
{
    const json_t *v = rj_get(obj, key);
    return v && json_is_array(v) ? v : NULL;
}

size_t rj_len(const json_t *arr)
{
    return arr && json_is_array(arr) ? json_array_size(arr) : 0;
}

char *rj_join(const json_t *arr, const char *sep,
              const char *(*label)(const char *, char *, size_t))
{
    struct sbuf b;
    char buf[256];
    sbuf_init(&b);
    for (size_t i = 0; i < rj_len(arr); i++) {
        const json_t *v = json_array_get(arr, i);
        if (!json_is_string(v))
            continue;
        const char *s = json_string_value(v);
        if (b.len)
            sbuf_puts(&b, sep);
        sbuf_puts(&b, label ? label(s, buf, sizeof buf) : s);
    }
    return sbuf_detach(&b);
}

/* --- unverified facts ---------------------------------------------------- */

static const char *fact_label(const char *fact, char *buf, size_t n)
{
    static const char *const names[][2] = {
        {"language", "language"},       {"cert", "certification"}, {"country", "country"},
        {"employees", "headcount"},     {"rate", "hourly rate"},   {"rating", "rating"},
        {"delivery", "delivery model"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(fact, names[i][0]) == 0)
            return names[i][1];
    snprintf(buf, n, "%s", fact);
    return buf;
}

char *rp_unverified(const json_t *entry)
{
    char *s = rj_join(rj_arr(entry, "unverified"), ", ", fact_label);
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

bool rp_is_unverified_reason(const json_t *entry, const char *reason)
{
    const json_t *list = rj_arr(entry, "unverified_reasons");
    for (size_t i = 0; reason && i < rj_len(list); i++) {
        const json_t *v = json_array_get(list, i);
        if (json_is_string(v) && strcmp(json_string_value(v), reason) == 0)
            return true;
    }
    return false;
}

char *rp_unverified_claim(const char *reason)
{
    static const char tail[] = ": unverified";
    size_t n = strlen(reason), t = sizeof tail - 1;
    if (n >= t && strcmp(reason + n - t, tail) == 0)
        n -= t;
    return xasprintf("%.*s", (int)n, reason);
}
