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
#include <stdint.h>

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
    const char *field;    /* "services","description","expertise","data_security" */
    double weight;        /* what this item adds to its side (before per-category capping) */
    const char *side;     /* "BPO" | "KPO" (static) */
    size_t service_index; /* services: the index in classify_input.services, else SIZE_MAX */
    const char *tail;     /* the item's stored tail when cached (the taxonomy's memo), or NULL */
    size_t tail_len;
};

struct classification {
    const char *process_type; /* static "BPO","KPO","HYBRID","UNCLASSIFIED" */
    double confidence;        /* 0..1 */
    double bpo_weight, kpo_weight;
    struct tag_evidence *evidence;
    size_t n_evidence;
    /* The categories matched from services, each once, in the order first
     * matched: what vendors.services stores (their ids). */
    const struct tax_category **categories;
    size_t n_categories, cap_categories;
    struct strlist unknown; /* normalised service phrases that matched nothing */
};

/* Fills *out (which the caller later passes to classification_free). */
void classify(struct taxonomy *t, const struct classify_input *in, struct classification *out);
void classification_free(struct classification *c);

/* [{"phrase","category","side","stage","field","weight"}]; new reference. */
json_t *classification_evidence_json(const struct classification *c);

/*
 * The evidence as stored in vendors.tag_evidence (import and re-tag alike): a
 * compact text, items separated by ';', each "<field><phrase>:<category>:
 * <stage>:<weight>" (docs/classification.md). A services item names its
 * phrase by its index in service_phrases (the vendor's stored list, the one
 * classify was given) rather than repeating it. Appends to out; "" when there
 * is no evidence. The same classification and list always give the same text.
 */
void classification_evidence_compact(const struct classification *c,
                                     const struct strlist *service_phrases, struct sbuf *out);

/* What decoding needs of a category; a set kept sorted by id. */
struct evidence_category {
    int id;
    char *code;
    const char *side; /* "BPO" | "KPO" (static) */
};
struct evidence_categories {
    struct evidence_category *items;
    size_t n;
};
/* Adds a category (no-op for a known id); process_type "KPO" or else BPO. */
void evidence_categories_add(struct evidence_categories *cats, int id, const char *code,
                             const char *process_type);
void evidence_categories_from_taxonomy(struct evidence_categories *cats, const struct taxonomy *t);
void evidence_categories_free(struct evidence_categories *cats);

/* The stored text back as the user-facing JSON: exactly what
 * classification_evidence_json gave for the classification it encodes (new
 * reference). NULL with err set when the text is malformed, names a service
 * phrase index outside service_phrases, or a category id not in cats. */
json_t *evidence_decode(const char *compact, const struct strlist *service_phrases,
                        const struct evidence_categories *cats, struct vm_err *err);

/* The tag the two side weights give (the rule classify applies), and its
 * confidence; *_services: how many different categories each side's
 * services (not the description) name. */
const char *classify_decide(double bpo_weight, double kpo_weight, int bpo_services,
                            int kpo_services, double *confidence);

#endif
