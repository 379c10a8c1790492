/*
 * criteria: the table of hard constraints and scoring criteria (see
 * criteria.h): each one's C test or fraction, its reason texts and its SQL
 * templates, and the expansion of those templates into the candidate
 * query's fragments. docs/matching.md states the same rules in words.
 */
#include "core/criteria.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/match_defaults.h"
#include "core/money.h"
#include "core/normalize.h"

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

static size_t count_common(const struct strlist *want, const struct strlist *have)
{
    size_t k = 0;
    for (size_t i = 0; i < want->len; i++)
        k += strlist_contains(have, want->items[i]);
    return k;
}

static double share(const struct strlist *want, const struct strlist *have)
{
    return want->len ? (double)count_common(want, have) / (double)want->len : 1.0;
}

/* How a vendor's fact compares with a need's bound: met, failed, an open
 * range or a currency that cannot decide (unsure), or no fact at all
 * (unknown). Unsure and unknown are both the constraint's unknown state. */
enum fit { FIT_MET, FIT_UNSURE, FIT_FAILED, FIT_UNKNOWN };

/* --min-employees: the largest headcount a vendor's range allows decides
 * (employees_max, as for a closed range "250-999" against 500); with no
 * upper end ("10,000+") its lower end meets the minimum or leaves it
 * unsure ("10+" against 500). *cap gets the headcount scored. No headcount
 * at all is unknown. */
static enum fit capacity_fit(long min_employees, const struct vendor_cand *v, long *cap)
{
    if (v->has_employees_max && v->employees_max >= 0) {
        *cap = v->employees_max;
        return *cap >= min_employees ? FIT_MET : FIT_FAILED;
    }
    if (!v->has_employees_min)
        return FIT_UNKNOWN;
    *cap = v->employees_min;
    return *cap >= min_employees ? FIT_MET : FIT_UNSURE;
}

/* --max-rate: the cheapest rate a vendor's range allows decides (rate_min,
 * as for "$20-30" against 25); with no lower end ("< $25") its upper end
 * meets the max or leaves it unsure ("< $25" against 20). Rates compare in
 * the need's currency (score_fx_factor); a currency with no exchange rate
 * leaves it unsure. *rate gets the rate scored. No rate at all is unknown. */
static enum fit rate_fit(const struct need *n, const struct vendor_cand *v, double *rate)
{
    double f = 1.0;
    if (!v->has_rate)
        return FIT_UNKNOWN;
    if (!score_fx_factor(n, v->currency, &f))
        return FIT_UNSURE;
    if (v->has_rate_min) {
        *rate = v->rate_min * f;
        return *rate <= n->max_rate ? FIT_MET : FIT_FAILED;
    }
    *rate = v->rate_max * f;
    return *rate <= n->max_rate ? FIT_MET : FIT_UNSURE;
}

/* --min-rate: the dearest rate a vendor's range allows decides (rate_max,
 * as for "$10-30" against 20); with no upper end ("$15+") its lower end
 * meets the min or leaves it unsure. */
static enum fit min_rate_fit(const struct need *n, const struct vendor_cand *v)
{
    double f = 1.0;
    if (!v->has_rate)
        return FIT_UNKNOWN;
    if (!score_fx_factor(n, v->currency, &f))
        return FIT_UNSURE;
    if (v->has_rate_max)
        return v->rate_max * f >= n->min_rate ? FIT_MET : FIT_FAILED;
    return v->rate_min * f >= n->min_rate ? FIT_MET : FIT_UNSURE;
}

/* The price fraction of a rate (in the need's currency) under --max-rate:
 * decreasing in the rate. */
double crit_price_of_rate(const struct need *n, double rate)
{
    if (n->max_rate <= 0)
        return rate <= 0 ? 1.0 : 0.0;
    return clamp01(MATCH_PRICE_AT_MAX +
                   (1.0 - MATCH_PRICE_AT_MAX) * (n->max_rate - rate) / n->max_rate);
}

/* The vendor's rate for a reason about a rate bound: "€15/h ≈ $16.20/h at
 * 1.08, rates of 2026-12-01" when it was converted (r->converted). */
static void rate_desc(char *out, size_t size, const struct need *n, const struct vendor_cand *v,
                      const struct score_result *r)
{
    char have[48], conv[48];
    score_rate_text(have, sizeof have, v);
    if (!r->converted) {
        snprintf(out, size, "%s", have);
        return;
    }
    struct vendor_cand c = *v;
    c.rate_min = v->rate_min * r->conv_factor;
    c.rate_max = v->rate_max * r->conv_factor;
    snprintf(c.currency, sizeof c.currency, "%s", n->currency);
    score_rate_text(conv, sizeof conv, &c);
    snprintf(out, size, "%s \u2248 %s at %.4g%s%s", have, conv, r->conv_factor,
             r->conv_date[0] ? ", rates of " : "", r->conv_date);
}

/* The currency missing from the exchange rates: v's, else the need's. */
static const char *fx_missing(const struct need *n, const struct vendor_cand *v)
{
    const char *vc = v->currency[0] ? v->currency : "USD";
    return n->fx && fx_table_find(n->fx, vc) ? n->currency : vc;
}

/* Fills r's conversion fields when the need bounds the rate and v's rate
 * is in another currency with an exchange rate. */
