/*
 * score: decides which vendors suit a need and in what order.
 *
 * The idea: every hard constraint is a yes/no question about the catalog's
 * facts, and a fact the catalog does not state never passes a requirement
 * (unknown rating with --min-rating excludes, "rating unknown"); a vendor
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
    bool has_rate;
    double rate_min, rate_max;
    char currency[4];
    bool has_rating;
    double rating;
    char *website, *city, *email, *phone; /* NULL when unknown */
    double bound;                         /* the SQL upper bound it was fetched with (match_db) */
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
    struct strlist reasons;          /* why it scores as it does, one phrase each */
    struct strlist failures;         /* why it is excluded, one phrase per constraint */
    struct strlist matched_services; /* requested categories it offers */
};

void score_result_free(struct score_result *r);

/* Checks every hard constraint and computes the (would-be) score. */
void score_vendor(const struct need *n, const struct vendor_cand *v, struct score_result *out);

/* Fraction 0..1 of criterion c for v (unrounded): what score_vendor uses. */
double score_criterion(const struct need *n, const struct vendor_cand *v, enum criterion c);

/* Total order: score desc, rating desc (unknown last), name (bytes), id. */
int score_result_cmp(const struct score_result *a, const struct score_result *b);

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

/* "ISO27001" -> "ISO 27001", "SOC2" -> "SOC 2" (letters then digits). Malloc'd. */
char *score_cert_display(const char *code);

/* Round to hundredths, half away from zero, robust to binary noise. */
double score_round2(double x);

#endif
