/*
 * match_defaults: every number the matcher decides with, in one place.
 *
 * The score of a vendor is a weighted sum of seven criteria, each giving a
 * fraction from 0 to 1 times its weight; the default weights add up to 100 so
 * the score reads as points out of 100. `--weight CRITERION=W` replaces a
 * weight, then all weights are scaled so they add up to 100 again. The
 * formulas themselves are in score.c and docs/matching.md.
 */
#ifndef VM_CORE_MATCH_DEFAULTS_H
#define VM_CORE_MATCH_DEFAULTS_H

/* Default weights (points out of 100), in criterion order (enum criterion). */
#define MATCH_W_SERVICE_COVERAGE 40.0 /* share of the requested services offered */
#define MATCH_W_INDUSTRY 10.0         /* share of the requested industries served */
#define MATCH_W_RATING 15.0           /* rating / 5 */
#define MATCH_W_PRICE 10.0            /* cheapest rate against --max-rate */
#define MATCH_W_CAPACITY 10.0         /* headcount against --min-employees */
#define MATCH_W_LANGUAGES 5.0         /* share of the requested languages spoken */
#define MATCH_W_CONFIDENCE 10.0       /* confidence of the vendor's BPO/KPO tag */

/* Highest rating on the catalog's scale (normalize.h: 0..5). */
#define MATCH_RATING_SCALE 5.0

/* Price fit: a vendor whose cheapest rate equals --max-rate gets this share
 * of the price points, a free one all of them, linear in between. */
#define MATCH_PRICE_AT_MAX 0.5

/* Capacity fit: full points at this multiple of --min-employees, linear
 * from 0 below it (a vendor just at the minimum gets half). */
#define MATCH_CAPACITY_FULL_AT 2.0

/* Results shown when --top is not given, and the largest --top accepted. */
#define MATCH_DEFAULT_TOP 10
#define MATCH_MAX_TOP 1000

/* The largest values a need accepts (larger ones are typing errors, and
 * --min-employees must fit the catalog's integer columns): headcount, hourly
 * rate in the need's currency, and one criterion's weight before scaling. */
#define MATCH_MAX_EMPLOYEES 10000000
#define MATCH_MAX_RATE 1000000
#define MATCH_MAX_WEIGHT 1000

/* Near misses: excluded vendors failing exactly one hard constraint, best
 * would-be score first; how many are listed. */
#define MATCH_NEAR_MISSES 5

/* Robustness of a ranking (robust.c, docs/matching.md "Robustness"): each
 * weight is multiplied by a factor drawn uniformly from 1 - SPREAD to
 * 1 + SPREAD, independently, DRAWS times, from a splitmix64 stream seeded
 * with SEED, so the same data and need give the same figures everywhere.
 * The vendors compared are the results shown plus up to EXTRA more
 * qualifying ones just below them, which could rise into the list. */
#define MATCH_ROBUST_DRAWS 1000
#define MATCH_ROBUST_SPREAD 0.25
#define MATCH_ROBUST_SEED 0x766D524F42555354ULL /* "vmROBUST" */
#define MATCH_ROBUST_EXTRA 5
/* Ranks counted as "top 3". */
#define MATCH_ROBUST_TOP 3

/* Candidate retrieval (match_db.c): vendors are read in descending quality
 * key, FIRST_CHUNK rows at first, each next chunk GROWTH times larger up to
 * MAX_CHUNK, until the bound is below the N-th best score. The bound adds
 * BOUND_SLACK points, which covers the rounding of each criterion to
 * hundredths (at most 0.04 points in all) and float noise in the key. */
#define MATCH_WALK_FIRST_CHUNK 16
#define MATCH_WALK_GROWTH 4
#define MATCH_WALK_MAX_CHUNK 16384
#define MATCH_BOUND_SLACK 0.05
/* A chunk read along the key index that takes longer than this (the
 * conditions match far fewer rows than the planner guessed, so it crawls
 * the index) is read again through the conditions' own indexes. */
#define MATCH_WALK_INDEX_TIMEOUT_MS 300
/* The same for a chunk reading only the near misses failing the type (with
 * services asked): often rare among the service's vendors, so a crawl is
 * cut short sooner (match_db.c). */
#define MATCH_WALK_RARE_TIMEOUT_MS 40

#endif
