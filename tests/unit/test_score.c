/*
 * test_score: the matcher's decisions on plain structs, no database. Each
 * hard constraint alone in its three states (met, unknown, failed; unknown
 * passes unverified unless --strict or --require-known), the criterion
 * formulas, weights, the total order (score, rating, name, id) and near
 * misses.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/match_defaults.h"
#include "core/need.h"
#include "core/score.h"

static void set(struct need *n, enum need_field f, const char *v)
{
    char *why = NULL;
    int rc = need_set(n, f, v, &why);
    if (rc != 0)
        fail_msg("need_set(%s, %s): %s", need_field_name(f), v, why);
    free(why);
}

/* A BPO need for customer support, type decided as BPO. */
static void bpo_need(struct need *n)
{
    need_init(n);
    set(n, NF_SERVICE, "customer support");
    need_set_service_category(n, 0, "customer_support", "BPO");
    char *why = NULL;
    assert_int_equal(need_finish(n, &why), 0);
    need_resolve_type(n, "BPO", 1.0, 0.0);
}

static void cand(struct vendor_cand *v, long long id, const char *name, double rating)
{
    vendor_cand_init(v);
    v->id = id;
    v->name = strdup(name);
    snprintf(v->process_type, sizeof v->process_type, "BPO");
    v->confidence = 0.8;
    strlist_push(&v->services, "customer_support");
    memcpy(v->country, "IN", 3);
    v->has_rating = rating >= 0;
    v->rating = rating;
    memcpy(v->currency, "USD", 4);
}

static void expect_fail(const struct need *n, const struct vendor_cand *v, enum constraint c,
                        const char *reason)
{
    struct score_result r;
    score_vendor(n, v, &r);
    assert_int_equal(r.n_failed, 1);
    assert_true(r.failed & (1u << c));
    assert_string_equal(r.failures.items[0], reason);
    score_result_free(&r);
}

static void expect_pass(const struct need *n, const struct vendor_cand *v)
{
    struct score_result r;
    score_vendor(n, v, &r);
    if (r.n_failed)
        fail_msg("unexpected failure: %s", r.failures.items[0]);
    score_result_free(&r);
}

/* The unknown state of constraint c (fact f) with `phrase`: by default
 * the vendor passes, c unverified with "phrase: unverified" in the
 * unverified reasons and at the end of the reasons; --strict and
 * --require-known f make it fail with the phrase; requiring another fact
 * known changes nothing. n is left as it was. */
static void expect_unknown(struct need *n, const struct vendor_cand *v, enum constraint c,
                           enum need_fact f, const char *phrase)
{
    struct score_result r;
    char want[512];
    snprintf(want, sizeof want, "%s: unverified", phrase);
    score_vendor(n, v, &r);
    if (r.n_failed)
        fail_msg("unexpected failure: %s", r.failures.items[0]);
    assert_true(r.unverified & (1u << c));
    assert_int_equal(score_constraint_fact(c), f);
    assert_true(strlist_contains(&r.unverified_reasons, want));
    assert_string_equal(r.reasons.items[r.reasons.len - 1],
                        r.unverified_reasons.items[r.unverified_reasons.len - 1]);
    struct strlist facts;
    strlist_init(&facts);
    score_unverified_facts(&r, &facts);
    assert_true(strlist_contains(&facts, need_fact_name(f)));
    strlist_free(&facts);
    score_result_free(&r);
    n->strict = true;
    snprintf(want, sizeof want, "%s (must be known: --strict)", phrase);
    expect_fail(n, v, c, want);
    n->strict = false;
    n->require_known = 1u << f;
    snprintf(want, sizeof want, "%s (must be known: --require-known %s)", phrase,
             need_fact_name(f));
    expect_fail(n, v, c, want);
    n->require_known = ~(1u << f) & ((1u << FACT_COUNT) - 1);
    score_vendor(n, v, &r);
    assert_int_equal(r.n_failed, 0);
    assert_true(r.unverified & (1u << c));
    score_result_free(&r);
    n->require_known = 0;
}

static void test_type(void **state)
{
    struct need n;
    struct vendor_cand v;
    bpo_need(&n);
    cand(&v, 1, "A", 4.0);
    expect_pass(&n, &v);
    snprintf(v.process_type, sizeof v.process_type, "HYBRID");
    expect_pass(&n, &v);
    snprintf(v.process_type, sizeof v.process_type, "KPO");
    expect_fail(&n, &v, CON_TYPE, "type KPO, need BPO");
    snprintf(v.process_type, sizeof v.process_type, "UNCLASSIFIED");
    expect_fail(&n, &v, CON_TYPE, "not classified");
    n.process = NEED_PROCESS_ANY;
    expect_fail(&n, &v, CON_TYPE, "not classified");
    snprintf(v.process_type, sizeof v.process_type, "KPO");
    expect_pass(&n, &v);
    vendor_cand_free(&v);
    need_free(&n);
}

static void test_services(void **state)
{
    struct need n;
    struct vendor_cand v;
    bpo_need(&n);
    cand(&v, 1, "A", 4.0);
    strlist_free(&v.services);
    strlist_push(&v.services, "collections");
    expect_fail(&n, &v, CON_SERVICE, "offers none of the requested services");
    vendor_cand_free(&v);
    need_free(&n);
}

