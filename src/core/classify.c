/*
 * classify: evidence in, tag out. Each matched service phrase adds its
 * category's weight times the match strength to that category's side; the
 * description adds the same at CLASSIFY_DESCRIPTION_FACTOR; a category counts
 * in full once, at its strongest evidence, and further evidence for it only at
 * CLASSIFY_REPEAT_FACTOR, so five synonyms of one service do not outweigh two
 * different services. Expertise and data-security
 * signals add a flat nudge. The weaker side's share of the total decides
 * HYBRID; the total decides how confident we are.
 */
#include "core/classify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classify_defaults.h"
#include "core/textnorm.h"

static const char *const kpo_expertise[] = {CLASSIFY_KPO_EXPERTISE};
static const char *const bpo_expertise[] = {CLASSIFY_BPO_EXPERTISE};
static const char *const security_signals[] = {CLASSIFY_DATA_SECURITY_SIGNALS};

struct category_best {
    const struct tax_category *category;
    double weight; /* the strongest item's weight */
    double extra;  /* further items, at CLASSIFY_REPEAT_FACTOR */
};

struct work {
    struct classification *out;
    size_t cap_evidence;
    struct category_best *best;
    size_t n_best, cap_best;
    double nudge_bpo, nudge_kpo;
    bool matched;
};

static void add_evidence(struct work *w, const char *phrase, const struct tax_category *cat,
                         enum tax_stage stage, const char *field, double weight, const char *side)
{
    struct classification *c = w->out;
    if (c->n_evidence == w->cap_evidence) {
        w->cap_evidence = w->cap_evidence ? w->cap_evidence * 2 : 8;
        c->evidence = xrealloc(c->evidence, w->cap_evidence * sizeof *c->evidence);
    }
    c->evidence[c->n_evidence++] =
        (struct tag_evidence){xstrdup(phrase), cat, stage, field, weight, side};
    if (!cat)
        return;
    w->matched = true;
    for (size_t i = 0; i < w->n_best; i++)
        if (w->best[i].category == cat) {
            /* the strongest item counts in full, each further one at the repeat factor */
            double lo = weight < w->best[i].weight ? weight : w->best[i].weight;
            double hi = weight < w->best[i].weight ? w->best[i].weight : weight;
            w->best[i].weight = hi;
            w->best[i].extra += lo * CLASSIFY_REPEAT_FACTOR;
            return;
        }
    if (w->n_best == w->cap_best) {
        w->cap_best = w->cap_best ? w->cap_best * 2 : 8;
        w->best = xrealloc(w->best, w->cap_best * sizeof *w->best);
    }
    w->best[w->n_best++] = (struct category_best){cat, weight, 0};
}

static const char *side_of(const struct tax_category *c)
{
    return strcmp(c->process_type, "KPO") == 0 ? "KPO" : "BPO";
}

/* Trimmed copy of a service cell item, or NULL when blank. */
static char *trimmed(const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return n ? xstrndup(s, n) : NULL;
}

static void scan_services(struct taxonomy *t, const struct classify_input *in, struct work *w)
{
    struct strlist seen;
    strlist_init(&seen);
    for (size_t i = 0; i < in->n_services; i++) {
        char *phrase = trimmed(in->services ? in->services[i] : NULL);
        if (!phrase)
            continue;
        const struct tax_phrase_result *r = taxonomy_lookup(t, phrase);
        if (r->norm[0] && !strlist_contains(&seen, r->norm)) {
            strlist_push(&seen, r->norm);
            if (r->n == 0 && !strlist_contains(&w->out->unknown, r->norm))
                strlist_push(&w->out->unknown, r->norm);
            /* r stays valid: nothing below calls back into the taxonomy */
            for (size_t m = 0; m < r->n; m++) {
                const struct tax_category *cat = r->m[m].category;
                add_evidence(w, phrase, cat, r->m[m].stage, "services",
                             cat->weight * r->m[m].strength, side_of(cat));
                if (!strlist_contains(&w->out->categories, cat->code))
                    strlist_push(&w->out->categories, cat->code);
            }
        }
        free(phrase);
    }
    strlist_free(&seen);
}

static void scan_description(struct taxonomy *t, const char *text, struct work *w)
{
    if (!text || !*text)
        return;
    char *norm = textnorm_phrase(text);
    struct tax_match m[TAX_MAX_MATCHES];
    size_t n = taxonomy_scan_text(t, norm, m, TAX_MAX_MATCHES);
    for (size_t i = 0; i < n; i++)
        add_evidence(w, m[i].alias, m[i].category, TAX_CONTAINS, "description",
                     m[i].category->weight * CLASSIFY_DESCRIPTION_FACTOR, side_of(m[i].category));
    free(norm);
}

