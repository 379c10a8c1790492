/*
 * score: hard constraints, the weighted score and the ranking. Each
 * constraint is one small function answering "does the catalog show this
 * vendor meets it?" and, when not, saying why in words a client reads
 * ("no ISO 27001", "rate $45/h above max $30/h"). Each criterion is a
 * fraction 0..1 (score_criterion); docs/matching.md states the same
 * formulas, and match_db.c mirrors them as an SQL upper bound.
 */
#include "core/score.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/match_defaults.h"
#include "core/money.h"
#include "core/normalize.h"

void vendor_cand_init(struct vendor_cand *v)
{
    memset(v, 0, sizeof *v);
    strlist_init(&v->services);
    strlist_init(&v->certifications);
    strlist_init(&v->languages);
    strlist_init(&v->industries);
    strlist_init(&v->delivery);
    snprintf(v->process_type, sizeof v->process_type, "UNCLASSIFIED");
}

void vendor_cand_free(struct vendor_cand *v)
{
    free(v->name);
    strlist_free(&v->services);
    strlist_free(&v->certifications);
    strlist_free(&v->languages);
    strlist_free(&v->industries);
    strlist_free(&v->delivery);
    free(v->website);
    free(v->city);
    free(v->email);
    free(v->phone);
    memset(v, 0, sizeof *v);
}

void score_result_free(struct score_result *r)
{
    strlist_free(&r->reasons);
    strlist_free(&r->failures);
    strlist_free(&r->matched_services);
    strlist_free(&r->unverified_reasons);
}

int score_constraint_fact(enum constraint c)
{
    switch (c) {
    case CON_CERT:
    case CON_SENSITIVITY:
        return FACT_CERT;
    case CON_LANGUAGE:
        return FACT_LANGUAGE;
    case CON_COUNTRY:
    case CON_EXCLUDE_COUNTRY:
        return FACT_COUNTRY;
    case CON_EMPLOYEES:
        return FACT_EMPLOYEES;
    case CON_RATE:
        return FACT_RATE;
    case CON_RATING:
        return FACT_RATING;
    case CON_DELIVERY:
        return FACT_DELIVERY;
    default:
        return -1;
    }
}

void score_unverified_facts(const struct score_result *r, struct strlist *out)
{
    unsigned facts = 0;
    for (int c = 0; c < CON_COUNT; c++)
        if ((r->unverified & (1u << c)) && score_constraint_fact(c) >= 0)
            facts |= 1u << score_constraint_fact(c);
    for (int f = 0; f < FACT_COUNT; f++)
        if (facts & (1u << f))
            strlist_push(out, need_fact_name(f));
}

double score_round2(double x)
{
    /* A value printed as x.xx5 in decimal may be stored just below it; the
     * nudge makes it round the way PostgreSQL's numeric round() does. */
    double scaled = x * 100.0;
    return (double)llround(scaled + (scaled >= 0 ? 1e-7 : -1e-7)) / 100.0;
}

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