static void convert_rate(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    const char *vc = v->currency[0] ? v->currency : "USD";
    double f = 1.0;
    if (!(n->has_max_rate || n->has_min_rate) || !v->has_rate || strcmp(vc, n->currency) == 0 ||
        !score_fx_factor(n, vc, &f))
        return;
    const struct fx_rate *a = fx_table_find(n->fx, vc), *b = fx_table_find(n->fx, n->currency);
    r->converted = true;
    r->conv_factor = f;
    snprintf(r->conv_currency, sizeof r->conv_currency, "%s", n->currency);
    r->conv_amount = (v->has_rate_min ? v->rate_min : v->rate_max) * f;
    snprintf(r->conv_date, sizeof r->conv_date, "%s", a && a->date[0] ? a->date : b ? b->date : "");
}

/* "51-200 employees", "10000+ employees", "< 50 employees", "500 employees". */
static void size_text(char *out, size_t size, const struct vendor_cand *v)
{
    bool hi = v->has_employees_max && v->employees_max >= 0;
    if (v->has_employees_min && hi && v->employees_min != v->employees_max)
        snprintf(out, size, "%ld-%ld employees", v->employees_min, v->employees_max);
    else if (v->has_employees_min && hi)
        snprintf(out, size, "%ld employees", v->employees_min);
    else if (v->has_employees_min)
        snprintf(out, size, "%ld+ employees", v->employees_min);
    else if (hi)
        snprintf(out, size, "< %ld employees", v->employees_max);
    else
        snprintf(out, size, "%s", "headcount unknown");
}

static void mark_failed(struct score_result *r, enum constraint c)
{
    if (!(r->failed & (1u << c))) {
        r->failed |= 1u << c;
        r->n_failed++;
    }
}

static void fail(struct score_result *r, enum constraint c, char *why)
{
    mark_failed(r, c);
    strlist_push_owned(&r->failures, why);
}

/* Constraint c's fact is unknown, as `what` says ("rate unknown"; owned,
 * NULL when another constraint's phrase already says it): the vendor passes
 * it unverified, or fails it when the need requires the fact known. */
static void unknown(const struct need *n, struct score_result *r, enum constraint c, char *what)
{
    int f = crit_constraints[c].fact;
    bool required = need_requires_known(n, f);
    if (required)
        mark_failed(r, c);
    else
        r->unverified |= 1u << c;
    if (what && required && n->strict)
        strlist_push_owned(&r->failures, xasprintf("%s (must be known: --strict)", what));
    else if (what && required)
        strlist_push_owned(&r->failures, xasprintf("%s (must be known: --require-known %s)", what,
                                                   need_fact_name(f)));
    else if (what)
        strlist_push_owned(&r->unverified_reasons, xasprintf("%s: unverified", what));
    free(what);
}

/* Codes as a reason shows them: the ISO name, or the code itself when
 * iso-codes does not know it ("IN" -> "India", "en" -> "English"). */
static const char *country_text(const char *code)
{
    const char *name = norm_country_name(code);
    return name ? name : code;
}

static const char *language_text(const char *code, char *buf, size_t size)
{
    const char *name = norm_language_name(code, buf, size);
    return name ? name : code;
}

/* ---- the constraints' C tests, reasons and values, in enum constraint order ---- */

static bool active_services(const struct need *n)
{
    return n->categories.len > 0;
}

static void check_services(const struct need *n, const struct vendor_cand *v,
                           struct score_result *r)
{
    for (size_t i = 0; i < n->categories.len; i++)
        if (strlist_contains(&v->services, n->categories.items[i]))
            strlist_push(&r->matched_services, n->categories.items[i]);
    if (n->categories.len && r->matched_services.len == 0)
        fail(r, CON_SERVICE, xstrdup("offers none of the requested services"));
}

static void value_services(const struct need *n, struct crit_value *out)
{
    out->kind = CRIT_V_SERVICE_IDS;
}

static bool active_always(const struct need *n)
{
    return true;
}

static bool type_accepts(enum need_process p, const char *t)
{
    if (strcmp(t, "HYBRID") == 0)
        return true;
    if (p == NEED_PROCESS_ANY)
        return strcmp(t, "BPO") == 0 || strcmp(t, "KPO") == 0;
    return strcmp(t, need_process_name(p)) == 0;
}

static void check_type(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    if (strcmp(v->process_type, "UNCLASSIFIED") == 0)
        fail(r, CON_TYPE, xstrdup("not classified"));
    else if (!type_accepts(n->process, v->process_type))
        fail(r, CON_TYPE,
             xasprintf("type %s, need %s", v->process_type, need_process_name(n->process)));
}

/* The effective types (never NULL: 0001's CHECKs) n accepts (accepted) or
 * rejects, comma-separated: constants, so the SQL holds them and a
 * statement for the near misses failing the type alone has no unused
 * parameter. */
static void type_names(const struct need *n, bool accepted, struct sbuf *out)
{
    static const char *const all[] = {"BPO", "KPO", "HYBRID", "UNCLASSIFIED"};
    bool first = true;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        bool acc = strcmp(all[i], "UNCLASSIFIED") != 0 && type_accepts(n->process, all[i]);
        if (acc == accepted) {
            sbuf_printf(out, "%s%s", first ? "" : ",", all[i]);
            first = false;
        }
    }
}

