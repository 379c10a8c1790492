/*
 * classify: evidence in, tag out. Each matched service phrase adds its
 * category's weight times the match strength to that category's side; the
 * description adds the same at CLASSIFY_DESCRIPTION_FACTOR; a category counts
 * in full once, at its strongest evidence, and further evidence for it only at
 * CLASSIFY_REPEAT_FACTOR, so five synonyms of one service do not outweigh two
 * different services. Expertise and data-security
 * signals add a flat nudge. The weaker side's share of the total decides
 * HYBRID; the total decides how confident we are.
 *
 * Evidence items borrow their strings (no allocation per item). Each vendor
 * stores its evidence in a compact text (classification_evidence_compact,
 * decoded back to the user-facing JSON by evidence_decode; the format is in
 * docs/classification.md); the tail of a service phrase's items is built once
 * and kept with the taxonomy's cached result for that phrase.
 */
#include "core/classify.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
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
    bool service;  /* some item came from the services (not the description) */
};

/* An ambiguous abbreviation waiting for the rest of the vendor's evidence. */
struct deferred {
    const char *phrase; /* the service as written, or the abbreviation (description) */
    size_t index;       /* services: the index in classify_input.services, else SIZE_MAX */
    size_t entry;       /* taxonomy_ambiguous_at(entry) */
};

struct work {
    struct classification *out;
    struct deferred deferred[4]; /* more in one vendor are ignored */
    size_t n_deferred;
    size_t cap_evidence;
    struct category_best *best; /* best_small until it outgrows it */
    size_t n_best, cap_best;
    struct category_best best_small[8];
    double nudge_bpo, nudge_kpo;
    bool matched;
};

static void add_evidence(struct work *w, const struct tag_evidence *e)
{
    struct classification *c = w->out;
    if (c->n_evidence == w->cap_evidence) {
        w->cap_evidence = w->cap_evidence ? w->cap_evidence * 2 : 8;
        c->evidence = xrealloc(c->evidence, w->cap_evidence * sizeof *c->evidence);
    }
    c->evidence[c->n_evidence++] = *e;
    const struct tax_category *cat = e->category;
    double weight = e->weight;
    if (!cat)
        return;
    if (!(weight > 0))
        return; /* an unresolved abbreviation (weight 0) is no match */
    w->matched = true;
    bool service = strcmp(e->field, "services") == 0;
    for (size_t i = 0; i < w->n_best; i++)
        if (w->best[i].category == cat) {
            w->best[i].service |= service;
            /* the strongest item counts in full, each further one at the repeat factor */
            double lo = weight < w->best[i].weight ? weight : w->best[i].weight;
            double hi = weight < w->best[i].weight ? w->best[i].weight : weight;
            w->best[i].weight = hi;
            w->best[i].extra += lo * CLASSIFY_REPEAT_FACTOR;
            return;
        }
    w->best = vm_grow_small(w->best, w->best_small, w->n_best, &w->cap_best, sizeof *w->best);
    w->best[w->n_best++] = (struct category_best){cat, weight, 0, service};
}

static void add_item(struct work *w, const char *phrase, const struct tax_category *cat,
                     enum tax_stage stage, const char *field, double weight, const char *side)
{
    struct tag_evidence e = {phrase, cat, stage, field, weight, side, SIZE_MAX, NULL, 0};
    add_evidence(w, &e);
}

static const char *side_of(const struct tax_category *c)
{
    return c->process_type[0] == 'K' ? "KPO" : "BPO"; /* "BPO" | "KPO" */
}

/* ---- the stored evidence: compact text (docs/classification.md) ---- */

/* A weight in thousandths, as stored (and as the JSON has always shown it). */
static long long weight_millis(double w)
{
    double k = round(w * 1000.0);
    return isfinite(k) && k > 0 ? k < 1e15 ? (long long)k : (long long)1e15 : 0;
}

static void put_unsigned(struct sbuf *b, unsigned long long v)
{
    char buf[24], *o = buf + sizeof buf;
    do
        *--o = (char)('0' + v % 10);
    while (v /= 10);
    sbuf_append(b, o, (size_t)(buf + sizeof buf - o));
}

/* ":<category id, or B/K for a signal's side>:<stage>:<weight>", the weight
 * in the shortest decimal of its thousandths without a leading 0 ("1", ".9",
 * ".675", "1.35"). */