static void test_certs_and_sensitivity(void **state)
{
    struct need n;
    struct vendor_cand v;
    bpo_need(&n);
    set(&n, NF_CERT, "ISO/IEC 27001:2013");
    cand(&v, 1, "A", 4.0);
    expect_unknown(&n, &v, CON_CERT, FACT_CERT, "certifications not listed by any source");
    strlist_push(&v.certifications, "ISO9001");
    expect_fail(&n, &v, CON_CERT, "no ISO 27001"); /* a known list without it */
    strlist_push(&v.certifications, "ISO27001");
    expect_pass(&n, &v);
    need_free(&n);
    bpo_need(&n);
    set(&n, NF_SENSITIVITY, "high");
    strlist_free(&v.certifications);
    strlist_init(&v.certifications);
    expect_unknown(&n, &v, CON_SENSITIVITY, FACT_CERT,
                   "certifications not listed by any source (high sensitivity needs a security "
                   "certification)");
    strlist_push(&v.certifications, "ISO9001");
    expect_fail(&n, &v, CON_SENSITIVITY, "no security certification (needed for high sensitivity)");
    strlist_push(&v.certifications, "SOC2");
    expect_pass(&n, &v);
    vendor_cand_free(&v);
    need_free(&n);
}

static void test_languages_countries(void **state)
{
    struct need n;
    struct vendor_cand v;
    bpo_need(&n);
    set(&n, NF_LANGUAGE, "German");
    cand(&v, 1, "A", 4.0);
    expect_unknown(&n, &v, CON_LANGUAGE, FACT_LANGUAGE, "languages not listed by any source");
    {
        struct score_result r; /* no language points, no "lists every required language" */
        score_vendor(&n, &v, &r);
        assert_float_equal(r.points[CRIT_LANGUAGES], 0.0, 1e-9);
        assert_false(strlist_contains(&r.reasons, "lists every required language"));
        score_result_free(&r);
    }
    strlist_push(&v.languages, "en");
    expect_fail(&n, &v, CON_LANGUAGE, "does not list German");
    strlist_push(&v.languages, "de");
    expect_pass(&n, &v);
    set(&n, NF_COUNTRY, "Philippines");
    expect_fail(&n, &v, CON_COUNTRY, "based in India, not an allowed country");
    v.country[0] = '\0';
    expect_unknown(&n, &v, CON_COUNTRY, FACT_COUNTRY, "country unknown");
    need_free(&n);
    bpo_need(&n);
    set(&n, NF_EXCLUDE_COUNTRY, "India");
    /* unknown country is not known to be excluded: unverified */
    expect_unknown(&n, &v, CON_EXCLUDE_COUNTRY, FACT_COUNTRY,
                   "country unknown, may be an excluded one");
    set(&n, NF_COUNTRY, "Philippines");
    {
        /* both country constraints: one phrase; --strict fails both (as SQL does) */
        struct score_result r;
        score_vendor(&n, &v, &r);
        assert_int_equal(r.n_failed, 0);
        assert_int_equal(r.unverified_reasons.len, 1);
        score_result_free(&r);
        n.strict = true;
        score_vendor(&n, &v, &r);
        assert_int_equal(r.n_failed, 2);
        assert_int_equal(r.failures.len, 1);
        assert_false(score_is_near_miss(&r));
        score_result_free(&r);
        n.strict = false;
    }
    need_free(&n);
    bpo_need(&n);
    set(&n, NF_EXCLUDE_COUNTRY, "India");
    memcpy(v.country, "IN", 3);
    expect_fail(&n, &v, CON_EXCLUDE_COUNTRY, "based in India, an excluded country");
    vendor_cand_free(&v);
    need_free(&n);
}

/* Vendor "A" rated 4.5 with 51-200 employees and a USD rate lo-hi. */
static void sized_cand(struct vendor_cand *v, double lo, double hi)
{
    cand(v, 1, "A", 4.5);
    v->has_employees_min = v->has_employees_max = true;
    v->employees_min = 51;
    v->employees_max = 200;
    v->has_rate = v->has_rate_min = v->has_rate_max = true;
    v->rate_min = lo;
    v->rate_max = hi;
}