static bool active_certs(const struct need *n)
{
    return n->certifications.len > 0;
}

static void check_certs(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    if (v->certifications.len == 0) {
        unknown(n, r, CON_CERT, xstrdup("certifications not listed by any source"));
        return;
    }
    for (size_t i = 0; i < n->certifications.len; i++) {
        if (strlist_contains(&v->certifications, n->certifications.items[i]))
            continue;
        char *shown = score_cert_display(n->certifications.items[i]);
        fail(r, CON_CERT, xasprintf("no %s", shown));
        free(shown);
    }
}

static void reason_certs(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    if (n->certifications.len && !((r->failed | r->unverified) & (1u << CON_CERT)))
        strlist_push(&r->reasons, "has every required certification");
}

static void value_certs(const struct need *n, struct crit_value *out)
{
    for (size_t i = 0; i < n->certifications.len; i++)
        strlist_push(&out->list, n->certifications.items[i]);
}

static bool active_sensitivity(const struct need *n)
{
    return n->sensitivity == SENS_HIGH;
}

static void check_sensitivity(const struct need *n, const struct vendor_cand *v,
                              struct score_result *r)
{
    if (v->certifications.len == 0) {
        unknown(n, r, CON_SENSITIVITY,
                n->certifications.len ? NULL
                                      : xstrdup("certifications not listed by any source (high "
                                                "sensitivity needs a security certification)"));
        return;
    }
    for (size_t i = 0; i < v->certifications.len; i++)
        if (norm_is_security_certification(v->certifications.items[i]))
            return;
    fail(r, CON_SENSITIVITY, xstrdup("no security certification (needed for high sensitivity)"));
}

/* The security certifications as canonical codes, for --sensitivity high.
 * normalize.h answers "is this code a security certification?" one code at
 * a time; SQL needs the set, so probe the spellings people use. */
static void value_security_codes(const struct need *n, struct crit_value *out)
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
            norm_is_security_certification(code) && !strlist_contains(&out->list, code))
            strlist_push(&out->list, code);
    }
}

static bool active_languages(const struct need *n)
{
    return n->languages.len > 0;
}

static void check_languages(const struct need *n, const struct vendor_cand *v,
                            struct score_result *r)
{
    char name[128];
    if (v->languages.len == 0) {
        unknown(n, r, CON_LANGUAGE, xstrdup("languages not listed by any source"));
        return;
    }
    for (size_t i = 0; i < n->languages.len; i++)
        if (!strlist_contains(&v->languages, n->languages.items[i]))
            fail(r, CON_LANGUAGE,
                 xasprintf("does not list %s",
                           language_text(n->languages.items[i], name, sizeof name)));
}

static void value_languages(const struct need *n, struct crit_value *out)
{
    for (size_t i = 0; i < n->languages.len; i++)
        strlist_push(&out->list, n->languages.items[i]);
}

static bool active_country(const struct need *n)
{
    return n->countries.len > 0;
}

static void check_country(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    if (!v->country[0])
        unknown(n, r, CON_COUNTRY, xstrdup("country unknown"));
    else if (!strlist_contains(&n->countries, v->country))
        fail(r, CON_COUNTRY,
             xasprintf("based in %s, not an allowed country", country_text(v->country)));
}

static void reason_country(const struct need *n, const struct vendor_cand *v,
                           struct score_result *r)
{
    if (v->country[0])
        strlist_push_owned(&r->reasons, xasprintf("based in %s", country_text(v->country)));
}

static void value_countries(const struct need *n, struct crit_value *out)
{
    for (size_t i = 0; i < n->countries.len; i++)
        strlist_push(&out->list, n->countries.items[i]);
}

static bool active_exclude_country(const struct need *n)
{
    return n->exclude_countries.len > 0;
}

static void check_exclude_country(const struct need *n, const struct vendor_cand *v,
                                  struct score_result *r)
{
    if (!v->country[0])
        unknown(n, r, CON_EXCLUDE_COUNTRY,
                n->countries.len ? NULL : xstrdup("country unknown, may be an excluded one"));
    else if (strlist_contains(&n->exclude_countries, v->country))
        fail(r, CON_EXCLUDE_COUNTRY,
             xasprintf("based in %s, an excluded country", country_text(v->country)));
}

static void value_excluded_countries(const struct need *n, struct crit_value *out)
{
    for (size_t i = 0; i < n->exclude_countries.len; i++)
        strlist_push(&out->list, n->exclude_countries.items[i]);
}

static bool active_employees(const struct need *n)
{
    return n->has_min_employees;
}

static void check_employees(const struct need *n, const struct vendor_cand *v,
                            struct score_result *r)
{
    long cap = 0;
    char have[200];
    enum fit f = capacity_fit(n->min_employees, v, &cap);
    size_text(have, sizeof have, v);
    if (f == FIT_UNKNOWN)
        unknown(n, r, CON_EMPLOYEES, xstrdup("headcount unknown"));
    else if (f == FIT_UNSURE)
        unknown(n, r, CON_EMPLOYEES, xasprintf("%s, may be below min %ld", have, n->min_employees));
    else if (f == FIT_FAILED)
        fail(r, CON_EMPLOYEES, xasprintf("%s, below min %ld", have, n->min_employees));
}