static void evidence_tail(struct sbuf *b, const struct tag_evidence *e)
{
    static const char stages[] = {'n', 'e', 'c', 'f', 'a', 'u'};
    sbuf_putc(b, ':');
    if (e->category)
        put_unsigned(b, (unsigned long long)(e->category->id < 0 ? 0 : e->category->id));
    else
        sbuf_putc(b, e->side && strcmp(e->side, "KPO") == 0 ? 'K' : 'B');
    sbuf_putc(b, ':');
    sbuf_putc(b, stages[(unsigned)e->stage < sizeof stages ? e->stage : 0]);
    sbuf_putc(b, ':');
    long long k = weight_millis(e->weight);
    if (k >= 1000 || k == 0)
        put_unsigned(b, (unsigned long long)(k / 1000));
    int frac = (int)(k % 1000), nd = frac % 100 == 0 ? 1 : frac % 10 == 0 ? 2 : 3;
    if (frac) {
        char d[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                     (char)('0' + frac % 10)};
        sbuf_append(b, d, (size_t)nd + 1);
    }
}

/* The trimmed extent of a service cell item: *len bytes from the return. */
static const char *trimmed(const char *s, size_t *len)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    *len = n;
    return n ? s : NULL;
}

/* The normal forms of a vendor's service phrases scanned so far: each counts once. */
struct seen {
    const char **items; /* small until it outgrows it */
    size_t n, cap;
    const char *small[16];
};

static bool seen_norm(const struct seen *seen, const char *norm)
{
    for (size_t i = 0; i < seen->n; i++)
        if (seen->items[i] == norm || strcmp(seen->items[i], norm) == 0)
            return true;
    return false;
}

/* Records a category matched from services, once (a vendor names a handful). */
static void add_category(struct classification *out, const struct tax_category *cat)
{
    for (size_t i = 0; i < out->n_categories; i++)
        if (out->categories[i] == cat)
            return;
    if (out->n_categories == out->cap_categories) {
        out->cap_categories = out->cap_categories ? 2 * out->cap_categories : 4;
        out->categories = xrealloc(out->categories, out->cap_categories * sizeof *out->categories);
    }
    out->categories[out->n_categories++] = cat;
}

/* The evidence of match i of a cached phrase, from service_phrases[index];
 * its compact tail is built once and kept as the match's memo. */
static void services_item(struct taxonomy *t, const struct tax_phrase_result *r, size_t i,
                          size_t index, struct work *w)
{
    const struct tax_category *cat = r->m[i].category;
    struct tag_evidence e = {
        r->key,       cat,   r->m[i].stage, "services", cat->weight * r->m[i].strength,
        side_of(cat), index, NULL,          0};
    if (!r->memo[i]) {
        struct sbuf b;
        sbuf_init(&b);
        evidence_tail(&b, &e);
        size_t len = b.len;
        taxonomy_set_memo(t, r, i, sbuf_detach(&b), len);
    }
    e.tail = r->memo[i];
    e.tail_len = r->memo_len[i];
    add_evidence(w, &e);
    add_category(w->out, cat);
}

static void defer(struct work *w, const char *phrase, size_t index, size_t entry)
{
    if (w->n_deferred < sizeof w->deferred / sizeof *w->deferred)
        w->deferred[w->n_deferred++] = (struct deferred){phrase, index, entry};
}

/* One service phrase: looked up (cached), counted once per vendor. */
static void scan_phrase(struct taxonomy *t, const char *s, size_t len, size_t index, struct work *w,
                        struct seen *seen)
{
    char small[256], *phrase = len < sizeof small ? small : xmalloc(len + 1);
    memcpy(phrase, s, len);
    phrase[len] = '\0';
    const struct tax_phrase_result *r = taxonomy_lookup(t, phrase);
    if (phrase != small)
        free(phrase);
    if (!r->norm[0] || seen_norm(seen, r->norm))
        return;
    seen->items = vm_grow_small(seen->items, seen->small, seen->n, &seen->cap, sizeof *seen->items);
    seen->items[seen->n++] = r->norm;
    if (r->ambiguous)
        defer(w, r->key, index, r->ambiguous - 1);
    else if (r->n == 0 && !r->neutral && !strlist_contains(&w->out->unknown, r->norm))
        strlist_push(&w->out->unknown, r->norm);
    /* r stays valid: the taxonomy is held for the whole of classify() */
    for (size_t m = 0; m < r->n; m++)
        services_item(t, r, m, index, w);
}