static void test_numbers_and_unknowns(void **state)
{
    struct need n;
    struct vendor_cand v;
    bpo_need(&n);
    set(&n, NF_MIN_EMPLOYEES, "100");
    set(&n, NF_MAX_RATE, "30");
    set(&n, NF_MIN_RATING, "4");
    sized_cand(&v, 25, 49);
    expect_pass(&n, &v); /* capacity uses employees_max, price rate_min */
    v.rate_min = 45;
    expect_fail(&n, &v, CON_RATE, "rate $45-49/h above max $30/h");
    memcpy(v.currency, "EUR", 4);
    v.rate_min = 10;
    {
        /* no exchange rates: kept unverified, no price points, the reason says why */
        struct score_result r;
        score_vendor(&n, &v, &r);
        assert_int_equal(r.n_failed, 0);
        assert_true(r.points[CRIT_PRICE] == 0);
        score_result_free(&r);
        expect_unknown(&n, &v, CON_RATE, FACT_RATE,
                       "rate \u20ac10-49/h, no exchange rate for EUR (fx set EUR ...)");
    }
    struct fx_table fx;
    fx_table_init(&fx);
    fx_table_set(&fx, "EUR", 2, "2026-12-01");
    n.fx = &fx;
    v.rate_min = 20; /* $40 */
    expect_fail(&n, &v, CON_RATE,
                "rate \u20ac20-49/h \u2248 $40-98/h at 2, rates of 2026-12-01 above max $30/h");
    v.rate_min = 10; /* $20 */
    expect_pass(&n, &v);
    n.fx = NULL;
    fx_table_free(&fx);
    v.has_rate = false;
    expect_unknown(&n, &v, CON_RATE, FACT_RATE, "rate unknown");
    v.has_rate = true;
    memcpy(v.currency, "USD", 4);
    v.employees_max = 80;
    expect_fail(&n, &v, CON_EMPLOYEES, "51-80 employees, below min 100");
    v.has_employees_min = v.has_employees_max = false;
    expect_unknown(&n, &v, CON_EMPLOYEES, FACT_EMPLOYEES, "headcount unknown");
    v.has_employees_min = true;
    v.employees_min = 10000; /* "10,000+": open upper end */
    v.has_employees_max = false;
    v.rating = 3.9;
    expect_fail(&n, &v, CON_RATING, "rating 3.9 below min 4.0");
    v.has_rating = false;
    expect_unknown(&n, &v, CON_RATING, FACT_RATING, "rating unknown");
    vendor_cand_free(&v);
    need_free(&n);
}

/* Open ranges: the known bound decides when it can ("< $25" meets max 25
 * and 30, "$150+" fails max 100, "10,000+" meets min 500, "< 50" fails min
 * 100); otherwise the vendor is not excluded, gets no points for that
 * criterion and says why ("rate < $25/h, may exceed max $20/h"). */
static void expect_open(const struct need *n, const struct vendor_cand *v, enum criterion c,
                        double points, const char *reason)
{
    struct score_result r;
    score_vendor(n, v, &r);
    if (r.n_failed)
        fail_msg("unexpected failure: %s", r.failures.items[0]);
    assert_float_equal(r.points[c], points, 1e-9);
    assert_true(strlist_contains(&r.reasons, reason));
    score_result_free(&r);
}

static void test_open_ranges(void **state)
{
    struct need n;
    struct vendor_cand v;
    (void)state;
    bpo_need(&n);
    set(&n, NF_MAX_RATE, "25");
    cand(&v, 1, "A", 4.5);
    v.has_rate = v.has_rate_max = true; /* "< $25 / hr" */
    v.rate_max = 25;
    expect_open(&n, &v, CRIT_PRICE, 5.0, "rate < $25/h within max $25/h"); /* priced at 25 */
    need_free(&n);
    bpo_need(&n);
    set(&n, NF_MAX_RATE, "20");
    expect_open(&n, &v, CRIT_PRICE, 0.0, "rate < $25/h, may exceed max $20/h: unverified");
    expect_unknown(&n, &v, CON_RATE, FACT_RATE, "rate < $25/h, may exceed max $20/h");
    assert_float_equal(score_criterion(&n, &v, CRIT_PRICE), 0.0, 1e-9);
    v.has_rate_max = false; /* "$150+ / hr" */
    v.has_rate_min = true;
    v.rate_min = 150;
    need_free(&n);
    bpo_need(&n);
    set(&n, NF_MAX_RATE, "100");
    expect_fail(&n, &v, CON_RATE, "rate $150+/h above max $100/h");
    need_free(&n);
    bpo_need(&n);
    set(&n, NF_MAX_RATE, "200");
    expect_open(&n, &v, CRIT_PRICE, 6.25, "rate $150+/h within max $200/h"); /* 0.5+0.5*50/200 */
    need_free(&n);

    bpo_need(&n);
    set(&n, NF_MIN_EMPLOYEES, "500");
    v.has_employees_min = true; /* "10,000+" */
    v.employees_min = 10000;
    expect_open(&n, &v, CRIT_CAPACITY, 10.0, "10000+ employees");
    v.employees_min = 10; /* "10+" */
    expect_open(&n, &v, CRIT_CAPACITY, 0.0, "10+ employees, may be below min 500: unverified");
    expect_unknown(&n, &v, CON_EMPLOYEES, FACT_EMPLOYEES, "10+ employees, may be below min 500");
    v.has_employees_min = false; /* "< 50" */
    v.has_employees_max = true;
    v.employees_max = 50;
    expect_fail(&n, &v, CON_EMPLOYEES, "< 50 employees, below min 500");
    need_free(&n);
    bpo_need(&n);
    set(&n, NF_MIN_EMPLOYEES, "25");
    expect_open(&n, &v, CRIT_CAPACITY, 10.0, "< 50 employees");
    vendor_cand_free(&v);
    need_free(&n);
}