static void value_min_employees(const struct need *n, struct crit_value *out)
{
    out->kind = CRIT_V_NUMBER;
    out->number = (double)n->min_employees;
}

static bool active_rate(const struct need *n)
{
    return n->has_max_rate || n->has_min_rate;
}

/* --max-rate and --min-rate, one constraint: each bound met, failed or
 * unsure (an open range, or no exchange rate); no rate at all is unknown. */
static void check_rate(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    double rate = 0, factor = 1.0;
    char have[200], want[48];
    convert_rate(n, v, r);
    rate_desc(have, sizeof have, n, v, r);
    if (!v->has_rate) {
        unknown(n, r, CON_RATE, xstrdup("rate unknown"));
        return;
    }
    if (!score_fx_factor(n, v->currency, &factor)) {
        const char *c = fx_missing(n, v);
        unknown(n, r, CON_RATE,
                xasprintf("rate %s, no exchange rate for %s (fx set %s ...)", have, c, c));
        return;
    }
    if (n->has_max_rate) {
        enum fit f = rate_fit(n, v, &rate);
        money_hourly_text(want, sizeof want, n->currency, n->max_rate);
        if (f == FIT_FAILED)
            fail(r, CON_RATE, xasprintf("rate %s above max %s", have, want));
        else if (f == FIT_UNSURE)
            unknown(n, r, CON_RATE, xasprintf("rate %s, may exceed max %s", have, want));
    }
    if (n->has_min_rate) {
        enum fit f = min_rate_fit(n, v);
        money_hourly_text(want, sizeof want, n->currency, n->min_rate);
        if (f == FIT_FAILED)
            fail(r, CON_RATE, xasprintf("rate %s below min %s", have, want));
        else if (f == FIT_UNSURE)
            unknown(n, r, CON_RATE, xasprintf("rate %s, may be below min %s", have, want));
    }
}

static bool active_max_rate(const struct need *n)
{
    return n->has_max_rate;
}

static void value_max_rate(const struct need *n, struct crit_value *out)
{
    out->kind = CRIT_V_NUMBER;
    out->number = n->max_rate;
}

static bool active_min_rate(const struct need *n)
{
    return n->has_min_rate;
}

static void value_min_rate(const struct need *n, struct crit_value *out)
{
    out->kind = CRIT_V_NUMBER;
    out->number = n->min_rate;
}

static bool active_rating(const struct need *n)
{
    return n->has_min_rating;
}

static void check_rating(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    if (!v->has_rating)
        unknown(n, r, CON_RATING, xstrdup("rating unknown"));
    else if (v->rating < n->min_rating)
        fail(r, CON_RATING, xasprintf("rating %.1f below min %.1f", v->rating, n->min_rating));
}

static void value_min_rating(const struct need *n, struct crit_value *out)
{
    out->kind = CRIT_V_NUMBER;
    out->number = n->min_rating;
}

static bool active_delivery(const struct need *n)
{
    return n->delivery.len > 0;
}

static void check_delivery(const struct need *n, const struct vendor_cand *v,
                           struct score_result *r)
{
    if (count_common(&n->delivery, &v->delivery) > 0)
        return;
    if (v->delivery.len == 0)
        unknown(n, r, CON_DELIVERY, xstrdup("delivery model unknown"));
    else
        fail(r, CON_DELIVERY,
             xasprintf("delivers %s, not a requested model", v->delivery.items[0]));
}

static void value_delivery(const struct need *n, struct crit_value *out)
{
    for (size_t i = 0; i < n->delivery.len; i++)
        strlist_push(&out->list, n->delivery.items[i]);
}

/*
 * The SQL of each constraint is "not known to fail" by default (unknown and
 * unsure pass) and "known to be met" with its fact required known: exactly
 * the C test above, as the near-miss walks (which negate it) need. Plain
 * comparisons of columns, no COALESCE over them where the planner should
 * estimate from the statistics, so it walks the key index when it should;
 * a list constraint's array operator is served by its column's GIN index.
 */
