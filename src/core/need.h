/*
 * need: what a client asks for, as the matcher reads it.
 *
 * The idea: a need arrives as (field, text) pairs, from command-line options
 * or from the cells of a needs CSV, and every value goes through the same
 * normalize.h functions the importer uses on catalogs, so "India", "IND" and
 * "IN" all compare equal to a vendor's stored "IN". One setter serves both
 * paths, so options and needs files accept exactly the same values and fail
 * with the same reasons. Pure: no I/O, no libpq. Mapping the service phrases
 * to taxonomy categories needs the taxonomy, so the caller does it and hands
 * the verdict to need_resolve_type().
 */
#ifndef VM_CORE_NEED_H
#define VM_CORE_NEED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/fx.h"
#include "core/util.h"

/* The score criteria, in the order breakdowns list them. */
enum criterion {
    CRIT_SERVICE_COVERAGE,
    CRIT_INDUSTRY,
    CRIT_RATING,
    CRIT_PRICE,
    CRIT_CAPACITY,
    CRIT_LANGUAGES,
    CRIT_CONFIDENCE,
    CRIT_COUNT
};
const char *criterion_name(enum criterion c); /* "service_coverage", ... */
int criterion_by_name(const char *name);      /* -1 when unknown */

/* The fields a need has; also the columns a needs CSV may hold. */
enum need_field {
    NF_NAME,
    NF_SERVICE,
    NF_TYPE,
    NF_INDUSTRY,
    NF_COUNTRY,
    NF_EXCLUDE_COUNTRY,
    NF_LANGUAGE,
    NF_CERT,
    NF_MIN_EMPLOYEES,
    NF_MAX_RATE,
    NF_MIN_RATING,
    NF_SENSITIVITY,
    NF_DELIVERY,
    NF_WEIGHT,
    NF_TOP,
    NF_MIN_RATE,
    NF_STRICT,        /* "yes"/"no": every unknown fact excludes (--strict) */
    NF_REQUIRE_KNOWN, /* a need_fact name: its unknown excludes (--require-known) */
    NF_COUNT
};
/* Canonical column name ("service", "min_employees", ...). */
const char *need_field_name(enum need_field f);
/* A needs-file header -> field, ignoring case, spaces and punctuation and
 * accepting aliases ("Services", "Capabilities", "HQ", "Headcount", "Budget");
 * -1 when the header names no need field. */
int need_field_by_header(const char *header);
/* Multi-valued fields (services, countries...) split a CSV cell into values. */
bool need_field_is_multi(enum need_field f);

/* The facts a hard constraint decides on. A vendor whose data does not
 * state the fact (no languages listed, no rate...) passes that constraint
 * unverified, unless the need requires the fact known (--strict, or
 * --require-known NAME for one fact): then it fails (docs/matching.md). */
enum need_fact {
    FACT_LANGUAGE,  /* --language */
    FACT_CERT,      /* --cert, --sensitivity high */
    FACT_COUNTRY,   /* --country, --exclude-country */
    FACT_EMPLOYEES, /* --min-employees */
    FACT_RATE,      /* --max-rate, --min-rate */
    FACT_RATING,    /* --min-rating */
    FACT_DELIVERY,  /* --delivery */
    FACT_COUNT
};
const char *need_fact_name(enum need_fact f); /* "language", "cert", ... */
int need_fact_by_name(const char *name);      /* -1 when unknown */

enum need_type { NEED_TYPE_AUTO, NEED_TYPE_BPO, NEED_TYPE_KPO, NEED_TYPE_ANY };
/* What vendors the need accepts once the type is decided. */
enum need_process { NEED_PROCESS_BPO, NEED_PROCESS_KPO, NEED_PROCESS_ANY };
enum need_sensitivity { SENS_UNSET, SENS_LOW, SENS_MEDIUM, SENS_HIGH };

/* One requested service; category and side come from the taxonomy. */
struct need_service {
    char *phrase;   /* as given */
    char *category; /* taxonomy category code, or NULL when unknown */
    char side[4];   /* "BPO", "KPO" or "" */
};

struct need {
    char *name; /* the need column, else NULL */
    struct need_service *services;
    size_t n_services;
    struct strlist categories; /* distinct category codes of the services */
    enum need_type type;
    struct strlist industries, countries, exclude_countries, languages, certifications, delivery;
    bool has_min_employees, has_max_rate, has_min_rate, has_min_rating;
    long min_employees;
    double max_rate, min_rate;
    char currency[4]; /* of max_rate and min_rate; "USD" unless a value says otherwise */
    const char *max_rate_cur, *min_rate_cur; /* the code each rate named (static), or NULL */
    const struct fx_table *fx; /* exchange rates for the rate bounds (not owned), or NULL */
    /* The largest share of the price points any vendor of the catalog can
     * get, when has_price_share_max (score_price_share_max over the
     * catalog's cheapest rates, set with fx before matching). Only the
     * walk's bounds read it: a rate limit's price points are full for a
     * free vendor only. */
    bool has_price_share_max;
    double price_share_max;
    double min_rating;
    enum need_sensitivity sensitivity;
    bool strict;                /* --strict: every fact required known */
    unsigned require_known;     /* bit per enum need_fact (--require-known) */
    double weights[CRIT_COUNT]; /* as given; need_finish scales them to sum 100 */
    double weight_sum;          /* their sum as given, before need_finish scaled them */
    bool weight_given[CRIT_COUNT];
    int top;

    /* Decided by need_resolve_type. */
    enum need_process process;
    bool process_inferred;
    char *process_reason;
};

void need_init(struct need *n);
void need_free(struct need *n);

/*
 * Adds one value of a field (a single option's argument, or one part of a
 * split CSV cell). Returns 0, or -1 with *reason set to a malloc'd message
 * naming the bad text ("unknown country 'Atlantis'"), which the caller
 * prefixes with the option or file:line:column and frees.
 */
int need_set(struct need *n, enum need_field f, const char *value, char **reason);

/* Checks what only the whole need can tell and scales the weights so they
 * add up to 100. Returns 0 or -1 with a malloc'd *reason. */
int need_finish(struct need *n, char **reason);

/* The caller mapped service i to a taxonomy category (call once per
 * category a phrase names; the first describes the phrase). */
void need_set_service_category(struct need *n, size_t i, const char *category, const char *side);

/*
 * Decides the process type. An explicit --type wins. With auto, classified
 * is the classifier's verdict on the services ("BPO", "KPO", "HYBRID",
 * "UNCLASSIFIED") with its evidence weights; HYBRID and no services give
 * ANY. Fills process, process_inferred and process_reason (a sentence).
 */
void need_resolve_type(struct need *n, const char *classified, double bpo_weight,
                       double kpo_weight);

/* Whether an unknown fact f excludes a vendor (strict, or required known). */
bool need_requires_known(const struct need *n, enum need_fact f);

const char *need_process_name(enum need_process p);         /* "BPO", "KPO", "ANY" */
const char *need_type_name(enum need_type t);               /* "BPO", "KPO", "ANY", "auto" */
const char *need_sensitivity_name(enum need_sensitivity s); /* NULL when unset */

/* The "need" object of the match document (docs/shortlist-json.md). */
json_t *need_to_json(const struct need *n);
/* The "weights" object. */
json_t *need_weights_json(const struct need *n);

/* Case-folded (NFC), trimmed form used for industries and delivery models
 * on both sides of a comparison, as the importer stores them; inner spaces
 * stay as written. Malloc'd. */
char *need_label_norm(const char *text);

#endif