bool score_fx_factor(const struct need *n, const char *currency, double *factor)
{
    const char *c = currency && currency[0] ? currency : "USD";
    double out = 0;
    *factor = 1.0;
    if (strcmp(c, n->currency) == 0)
        return true;
    return n->fx && fx_convert(n->fx, c, n->currency, 1.0, &out, factor);
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
static double price_of_rate(const struct need *n, double rate)
{
    if (n->max_rate <= 0)
        return rate <= 0 ? 1.0 : 0.0;
    return clamp01(MATCH_PRICE_AT_MAX +
                   (1.0 - MATCH_PRICE_AT_MAX) * (n->max_rate - rate) / n->max_rate);
}

static double price_fraction(const struct need *n, const struct vendor_cand *v)
{
    double rate = 0;
    if (!n->has_max_rate)
        return 1.0;
    enum fit f = rate_fit(n, v, &rate);
    if (f == FIT_UNSURE || f == FIT_UNKNOWN)
        return 0.0; /* FIT_FAILED implies a known rate_min, scored below half */
    return price_of_rate(n, rate);
}

void score_cheapest_rates_free(struct score_cheapest_rates *c)
{
    free(c->items);
    c->items = NULL;
    c->n = 0;
}

/* A vendor's price fraction is price_of_rate of its rate scored, rate_min
 * (else rate_max) times its currency's factor, or 0 (no rate, no factor, an
 * open range that does not decide): never more than price_of_rate of the
 * least such product in the catalog, which is its currency's cheapest
 * amount times the same factor (the factor is positive, so the product is
 * monotone in the amount, rounding included). */
double score_price_share_max(const struct need *n, const struct score_cheapest_rates *c)
{
    double least = INFINITY, f = 1.0;
    if (!n->has_max_rate || !c->known)
        return 1.0;
    for (size_t i = 0; i < c->n; i++)
        if (score_fx_factor(n, c->items[i].currency, &f) && c->items[i].amount * f < least)
            least = c->items[i].amount * f;
    return isfinite(least) ? price_of_rate(n, least) : 0.0;
}

static double capacity_fraction(const struct need *n, const struct vendor_cand *v)
{
    long cap = 0;
    if (!n->has_min_employees || n->min_employees <= 0)
        return 1.0;
    enum fit f = capacity_fit(n->min_employees, v, &cap);
    if (f == FIT_UNSURE || f == FIT_UNKNOWN)
        return 0.0; /* FIT_FAILED implies a known employees_max */
    return clamp01((double)cap / (MATCH_CAPACITY_FULL_AT * (double)n->min_employees));
}

double score_criterion(const struct need *n, const struct vendor_cand *v, enum criterion c)
{
    switch (c) {
    case CRIT_SERVICE_COVERAGE:
        return share(&n->categories, &v->services);
    case CRIT_INDUSTRY:
        return share(&n->industries, &v->industries);
    case CRIT_RATING:
        return v->has_rating ? clamp01(v->rating / MATCH_RATING_SCALE) : 0.0;
    case CRIT_PRICE:
        return price_fraction(n, v);
    case CRIT_CAPACITY:
        return capacity_fraction(n, v);
    case CRIT_LANGUAGES:
        return share(&n->languages, &v->languages);
    case CRIT_CONFIDENCE:
        return v->manual_tag ? 1.0 : clamp01(v->confidence);
    default:
        return 0.0;
    }
}

double score_quality_key(const struct vendor_cand *v)
{
    return (v->has_rating ? v->rating : 0.0) / MATCH_RATING_SCALE +
           (v->manual_tag ? 1.0 : v->confidence);
}

double score_static_bound(const struct need *n, double k)
{
    double wr = n->weights[CRIT_RATING], wc = n->weights[CRIT_CONFIDENCE];
    double hi = wr > wc ? wr : wc, lo = wr > wc ? wc : wr;
    k = k < 0 ? 0 : k > 2 ? 2 : k;
    return hi * (k < 1 ? k : 1) + lo * (k > 1 ? k - 1 : 0);
}

/* Largest fraction of the price, capacity and language criteria a vendor
 * failing constraint `failing` can get (-1: one passing them all): no vendor
 * more price than the catalog's cheapest rate gets (n->price_share_max), a
 * rate above --max-rate less than MATCH_PRICE_AT_MAX, a headcount below
 * --min-employees less than 1 / MATCH_CAPACITY_FULL_AT, a vendor missing
 * one of m required languages at most (m - 1) / m. */
static double failing_cap(const struct need *n, int failing, enum criterion c)
{
    size_t m = n->languages.len;
    double price = n->has_price_share_max && n->price_share_max < 1.0 ? n->price_share_max : 1.0;
    if (c == CRIT_PRICE && failing == CON_RATE && n->has_max_rate && n->max_rate > 0 &&
        !n->has_min_rate) /* one failing --min-rate alone may be cheap */
        return price < MATCH_PRICE_AT_MAX ? price : MATCH_PRICE_AT_MAX;
    if (c == CRIT_PRICE)
        return price;
    if (c == CRIT_CAPACITY && failing == CON_EMPLOYEES && n->has_min_employees &&
        n->min_employees > 0)
        return 1.0 / MATCH_CAPACITY_FULL_AT;
    if (c == CRIT_LANGUAGES && failing == CON_LANGUAGE && m > 0)
        return (double)(m - 1) / (double)m;
    return 1.0;
}

unsigned score_active_constraints(const struct need *n)
{
    unsigned a = 1u << CON_TYPE;
    a |= n->categories.len ? 1u << CON_SERVICE : 0;
    a |= n->certifications.len ? 1u << CON_CERT : 0;
    a |= n->sensitivity == SENS_HIGH ? 1u << CON_SENSITIVITY : 0;
    a |= n->languages.len ? 1u << CON_LANGUAGE : 0;
    a |= n->countries.len ? 1u << CON_COUNTRY : 0;
    a |= n->exclude_countries.len ? 1u << CON_EXCLUDE_COUNTRY : 0;
    a |= n->has_min_employees ? 1u << CON_EMPLOYEES : 0;
    a |= n->has_max_rate || n->has_min_rate ? 1u << CON_RATE : 0;
    a |= n->has_min_rating ? 1u << CON_RATING : 0;
    a |= n->delivery.len ? 1u << CON_DELIVERY : 0;
    return a;
}

/* The loosest bound over the constraints a near miss can fail. */
static double near_dynamic_bound(const struct need *n, double coverage_max)
{
    unsigned active = score_active_constraints(n) & ~(1u << CON_SERVICE);
    double best = 0;
    for (int c = 0; c < CON_COUNT; c++) {
        double b = (active & (1u << c)) ? score_dynamic_bound(n, coverage_max, c) : 0;
        best = b > best ? b : best;
    }
    return best;
}

double score_dynamic_bound(const struct need *n, double coverage_max, int failing)
{
    if (failing == SCORE_FAILING_ANY)
        return near_dynamic_bound(n, coverage_max);
    return n->weights[CRIT_SERVICE_COVERAGE] * coverage_max + n->weights[CRIT_INDUSTRY] +
           n->weights[CRIT_PRICE] * failing_cap(n, failing, CRIT_PRICE) +
           n->weights[CRIT_CAPACITY] * failing_cap(n, failing, CRIT_CAPACITY) +
           n->weights[CRIT_LANGUAGES] * failing_cap(n, failing, CRIT_LANGUAGES);
}

bool score_price_per_row(const struct need *n)
{
    return n->has_max_rate && n->max_rate > 0;
}

bool score_capacity_per_row(const struct need *n)
{
    return n->has_min_employees && n->min_employees > 0;
}

double score_row_fixed_bound(const struct need *n, double coverage_max, int failing)
{
    double b = score_dynamic_bound(n, coverage_max, failing);
    if (score_price_per_row(n))
        b -= n->weights[CRIT_PRICE] * failing_cap(n, failing, CRIT_PRICE);
    if (score_capacity_per_row(n))
        b -= n->weights[CRIT_CAPACITY] * failing_cap(n, failing, CRIT_CAPACITY);
    return b;
}

bool score_walk_done(const struct need *n, double k, double coverage_max, int failing,
                     long long kth_cents)
{
    double bound = score_static_bound(n, k) + score_dynamic_bound(n, coverage_max, failing);
    return kth_cents != LLONG_MIN && (bound + MATCH_BOUND_SLACK) * 100.0 < (double)kth_cents;
}

double score_walk_floor(const struct need *n, double coverage_max, int failing, long long kth_cents)
{
    double lo = 0, hi = 2.0; /* keys lie in [0, 2]: done at lo, not done at hi */
    if (!score_walk_done(n, lo, coverage_max, failing, kth_cents))
        return -1;
    if (score_walk_done(n, hi, coverage_max, failing, kth_cents))
        return hi;
    for (int i = 0; i < 64 && hi - lo > 1e-12; i++) {
        double mid = lo + (hi - lo) / 2;
        if (score_walk_done(n, mid, coverage_max, failing, kth_cents))
            lo = mid;
        else
            hi = mid;
    }
    return lo; /* done is monotone in k: every k <= lo is done too */
}

bool score_key_covers(const struct vendor_cand *v, double key)
{
    return score_criterion(NULL, v, CRIT_RATING) + score_criterion(NULL, v, CRIT_CONFIDENCE) <=
           key + 1e-6; /* confidence is a float4 printed in decimal */
}

void score_topk_init(struct score_topk *t, size_t k)
{
    t->cents = xcalloc(k ? k : 1, sizeof *t->cents);
    t->n = 0;
    t->k = k;
}

void score_topk_add(struct score_topk *t, long long cents)
{
    size_t i;
    if (t->k == 0 || (t->n == t->k && cents <= t->cents[t->n - 1]))
        return;
    if (t->n < t->k)
        t->n++;
    for (i = t->n - 1; i > 0 && t->cents[i - 1] < cents; i--)
        t->cents[i] = t->cents[i - 1];
    t->cents[i] = cents;
}

long long score_topk_kth(const struct score_topk *t)
{
    return t->k && t->n == t->k ? t->cents[t->k - 1] : LLONG_MIN;
}

void score_topk_free(struct score_topk *t)
{
    free(t->cents);
    memset(t, 0, sizeof *t);
}

char *score_cert_display(const char *code)
{
    size_t i = 0;
    while (code[i] >= 'A' && code[i] <= 'Z')
        i++;
    if (i > 0 && code[i] >= '0' && code[i] <= '9')
        return xasprintf("%.*s %s", (int)i, code, code + i);
    return xstrdup(code);
}

void score_rate_text(char *out, size_t size, const struct vendor_cand *v)
{
    if (!v->has_rate)
        snprintf(out, size, "%s", "");
    else
        money_rate_text(out, size, v->currency, v->has_rate_min, v->rate_min, v->has_rate_max,
                        v->rate_max);
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
    int f = score_constraint_fact(c);
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

static void check_certs(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    bool none = v->certifications.len == 0;
    if (n->certifications.len && none)
        unknown(n, r, CON_CERT, xstrdup("certifications not listed by any source"));
    for (size_t i = 0; !none && i < n->certifications.len; i++) {
        if (strlist_contains(&v->certifications, n->certifications.items[i]))
            continue;
        char *shown = score_cert_display(n->certifications.items[i]);
        fail(r, CON_CERT, xasprintf("no %s", shown));
        free(shown);
    }
    if (n->sensitivity != SENS_HIGH)
        return;
    if (none) {
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

static void check_languages(const struct need *n, const struct vendor_cand *v,
                            struct score_result *r)
{
    char name[128];
    if (n->languages.len && v->languages.len == 0) {
        unknown(n, r, CON_LANGUAGE, xstrdup("languages not listed by any source"));
        return;
    }
    for (size_t i = 0; i < n->languages.len; i++)
        if (!strlist_contains(&v->languages, n->languages.items[i]))
            fail(r, CON_LANGUAGE,
                 xasprintf("does not list %s",
                           language_text(n->languages.items[i], name, sizeof name)));
}

static void check_country(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    if (!v->country[0]) {
        if (n->countries.len)
            unknown(n, r, CON_COUNTRY, xstrdup("country unknown"));
        if (n->exclude_countries.len)
            unknown(n, r, CON_EXCLUDE_COUNTRY,
                    n->countries.len ? NULL : xstrdup("country unknown, may be an excluded one"));
        return;
    }
    if (n->countries.len && !strlist_contains(&n->countries, v->country))
        fail(r, CON_COUNTRY,
             xasprintf("based in %s, not an allowed country", country_text(v->country)));
    if (strlist_contains(&n->exclude_countries, v->country))
        fail(r, CON_EXCLUDE_COUNTRY,
             xasprintf("based in %s, an excluded country", country_text(v->country)));
}

static void check_employees(const struct need *n, const struct vendor_cand *v,
                            struct score_result *r)
{
    long cap = 0;
    char have[200];
    if (!n->has_min_employees)
        return;
    enum fit f = capacity_fit(n->min_employees, v, &cap);
    size_text(have, sizeof have, v);
    if (f == FIT_UNKNOWN)
        unknown(n, r, CON_EMPLOYEES, xstrdup("headcount unknown"));
    else if (f == FIT_UNSURE)
        unknown(n, r, CON_EMPLOYEES, xasprintf("%s, may be below min %ld", have, n->min_employees));
    else if (f == FIT_FAILED)
        fail(r, CON_EMPLOYEES, xasprintf("%s, below min %ld", have, n->min_employees));
}

/* --max-rate and --min-rate, one constraint: each bound met, failed or
 * unsure (an open range, or no exchange rate); no rate at all is unknown. */
static void check_rate(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    double rate = 0, factor = 1.0;
    char have[200], want[48];
    if (!n->has_max_rate && !n->has_min_rate)
        return;
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

static void check_rating(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    if (n->has_min_rating && !v->has_rating)
        unknown(n, r, CON_RATING, xstrdup("rating unknown"));
    else if (n->has_min_rating && v->rating < n->min_rating)
        fail(r, CON_RATING, xasprintf("rating %.1f below min %.1f", v->rating, n->min_rating));
}

static void check_delivery(const struct need *n, const struct vendor_cand *v,
                           struct score_result *r)
{
    if (n->delivery.len == 0 || count_common(&n->delivery, &v->delivery) > 0)
        return;
    if (v->delivery.len == 0)
        unknown(n, r, CON_DELIVERY, xstrdup("delivery model unknown"));
    else
        fail(r, CON_DELIVERY,
             xasprintf("delivers %s, not a requested model", v->delivery.items[0]));
}

static void check_constraints(const struct need *n, const struct vendor_cand *v,
                              struct score_result *r)
{
    for (size_t i = 0; i < n->categories.len; i++)
        if (strlist_contains(&v->services, n->categories.items[i]))
            strlist_push(&r->matched_services, n->categories.items[i]);
    if (n->categories.len && r->matched_services.len == 0)
        fail(r, CON_SERVICE, xstrdup("offers none of the requested services"));
    check_type(n, v, r);
    check_certs(n, v, r);
    check_languages(n, v, r);
    check_country(n, v, r);
    check_employees(n, v, r);
    check_rate(n, v, r);
    check_rating(n, v, r);
    check_delivery(n, v, r);
}

static void reason_services(const struct need *n, struct score_result *r)
{
    if (n->categories.len)
        strlist_push_owned(&r->reasons, xasprintf("offers %zu of %zu requested services",
                                                  r->matched_services.len, n->categories.len));
}

static void reason_industries(const struct need *n, const struct vendor_cand *v,
                              struct score_result *r)
{
    size_t k = count_common(&n->industries, &v->industries);
    if (n->industries.len == 1 && k == 1)
        strlist_push_owned(&r->reasons, xasprintf("serves %s", n->industries.items[0]));
    else if (n->industries.len)
        strlist_push_owned(
            &r->reasons, xasprintf("serves %zu of %zu requested industries", k, n->industries.len));
}

/* The rating, rate and headcount facts, with "within max" when a rate
 * meets --max-rate. A fact the constraints found unknown or unsure is
 * said by its unverified reason instead (score_vendor appends those). */
static void reason_numbers(const struct need *n, const struct vendor_cand *v,
                           struct score_result *r)
{
    char have[200], want[48];
    double rate = 0, factor = 1.0;
    long cap = 0;
    if (v->has_rating)
        strlist_push_owned(&r->reasons, xasprintf("rating %.1f", v->rating));
    else if (!n->has_min_rating)
        strlist_push(&r->reasons, "rating unknown");
    bool bounded = n->has_max_rate || n->has_min_rate;
    if (v->has_rate && !(bounded && !score_fx_factor(n, v->currency, &factor))) {
        enum fit f = n->has_max_rate ? rate_fit(n, v, &rate) : FIT_FAILED;
        rate_desc(have, sizeof have, n, v, r);
        money_hourly_text(want, sizeof want, n->currency, n->max_rate);
        if (f == FIT_MET)
            strlist_push_owned(&r->reasons, xasprintf("rate %s within max %s", have, want));
        else if (f != FIT_UNSURE)
            strlist_push_owned(&r->reasons, xasprintf("rate %s", have));
    }
    if (v->has_employees_min || v->has_employees_max) {
        enum fit f = n->has_min_employees ? capacity_fit(n->min_employees, v, &cap) : FIT_MET;
        size_text(have, sizeof have, v);
        if (f != FIT_UNSURE && f != FIT_UNKNOWN)
            strlist_push_owned(&r->reasons, xstrdup(have));
    }
}

static void reason_tags(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    unsigned cert = 1u << CON_CERT, lang = 1u << CON_LANGUAGE;
    if (n->certifications.len && !((r->failed | r->unverified) & cert))
        strlist_push(&r->reasons, "has every required certification");
    if (n->languages.len && !((r->failed | r->unverified) & lang))
        strlist_push(&r->reasons, "lists every required language");
    if (v->country[0])
        strlist_push_owned(&r->reasons, xasprintf("based in %s", country_text(v->country)));
    if (v->manual_tag)
        strlist_push_owned(&r->reasons, xasprintf("tagged %s by hand", v->process_type));
    else
        strlist_push_owned(
            &r->reasons, xasprintf("tagged %s (confidence %.2f)", v->process_type, v->confidence));
}

int score_reason_criterion(const char *reason)
{
    /* How the reason_* functions above start each reason, per criterion. */
    static const struct {
        const char *start;
        enum criterion c;
    } starts[] = {
        {"offers ", CRIT_SERVICE_COVERAGE}, {"serves ", CRIT_INDUSTRY},
        {"rating ", CRIT_RATING},           {"rate ", CRIT_PRICE},
        {"headcount ", CRIT_CAPACITY},      {"lists every required language", CRIT_LANGUAGES},
        {"language", CRIT_LANGUAGES},       {"tagged ", CRIT_CONFIDENCE},
    };
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
        if (strncmp(reason, starts[i].start, strlen(starts[i].start)) == 0)
            return (int)starts[i].c;
    if (strstr(reason, " employees")) /* size_text: "51-200 employees", ... */
        return CRIT_CAPACITY;
    return -1;
}

void score_vendor(const struct need *n, const struct vendor_cand *v, struct score_result *out)
{
    double total = 0;
    memset(out, 0, sizeof *out);
    out->v = v;
    strlist_init(&out->reasons);
    strlist_init(&out->failures);
    strlist_init(&out->matched_services);
    strlist_init(&out->unverified_reasons);
    check_constraints(n, v, out);
    for (int c = 0; c < CRIT_COUNT; c++) {
        out->points[c] = score_round2(n->weights[c] * score_criterion(n, v, c));
        total += out->points[c];
    }
    out->score = score_round2(total);
    out->cents = llround(out->score * 100.0);
    reason_services(n, out);
    reason_industries(n, v, out);
    reason_numbers(n, v, out);
    reason_tags(n, v, out);
    for (size_t i = 0; i < out->unverified_reasons.len; i++)
        strlist_push(&out->reasons, out->unverified_reasons.items[i]);
}

int score_tie_cmp(const struct vendor_cand *a, const struct vendor_cand *b)
{
    if (a->has_rating != b->has_rating)
        return a->has_rating ? -1 : 1;
    if (a->has_rating && a->rating != b->rating)
        return a->rating > b->rating ? -1 : 1;
    int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    if (c)
        return c < 0 ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

int score_result_cmp(const struct score_result *a, const struct score_result *b)
{
    if (a->cents != b->cents)
        return a->cents > b->cents ? -1 : 1;
    return score_tie_cmp(a->v, b->v);
}

static int cmp_results(const void *a, const void *b)
{
    return score_result_cmp(a, b);
}

static int cmp_cand_id(const void *a, const void *b)
{
    const struct vendor_cand *const *x = a, *const *y = b;
    return (*x)->id < (*y)->id ? -1 : (*x)->id > (*y)->id;
}

/* A near miss offers a requested service and fails exactly one other constraint. */
bool score_is_near_miss(const struct score_result *r)
{
    return r->n_failed == 1 && !(r->failed & (1u << CON_SERVICE));
}

/* Keeps the best `keep` of list[0..n) (sorted), freeing the rest. */
static size_t keep_best(struct score_result *list, size_t n, size_t keep)
{
    qsort(list, n, sizeof *list, cmp_results);
    for (size_t i = keep; i < n; i++)
        score_result_free(&list[i]);
    return n < keep ? n : keep;
}

void score_rank(const struct need *n, const struct vendor_cand *cands, size_t ncands,
                struct match_outcome *out)
{
    const struct vendor_cand **order = xcalloc(ncands ? ncands : 1, sizeof *order);
    size_t nq = 0, nn = 0;
    memset(out, 0, sizeof *out);
    out->results = xcalloc(ncands ? ncands : 1, sizeof *out->results);
    out->near = xcalloc(ncands ? ncands : 1, sizeof *out->near);
    for (size_t i = 0; i < ncands; i++)
        order[i] = &cands[i];
    qsort(order, ncands, sizeof *order, cmp_cand_id);
    for (size_t i = 0; i < ncands; i++) {
        struct score_result r;
        if (i > 0 && order[i]->id == order[i - 1]->id)
            continue;
        score_vendor(n, order[i], &r);
        if (r.n_failed == 0)
            out->results[nq++] = r;
        else if (score_is_near_miss(&r))
            out->near[nn++] = r;
        else
            score_result_free(&r);
    }
    free(order);
    out->n_qualifying = nq;
    out->n_results = keep_best(out->results, nq, (size_t)n->top);
    out->n_near = keep_best(out->near, nn, MATCH_NEAR_MISSES);
}

void match_outcome_truncate(struct match_outcome *o, size_t keep)
{
    for (size_t i = keep; i < o->n_results; i++)
        score_result_free(&o->results[i]);
    o->n_results = o->n_results < keep ? o->n_results : keep;
}

void match_outcome_free(struct match_outcome *o)
{
    for (size_t i = 0; i < o->n_results; i++)
        score_result_free(&o->results[i]);
    for (size_t i = 0; i < o->n_near; i++)
        score_result_free(&o->near[i]);
    free(o->results);
    free(o->near);
    memset(o, 0, sizeof *o);
}
