/*
 * score: decides which vendors suit a need and in what order.
 *
 * The idea: every hard constraint has three states, met, unknown and failed.
 * A fact the catalog does not state (no languages listed, no rate, a rate
 * in a currency with no exchange rate) leaves its constraint unknown, and so
 * does an open range whose known bound cannot decide ("< $25/h" against
 * --max-rate 20, "10+ employees" against --min-employees 500): the vendor
 * passes unverified, gets no points for that criterion and carries the
 * reason ("languages not listed by any source: unverified"), unless the need
 * requires the fact known (--strict, --require-known FACT): then unknown
 * fails. Only failures exclude and count towards near misses. A vendor
 * that passes them all gets a score, the weighted sum of seven criteria,
 * each a fraction from 0 to 1 rounded to hundredths of a point, so the SQL
 * bound in match_db and this code can be compared to the cent. Ranking is a
 * total order (score, rating, name, id) so the same data and need always
 * give the same list. Pure: plain structs in, plain structs out.
 */
#ifndef VM_CORE_SCORE_H
#define VM_CORE_SCORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/need.h"
#include "core/util.h"

/* A vendor as the matcher sees it: the facts it decides on, plus a snapshot
 * of contact details for the report. */
struct vendor_cand {
    long long id;
    char *name;
    char process_type[13]; /* effective type: BPO KPO HYBRID UNCLASSIFIED */
    bool manual_tag;
    double confidence;
    struct strlist services, certifications, languages, industries, delivery;
    char country[3]; /* "" when unknown */
    bool has_employees_min, has_employees_max;
    long employees_min, employees_max;
    bool has_rate;                   /* has_rate_min || has_rate_max */
    bool has_rate_min, has_rate_max; /* an open end ("< $25", "$150+") has none */
    double rate_min, rate_max;
    char currency[4];
    bool has_rating;
    double rating;
    char *website, *city, *email, *phone; /* NULL when unknown */
    double key; /* the quality key K it was fetched with (match_db walk), else 0 */
};

void vendor_cand_init(struct vendor_cand *v);
void vendor_cand_free(struct vendor_cand *v);

/* The hard constraints, for counting failures and naming them. */
enum constraint {
    CON_SERVICE,
    CON_TYPE,
    CON_CERT,
    CON_SENSITIVITY,
    CON_LANGUAGE,
    CON_COUNTRY,
    CON_EXCLUDE_COUNTRY,
    CON_EMPLOYEES,
    CON_RATE,
    CON_RATING,
    CON_DELIVERY,
    CON_COUNT
};

struct score_result {
    const struct vendor_cand *v; /* not owned */
    double points[CRIT_COUNT];   /* rounded to 0.01 */
    double score;                /* sum of points, rounded to 0.01 */
    long long cents;             /* score * 100, the comparison key */
    unsigned failed;             /* bit per enum constraint that fails */
    int n_failed;
    unsigned unverified;             /* bit per enum constraint passed with its fact unknown */
    struct strlist reasons;          /* why it scores as it does, one phrase each */
    struct strlist failures;         /* why it is excluded, one phrase per constraint */
    struct strlist matched_services; /* requested categories it offers */
    /* One phrase per unknown fact, "rate unknown: unverified"; also at the
     * end of reasons. Empty when every constraint is met or failed. */
    struct strlist unverified_reasons;
    /* The vendor's rate in the need's currency, when the need bounds the
     * rate and the vendor's currency differs and has an exchange rate. */
    bool converted;
    double conv_amount;    /* the rate scored: rate_min, else rate_max, converted */
    double conv_factor;    /* usd(vendor currency) / usd(need currency) */
    char conv_currency[4]; /* the need's currency */
    char conv_date[11];    /* the rates' date, "" when unknown */
};

void score_result_free(struct score_result *r);

/* The fact constraint c decides on (enum need_fact), or -1 (services, type:
 * never unknown). */
int score_constraint_fact(enum constraint c);
/* The need_fact names of r's unverified constraints, each once, in
 * need_fact order ("language", "rate"). */
void score_unverified_facts(const struct score_result *r, struct strlist *out);

/* The factor that turns an amount in `currency` ("" is USD) into the
 * need's currency: 1 for the same currency, else usd(currency) /
 * usd(need currency) from n->fx (fx_convert); false when either has no
 * exchange rate. match_db sends the same factors to SQL. */
bool score_fx_factor(const struct need *n, const char *currency, double *factor);

/* Checks every hard constraint and computes the (would-be) score. */
void score_vendor(const struct need *n, const struct vendor_cand *v, struct score_result *out);

/* Fraction 0..1 of criterion c for v (unrounded): what score_vendor uses. */
/* The criterion a reason of score_vendor speaks about ("rating 4.8" ->
 * CRIT_RATING, "51-200 employees" -> CRIT_CAPACITY), or -1 for a reason
 * that is about no criterion ("based in India"). */
int score_reason_criterion(const char *reason);
double score_criterion(const struct need *n, const struct vendor_cand *v, enum criterion c);

/* Total order: score desc, rating desc (unknown last), name (bytes), id. */
int score_result_cmp(const struct score_result *a, const struct score_result *b);
/* The part of that order after the score: rating desc (unknown last), name, id. */
int score_tie_cmp(const struct vendor_cand *a, const struct vendor_cand *b);

/* Excluded by exactly one constraint other than services: a near miss. */
bool score_is_near_miss(const struct score_result *r);