static void test_delivery(void **state)
{
    struct need n;
    struct vendor_cand v;
    bpo_need(&n);
    set(&n, NF_DELIVERY, "Offshore");
    cand(&v, 1, "A", 4.0);
    expect_unknown(&n, &v, CON_DELIVERY, FACT_DELIVERY, "delivery model unknown");
    strlist_push(&v.delivery, "onshore");
    expect_fail(&n, &v, CON_DELIVERY, "delivers onshore, not a requested model");
    strlist_push(&v.delivery, "offshore");
    expect_pass(&n, &v);
    vendor_cand_free(&v);
    need_free(&n);
}

static void test_points(void **state)
{
    struct need n;
    struct vendor_cand v;
    struct score_result r;
    need_init(&n);
    set(&n, NF_SERVICE, "customer support");
    set(&n, NF_SERVICE, "collections");
    need_set_service_category(&n, 0, "customer_support", "BPO");
    need_set_service_category(&n, 1, "collections", "BPO");
    set(&n, NF_INDUSTRY, "Healthcare");
    set(&n, NF_MAX_RATE, "$30");
    set(&n, NF_MIN_EMPLOYEES, "100");
    char *why = NULL;
    assert_int_equal(need_finish(&n, &why), 0);
    need_resolve_type(&n, "BPO", 2.0, 0.0);
    cand(&v, 1, "A", 4.5);
    strlist_push(&v.industries, "healthcare");
    v.has_rate = v.has_rate_min = true;
    v.rate_min = 15;
    v.has_employees_max = true;
    v.employees_max = 150;
    score_vendor(&n, &v, &r);
    assert_int_equal(r.n_failed, 0);
    assert_float_equal(r.points[CRIT_SERVICE_COVERAGE], 20.0, 1e-9); /* 1 of 2 */
    assert_float_equal(r.points[CRIT_INDUSTRY], 10.0, 1e-9);
    assert_float_equal(r.points[CRIT_RATING], 13.5, 1e-9);
    assert_float_equal(r.points[CRIT_PRICE], 7.5, 1e-9);    /* 0.5 + 0.5 * 15/30 */
    assert_float_equal(r.points[CRIT_CAPACITY], 7.5, 1e-9); /* 150 / 200 */
    assert_float_equal(r.points[CRIT_LANGUAGES], 5.0, 1e-9);
    assert_float_equal(r.points[CRIT_CONFIDENCE], 8.0, 1e-9);
    assert_float_equal(r.score, 71.5, 1e-9);
    assert_int_equal(r.cents, 7150);
    assert_string_equal(r.reasons.items[0], "offers 1 of 2 requested services");
    score_result_free(&r);
    v.manual_tag = true; /* a hand-set tag counts as certain */
    v.has_rating = false;
    score_vendor(&n, &v, &r);
    assert_float_equal(r.points[CRIT_CONFIDENCE], 10.0, 1e-9);
    assert_float_equal(r.points[CRIT_RATING], 0.0, 1e-9);
    score_result_free(&r);
    vendor_cand_free(&v);
    need_free(&n);
}

static void test_weights(void **state)
{
    struct need n;
    char *why = NULL;
    need_init(&n);
    set(&n, NF_WEIGHT, "rating=40");
    set(&n, NF_WEIGHT, "confidence=0");
    assert_int_equal(need_finish(&n, &why), 0);
    double sum = 0;
    for (int c = 0; c < CRIT_COUNT; c++)
        sum += n.weights[c];
    assert_float_equal(sum, 100.0, 1e-9);
    assert_float_equal(n.weights[CRIT_RATING], 40.0 * 100.0 / 115.0, 1e-9);
    assert_float_equal(n.weights[CRIT_CONFIDENCE], 0.0, 1e-9);
    assert_int_equal(need_set(&n, NF_WEIGHT, "speed=3", &why), -1);
    assert_non_null(strstr(why, "unknown criterion 'speed'"));
    free(why);
    need_free(&n);
    need_init(&n);
    for (int c = 0; c < CRIT_COUNT; c++) {
        char w[64];
        snprintf(w, sizeof w, "%s=0", criterion_name(c));
        set(&n, NF_WEIGHT, w);
    }
    assert_int_equal(need_finish(&n, &why), -1);
    free(why);
    need_free(&n);
}