const struct con_desc crit_constraints[CON_COUNT] = {
    [CON_SERVICE] = {.name = "service",
                     .fact = -1,
                     .active = active_services,
                     .check = check_services,
                     .reason_before = -1,
                     .sql_met_all = "v.services @> $v::int4[]",
                     .parts = {{.name = "services",
                                .value = value_services,
                                .met = "v.services && $v::int4[]",
                                .lenient = "v.services && $v::int4[]"}}},
    [CON_TYPE] = {.name = "type",
                  .fact = -1,
                  .active = active_always,
                  .check = check_type,
                  .reason_before = -1,
                  .sql_fails = "v.effective_type = ANY('{$OTHER_TYPES}'::text[])",
                  .parts = {{.met = "v.effective_type = ANY('{$TYPES}'::text[])",
                             .lenient = "v.effective_type = ANY('{$TYPES}'::text[])"}}},
    [CON_CERT] = {.name = "cert",
                  .fact = FACT_CERT,
                  .active = active_certs,
                  .check = check_certs,
                  .reason = reason_certs,
                  .reason_before = CRIT_LANGUAGES,
                  .parts = {{.name = "certs",
                             .value = value_certs,
                             .met = "v.certifications @> $v::text[]",
                             .lenient = "(v.certifications @> $v::text[] OR v.certifications = "
                                        "'{}')"}}},
    [CON_SENSITIVITY] = {.name = "sensitivity",
                         .fact = FACT_CERT,
                         .active = active_sensitivity,
                         .check = check_sensitivity,
                         .reason_before = -1,
                         .parts = {{.name = "security_certs",
                                    .value = value_security_codes,
                                    .met = "v.certifications && $v::text[]",
                                    .lenient = "(v.certifications && $v::text[] OR "
                                               "v.certifications = '{}')"}}},
    [CON_LANGUAGE] = {.name = "language",
                      .fact = FACT_LANGUAGE,
                      .active = active_languages,
                      .check = check_languages,
                      .reason_before = -1,
                      .parts = {{.name = "languages",
                                 .value = value_languages,
                                 .met = "v.languages @> $v::text[]",
                                 .lenient = "(v.languages @> $v::text[] OR v.languages = '{}')"}}},
    [CON_COUNTRY] = {.name = "country",
                     .fact = FACT_COUNTRY,
                     .active = active_country,
                     .check = check_country,
                     .reason = reason_country,
                     .reason_before = CRIT_CONFIDENCE,
                     .parts = {{.name = "countries",
                                .value = value_countries,
                                .met = "v.country = ANY($v::bpchar[])",
                                .lenient =
                                    "(v.country = ANY($v::bpchar[]) OR v.country IS NULL)"}}},
    [CON_EXCLUDE_COUNTRY] = {.name = "exclude_country",
                             .fact = FACT_COUNTRY,
                             .active = active_exclude_country,
                             .check = check_exclude_country,
                             .reason_before = -1,
                             .parts = {{.name = "excluded_countries",
                                        .value = value_excluded_countries,
                                        .met = "v.country <> ALL($v::bpchar[])",
                                        .lenient = "(v.country <> ALL($v::bpchar[]) OR v.country "
                                                   "IS NULL)"}}},
    /* capacity_fit: employees_max decides when known (>= 0), else
     * employees_min can only meet it. */
    [CON_EMPLOYEES] = {.name = "employees",
                       .fact = FACT_EMPLOYEES,
                       .active = active_employees,
                       .check = check_employees,
                       .reason_before = -1,
                       .parts = {{.name = "min_employees",
                                  .value = value_min_employees,
                                  .met = "((v.employees_max >= 0 AND v.employees_max >= $v) OR "
                                         "((v.employees_max IS NULL OR v.employees_max < 0) AND "
                                         "v.employees_min >= $v))",
                                  .lenient = "(v.employees_max IS NULL OR v.employees_max < 0 OR "
                                             "v.employees_max >= $v)"}}},
    /* rate_fit and min_rate_fit: a closed range's deciding end decides; an
     * open end's other bound decides only when it can; rates compare
     * converted ($fx NULL: no exchange rate, unsure). Known to be met: every
     * bound met by the end that decides (COALESCE; NULL, not true, when
     * there is none). */
    [CON_RATE] = {.name = "rate",
                  .fact = FACT_RATE,
                  .active = active_rate,
                  .check = check_rate,
                  .reason_before = -1,
                  .sql_met = "($fx IS NOT NULL$parts)",
                  .sql_lenient = "($fx IS NULL OR (true$parts))",
                  .parts = {{.name = "max_rate",
                             .active = active_max_rate,
                             .value = value_max_rate,
                             .met = " AND COALESCE(v.rate_min, v.rate_max)::float8 * $fx <= "
                                    "$v::float8",
                             .lenient = " AND (v.rate_min::float8 * $fx <= $v::float8 OR "
                                        "v.rate_min IS NULL)"},
                            {.name = "min_rate",
                             .active = active_min_rate,
                             .value = value_min_rate,
                             .met = " AND COALESCE(v.rate_max, v.rate_min)::float8 * $fx >= "
                                    "$v::float8",
                             .lenient = " AND (v.rate_max::float8 * $fx >= $v::float8 OR "
                                        "v.rate_max IS NULL)"}}},
    [CON_RATING] = {.name = "rating",
                    .fact = FACT_RATING,
                    .active = active_rating,
                    .check = check_rating,
                    .reason_before = -1,
                    .parts = {{.name = "min_rating",
                               .value = value_min_rating,
                               .met = "v.rating >= $v::numeric",
                               .lenient = "(v.rating IS NULL OR v.rating >= $v::numeric)"}}},
    [CON_DELIVERY] = {.name = "delivery",
                      .fact = FACT_DELIVERY,
                      .active = active_delivery,
                      .check = check_delivery,
                      .reason_before = -1,
                      .parts = {{.name = "delivery",
                                 .value = value_delivery,
                                 .met = "v.delivery && $v::text[]",
                                 .lenient = "(v.delivery && $v::text[] OR v.delivery = '{}')"}}},
};

/* ---- the criteria's fractions and reasons, in enum criterion order ---- */

static double fraction_coverage(const struct need *n, const struct vendor_cand *v)
{
    return share(&n->categories, &v->services);
}

