/*
 * score: the weighted score, the ranking and the walk's bounds, over the
 * table of constraints and criteria in criteria.c: each constraint there
 * answers "does the catalog show this vendor meets it?" and, when not, says
 * why in words a client reads ("no ISO 27001", "rate $45/h above max
 * $30/h"); each criterion is a fraction 0..1 (score_criterion). match_db.c
 * builds its SQL from the same table.
 */
#include "core/score.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/criteria.h"
#include "core/match_defaults.h"
#include "core/money.h"

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
    return c < CON_COUNT ? crit_constraints[c].fact : -1;
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

bool score_fx_factor(const struct need *n, const char *currency, double *factor)
{
    const char *c = currency && currency[0] ? currency : "USD";
    double out = 0;
    *factor = 1.0;
    if (strcmp(c, n->currency) == 0)
        return true;
    return n->fx && fx_convert(n->fx, c, n->currency, 1.0, &out, factor);
}

void score_cheapest_rates_free(struct score_cheapest_rates *c)
{
    free(c->items);
    c->items = NULL;
    c->n = 0;
}

/* A vendor's price fraction is crit_price_of_rate of its rate scored, rate_min
 * (else rate_max) times its currency's factor, or 0 (no rate, no factor, an
 * open range that does not decide): never more than that of the
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
    return isfinite(least) ? crit_price_of_rate(n, least) : 0.0;
}

double score_criterion(const struct need *n, const struct vendor_cand *v, enum criterion c)
{
    return c < CRIT_COUNT ? crit_criteria[c].fraction(n, v) : 0.0;
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
    unsigned a = 0;
    for (int c = 0; c < CON_COUNT; c++)
        a |= crit_constraints[c].active(n) ? 1u << c : 0;
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

int score_reason_criterion(const char *reason)
{
    for (int c = 0; c < CRIT_COUNT; c++)
        for (int i = 0; i < 3 && crit_criteria[c].reason_starts[i]; i++) {
            const char *start = crit_criteria[c].reason_starts[i];
            if (strncmp(reason, start, strlen(start)) == 0)
                return c;
        }
    for (int c = 0; c < CRIT_COUNT; c++)
        if (crit_criteria[c].reason_contains && strstr(reason, crit_criteria[c].reason_contains))
            return c;
    return -1;
}

/* The reasons of every criterion in order, each constraint's just before
 * the criterion its reason_before names. */
static void add_reasons(const struct need *n, const struct vendor_cand *v, struct score_result *r)
{
    for (int k = 0; k < CRIT_COUNT; k++) {
        for (int c = 0; c < CON_COUNT; c++)
            if (crit_constraints[c].reason && crit_constraints[c].reason_before == k)
                crit_constraints[c].reason(n, v, r);
        crit_criteria[k].reason(n, v, r);
    }
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
    for (int c = 0; c < CON_COUNT; c++)
        if (crit_constraints[c].active(n))
            crit_constraints[c].check(n, v, out);
    for (int c = 0; c < CRIT_COUNT; c++) {
        out->points[c] = score_round2(n->weights[c] * score_criterion(n, v, c));
        total += out->points[c];
    }
    out->score = score_round2(total);
    out->cents = llround(out->score * 100.0);
    add_reasons(n, v, out);
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