/* Equal score and rating: name, then id decide; unknown rating sorts last. */
static void test_order(void **state)
{
    struct need n;
    struct vendor_cand c[5];
    struct match_outcome o;
    bpo_need(&n);
    cand(&c[0], 9, "Beta", 4.0);
    cand(&c[1], 3, "Alpha", 4.0);
    cand(&c[2], 7, "Alpha", 4.0);
    cand(&c[3], 1, "Zulu", 4.0);
    c[3].confidence = 0.9; /* +1 point: first */
    cand(&c[4], 2, "Aaron", -1);
    c[4].confidence = 1.0; /* +2 points, -12 for no rating: last */
    score_rank(&n, c, 5, &o);
    assert_int_equal(o.n_results, 5);
    assert_int_equal(o.results[0].v->id, 1);
    assert_int_equal(o.results[1].v->id, 3);
    assert_int_equal(o.results[2].v->id, 7);
    assert_int_equal(o.results[3].v->id, 9);
    assert_int_equal(o.results[4].v->id, 2);
    match_outcome_free(&o);
    /* Same score, different ratings can still tie when weights ignore rating. */
    need_free(&n);
    need_init(&n);
    set(&n, NF_WEIGHT, "rating=0");
    char *why = NULL;
    assert_int_equal(need_finish(&n, &why), 0);
    need_resolve_type(&n, NULL, 0, 0);
    c[1].rating = 3.0;
    c[3].confidence = 0.8;
    c[4].confidence = 0.8;
    score_rank(&n, c, 5, &o);
    assert_int_equal(o.results[0].v->id, 7); /* rating 4.0, Alpha */
    assert_int_equal(o.results[1].v->id, 9); /* 4.0, Beta */
    assert_int_equal(o.results[2].v->id, 1); /* 4.0, Zulu */
    assert_int_equal(o.results[3].v->id, 3); /* 3.0 */
    assert_int_equal(o.results[4].v->id, 2); /* unknown */
    match_outcome_free(&o);
    for (int i = 0; i < 5; i++)
        vendor_cand_free(&c[i]);
    need_free(&n);
}

static void test_near_misses(void **state)
{
    struct need n;
    struct vendor_cand c[4];
    struct match_outcome o;
    bpo_need(&n);
    set(&n, NF_CERT, "ISO 27001");
    cand(&c[0], 1, "Good", 4.0);
    strlist_push(&c[0].certifications, "ISO27001");
    cand(&c[1], 2, "NoCert", 5.0); /* fails one: a near miss */
    strlist_push(&c[1].certifications, "ISO9001");
    cand(&c[2], 3, "NoCertKPO", 5.0);
    strlist_push(&c[2].certifications, "ISO9001");
    snprintf(c[2].process_type, sizeof c[2].process_type, "KPO"); /* fails two */
    cand(&c[3], 4, "OtherService", 5.0);
    strlist_free(&c[3].services);
    strlist_push(&c[3].services, "collections");
    strlist_push(&c[3].certifications, "ISO27001"); /* fails only services: not near */
    score_rank(&n, c, 4, &o);
    assert_int_equal(o.n_results, 1);
    assert_int_equal(o.n_qualifying, 1);
    assert_int_equal(o.n_near, 1);
    assert_int_equal(o.near[0].v->id, 2);
    assert_string_equal(o.near[0].failures.items[0], "no ISO 27001");
    assert_true(o.near[0].score > o.results[0].score);
    match_outcome_free(&o);
    for (int i = 0; i < 4; i++)
        vendor_cand_free(&c[i]);
    need_free(&n);
}

/* Unknown is not a failure for near misses either: a vendor failing one
 * constraint with another fact unknown is a near miss, unless --strict
 * makes the unknown a second failure. A vendor with a language unknown
 * qualifies below an equal one that lists it (no language points). */
static void test_near_miss_unknowns(void **state)
{
    struct need n;
    struct vendor_cand c[3];
    struct match_outcome o;
    (void)state;
    bpo_need(&n);
    set(&n, NF_CERT, "ISO 27001");
    set(&n, NF_LANGUAGE, "English");
    cand(&c[0], 1, "Known", 4.0);
    strlist_push(&c[0].certifications, "ISO27001");
    strlist_push(&c[0].languages, "en");
    cand(&c[1], 2, "NoLanguages", 4.0);
    strlist_push(&c[1].certifications, "ISO27001");
    cand(&c[2], 3, "WrongCertNoLanguages", 5.0);
    strlist_push(&c[2].certifications, "ISO9001");
    score_rank(&n, c, 3, &o);
    assert_int_equal(o.n_results, 2);
    assert_int_equal(o.results[0].v->id, 1);
    assert_int_equal(o.results[1].v->id, 2);
    assert_int_equal(o.results[1].unverified, 1u << CON_LANGUAGE);
    assert_float_equal(o.results[0].score - o.results[1].score, n.weights[CRIT_LANGUAGES], 0.011);
    assert_int_equal(o.n_near, 1);
    assert_int_equal(o.near[0].v->id, 3);
    assert_string_equal(o.near[0].failures.items[0], "no ISO 27001");
    assert_true(o.near[0].unverified & (1u << CON_LANGUAGE));
    match_outcome_free(&o);
    n.strict = true;
    score_rank(&n, c, 3, &o);
    assert_int_equal(o.n_results, 1);
    assert_int_equal(o.n_near, 1); /* NoLanguages fails one (unknown language) */
    assert_int_equal(o.near[0].v->id, 2);
    assert_string_equal(o.near[0].failures.items[0],
                        "languages not listed by any source (must be known: --strict)");
    match_outcome_free(&o);
    for (int i = 0; i < 3; i++)
        vendor_cand_free(&c[i]);
    need_free(&n);
}

static void test_top_and_duplicates(void **state)
{
    struct need n;
    struct vendor_cand c[3];
    struct match_outcome o;
    bpo_need(&n);
    n.top = 1;
    cand(&c[0], 5, "A", 3.0);
    cand(&c[1], 5, "A", 3.0); /* the same vendor fetched twice */
    cand(&c[2], 6, "B", 4.0);
    score_rank(&n, c, 3, &o);
    assert_int_equal(o.n_qualifying, 2);
    assert_int_equal(o.n_results, 1);
    assert_int_equal(o.results[0].v->id, 6);
    match_outcome_free(&o);
    for (int i = 0; i < 3; i++)
        vendor_cand_free(&c[i]);
    need_free(&n);
}