static void reason_coverage(const struct need *n, const struct vendor_cand *v,
                            struct score_result *r)
{
    if (n->categories.len)
        strlist_push_owned(&r->reasons, xasprintf("offers %zu of %zu requested services",
                                                  r->matched_services.len, n->categories.len));
}

static double fraction_industry(const struct need *n, const struct vendor_cand *v)
{
    return share(&n->industries, &v->industries);
}

static void reason_industry(const struct need *n, const struct vendor_cand *v,
                            struct score_result *r)
{
    size_t k = count_common(&n->industries, &v->industries);
    if (n->industries.len == 1 && k == 1)
        strlist_push_owned(&r->reasons, xasprintf("serves %s", n->industries.items[0]));
    else if (n->industries.len)
        strlist_push_owned(
            &r->reasons, xasprintf("serves %zu of %zu requested industries", k, n->industries.len));
}

static double fraction_rating(const struct need *n, const struct vendor_cand *v)
{
    return v->has_rating ? clamp01(v->rating / MATCH_RATING_SCALE) : 0.0;
}

/* The rating, rate and headcount facts (with "within max" when a rate
 * meets --max-rate). A fact the constraints found unknown or unsure is said
 * by its unverified reason instead (score_vendor appends those). */
static void reason_rating(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    if (v->has_rating)
        strlist_push_owned(&r->reasons, xasprintf("rating %.1f", v->rating));
    else if (!n->has_min_rating)
        strlist_push(&r->reasons, "rating unknown");
}

static double fraction_price(const struct need *n, const struct vendor_cand *v)
{
    double rate = 0;
    if (!n->has_max_rate)
        return 1.0;
    enum fit f = rate_fit(n, v, &rate);
    if (f == FIT_UNSURE || f == FIT_UNKNOWN)
        return 0.0; /* FIT_FAILED implies a known rate_min, scored below half */
    return crit_price_of_rate(n, rate);
}

static void reason_price(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    char have[200], want[48];
    double rate = 0, factor = 1.0;
    bool bounded = n->has_max_rate || n->has_min_rate;
    if (!v->has_rate || (bounded && !score_fx_factor(n, v->currency, &factor)))
        return;
    enum fit f = n->has_max_rate ? rate_fit(n, v, &rate) : FIT_FAILED;
    rate_desc(have, sizeof have, n, v, r);
    money_hourly_text(want, sizeof want, n->currency, n->max_rate);
    if (f == FIT_MET)
        strlist_push_owned(&r->reasons, xasprintf("rate %s within max %s", have, want));
    else if (f != FIT_UNSURE)
        strlist_push_owned(&r->reasons, xasprintf("rate %s", have));
}

static double fraction_capacity(const struct need *n, const struct vendor_cand *v)
{
    long cap = 0;
    if (!n->has_min_employees || n->min_employees <= 0)
        return 1.0;
    enum fit f = capacity_fit(n->min_employees, v, &cap);
    if (f == FIT_UNSURE || f == FIT_UNKNOWN)
        return 0.0; /* FIT_FAILED implies a known employees_max */
    return clamp01((double)cap / (MATCH_CAPACITY_FULL_AT * (double)n->min_employees));
}

static void reason_capacity(const struct need *n, const struct vendor_cand *v,
                            struct score_result *r)
{
    char have[200];
    long cap = 0;
    if (!v->has_employees_min && !v->has_employees_max)
        return;
    enum fit f = n->has_min_employees ? capacity_fit(n->min_employees, v, &cap) : FIT_MET;
    size_text(have, sizeof have, v);
    if (f != FIT_UNSURE && f != FIT_UNKNOWN)
        strlist_push_owned(&r->reasons, xstrdup(have));
}

static double fraction_languages(const struct need *n, const struct vendor_cand *v)
{
    return share(&n->languages, &v->languages);
}

static void reason_languages(const struct need *n, const struct vendor_cand *v,
                             struct score_result *r)
{
    if (n->languages.len && !((r->failed | r->unverified) & (1u << CON_LANGUAGE)))
        strlist_push(&r->reasons, "lists every required language");
}

static double fraction_confidence(const struct need *n, const struct vendor_cand *v)
{
    return v->manual_tag ? 1.0 : clamp01(v->confidence);
}

static void reason_confidence(const struct need *n, const struct vendor_cand *v,
                              struct score_result *r)
{
    if (v->manual_tag)
        strlist_push_owned(&r->reasons, xasprintf("tagged %s by hand", v->process_type));
    else
        strlist_push_owned(
            &r->reasons, xasprintf("tagged %s (confidence %.2f)", v->process_type, v->confidence));
}

/* The row points (sql_points) are upper bounds of the fractions, as the
 * walk's bound needs: rating and confidence unclamped above (they are the
 * key's terms), price and capacity as score.c computes them. */
