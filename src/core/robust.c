/*
 * robust: rank stability under perturbed weights and the #1/#2 swap
 * threshold (robust.h, docs/matching.md "Robustness"). The per-draw work
 * is O(vendors x criteria) plus one sort of the vendors compared, on
 * fractions computed once, so 1,000 draws over 15 vendors take well under
 * a millisecond. Every figure is plain IEEE double arithmetic in a fixed
 * order (no fused multiply-add: the build is ISO C, and clang is told
 * below), so the same need and data give the same figures on any machine.
 */
#include "core/robust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/match_defaults.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

uint64_t robust_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double robust_uniform(uint64_t *state)
{
    return (double)(robust_splitmix64(state) >> 11) * 0x1.0p-53;
}

void robust_draw_weights(const struct need *n, double spread, uint64_t *state,
                         double out[CRIT_COUNT])
{
    double sum = 0;
    for (int c = 0; c < CRIT_COUNT; c++) {
        double u = robust_uniform(state);
        out[c] = n->weights[c] * (1.0 + spread * (2.0 * u - 1.0));
        sum += out[c];
    }
    for (int c = 0; c < CRIT_COUNT; c++) /* as need_finish scales them */
        out[c] = sum > 0 ? out[c] * 100.0 / sum : 0;
}

/* A score in cents under weights w, as score_vendor computes it. */
static long long draw_cents(const double *frac, const double w[CRIT_COUNT])
{
    double total = 0;
    for (int c = 0; c < CRIT_COUNT; c++)
        total += score_round2(w[c] * frac[c]);
    return llround(score_round2(total) * 100.0);
}

/* by_tie[0..count): the vendors' indexes in the tie order (rating, name,
 * id), which no weight changes. Insertion sort: done once, on a short list. */
static void sort_by_tie(const struct score_result *ranked, size_t *by_tie, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t j = i, x = i;
        for (; j > 0 && score_tie_cmp(ranked[by_tie[j - 1]].v, ranked[x].v) > 0; j--)
            by_tie[j] = by_tie[j - 1];
        by_tie[j] = x;
    }
}

static int cmp_key(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

/* Bits of a sort key that hold the vendor's place in the tie order. */
#define TIE_BITS 20

void robust_compute(const struct need *n, const struct score_result *ranked, size_t count,
                    int draws, double spread, struct robust_outcome *out)
{
    size_t m = count ? count : 1;
    double *frac = xcalloc(m * CRIT_COUNT, sizeof *frac);
    size_t *by_tie = xcalloc(m, sizeof *by_tie), *tie_pos = xcalloc(m, sizeof *tie_pos);
    uint64_t *keys = xcalloc(m, sizeof *keys), state = MATCH_ROBUST_SEED;
    memset(out, 0, sizeof *out);
    out->draws = draws;
    out->spread = spread;
    out->n = count;
    out->rank_kept = xcalloc(m, sizeof *out->rank_kept);
    out->top3 = xcalloc(m, sizeof *out->top3);
    for (size_t i = 0; i < count; i++)
        for (int c = 0; c < CRIT_COUNT; c++)
            frac[i * CRIT_COUNT + c] = score_criterion(n, ranked[i].v, c);
    sort_by_tie(ranked, by_tie, count);
    for (size_t i = 0; i < count; i++)
        tie_pos[by_tie[i]] = i;
    /* A key orders a draw: higher score first, then the tie order. Scores
     * are at most a few 10,000 cents and count at most MATCH_MAX_TOP plus
     * extra, so both fit. */
    for (int d = 0; d < draws; d++) {
        double w[CRIT_COUNT];
        robust_draw_weights(n, spread, &state, w);
        for (size_t i = 0; i < count; i++) {
            long long cents = draw_cents(&frac[i * CRIT_COUNT], w);
            keys[i] = ((uint64_t)(1000000 - cents) << TIE_BITS) | tie_pos[i];
        }
        qsort(keys, count, sizeof *keys, cmp_key);
        for (size_t r = 0; r < count; r++) {
            size_t i = by_tie[keys[r] & ((1u << TIE_BITS) - 1)];
            out->rank_kept[i] += r == i;
            out->top3[i] += r < MATCH_ROBUST_TOP;
        }
    }
    out->has_pair = count >= 2;
    if (out->has_pair)
        robust_find_swap(n, ranked[0].v, ranked[1].v, &out->swap);
    free(frac);
    free(by_tie);
    free(tie_pos);
    free(keys);
}

void robust_outcome_free(struct robust_outcome *o)
{
    free(o->rank_kept);
    free(o->top3);
    memset(o, 0, sizeof *o);
}

void robust_find_swap(const struct need *n, const struct vendor_cand *a,
                      const struct vendor_cand *b, struct robust_swap *out)
{
    double delta[CRIT_COUNT], diff = 0, best = INFINITY;
    /* --weight units per scaled unit: the weights as given summed to weight_sum. */
    double unit = (n->weight_sum > 0 ? n->weight_sum : 100.0) / 100.0;
    memset(out, 0, sizeof *out);
    for (int c = 0; c < CRIT_COUNT; c++) {
        delta[c] = score_criterion(n, a, c) - score_criterion(n, b, c);
        diff += n->weights[c] * delta[c];
    }
    for (int c = 0; c < CRIT_COUNT; c++) {
        if (fabs(delta[c]) < 1e-12)
            continue; /* this weight moves both scores alike */
        double w = n->weights[c];
        double x = -(diff - w * delta[c]) / delta[c]; /* a's lead is 0 at w_c = x */
        bool rises = delta[c] < 0;                    /* b gains where it is better */
        /* A lead the rounding to hundredths or the tie order gave: any change helps. */
        if ((rises && x < w) || (!rises && x > w))
            x = w;
        double t =
            rises ? ceil(x * unit * 100.0 - 1e-6) / 100.0 : floor(x * unit * 100.0 + 1e-6) / 100.0;
        if (rises ? t >= MATCH_MAX_WEIGHT : x <= 0)
            continue; /* beyond the weights --weight accepts */
        if (t < 0)
            t = 0;
        if (fabs(x - w) < best) {
            best = fabs(x - w);
            out->found = true;
            out->crit = (enum criterion)c;
            out->rises = rises;
            out->weight = round(w * unit * 100.0) / 100.0;
            out->threshold = t;
        }
    }
}

int robust_percent(double share)
{
    int p = (int)lround(share * 100.0);
    if (p >= 100 && share < 1.0)
        return 99;
    if (p <= 0 && share > 0.0)
        return 1;
    return p;
}