static void test_helpers(void **state)
{
    char *s = score_cert_display("SOC2");
    assert_string_equal(s, "SOC 2");
    free(s);
    s = score_cert_display("PCIDSS");
    assert_string_equal(s, "PCIDSS");
    free(s);
    assert_float_equal(score_round2(13.045), 13.05, 1e-12);
    assert_float_equal(score_round2(2.675), 2.68, 1e-12);
    assert_float_equal(score_round2(0.004), 0.0, 1e-12);
}

/* The walk's bounds: static part of K, need-dependent part, stop rule. */
/* A need with rate, headcount and two languages, for the near-miss caps. */
static void capped_need(struct need *n)
{
    need_init(n);
    set(n, NF_SERVICE, "customer support");
    need_set_service_category(n, 0, "customer_support", "BPO");
    set(n, NF_MAX_RATE, "30");
    set(n, NF_MIN_EMPLOYEES, "100");
    set(n, NF_LANGUAGE, "English");
    set(n, NF_LANGUAGE, "Hindi");
    char *why = NULL;
    assert_int_equal(need_finish(n, &why), 0);
    need_resolve_type(n, "BPO", 1.0, 0.0);
}

/* Near-miss walks: a vendor failing the rate, headcount or a language
 * scores within the bound capped for that failure, and the caps are real. */
static void test_walk_failing_caps(void **state)
{
    struct need n;
    struct vendor_cand v;
    (void)state;
    capped_need(&n);
    double full = score_dynamic_bound(&n, 1.0, -1);
    assert_float_equal(score_dynamic_bound(&n, 1.0, CON_RATE), full - 5.0, 1e-9);
    assert_float_equal(score_dynamic_bound(&n, 1.0, CON_EMPLOYEES), full - 5.0, 1e-9);
    assert_float_equal(score_dynamic_bound(&n, 1.0, CON_LANGUAGE), full - 2.5, 1e-9);
    assert_float_equal(score_dynamic_bound(&n, 1.0, CON_COUNTRY), full, 1e-9);
    for (int i = 0; i < 400; i++) {
        struct score_result sr;
        cand(&v, i, "X", (i % 51) / 10.0);
        v.has_rate = i % 7 != 0;
        v.has_rate_min = v.has_rate && i % 4 != 0; /* every fourth "< $N" */
        v.has_rate_max = v.has_rate && i % 6 != 0; /* every sixth "$N+" */
        v.has_rate = v.has_rate_min || v.has_rate_max;
        v.rate_min = v.rate_max = (i * 37) % 200 / 2.0;
        v.has_employees_max = i % 5 != 0;
        v.employees_max = (i * 53) % 400;
        v.has_employees_min = true;
        v.employees_min = (i * 31) % 300;
        strlist_push(&v.languages, i % 2 ? "en" : "hi");
        if (i % 3 == 0)
            strlist_push(&v.languages, i % 2 ? "hi" : "en");
        score_vendor(&n, &v, &sr);
        double stat = score_static_bound(&n, score_quality_key(&v)) + MATCH_BOUND_SLACK;
        for (int c = 0; c < CON_COUNT; c++)
            if (sr.failed & (1u << c))
                assert_true(sr.score <= stat + score_dynamic_bound(&n, 1.0, c));
        score_result_free(&sr);
        vendor_cand_free(&v);
    }
    need_free(&n);
}

/* The price bound from the catalog's cheapest rates: what the cheapest
 * vendor, converted, would get; and no vendor of that catalog gets more,
 * whatever its currency, range or class. */