const struct crit_desc crit_criteria[CRIT_COUNT] = {
    [CRIT_SERVICE_COVERAGE] = {.key = "service_coverage",
                               .weight = MATCH_W_SERVICE_COVERAGE,
                               .fraction = fraction_coverage,
                               .reason = reason_coverage,
                               .reason_starts = {"offers "}},
    [CRIT_INDUSTRY] = {.key = "industry",
                       .weight = MATCH_W_INDUSTRY,
                       .fraction = fraction_industry,
                       .reason = reason_industry,
                       .reason_starts = {"serves "}},
    [CRIT_RATING] = {.key = "rating",
                     .weight = MATCH_W_RATING,
                     .fraction = fraction_rating,
                     .reason = reason_rating,
                     .reason_starts = {"rating "},
                     .sql_points = "$w::float8 * GREATEST(0, COALESCE(v.rating::float8, 0)) / "
                                   "$RATING_SCALE"},
    [CRIT_PRICE] = {.key = "price",
                    .weight = MATCH_W_PRICE,
                    .fraction = fraction_price,
                    .reason = reason_price,
                    .reason_starts = {"rate "},
                    .per_row = score_price_per_row,
                    .sql_points = "$w::float8 * CASE WHEN $fx IS NOT NULL AND (v.rate_min IS NOT "
                                  "NULL OR v.rate_max::float8 * $fx <= $max_rate::float8) THEN "
                                  "LEAST(1, GREATEST(0, $PRICE_AT_MAX + $PRICE_SLOPE * "
                                  "($max_rate::float8 - COALESCE(v.rate_min, v.rate_max)::float8 "
                                  "* $fx) / $max_rate::float8)) ELSE 0 END"},
    [CRIT_CAPACITY] = {.key = "capacity",
                       .weight = MATCH_W_CAPACITY,
                       .fraction = fraction_capacity,
                       .reason = reason_capacity,
                       .reason_starts = {"headcount "},
                       .reason_contains = " employees", /* size_text: "51-200 employees" */
                       .per_row = score_capacity_per_row,
                       .sql_points = "$w::float8 * LEAST(1, GREATEST(0, (CASE WHEN "
                                     "v.employees_max >= 0 THEN v.employees_max WHEN "
                                     "v.employees_min >= $min_employees THEN v.employees_min "
                                     "ELSE 0 END)::float8 / ($CAPACITY_FULL_AT * "
                                     "$min_employees::float8)))"},
    [CRIT_LANGUAGES] = {.key = "languages",
                        .weight = MATCH_W_LANGUAGES,
                        .fraction = fraction_languages,
                        .reason = reason_languages,
                        .reason_starts = {"lists every required language", "language"}},
    [CRIT_CONFIDENCE] = {.key = "confidence",
                         .weight = MATCH_W_CONFIDENCE,
                         .fraction = fraction_confidence,
                         .reason = reason_confidence,
                         .reason_starts = {"tagged "},
                         .sql_points = "$w::float8 * GREATEST(0, CASE WHEN v.manual_type IS NOT "
                                       "NULL THEN 1 ELSE v.confidence::float8 END)"},
};

/* ---- the SQL templates' expansion ---- */

/* What a template is expanded with. */
struct expand {
    const struct need *n;
    const struct crit_params *p;
    const struct con_desc *con;   /* $parts */
    const struct crit_part *part; /* $v */
    int crit;                     /* $w: the criterion, -1 none */
    bool strict;                  /* $parts: "known to be met" forms */
};

static void expand(struct sbuf *out, const char *tmpl, const struct expand *e);

static int param_of(const struct expand *e, struct crit_value *v)
{
    int k = e->p->param(e->p->ctx, v);
    strlist_free(&v->list);
    return k;
}

/* The parameter of the value of the part named name (fills v). */
static bool part_value(const struct need *n, const char *name, struct crit_value *v)
{
    for (int c = 0; c < CON_COUNT; c++)
        for (int i = 0; i < CRIT_MAX_PARTS; i++) {
            const struct crit_part *pt = &crit_constraints[c].parts[i];
            if (pt->name && pt->value && strcmp(pt->name, name) == 0) {
                v->name = pt->name;
                v->kind = CRIT_V_LIST;
                pt->value(n, v);
                return true;
            }
        }
    return false;
}

/* score_fx_factor in SQL: the factor of the vendor's currency (NULL when it
 * has no exchange rate), from two parameter arrays of the currencies and
 * their factors computed here, so both sides multiply by the same float8. */
static void expand_fx(struct sbuf *out, const struct expand *e)
{
    const struct need *n = e->n;
    struct crit_value cur = {.name = "fx_currencies", .kind = CRIT_V_LIST};
    struct crit_value fac = {.name = "fx_factors", .kind = CRIT_V_NUMBERS};
    double x = 1.0;
    strlist_init(&cur.list);
    strlist_init(&fac.list);
    for (size_t i = 0; n->fx && i <= n->fx->n; i++) {
        const char *c = i < n->fx->n ? n->fx->rates[i].currency : "USD";
        if (!strlist_contains(&cur.list, c) && score_fx_factor(n, c, &x)) {
            strlist_push_owned(&fac.list, xasprintf("%.17g", x));
            strlist_push(&cur.list, c);
        }
    }
    if (!strlist_contains(&cur.list, n->currency)) {
        strlist_push(&fac.list, "1");
        strlist_push(&cur.list, n->currency);
    }
    int pc = param_of(e, &cur), pf = param_of(e, &fac);
    sbuf_printf(out,
                "($%d::float8[])[array_position($%d::text[], COALESCE(v.currency::text, 'USD'))]",
                pf, pc);
}