static void scan_services(struct taxonomy *t, const struct classify_input *in, struct work *w,
                          struct seen *seen)
{
    size_t len;
    for (size_t i = 0; i < in->n_services; i++) {
        const char *s = trimmed(in->services ? in->services[i] : NULL, &len);
        if (s)
            scan_phrase(t, s, len, i, w, seen);
    }
}

static void scan_description(struct taxonomy *t, const char *text, struct work *w)
{
    if (!text || !*text)
        return;
    char small[2048], *norm = textnorm_phrase_buf(text, small, sizeof small);
    struct tax_match m[TAX_MAX_MATCHES];
    size_t n = taxonomy_scan_text(t, norm, m, TAX_MAX_MATCHES);
    for (size_t i = 0; i < n; i++)
        add_item(w, m[i].alias, m[i].category, TAX_CONTAINS, "description",
                 m[i].category->weight * CLASSIFY_DESCRIPTION_FACTOR, side_of(m[i].category));
    /* an ambiguous abbreviation no matched alias already spells out in context */
    for (size_t e = 0; (e = taxonomy_find_ambiguous(norm, e)) != SIZE_MAX; e++) {
        bool spelled = false;
        for (size_t i = 0; i < n && !spelled; i++)
            spelled = taxonomy_find_ambiguous(m[i].alias, e) == e;
        if (!spelled)
            defer(w, taxonomy_ambiguous_at(e)->abbreviation, SIZE_MAX, e);
    }
    if (norm != small)
        free(norm);
}

/* ---- ambiguous abbreviations, resolved from the rest of the evidence ---- */