static void test_price_share_max(void **state)
{
    struct need n;
    struct fx_table fx;
    (void)state;
    capped_need(&n); /* max $30 */
    fx_table_init(&fx);
    fx_table_set(&fx, "EUR", 1.5, "2026-12-01");
    fx_table_set(&fx, "GBP", 2, "2026-12-01");
    n.fx = &fx;
    struct score_cheapest items[] = {{"USD", 18}, {"EUR", 8}, {"GBP", 10}, {"JPY", 1}};
    struct score_cheapest_rates c = {.items = items, .n = 4, .known = true};
    /* EUR 8 = $12 is the cheapest (JPY has no exchange rate: no points) */
    double cap = score_price_share_max(&n, &c);
    assert_float_equal(cap, 0.5 + 0.5 * (30.0 - 12.0) / 30.0, 1e-12);
    c.n = 1; /* only USD 18 */
    assert_float_equal(score_price_share_max(&n, &c), 0.5 + 0.5 * 12.0 / 30.0, 1e-12);
    c.n = 0; /* no vendor has a rate: nobody gets price points */
    assert_float_equal(score_price_share_max(&n, &c), 0.0, 0);
    c.known = false; /* not read: no bound */
    assert_float_equal(score_price_share_max(&n, &c), 1.0, 0);
    c.known = true;
    c.n = 3; /* USD, EUR, GBP: the catalog below */
    /* the bounds use it: the price criterion's share of each class bound */
    double full = score_dynamic_bound(&n, 1.0, -1);
    n.price_share_max = score_price_share_max(&n, &c);
    n.has_price_share_max = true;
    double w = n.weights[CRIT_PRICE];
    assert_float_equal(score_dynamic_bound(&n, 1.0, -1), full - w * (1 - n.price_share_max), 1e-9);
    assert_float_equal(score_dynamic_bound(&n, 1.0, CON_COUNTRY),
                       full - w * (1 - n.price_share_max), 1e-9);
    assert_float_equal(score_dynamic_bound(&n, 1.0, CON_RATE), full - w * 0.5,
                       1e-9); /* 0.5 < 0.8 */
    /* the row bound does not hold the price (it is per row in SQL) */
    assert_float_equal(
        score_row_fixed_bound(&n, 1.0, -1),
        score_dynamic_bound(&n, 1.0, -1) - w * n.price_share_max - n.weights[CRIT_CAPACITY], 1e-9);
    /* every vendor of a catalog whose cheapest rates these are scores
     * within its class's bound, in any currency, open range or failure */
    static const char *curs[] = {"USD", "EUR", "GBP", "JPY", ""};
    for (int i = 0; i < 2000; i++) {
        struct vendor_cand v;
        struct score_result sr;
        cand(&v, i, "X", (i % 51) / 10.0);
        const char *cur = curs[i % 5];
        snprintf(v.currency, sizeof v.currency, "%s", cur);
        double floor = !cur[0] || strcmp(cur, "USD") == 0 ? 18 : strcmp(cur, "EUR") == 0 ? 8 : 10;
        v.has_rate_min = i % 4 != 0;
        v.has_rate_max = i % 6 != 0;
        v.has_rate = v.has_rate_min || v.has_rate_max;
        v.rate_min = floor + (i * 37) % 200 / 4.0;
        v.rate_max = v.has_rate_min ? v.rate_min + (i % 9) : floor + (i * 13) % 60;
        v.has_employees_max = true;
        v.employees_max = (i * 53) % 400;
        v.confidence = (i % 21) / 20.0;
        strlist_push(&v.languages, "en");
        strlist_push(&v.languages, "hi");
        score_vendor(&n, &v, &sr);
        double stat = score_static_bound(&n, score_quality_key(&v)) + MATCH_BOUND_SLACK;
        assert_true(sr.points[CRIT_PRICE] <= w * n.price_share_max + 0.005);
        if (sr.n_failed == 0)
            assert_true(sr.score <= stat + score_dynamic_bound(&n, 1.0, -1));
        for (int k = 0; k < CON_COUNT; k++)
            if (sr.n_failed == 1 && (sr.failed & (1u << k)))
                assert_true(sr.score <= stat + score_dynamic_bound(&n, 1.0, k));
        score_result_free(&sr);
        vendor_cand_free(&v);
    }
    /* a currency that gets an exchange rate counts: 1 JPY is nearly free */
    fx_table_set(&fx, "JPY", 0.0066, "2026-12-01");
    c.n = 4;
    assert_true(score_price_share_max(&n, &c) > 0.99);
    n.fx = NULL;
    fx_table_free(&fx);
    need_free(&n);
}

/* The walk's key floor: done at the floor and below, not just above it;
 * the active constraints and the near-miss bound (loosest of their caps). */
static void test_walk_floor(void **state)
{
    struct need n;
    (void)state;
    capped_need(&n);
    unsigned active = score_active_constraints(&n);
    assert_int_equal(active, (1u << CON_SERVICE) | (1u << CON_TYPE) | (1u << CON_RATE) |
                                 (1u << CON_EMPLOYEES) | (1u << CON_LANGUAGE));
    /* type is always active and uncapped: the near bound is the full one */
    assert_float_equal(score_dynamic_bound(&n, 1.0, SCORE_FAILING_ANY),
                       score_dynamic_bound(&n, 1.0, -1), 1e-12);
    assert_float_equal(score_walk_floor(&n, 1.0, -1, LLONG_MIN), -1, 0);
    assert_float_equal(score_walk_floor(&n, 1.0, -1, 100), -1, 0); /* even key 0 can reach 1 pt */
    assert_float_equal(score_walk_floor(&n, 1.0, -1, 1000000), 2.0, 0);
    for (int c = -1; c < CON_COUNT; c++)
        for (long long kth = 7600; kth <= 10000; kth += 37) {
            double f = score_walk_floor(&n, 1.0, c, kth);
            if (f < 0) {
                assert_false(score_walk_done(&n, 0, 1.0, c, kth));
                continue;
            }
            assert_true(score_walk_done(&n, f, 1.0, c, kth));
            assert_true(score_walk_done(&n, f / 2, 1.0, c, kth));
            if (f < 2.0)
                assert_false(score_walk_done(&n, f + 1e-9, 1.0, c, kth));
        }
    need_free(&n);
}

