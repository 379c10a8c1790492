/*
 * test_robust: the ranking's robustness on plain structs. The PRNG against
 * splitmix64's published outputs, the drawn weights' range and sum, the
 * perturbation counts against a brute force through score_vendor and
 * score_rank (the matcher's own path, with each draw's weights put in the
 * need), and the swap threshold by scoring both sides of it.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/match_defaults.h"
#include "core/need.h"
#include "core/robust.h"
#include "core/score.h"

static void set(struct need *n, enum need_field f, const char *v)
{
    char *why = NULL;
    if (need_set(n, f, v, &why) != 0)
        fail_msg("need_set(%s, %s): %s", need_field_name(f), v, why);
    free(why);
}

/* Customer support within $40/h, with the extra weights given ("price=30"). */
static void make_need(struct need *n, const char *const *weights, size_t nw)
{
    char *why = NULL;
    need_init(n);
    set(n, NF_SERVICE, "customer support");
    need_set_service_category(n, 0, "customer_support", "BPO");
    set(n, NF_MAX_RATE, "40");
    set(n, NF_INDUSTRY, "healthcare");
    for (size_t i = 0; i < nw; i++)
        set(n, NF_WEIGHT, weights[i]);
    assert_int_equal(need_finish(n, &why), 0);
    need_resolve_type(n, "BPO", 1.0, 0.0);
}

static void cand(struct vendor_cand *v, long long id, const char *name, double rating, double rate,
                 double confidence, bool healthcare)
{
    vendor_cand_init(v);
    v->id = id;
    v->name = strdup(name);
    snprintf(v->process_type, sizeof v->process_type, "BPO");
    v->confidence = confidence;
    strlist_push(&v->services, "customer_support");
    if (healthcare)
        strlist_push(&v->industries, "healthcare");
    v->has_rating = rating >= 0;
    v->rating = rating;
    v->has_rate = v->has_rate_min = v->has_rate_max = true;
    v->rate_min = v->rate_max = rate;
    memcpy(v->currency, "USD", 4);
}

static void test_splitmix64(void **state)
{
    (void)state;
    uint64_t s = 0; /* the reference outputs of splitmix64 seeded with 0 */
    assert_true(robust_splitmix64(&s) == 0xE220A8397B1DCDAFULL);
    assert_true(robust_splitmix64(&s) == 0x6E789E6AA1B965F4ULL);
    assert_true(robust_splitmix64(&s) == 0x06C45D188009454FULL);
    s = 0;
    double u = robust_uniform(&s);
    assert_true(u == (double)(0xE220A8397B1DCDAFULL >> 11) / 9007199254740992.0);
    for (int i = 0; i < 10000; i++) {
        u = robust_uniform(&s);
        assert_true(u >= 0.0 && u < 1.0);
    }
}

static void test_draw_weights(void **state)
{
    (void)state;
    struct need n;
    make_need(&n, NULL, 0);
    uint64_t s = MATCH_ROBUST_SEED, s2 = MATCH_ROBUST_SEED;
    double lo[CRIT_COUNT], hi[CRIT_COUNT];
    for (int c = 0; c < CRIT_COUNT; c++)
        lo[c] = 1e9, hi[c] = -1;
    for (int d = 0; d < 2000; d++) {
        double w[CRIT_COUNT], w2[CRIT_COUNT], sum = 0;
        robust_draw_weights(&n, 0.25, &s, w);
        robust_draw_weights(&n, 0.25, &s2, w2);
        assert_memory_equal(w, w2, sizeof w); /* same seed, same draws */
        for (int c = 0; c < CRIT_COUNT; c++) {
            sum += w[c];
            double ratio = w[c] / n.weights[c];
            lo[c] = ratio < lo[c] ? ratio : lo[c];
            hi[c] = ratio > hi[c] ? ratio : hi[c];
            /* +-25% before scaling to 100: a ratio within 0.75/1.25..1.25/0.75 */
            assert_true(ratio >= 0.75 / 1.25 - 1e-12 && ratio <= 1.25 / 0.75 + 1e-12);
        }
        assert_true(fabs(sum - 100.0) < 1e-9);
    }
    for (int c = 0; c < CRIT_COUNT; c++) /* the draws do vary each weight */
        assert_true(lo[c] < 0.9 && hi[c] > 1.1);
    need_free(&n);
}

#define NV 8