/* The first signal found as whole words in padded " norm ", or NULL. */
static const char *find_signal(const char *padded, const char *const *signals, size_t n)
{
    char needle[96];
    for (size_t i = 0; i < n; i++) {
        snprintf(needle, sizeof needle, " %s ", signals[i]);
        if (strstr(padded, needle))
            return signals[i];
    }
    return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

static void scan_signals(const char *text, const char *field, struct work *w)
{
    if (!text || !*text)
        return;
    char *norm = textnorm_phrase(text);
    char *padded = xasprintf(" %s ", norm);
    const char *sig;
    if (strcmp(field, "expertise") == 0) {
        if ((sig = find_signal(padded, kpo_expertise, COUNT(kpo_expertise)))) {
            add_evidence(w, sig, NULL, TAX_CONTAINS, field, CLASSIFY_EXPERTISE_WEIGHT, "KPO");
            w->nudge_kpo += CLASSIFY_EXPERTISE_WEIGHT;
        }
        if ((sig = find_signal(padded, bpo_expertise, COUNT(bpo_expertise)))) {
            add_evidence(w, sig, NULL, TAX_CONTAINS, field, CLASSIFY_EXPERTISE_WEIGHT, "BPO");
            w->nudge_bpo += CLASSIFY_EXPERTISE_WEIGHT;
        }
    } else if ((sig = find_signal(padded, security_signals, COUNT(security_signals)))) {
        add_evidence(w, sig, NULL, TAX_CONTAINS, field, CLASSIFY_DATA_SECURITY_WEIGHT, "KPO");
        w->nudge_kpo += CLASSIFY_DATA_SECURITY_WEIGHT;
    }
    free(padded);
    free(norm);
}

const char *classify_decide(double bpo, double kpo, double *confidence)
{
    double total = bpo + kpo, conf = 0;
    const char *type = "UNCLASSIFIED";
    if (total > 0) {
        double minority = (bpo < kpo ? bpo : kpo) / total;
        double amount = 1.0 - exp(-total / CLASSIFY_CONFIDENCE_SCALE);
        if (minority + CLASSIFY_EPSILON >= CLASSIFY_HYBRID_MIN_SHARE) {
            type = "HYBRID";
            conf = 2.0 * minority * amount;
        } else {
            type = bpo > kpo ? "BPO" : "KPO";
            conf = (1.0 - minority) * amount;
        }
        conf = conf < 0 ? 0 : conf > 1 ? 1 : conf;
        conf = round(conf * 1000.0) / 1000.0;
    }
    if (confidence)
        *confidence = conf;
    return type;
}

void classify(struct taxonomy *t, const struct classify_input *in, struct classification *out)
{
    memset(out, 0, sizeof *out);
    strlist_init(&out->categories);
    strlist_init(&out->unknown);
    struct work w = {.out = out};
    scan_services(t, in, &w);
    scan_description(t, in->description, &w);
    scan_signals(in->expertise, "expertise", &w);
    scan_signals(in->data_security, "data_security", &w);
    double bpo = w.nudge_bpo, kpo = w.nudge_kpo;
    for (size_t i = 0; i < w.n_best; i++) {
        double sum = w.best[i].weight + w.best[i].extra;
        if (strcmp(w.best[i].category->process_type, "KPO") == 0)
            kpo += sum;
        else
            bpo += sum;
    }
    out->bpo_weight = bpo;
    out->kpo_weight = kpo;
    /* Nudges adjust evidence; alone they do not make a tag. */
    out->process_type = w.matched ? classify_decide(bpo, kpo, &out->confidence) : "UNCLASSIFIED";
    if (!w.matched)
        out->confidence = 0;
    free(w.best);
}

void classification_free(struct classification *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_evidence; i++)
        free(c->evidence[i].phrase);
    free(c->evidence);
    strlist_free(&c->categories);
    strlist_free(&c->unknown);
    memset(c, 0, sizeof *c);
}

json_t *classification_evidence_json(const struct classification *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n_evidence; i++) {
        const struct tag_evidence *e = &c->evidence[i];
        json_t *o = json_object();
        json_object_set_new(o, "phrase", json_string(e->phrase));
        json_object_set_new(o, "category",
                            e->category ? json_string(e->category->code) : json_null());
        json_object_set_new(o, "side", json_string(e->side));
        json_object_set_new(o, "stage", json_string(tax_stage_name(e->stage)));
        json_object_set_new(o, "field", json_string(e->field));
        json_object_set_new(o, "weight", json_real(round(e->weight * 1000.0) / 1000.0));
        json_array_append_new(arr, o);
    }
    return arr;
}
