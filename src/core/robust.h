/*
 * robust: how much a ranking depends on the exact criterion weights.
 *
 * The idea: the weights are a judgement, so a ranking should say how far
 * it survives other reasonable judgements. Two answers, both from the
 * per-criterion fractions score_criterion gives each ranked vendor:
 *
 *  - perturbation: every weight is multiplied by its own factor drawn
 *    uniformly from 1 - spread to 1 + spread, the weights are scaled to
 *    sum 100 again (as need_finish scales --weight), and each vendor is
 *    scored exactly as score_vendor does (points rounded to hundredths)
 *    and ranked in the same total order (score, rating, name, id). Counted
 *    over many draws: how often each vendor keeps its rank, how often it is
 *    in the top 3. The draws come from splitmix64 with a fixed seed and
 *    plain IEEE double arithmetic, so the figures are the same on every
 *    machine;
 *  - the swap threshold: for each criterion c alone, the weight at which
 *    #1 and #2 score the same, the other weights as they are. The scores'
 *    difference is linear in w_c (the scaling to 100 divides both scores
 *    by the same sum), so it is -D_others / (f1_c - f2_c). The nearest one
 *    within the weights --weight accepts is reported.
 *
 * Pure: plain structs in, plain structs out, no I/O.
 */
#ifndef VM_CORE_ROBUST_H
#define VM_CORE_ROBUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/need.h"
#include "core/score.h"

/* The next number of a splitmix64 stream (Steele, Lea and Flood 2014). */
uint64_t robust_splitmix64(uint64_t *state);
/* A double in [0, 1) from the next number's top 53 bits. */
double robust_uniform(uint64_t *state);

/* The weights of one draw: each of n's weights times 1 + spread * (2u - 1),
 * u = robust_uniform, in criterion order, then scaled to sum 100. */
void robust_draw_weights(const struct need *n, double spread, uint64_t *state,
                         double out[CRIT_COUNT]);

/* The smallest single weight change that puts #2 ahead of #1. */
struct robust_swap {
    bool found;          /* false: no single weight from 0 to MATCH_MAX_WEIGHT does */
    enum criterion crit; /* the weight to change */
    bool rises;          /* it must rise above threshold (else fall below it) */
    double weight;       /* crit's weight now, in --weight units, to hundredths */
    double threshold;    /* in --weight units, rounded outward to hundredths */
};

struct robust_outcome {
    int draws;
    double spread;
    size_t n;       /* vendors compared */
    int *rank_kept; /* per vendor (ranked order): draws in which it keeps its rank */
    int *top3;      /* draws in which it ranks in the top MATCH_ROBUST_TOP */
    bool has_pair;  /* at least two vendors: swap is meaningful */
    struct robust_swap swap;
};

/*
 * ranked[0..count) are qualifying vendors in their order under n's
 * weights (score_rank's results: the shown ones, then any extra ones just
 * below that could rise). Runs `draws` perturbations of +-spread from
 * MATCH_ROBUST_SEED and finds the #1/#2 swap threshold.
 */
void robust_compute(const struct need *n, const struct score_result *ranked, size_t count,
                    int draws, double spread, struct robust_outcome *out);
void robust_outcome_free(struct robust_outcome *o);

/* Just the threshold for a leader a and a challenger b (a ranks first). */
void robust_find_swap(const struct need *n, const struct vendor_cand *a,
                      const struct vendor_cand *b, struct robust_swap *out);

/* A share of draws as a whole percentage for a sentence: rounded, but
 * never 100 unless every draw, never 0 unless none. */
int robust_percent(double share);

#endif
