/*
 * classify: tags a vendor (or a client's need) BPO, KPO, HYBRID or
 * UNCLASSIFIED from weighted evidence: its service phrases matched against
 * the taxonomy, aliases found in its description (weaker), and nudges from
 * its expertise and data-security text. Every piece of evidence is kept so a
 * person can check the tag. Pure: the numbers live in classify_defaults.h.
 */
#ifndef VM_CLASSIFY_H
#define VM_CLASSIFY_H

#include <jansson.h>
#include <stddef.h>

#include "core/taxonomy.h"
#include "core/util.h"

struct classify_input {
    const char *const *services;
    size_t n_services;
    const char *description;
    const char *expertise;
    const char *data_security;
};

/* An evidence item borrows its strings: from the taxonomy's cache and
 * aliases (valid until the taxonomy's next lookup outside classify, or until
 * it changes) or static. Use the classification before the next classify(). */
struct tag_evidence {
    const char
        *phrase; /* the service as written, the alias found in the description, or the signal */
    const struct tax_category *category; /* NULL for expertise / data-security signals */
    enum tax_stage stage;
    const char *field; /* "services","description","expertise","data_security" */
    double weight;     /* what this item adds to its side (before per-category capping) */
    const char *side;  /* "BPO" | "KPO" (static) */
    const char *json;  /* this item as evidence JSON when cached (the taxonomy's memo), or NULL */
    size_t json_len;
};

struct classification {
    const char *process_type; /* static "BPO","KPO","HYBRID","UNCLASSIFIED" */
    double confidence;        /* 0..1 */
    double bpo_weight, kpo_weight;
    struct tag_evidence *evidence;
    size_t n_evidence;
    struct strlist categories; /* unique category codes matched from services */
    struct strlist unknown;    /* normalised service phrases that matched nothing */
};

/* Fills *out (which the caller later passes to classification_free). */
void classify(struct taxonomy *t, const struct classify_input *in, struct classification *out);
void classification_free(struct classification *c);

/* [{"phrase","category","side","stage","field","weight"}]; new reference. */
json_t *classification_evidence_json(const struct classification *c);

/* Appends the evidence as JSON text to out: byte for byte what
 * json_dumps(classification_evidence_json(c), JSON_COMPACT |
 * JSON_REAL_PRECISION(6)) gives, without building jansson objects. This is
 * the text stored in vendors.tag_evidence (import and re-tag alike). */
void classification_evidence_text(const struct classification *c, struct sbuf *out);

/* The tag the two side weights give (the rule classify applies), and its confidence. */
const char *classify_decide(double bpo_weight, double kpo_weight, double *confidence);

#endif
