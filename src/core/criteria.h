/*
 * criteria: every hard constraint and every scoring criterion of a match,
 * each declared once, as a descriptor.
 *
 * The idea: a constraint's descriptor holds its C test (which says met,
 * unknown or failed, with the reason a client reads), when a need makes it
 * active, the fact whose unknown --require-known turns into a failure, and
 * its SQL over the vendors row: the predicate "known to be met" (the form
 * when the fact must be known) and "not known to fail" (the default), as
 * templates whose values become parameters. A criterion's descriptor holds
 * its weight key and default weight, its fraction 0..1 in C, the reason it
 * gives and, when the candidate walk bounds it per row, an SQL upper bound
 * of that fraction. score.c scores from this table and match_db.c builds its
 * candidate query from it, so adding a criterion or a constraint is adding
 * one descriptor. Pure: SQL is only text here; values travel as parameters
 * the db layer numbers (struct crit_params).
 */
#ifndef VM_CORE_CRITERIA_H
#define VM_CORE_CRITERIA_H

#include <stdbool.h>

#include "core/need.h"
#include "core/score.h"
#include "core/util.h"

/*
 * The SQL templates' placeholders (crit_sql_expand), over the vendors row v:
 *   $v          the part's own value, a parameter
 *   $name       another value by its name (lowercase: $max_rate), a parameter
 *   $w          the criterion's weight, a parameter
 *   $fx         the vendor's rate factor into the need's currency (NULL when
 *               its currency has no exchange rate): score_fx_factor in SQL
 *   $parts      (a constraint's own template) its active parts, in order
 *   $UPPER      a constant written into the SQL: a number of match_defaults.h
 *               or the type names the need accepts ($TYPES, $OTHER_TYPES)
 */

/* A value a template takes as a parameter. */
enum crit_value_kind {
    CRIT_V_LIST,        /* a text[]: list */
    CRIT_V_NUMBERS,     /* a float8[]: list holds the numbers as text */
    CRIT_V_NUMBER,      /* a float8: number */
    CRIT_V_SERVICE_IDS, /* the need's service categories as the catalog's ids (the db's) */
    CRIT_V_WEIGHT,      /* a float8: number, the weight of the criterion named name */
};

struct crit_value {
    const char *name; /* unique per kind and statement: the db adds each once */
    enum crit_value_kind kind;
    struct strlist list; /* owned by whoever filled it */
    double number;
};

/* How the db layer numbers values: param returns the $ number of v, adding
 * it as a parameter on the first use of its name and kind. */
struct crit_params {
    int (*param)(void *ctx, const struct crit_value *v);
    void *ctx;
};

/* One condition of a constraint: a bound (--max-rate, --min-rate) or the
 * whole constraint. */
struct crit_part {
    const char *name;                     /* its value's name; NULL: it has none */
    bool (*active)(const struct need *n); /* NULL: whenever the constraint is */
    void (*value)(const struct need *n, struct crit_value *out); /* fills kind, list, number */
    const char *met;                                             /* known to be met */
    const char *lenient; /* not known to fail: met, unknown or unsure */
};

#define CRIT_MAX_PARTS 2

struct con_desc {
    const char *name; /* "cert", for readers and traces */
    int fact;         /* the enum need_fact it decides on, -1: never unknown */
    bool (*active)(const struct need *n);
    /* The C test: fails or marks unknown (with the reasons) into r. */
    void (*check)(const struct need *n, const struct vendor_cand *v, struct score_result *r);
    /* A reason said when it does not fail ("based in India"), said just
     * before criterion reason_before's reasons; NULL: none. */
    void (*reason)(const struct need *n, const struct vendor_cand *v, struct score_result *r);
    int reason_before;
    /* The constraint around its parts ("$parts"); NULL: the parts alone. */
    const char *sql_met, *sql_lenient;
    const char *sql_fails;   /* an indexable "fails" when there is one, else NULL */
    const char *sql_met_all; /* services: offers every requested one */
    struct crit_part parts[CRIT_MAX_PARTS];
};

/* Indexed by enum constraint, in the order score_vendor checks them. */
extern const struct con_desc crit_constraints[CON_COUNT];

struct crit_desc {
    const char *key; /* --weight KEY=W, the JSON's points and weights keys */
    double weight;   /* the default weight */
    double (*fraction)(const struct need *n, const struct vendor_cand *v); /* 0..1, unrounded */
    void (*reason)(const struct need *n, const struct vendor_cand *v, struct score_result *r);
    /* How its reasons start ("rating "), then a text one contains; for
     * score_reason_criterion. */
    const char *reason_starts[3];
    const char *reason_contains;
    /* The row bound of match_db's walk: an SQL upper bound of the fraction
     * (times $w), NULL when the walk does not bound it per row. per_row
     * NULL: the key K bounds it, and it is in every row bound; else only
     * when per_row(n). */
    bool (*per_row)(const struct need *n);
    const char *sql_points;
};

/* Indexed by enum criterion. */
extern const struct crit_desc crit_criteria[CRIT_COUNT];

/* Coverage of the requested services a walk reads (match_db's tiers): any,
 * every one (m >= 2), some but not all. */
enum crit_cover { CRIT_COVER_ANY, CRIT_COVER_ALL, CRIT_COVER_SOME };

/*
 * The SQL of constraint c for n (NULL when n leaves it inactive): "known to
 * be met" when n requires its fact known, else "not known to fail"; the
 * services constraint as cover says. *fails (may be NULL) gets its
 * indexable "fails", or NULL. malloc'd.
 */
char *crit_constraint_sql(enum constraint c, const struct need *n, enum crit_cover cover,
                          const struct crit_params *p, char **fails);
/* The walk's row points for n: the sum of the criteria's sql_points, those
 * of the key first, then those per_row(n) asks for; NULL when no criterion
 * is bounded per row (the key K bounds the rest closely enough). malloc'd. */
char *crit_row_points_sql(const struct need *n, const struct crit_params *p);
/* Whether n bounds any criterion per row. */
bool crit_points_per_row(const struct need *n);

/* The price fraction of a rate in the need's currency under --max-rate. */
double crit_price_of_rate(const struct need *n, double rate);

#endif