static void vendors(struct vendor_cand *v)
{
    /* Close scores, so perturbations reorder them; two share a score to
     * exercise the tie order. */
    cand(&v[0], 1, "Alpha", 4.8, 30, 0.90, true);
    cand(&v[1], 2, "Bravo", 4.2, 18, 0.95, true);
    cand(&v[2], 3, "Charlie", 5.0, 38, 0.70, true);
    cand(&v[3], 4, "Delta", 3.9, 12, 0.85, true);
    cand(&v[4], 5, "Echo", 4.6, 25, 0.80, false);
    cand(&v[5], 6, "Foxtrot", 4.6, 25, 0.80, false); /* Echo's twin: tie by name */
    cand(&v[6], 7, "Golf", 4.0, 20, 1.00, true);
    cand(&v[7], 8, "Hotel", -1, 10, 0.90, true); /* rating unknown */
}

/* Brute force: each draw's weights put in the need, every vendor scored by
 * score_vendor and ranked by score_rank. */
static void brute(const struct need *base, const struct vendor_cand *v, size_t nv, int draws,
                  double spread, int *kept, int *top3)
{
    struct need n = *base;
    struct match_outcome ref, o;
    uint64_t s = MATCH_ROBUST_SEED;
    n.top = (int)nv;
    score_rank(&n, v, nv, &ref);
    for (int d = 0; d < draws; d++) {
        robust_draw_weights(base, spread, &s, n.weights);
        score_rank(&n, v, nv, &o);
        for (size_t r = 0; r < o.n_results; r++) {
            size_t i = 0;
            while (ref.results[i].v != o.results[r].v)
                i++;
            kept[i] += r == i;
            top3[i] += r < 3;
        }
        match_outcome_free(&o);
    }
    match_outcome_free(&ref);
}

static void test_perturbation_matches_brute_force(void **state)
{
    (void)state;
    static const char *const w[] = {"price=30", "industry=0"};
    struct vendor_cand v[NV];
    struct need n;
    struct match_outcome out;
    struct robust_outcome rob;
    vendors(v);
    for (int variant = 0; variant < 2; variant++) {
        int kept[NV] = {0}, top3[NV] = {0};
        make_need(&n, w, variant ? 2 : 0);
        n.top = NV;
        score_rank(&n, v, NV, &out);
        assert_int_equal(out.n_results, NV);
        robust_compute(&n, out.results, out.n_results, 1000, 0.25, &rob);
        brute(&n, v, NV, 1000, 0.25, kept, top3);
        assert_int_equal(rob.n, NV);
        int moved = 0;
        for (size_t i = 0; i < NV; i++) {
            assert_int_equal(rob.rank_kept[i], kept[i]);
            assert_int_equal(rob.top3[i], top3[i]);
            moved += kept[i] < 1000;
        }
        assert_true(moved >= 4); /* the figures are not trivially 100% */
        robust_outcome_free(&rob);
        match_outcome_free(&out);
        need_free(&n);
    }
    for (size_t i = 0; i < NV; i++)
        vendor_cand_free(&v[i]);
}

static void test_no_spread_keeps_every_rank(void **state)
{
    (void)state;
    struct vendor_cand v[NV];
    struct need n;
    struct match_outcome out;
    struct robust_outcome rob;
    vendors(v);
    make_need(&n, NULL, 0);
    n.top = NV;
    score_rank(&n, v, NV, &out);
    robust_compute(&n, out.results, out.n_results, 50, 0.0, &rob);
    for (size_t i = 0; i < NV; i++) {
        assert_int_equal(rob.rank_kept[i], 50);
        assert_int_equal(rob.top3[i], i < 3 ? 50 : 0);
    }
    robust_outcome_free(&rob);
    robust_compute(&n, out.results, 1, 10, 0.25, &rob); /* one vendor: always #1, no pair */
    assert_int_equal(rob.rank_kept[0], 10);
    assert_false(rob.has_pair);
    robust_outcome_free(&rob);
    robust_compute(&n, out.results, 0, 10, 0.25, &rob);
    assert_int_equal(rob.n, 0);
    robust_outcome_free(&rob);
    match_outcome_free(&out);
    need_free(&n);
    for (size_t i = 0; i < NV; i++)
        vendor_cand_free(&v[i]);
}

/* Scores a and b under the need's default weights plus "crit=value". */
static int order_at(const struct vendor_cand *a, const struct vendor_cand *b,
                    const char *const *extra, size_t nextra, enum criterion crit, double value)
{
    const char *w[4];
    char buf[64];
    struct need n;
    struct score_result ra, rb;
    for (size_t i = 0; i < nextra; i++)
        w[i] = extra[i];
    snprintf(buf, sizeof buf, "%s=%.2f", criterion_name(crit), value);
    w[nextra] = buf;
    make_need(&n, w, nextra + 1);
    score_vendor(&n, a, &ra);
    score_vendor(&n, b, &rb);
    int c = score_result_cmp(&ra, &rb);
    score_result_free(&ra);
    score_result_free(&rb);
    need_free(&n);
    return c;
}