/* How many of the space-separated cue words occur as words in padded " text ". */
static int count_cues(const char *padded, const char *cues)
{
    char needle[64];
    int n = 0;
    for (const char *p = cues; *p;) {
        size_t len = strcspn(p, " ");
        if (len > 0 && len + 3 <= sizeof needle) {
            needle[0] = ' ';
            memcpy(needle + 1, p, len);
            needle[len + 1] = ' ';
            needle[len + 2] = '\0';
            n += strstr(padded, needle) != NULL;
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    return n;
}

/* The weight the evidence so far gives a category, and each side. */
static double category_weight(const struct work *w, const struct tax_category *cat)
{
    for (size_t i = 0; i < w->n_best; i++)
        if (w->best[i].category == cat)
            return w->best[i].weight + w->best[i].extra;
    return 0;
}

static void side_weights(const struct work *w, double *bpo, double *kpo)
{
    *bpo = *kpo = 0;
    for (size_t i = 0; i < w->n_best; i++)
        *(w->best[i].category->process_type[0] == 'K' ? kpo : bpo) +=
            w->best[i].weight + w->best[i].extra;
}

/*
 * Which reading of an ambiguous abbreviation the vendor means: the one whose
 * cue words (and category, if already matched) its other text holds more of;
 * with no cue either way, the side its other evidence clearly leans to; else
 * none (-1). context is " services... description ", normalised.
 */
static int pick_reading(const struct work *w, const struct tax_ambiguous *a,
                        const struct tax_category *const *cats, const char *context)
{
    int score[TAX_READINGS], best = -1, best_score = 0;
    bool tie = false;
    for (int r = 0; r < TAX_READINGS; r++) {
        score[r] = cats[r] ? count_cues(context, a->reading[r].cues) : 0;
        if (cats[r] && category_weight(w, cats[r]) > 0)
            score[r] += CLASSIFY_AMBIGUOUS_CATEGORY_CUES;
        if (score[r] > best_score) {
            best = r;
            best_score = score[r];
            tie = false;
        } else if (score[r] == best_score && best_score > 0) {
            tie = true;
        }
    }
    if (best >= 0 && !tie)
        return best;
    double bpo, kpo;
    side_weights(w, &bpo, &kpo);
    double total = bpo + kpo, minority = (bpo < kpo ? bpo : kpo);
    if (total <= 0 || minority / total + CLASSIFY_EPSILON >= CLASSIFY_HYBRID_MIN_SHARE)
        return -1;
    char lean = kpo > bpo ? 'K' : 'B';
    int on_side = -1, n_on_side = 0;
    for (int r = 0; r < TAX_READINGS; r++)
        if (cats[r] && cats[r]->process_type[0] == lean && (!tie || score[r] == best_score)) {
            on_side = r;
            n_on_side++;
        }
    return n_on_side == 1 ? on_side : -1;
}

/* " " + every service phrase's normal form + the description's + " ". */
static char *context_text(const struct seen *seen, const char *description)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_putc(&b, ' ');
    for (size_t i = 0; i < seen->n; i++) {
        sbuf_puts(&b, seen->items[i]);
        sbuf_putc(&b, ' ');
    }
    if (description && *description) {
        char *norm = textnorm_phrase(description);
        sbuf_puts(&b, norm);
        sbuf_putc(&b, ' ');
        free(norm);
    }
    sbuf_putc(&b, '\0');
    return sbuf_detach(&b);
}

static void resolve_ambiguous(struct taxonomy *t, const struct classify_input *in, struct work *w,
                              const struct seen *seen)
{
    if (w->n_deferred == 0)
        return;
    char *context = context_text(seen, in->description);
    for (size_t d = 0; d < w->n_deferred; d++) {
        const struct deferred *df = &w->deferred[d];
        const struct tax_ambiguous *a = taxonomy_ambiguous_at(df->entry);
        const struct tax_category *cats[TAX_READINGS];
        for (int r = 0; r < TAX_READINGS; r++)
            cats[r] = taxonomy_alias_category(t, a->reading[r].expansion);
        int pick = pick_reading(w, a, cats, context);
        bool services = df->index != SIZE_MAX;
        double factor =
            CLASSIFY_ABBREVIATION_STRENGTH * (services ? 1.0 : CLASSIFY_DESCRIPTION_FACTOR);
        for (int r = 0; r < TAX_READINGS; r++) {
            if (!cats[r] || (pick >= 0 && r != pick))
                continue;
            struct tag_evidence e = {df->phrase,
                                     cats[r],
                                     pick >= 0 ? TAX_ABBREVIATION : TAX_AMBIGUOUS,
                                     services ? "services" : "description",
                                     pick >= 0 ? cats[r]->weight * factor : 0,
                                     side_of(cats[r]),
                                     df->index,
                                     NULL,
                                     0};
            add_evidence(w, &e);
            if (services && pick >= 0)
                add_category(w->out, cats[r]);
        }
    }
    free(context);
}

/* The first signal found as whole words in padded " norm ", or NULL. */
static const char *find_signal(const char *padded, const char *const *signals, size_t n)
{
    char needle[96];
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(signals[i]);
        if (len + 3 > sizeof needle)
            continue; /* longer than any text a signal is written for */
        needle[0] = ' ';
        memcpy(needle + 1, signals[i], len);
        needle[len + 1] = ' ';
        needle[len + 2] = '\0';
        if (strstr(padded, needle))
            return signals[i];
    }
    return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* What scan_signals finds in one text: a signal from each list it reads. */
struct signal_hits {
    const char *kpo, *bpo; /* expertise */
    const char *security;  /* data_security */
};

static void find_signals(const char *text, bool expertise, struct signal_hits *h)
{
    char *norm = textnorm_phrase(text);
    size_t n = strlen(norm);
    char *padded = xmalloc(n + 3);
    padded[0] = ' ';
    memcpy(padded + 1, norm, n);
    padded[n + 1] = ' ';
    padded[n + 2] = '\0';
    h->kpo = h->bpo = h->security = NULL;
    if (expertise) {
        h->kpo = find_signal(padded, kpo_expertise, COUNT(kpo_expertise));
        h->bpo = find_signal(padded, bpo_expertise, COUNT(bpo_expertise));
    } else {
        h->security = find_signal(padded, security_signals, COUNT(security_signals));
    }
    free(padded);
    free(norm);
}

/* A catalog repeats its expertise and data-security texts across thousands
 * of rows, and normalising each again was a visible share of an import's
 * CPU. The hits depend only on the text and the field, so a small
 * direct-mapped memo of them (bounded: one text per slot, short texts only)
 * gives the same result. The mutex keeps classify safe to call from several
 * threads; uncontended it costs far less than the work it saves. */
#define SIGNAL_MEMO_SLOTS 256
#define SIGNAL_MEMO_MAX_TEXT 512

static struct signal_memo_slot {
    char *text; /* NULL: empty */
    bool expertise;
    struct signal_hits hits;
} signal_memo[SIGNAL_MEMO_SLOTS];
static pthread_mutex_t signal_memo_mu = PTHREAD_MUTEX_INITIALIZER;

static void find_signals_memo(const char *text, bool expertise, struct signal_hits *h)
{
    size_t len = strlen(text);
    if (len > SIGNAL_MEMO_MAX_TEXT) {
        find_signals(text, expertise, h);
        return;
    }
    uint64_t hash = vm_fnv1a(VM_FNV_OFFSET, text, len) ^ expertise;
    struct signal_memo_slot *slot = &signal_memo[hash % SIGNAL_MEMO_SLOTS];
    pthread_mutex_lock(&signal_memo_mu);
    if (slot->text && slot->expertise == expertise && strcmp(slot->text, text) == 0) {
        *h = slot->hits;
        pthread_mutex_unlock(&signal_memo_mu);
        return;
    }
    pthread_mutex_unlock(&signal_memo_mu);
    find_signals(text, expertise, h);
    char *copy = xmalloc(len + 1);
    memcpy(copy, text, len + 1);
    pthread_mutex_lock(&signal_memo_mu);
    free(slot->text);
    slot->text = copy;
    slot->expertise = expertise;
    slot->hits = *h;
    pthread_mutex_unlock(&signal_memo_mu);
}

static void scan_signals(const char *text, const char *field, struct work *w)
{
    if (!text || !*text)
        return;
    bool expertise = strcmp(field, "expertise") == 0;
    struct signal_hits h;
    find_signals_memo(text, expertise, &h);
    if (h.kpo) {
        add_item(w, h.kpo, NULL, TAX_CONTAINS, field, CLASSIFY_EXPERTISE_WEIGHT, "KPO");
        w->nudge_kpo += CLASSIFY_EXPERTISE_WEIGHT;
    }
    if (h.bpo) {
        add_item(w, h.bpo, NULL, TAX_CONTAINS, field, CLASSIFY_EXPERTISE_WEIGHT, "BPO");
        w->nudge_bpo += CLASSIFY_EXPERTISE_WEIGHT;
    }
    if (h.security) {
        add_item(w, h.security, NULL, TAX_CONTAINS, field, CLASSIFY_DATA_SECURITY_WEIGHT, "KPO");
        w->nudge_kpo += CLASSIFY_DATA_SECURITY_WEIGHT;
    }
}

const char *classify_decide(double bpo, double kpo, int bpo_services, int kpo_services,
                            double *confidence)
{
    double total = bpo + kpo, conf = 0;
    const char *type = "UNCLASSIFIED";
    if (total > 0) {
        double minority = (bpo < kpo ? bpo : kpo) / total;
        int minority_services = bpo < kpo ? bpo_services : kpo_services;
        double amount = 1.0 - exp(-total / CLASSIFY_CONFIDENCE_SCALE);
        if (minority + CLASSIFY_EPSILON >= CLASSIFY_HYBRID_MIN_SHARE ||
            (minority_services >= CLASSIFY_PRACTICE_SERVICES &&
             minority + CLASSIFY_EPSILON >= CLASSIFY_PRACTICE_MIN_SHARE)) {
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
    strlist_init(&out->unknown);
    struct work w = {.out = out, .cap_best = sizeof w.best_small / sizeof *w.best_small};
    w.best = w.best_small;
    taxonomy_hold(t); /* evidence borrows cached phrases; none may be dropped meanwhile */
    struct seen seen = {.cap = sizeof seen.small / sizeof *seen.small};
    seen.items = seen.small;
    scan_services(t, in, &w, &seen);
    scan_description(t, in->description, &w);
    resolve_ambiguous(t, in, &w, &seen);
    if (seen.items != seen.small)
        free(seen.items);
    scan_signals(in->expertise, "expertise", &w);
    scan_signals(in->data_security, "data_security", &w);
    double bpo = w.nudge_bpo, kpo = w.nudge_kpo;
    int bpo_services = 0, kpo_services = 0;
    for (size_t i = 0; i < w.n_best; i++) {
        double sum = w.best[i].weight + w.best[i].extra;
        bool k = w.best[i].category->process_type[0] == 'K';
        *(k ? &kpo : &bpo) += sum;
        *(k ? &kpo_services : &bpo_services) += w.best[i].service;
    }
    out->bpo_weight = bpo;
    out->kpo_weight = kpo;
    /* Nudges adjust evidence; alone they do not make a tag. */
    out->process_type =
        w.matched ? classify_decide(bpo, kpo, bpo_services, kpo_services, &out->confidence)
                  : "UNCLASSIFIED";
    if (!w.matched)
        out->confidence = 0;
    if (w.best != w.best_small)
        free(w.best);
    taxonomy_release(t);
}

void classification_free(struct classification *c)
{
    if (!c)
        return;
    free(c->evidence);
    free(c->categories);
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

/* The field's letter; a services item whose phrase is not service_phrases[i]
 * (as given) keeps it inline under 'S'. */
static char field_letter(const struct tag_evidence *e, const struct strlist *phrases)
{
    if (strcmp(e->field, "services") == 0)
        return phrases && e->service_index < phrases->len &&
                       strcmp(phrases->items[e->service_index], e->phrase) == 0
                   ? 's'
                   : 'S';
    return strcmp(e->field, "description") == 0 ? 'd'
           : strcmp(e->field, "expertise") == 0 ? 'x'
                                                : 'k';
}

static void put_escaped(struct sbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++)
        if (*s == ':' || *s == ';' || *s == '\\') {
            sbuf_append(b, run, (size_t)(s - run));
            sbuf_putc(b, '\\');
            run = s;
        }
    sbuf_append(b, run, (size_t)(s - run));
}

void classification_evidence_compact(const struct classification *c,
                                     const struct strlist *service_phrases, struct sbuf *out)
{
    for (size_t i = 0; i < c->n_evidence; i++) {
        const struct tag_evidence *e = &c->evidence[i];
        char f = field_letter(e, service_phrases);
        if (i)
            sbuf_putc(out, ';');
        sbuf_putc(out, f);
        if (f == 's')
            put_unsigned(out, e->service_index);
        else
            put_escaped(out, e->phrase ? e->phrase : "");
        if (e->tail)
            sbuf_append(out, e->tail, e->tail_len);
        else
            evidence_tail(out, e);
    }
    sbuf_putc(out, '\0');
    out->len--; /* out->data is a string even when there is no evidence */
}

/* ---- categories for decoding, sorted by id ---- */

void evidence_categories_add(struct evidence_categories *cats, int id, const char *code,
                             const char *process_type)
{
    size_t at = cats->n;
    while (at > 0 && cats->items[at - 1].id > id)
        at--;
    if (at > 0 && cats->items[at - 1].id == id)
        return;
    cats->items = xrealloc(cats->items, (cats->n + 1) * sizeof *cats->items);
    memmove(cats->items + at + 1, cats->items + at, (cats->n - at) * sizeof *cats->items);
    cats->items[at] = (struct evidence_category){id, xstrdup(code),
                                                 strcmp(process_type, "KPO") == 0 ? "KPO" : "BPO"};
    cats->n++;
}

void evidence_categories_from_taxonomy(struct evidence_categories *cats, const struct taxonomy *t)
{
    for (size_t i = 0; i < taxonomy_category_count(t); i++) {
        const struct tax_category *c = taxonomy_category_at(t, i);
        evidence_categories_add(cats, c->id, c->code, c->process_type);
    }
}

void evidence_categories_free(struct evidence_categories *cats)
{
    for (size_t i = 0; i < cats->n; i++)
        free(cats->items[i].code);
    free(cats->items);
    cats->items = NULL;
    cats->n = 0;
}

static const struct evidence_category *find_category(const struct evidence_categories *cats,
                                                     long id)
{
    size_t lo = 0, hi = cats ? cats->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cats->items[mid].id == id)
            return &cats->items[mid];
        if (cats->items[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- decoding ---- */

struct ev_cursor {
    const char *p;
    struct sbuf text; /* an inline phrase, unescaped */
};

/* Digits into *v (at most 15). */
static bool read_number(struct ev_cursor *cur, long long *v)
{
    const char *p = cur->p;
    long long n = 0;
    while (*p >= '0' && *p <= '9' && p - cur->p < 15)
        n = n * 10 + (*p++ - '0');
    if (p == cur->p || (*p >= '0' && *p <= '9'))
        return false;
    *v = n;
    cur->p = p;
    return true;
}

/* An escaped phrase up to the next unescaped ':'. */
static bool read_text(struct ev_cursor *cur)
{
    sbuf_reset(&cur->text);
    const char *p = cur->p;
    for (; *p && *p != ':' && *p != ';'; p++) {
        if (*p == '\\' && !*++p)
            return false;
        sbuf_putc(&cur->text, *p);
    }
    sbuf_putc(&cur->text, '\0');
    cur->p = p;
    return true;
}

/* "[<int>][.<1-3 digits>]", at least one digit: thousandths into *k. */
static bool read_weight(struct ev_cursor *cur, long long *k)
{
    long long ip = 0, frac = 0;
    bool digits = false;
    if (*cur->p >= '0' && *cur->p <= '9') {
        if (!read_number(cur, &ip))
            return false;
        digits = true;
    }
    if (*cur->p == '.') {
        int nd = 0;
        for (cur->p++; *cur->p >= '0' && *cur->p <= '9' && nd < 3; cur->p++, nd++)
            frac = frac * 10 + (*cur->p - '0');
        if (nd == 0)
            return false;
        for (; nd < 3; nd++)
            frac *= 10;
        digits = true;
    }
    *k = ip * 1000 + frac;
    return digits && ip < 1000000000000LL;
}

static bool expect(struct ev_cursor *cur, char c)
{
    if (*cur->p != c)
        return false;
    cur->p++;
    return true;
}

static const char *stage_of(char c)
{
    return c == 'e'   ? "exact"
           : c == 'c' ? "contains"
           : c == 'f' ? "fuzzy"
           : c == 'a' ? "abbreviation"
           : c == 'u' ? "ambiguous"
           : c == 'n' ? "none"
                      : NULL;
}

static const char *field_of(char c)
{
    return c == 's' || c == 'S' ? "services"
           : c == 'd'           ? "description"
           : c == 'x'           ? "expertise"
           : c == 'k'           ? "data_security"
                                : NULL;
}

/* One item into a new object, or NULL with *why set. */
static json_t *decode_item(struct ev_cursor *cur, const struct strlist *phrases,
                           const struct evidence_categories *cats, const char **why)
{
    char f = *cur->p;
    const char *field = field_of(f), *phrase, *side, *stage;
    const struct evidence_category *cat = NULL;
    long long n, k;
    *why = "unknown field";
    if (!field)
        return NULL;
    cur->p++;
    if (f == 's') {
        *why = "bad service phrase index";
        if (!read_number(cur, &n) || !phrases || (unsigned long long)n >= phrases->len)
            return NULL;
        phrase = phrases->items[n];
    } else {
        *why = "bad escape";
        if (!read_text(cur))
            return NULL;
        phrase = cur->text.data;
    }
    *why = "bad category";
    if (!expect(cur, ':'))
        return NULL;
    if (*cur->p == 'B' || *cur->p == 'K') {
        side = *cur->p++ == 'K' ? "KPO" : "BPO";
    } else {
        if (!read_number(cur, &n) || !(cat = find_category(cats, (long)n)))
            return NULL;
        side = cat->side;
    }
    *why = "bad stage";
    if (!expect(cur, ':') || !(stage = stage_of(*cur->p)))
        return NULL;
    cur->p++;
    *why = "bad weight";
    if (!expect(cur, ':') || !read_weight(cur, &k))
        return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "phrase", json_string(phrase));
    json_object_set_new(o, "category", cat ? json_string(cat->code) : json_null());
    json_object_set_new(o, "side", json_string(side));
    json_object_set_new(o, "stage", json_string(stage));
    json_object_set_new(o, "field", json_string(field));
    json_object_set_new(o, "weight", json_real((double)k / 1000.0));
    return o;
}

json_t *evidence_decode(const char *compact, const struct strlist *service_phrases,
                        const struct evidence_categories *cats, struct vm_err *err)
{
    struct ev_cursor cur = {compact ? compact : "", {0}};
    sbuf_init(&cur.text);
    json_t *arr = json_array();
    const char *why = NULL;
    while (*cur.p) {
        json_t *o = decode_item(&cur, service_phrases, cats, &why);
        if (!o)
            break;
        json_array_append_new(arr, o);
        why = (*cur.p && *cur.p != ';') || (*cur.p == ';' && !cur.p[1]) ? "bad item end" : NULL;
        if (why)
            break;
        if (*cur.p)
            cur.p++;
    }
    if (why) {
        vm_err_set(err, VM_EXIT_FAILURE, "unreadable tag evidence at byte %td: %s",
                   cur.p - (compact ? compact : ""), why);
        json_decref(arr);
        arr = NULL;
    }
    sbuf_free(&cur.text);
    return arr;
}