static void test_walk_bounds(void **state)
{
    struct need n;
    struct vendor_cand v;
    (void)state;
    bpo_need(&n); /* default weights: rating 15, confidence 10 */
    assert_float_equal(score_static_bound(&n, 0.0), 0.0, 1e-12);
    assert_float_equal(score_static_bound(&n, 0.5), 7.5, 1e-12); /* all on rating */
    assert_float_equal(score_static_bound(&n, 1.0), 15.0, 1e-12);
    assert_float_equal(score_static_bound(&n, 1.4), 19.0, 1e-12); /* 15 + 10 x 0.4 */
    assert_float_equal(score_static_bound(&n, 2.0), 25.0, 1e-12);
    assert_float_equal(score_static_bound(&n, 3.0), 25.0, 1e-12); /* clamped */
    /* no industry, price, capacity or language asked: constants, full */
    assert_float_equal(score_dynamic_bound(&n, 1.0, -1), 75.0, 1e-12);
    assert_float_equal(score_dynamic_bound(&n, 0.5, -1), 55.0, 1e-12);
    /* the bound holds for every rating/confidence split of a key */
    for (int r = 0; r <= 50; r++)
        for (int c = 0; c <= 20; c++) {
            cand(&v, 1, "X", r / 10.0);
            v.confidence = c / 20.0;
            struct score_result sr;
            score_vendor(&n, &v, &sr);
            double key = score_quality_key(&v);
            assert_true(score_key_covers(&v, key));
            assert_true(sr.score <= score_static_bound(&n, key) + score_dynamic_bound(&n, 1.0, -1) +
                                        MATCH_BOUND_SLACK);
            score_result_free(&sr);
            vendor_cand_free(&v);
        }
    /* stop only when the bound + slack is strictly below the k-th score */
    assert_false(score_walk_done(&n, 2.0, 1.0, -1, LLONG_MIN));
    assert_false(score_walk_done(&n, 1.0, 1.0, -1, 9005)); /* 15 + 75 + 0.05 = 90.05 */
    assert_true(score_walk_done(&n, 1.0, 1.0, -1, 9006));
    need_free(&n);
    /* custom weights: confidence heavier than rating */
    bpo_need(&n);
    set(&n, NF_WEIGHT, "confidence=60");
    char *why = NULL;
    assert_int_equal(need_finish(&n, &why), 0);
    double wc = n.weights[CRIT_CONFIDENCE], wr = n.weights[CRIT_RATING];
    assert_float_equal(score_static_bound(&n, 1.5), wc + wr * 0.5, 1e-9);
    need_free(&n);
}

static void test_topk(void **state)
{
    struct score_topk t;
    (void)state;
    score_topk_init(&t, 3);
    score_topk_add(&t, 500);
    score_topk_add(&t, 700);
    assert_true(score_topk_kth(&t) == LLONG_MIN);
    score_topk_add(&t, 600);
    assert_int_equal(score_topk_kth(&t), 500);
    score_topk_add(&t, 550);
    score_topk_add(&t, 100);
    assert_int_equal(score_topk_kth(&t), 550);
    score_topk_add(&t, 700);
    assert_int_equal(score_topk_kth(&t), 600);
    score_topk_free(&t);
}

/* Every reason score_vendor writes about a criterion maps back to it (the
 * table's short reason depends on it); "based in" is about none. */
static void test_reason_criterion(void **state)
{
    (void)state;
    struct need n;
    struct vendor_cand v;
    struct score_result r;
    bpo_need(&n);
    set(&n, NF_INDUSTRY, "retail");
    set(&n, NF_LANGUAGE, "English");
    set(&n, NF_MAX_RATE, "30");
    sized_cand(&v, 25, 25);
    strlist_push(&v.languages, "en");
    snprintf(v.country, sizeof v.country, "IN");
    score_vendor(&n, &v, &r);
    bool seen[CRIT_COUNT] = {false};
    for (size_t i = 0; i < r.reasons.len; i++) {
        int c = score_reason_criterion(r.reasons.items[i]);
        if (strncmp(r.reasons.items[i], "based in", 8) == 0)
            assert_int_equal(c, -1);
        else
            assert_true(c >= 0 && c < CRIT_COUNT);
        if (c >= 0)
            seen[c] = true;
    }
    for (int c = 0; c < CRIT_COUNT; c++)
        assert_true(seen[c]);
    assert_int_equal(score_reason_criterion("headcount unknown"), CRIT_CAPACITY);
    assert_int_equal(score_reason_criterion("rating unknown"), CRIT_RATING);
    score_result_free(&r);
    vendor_cand_free(&v);
    need_free(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type),
        cmocka_unit_test(test_reason_criterion),
        cmocka_unit_test(test_open_ranges),
        cmocka_unit_test(test_services),
        cmocka_unit_test(test_certs_and_sensitivity),
        cmocka_unit_test(test_languages_countries),
        cmocka_unit_test(test_numbers_and_unknowns),
        cmocka_unit_test(test_delivery),
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_near_misses),
        cmocka_unit_test(test_near_miss_unknowns),
        cmocka_unit_test(test_top_and_duplicates),
        cmocka_unit_test(test_walk_bounds),
        cmocka_unit_test(test_walk_failing_caps),
        cmocka_unit_test(test_walk_floor),
        cmocka_unit_test(test_price_share_max),
        cmocka_unit_test(test_topk),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