/* Ranked outcome of one need over a set of candidates. */
struct match_outcome {
    struct score_result *results; /* qualifying vendors, best first, at most need->top */
    size_t n_results;
    struct score_result *near; /* near misses, best first, at most MATCH_NEAR_MISSES */
    size_t n_near;
    size_t n_qualifying; /* how many of the candidates qualified in all */
};

/*
 * Scores every candidate (duplicates by id are scored once) and keeps the
 * best need->top qualifying ones and the best near misses: vendors that
 * offer a requested service (when any is requested) and fail exactly one
 * other hard constraint, best would-be score first.
 */
void score_rank(const struct need *n, const struct vendor_cand *cands, size_t ncands,
                struct match_outcome *out);
void match_outcome_free(struct match_outcome *o);
/* Keeps the first `keep` results (those ranked past it are freed). */
void match_outcome_truncate(struct match_outcome *o, size_t keep);

/*
 * Bounds for match_db's early-terminating walk (docs/matching.md, "Retrieval").
 * The walk visits vendors by descending quality key
 *   K(v) = rating / 5 (0 when unknown) + confidence (1 for a manual tag),
 * the expression of migrations/0003_match_quality_index.sql.
 */
/* K(v) as the index computes it. */
double score_quality_key(const struct vendor_cand *v);
/* Largest rating + confidence points of any vendor whose K is at most k:
 * max(w_r, w_c) * min(k, 1) + min(w_r, w_c) * max(0, k - 1) (k clamped to 0..2). */
double score_static_bound(const struct need *n, double k);
/* Largest points of the need-dependent criteria (coverage, industry, price,
 * capacity, languages) of any vendor whose service coverage is at most
 * coverage_max (1, or (m-1)/m for vendors offering some but not all of m)
 * and that fails constraint `failing` (-1: passes them all; a near-miss
 * walk's vendors fail one, which caps price, capacity or languages). */
double score_dynamic_bound(const struct need *n, double coverage_max, int failing);
/* `failing` for the near-miss walk: its vendors fail exactly one active
 * constraint other than services, any one, so the bound is the loosest of
 * score_dynamic_bound over those constraints. */
#define SCORE_FAILING_ANY (-2)
/* The constraints n makes active, one bit per enum constraint: the ones
 * score_vendor can find failed (type is always active). */
unsigned score_active_constraints(const struct need *n);
/* The walk may stop: every vendor with K <= k (and coverage_max, failing as
 * above) scores below kth_cents (the k-th best score so far, in cents), with
 * MATCH_BOUND_SLACK for rounding. */
bool score_walk_done(const struct need *n, double k, double coverage_max, int failing,
                     long long kth_cents);
/* The largest key k0 at which score_walk_done holds (same arguments): no
 * vendor with a key at most k0 can reach kth_cents, so the walk reads
 * keys above it only; -1 when every key is needed. */
double score_walk_floor(const struct need *n, double coverage_max, int failing,
                        long long kth_cents);
/* The cheapest rate the catalog states in each currency: the least
 * COALESCE(rate_min, rate_max) of its vendors in that currency ("USD" for
 * those with none), as match_db_cheapest_rates reads it. */
struct score_cheapest {
    char currency[4];
    double amount;
};
struct score_cheapest_rates {
    struct score_cheapest *items; /* owned */
    size_t n;
    bool known; /* false: not read, nothing is bounded */
};
void score_cheapest_rates_free(struct score_cheapest_rates *c);
/* The largest price fraction (score_criterion's CRIT_PRICE) any vendor of a
 * catalog with these cheapest rates can get under n's --max-rate: what the
 * cheapest of them, converted into n's currency, would get; 0 when no vendor
 * has a rate that converts (none can get price points); 1 without a rate
 * limit or when c is not known. The result goes in n->price_share_max (has_price_share_max). */
double score_price_share_max(const struct need *n, const struct score_cheapest_rates *c);
/* Whether match_db computes the price (a --max-rate above 0) and the
 * capacity (a --min-employees above 0) fractions of each row in SQL, for
 * the row bound below; otherwise they are in score_row_fixed_bound. */
bool score_price_per_row(const struct need *n);
bool score_capacity_per_row(const struct need *n);
/* The part of score_dynamic_bound (same arguments) that a row bound does
 * not compute per row: everything but the price and capacity points of
 * score_price_per_row and score_capacity_per_row. A vendor can reach
 * kth_cents only if its rating, confidence and per-row price and capacity
 * points are at least kth_cents / 100 - MATCH_BOUND_SLACK minus this. */
double score_row_fixed_bound(const struct need *n, double coverage_max, int failing);
/* False when v's rating and confidence fractions exceed its key (data the
 * bound cannot cover, e.g. a negative rating): the caller falls back. */
bool score_key_covers(const struct vendor_cand *v, double key);

/* The best k scores (cents) seen so far, for the walk's stop rule. */
struct score_topk {
    long long *cents; /* descending, at most k */
    size_t n, k;
};
void score_topk_init(struct score_topk *t, size_t k);
void score_topk_add(struct score_topk *t, long long cents);
/* The k-th best score in cents, or LLONG_MIN while fewer than k were added. */
long long score_topk_kth(const struct score_topk *t);
void score_topk_free(struct score_topk *t);

/* The rate as people read it: "$25/h", "$20-30/h", "< $25/h", "$150+/h",
 * "EUR 18/h"; "" when v has none. */
void score_rate_text(char *out, size_t size, const struct vendor_cand *v);

/* "ISO27001" -> "ISO 27001", "SOC2" -> "SOC 2" (letters then digits). Malloc'd. */
char *score_cert_display(const char *code);

/* Round to hundredths, half away from zero, robust to binary noise. */
double score_round2(double x);

#endif