static void test_swap_threshold(void **state)
{
    (void)state;
    static const char *const custom[] = {"price=15", "rating=25"};
    struct vendor_cand a, b;
    struct need n;
    struct robust_swap sw;
    /* a: better rated, dearer; b: cheaper. */
    cand(&a, 1, "Alpha", 4.9, 35, 0.9, true);
    cand(&b, 2, "Bravo", 3.5, 12, 0.9, true);
    for (int variant = 0; variant < 2; variant++) {
        const char *const *extra = variant ? custom : NULL;
        size_t nextra = variant ? 2 : 0;
        make_need(&n, extra, nextra);
        struct score_result ra, rb;
        score_vendor(&n, &a, &ra);
        score_vendor(&n, &b, &rb);
        assert_true(score_result_cmp(&ra, &rb) < 0); /* a leads */
        score_result_free(&ra);
        score_result_free(&rb);
        robust_find_swap(&n, &a, &b, &sw);
        assert_true(sw.found);
        assert_int_equal(sw.crit, CRIT_PRICE); /* the nearest of price up, rating down */
        assert_true(sw.rises);
        assert_true(fabs(sw.weight - (variant ? 15.0 : 10.0)) < 1e-9);
        assert_true(sw.threshold > sw.weight);
        /* Past the threshold b leads; before it a does (with a margin for
         * the rounding of points to hundredths). */
        assert_true(order_at(&a, &b, extra, nextra, sw.crit, sw.threshold + 0.5) > 0);
        assert_true(order_at(&a, &b, extra, nextra, sw.crit, sw.threshold - 0.5) < 0);
        need_free(&n);
    }
    vendor_cand_free(&a);
    vendor_cand_free(&b);
}

static void expect_no_swap(const struct vendor_cand *a, const struct vendor_cand *b)
{
    struct need n;
    struct robust_swap sw;
    make_need(&n, NULL, 0);
    robust_find_swap(&n, a, b, &sw);
    assert_false(sw.found);
    need_free(&n);
}

static void test_swap_falls_and_none(void **state)
{
    (void)state;
    struct vendor_cand a, b;
    struct need n;
    struct robust_swap sw;
    static const char *const w[] = {"rating=60", "price=10"};
    /* a leads on rating only; b better on price: with rating heavy, the
     * nearest change is the rating falling. */
    cand(&a, 1, "Alpha", 5.0, 38, 0.9, true);
    cand(&b, 2, "Bravo", 4.0, 20, 0.9, true);
    make_need(&n, w, 2);
    robust_find_swap(&n, &a, &b, &sw);
    assert_true(sw.found);
    if (sw.crit == CRIT_RATING) {
        assert_false(sw.rises);
        assert_true(sw.threshold < 60);
        assert_true(order_at(&a, &b, w, 2, CRIT_RATING, sw.threshold - 0.5) > 0);
        assert_true(order_at(&a, &b, w, 2, CRIT_RATING, sw.threshold + 0.5) < 0);
    } else {
        assert_int_equal(sw.crit, CRIT_PRICE);
        assert_true(sw.rises);
    }
    need_free(&n);
    vendor_cand_free(&a);
    vendor_cand_free(&b);

    /* a at least as good on every criterion: nothing swaps them. */
    cand(&a, 1, "Alpha", 4.9, 20, 0.95, true);
    cand(&b, 2, "Bravo", 4.0, 30, 0.90, true);
    expect_no_swap(&a, &b);
    vendor_cand_free(&b);
    /* b better on price only, by a hair: the price weight needed is beyond 1000. */
    cand(&b, 2, "Bravo", 3.0, 19.9, 0.5, false);
    expect_no_swap(&a, &b);
    vendor_cand_free(&a);
    vendor_cand_free(&b);
}

static void test_percent(void **state)
{
    (void)state;
    assert_int_equal(robust_percent(1.0), 100);
    assert_int_equal(robust_percent(0.999), 99);
    assert_int_equal(robust_percent(0.944), 94);
    assert_int_equal(robust_percent(0.945), 95);
    assert_int_equal(robust_percent(0.001), 1);
    assert_int_equal(robust_percent(0.0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64),
        cmocka_unit_test(test_draw_weights),
        cmocka_unit_test(test_perturbation_matches_brute_force),
        cmocka_unit_test(test_no_spread_keeps_every_rank),
        cmocka_unit_test(test_swap_threshold),
        cmocka_unit_test(test_swap_falls_and_none),
        cmocka_unit_test(test_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