/* A constant: a number of match_defaults.h or the type names n accepts. */
static bool expand_constant(struct sbuf *out, const char *name, const struct expand *e)
{
    static const struct {
        const char *name;
        double value;
    } numbers[] = {
        {"RATING_SCALE", MATCH_RATING_SCALE},
        {"PRICE_AT_MAX", MATCH_PRICE_AT_MAX},
        {"PRICE_SLOPE", 1.0 - MATCH_PRICE_AT_MAX},
        {"CAPACITY_FULL_AT", MATCH_CAPACITY_FULL_AT},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        if (strcmp(name, numbers[i].name) == 0) {
            sbuf_printf(out, "%.17g", numbers[i].value);
            return true;
        }
    if (strcmp(name, "TYPES") == 0 || strcmp(name, "OTHER_TYPES") == 0) {
        type_names(e->n, strcmp(name, "TYPES") == 0, out);
        return true;
    }
    return false;
}

static void expand_parts(struct sbuf *out, const struct expand *e)
{
    for (int i = 0; i < CRIT_MAX_PARTS; i++) {
        const struct crit_part *pt = &e->con->parts[i];
        if (!pt->met || (pt->active && !pt->active(e->n)))
            continue;
        struct expand sub = *e;
        sub.part = pt;
        expand(out, e->strict ? pt->met : pt->lenient, &sub);
    }
}

static void expand_name(struct sbuf *out, const char *name, const struct expand *e)
{
    struct crit_value v = {.kind = CRIT_V_LIST};
    strlist_init(&v.list);
    if (strcmp(name, "v") == 0 && e->part && e->part->value)
        name = e->part->name;
    if (strcmp(name, "fx") == 0)
        expand_fx(out, e);
    else if (strcmp(name, "parts") == 0 && e->con)
        expand_parts(out, e);
    else if (strcmp(name, "w") == 0 && e->crit >= 0) {
        v.name = crit_criteria[e->crit].key;
        v.kind = CRIT_V_WEIGHT;
        v.number = e->n->weights[e->crit];
        sbuf_printf(out, "$%d", param_of(e, &v));
    } else if (part_value(e->n, name, &v))
        sbuf_printf(out, "$%d", param_of(e, &v));
    else if (!expand_constant(out, name, e))
        abort(); /* a template names something this file does not declare */
    strlist_free(&v.list);
}

static void expand(struct sbuf *out, const char *tmpl, const struct expand *e)
{
    for (const char *s = tmpl; *s;) {
        const char *dollar = strchr(s, '$');
        if (!dollar) {
            sbuf_puts(out, s);
            return;
        }
        sbuf_append(out, s, (size_t)(dollar - s));
        size_t len = 1;
        while (isalnum((unsigned char)dollar[len]) || dollar[len] == '_')
            len++;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(len - 1), dollar + 1);
        expand_name(out, name, e);
        s = dollar + len;
    }
}

char *crit_constraint_sql(enum constraint c, const struct need *n, enum crit_cover cover,
                          const struct crit_params *p, char **fails)
{
    const struct con_desc *d = &crit_constraints[c];
    struct expand e = {.n = n, .p = p, .con = d, .crit = -1};
    struct sbuf out;
    if (fails)
        *fails = NULL;
    if (!d->active(n))
        return NULL;
    e.strict = d->fact >= 0 && need_requires_known(n, d->fact);
    sbuf_init(&out);
    if (d->sql_met_all && cover != CRIT_COVER_ANY) {
        struct expand one = e;
        one.part = &d->parts[0];
        sbuf_puts(&out, cover == CRIT_COVER_SOME ? "(" : "");
        if (cover == CRIT_COVER_SOME) {
            expand_parts(&out, &e);
            sbuf_puts(&out, " AND NOT ");
        }
        expand(&out, d->sql_met_all, &one);
        sbuf_puts(&out, cover == CRIT_COVER_SOME ? ")" : "");
    } else {
        const char *wrap = e.strict ? d->sql_met : d->sql_lenient;
        expand(&out, wrap ? wrap : "$parts", &e);
    }
    if (fails && d->sql_fails) {
        struct sbuf f;
        sbuf_init(&f);
        expand(&f, d->sql_fails, &e);
        *fails = sbuf_detach(&f);
    }
    return sbuf_detach(&out);
}

bool crit_points_per_row(const struct need *n)
{
    for (int c = 0; c < CRIT_COUNT; c++)
        if (crit_criteria[c].per_row && crit_criteria[c].sql_points && crit_criteria[c].per_row(n))
            return true;
    return false;
}

char *crit_row_points_sql(const struct need *n, const struct crit_params *p)
{
    struct sbuf out;
    if (!crit_points_per_row(n))
        return NULL; /* K bounds the rating and confidence points closely enough */
    sbuf_init(&out);
    /* The key's criteria first, then those bounded per row for this need. */
    for (int pass = 0; pass < 2; pass++)
        for (int c = 0; c < CRIT_COUNT; c++) {
            const struct crit_desc *d = &crit_criteria[c];
            if (!d->sql_points || (pass == 0) != !d->per_row || (d->per_row && !d->per_row(n)))
                continue;
            struct expand e = {.n = n, .p = p, .crit = c};
            sbuf_puts(&out, out.len ? " + " : "");
            expand(&out, d->sql_points, &e);
        }
    return sbuf_detach(&out);
}
