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
 * Evidence items borrow their strings (no allocation per item), and the
 * evidence JSON is written as text in jansson's compact format; the text of a
 * service phrase's items is built once and kept with the taxonomy's cached
 * result for that phrase, since a catalog repeats its phrases.
 */
#include "core/classify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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

static void add_item(struct work *w, const char *phrase, const struct tax_category *cat,
                     enum tax_stage stage, const char *field, double weight, const char *side)
{
    struct tag_evidence e = {phrase, cat, stage, field, weight, side, NULL, 0};
    add_evidence(w, &e);
}

static const char *side_of(const struct tax_category *c)
{
    return strcmp(c->process_type, "KPO") == 0 ? "KPO" : "BPO";
}

/* ---- evidence as JSON text, as jansson's compact dump writes it ---- */

/* Whether s is UTF-8 that jansson accepts as a string (json_string() returns
 * NULL otherwise, and the key is left out of the object). */
static bool json_valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++)
        if (*p >= 0x80)
            break;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0)
            return false;
        p += n;
    }
    return true;
}

/* A JSON string: jansson escapes '"', '\\' and controls (\b \f \n \r \t,
 * else \u00XX in upper case) and writes everything else as it is. */
static void json_put_string(struct sbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    sbuf_putc(b, '"');
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sbuf_append(b, run, (size_t)((const char *)p - run));
        if (!c)
            break;
        run = (const char *)p + 1;
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                                      : NULL;
        if (esc) {
            sbuf_append(b, esc, 2);
        } else {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sbuf_append(b, u, 6);
        }
    }
    sbuf_putc(b, '"');
}

/* A real as JSON_REAL_PRECISION(6) writes it: "%.6g", ".0" added when it
 * has neither '.' nor 'e', exponent without '+' or leading zeros. Weights
 * are multiples of 0.001: below 1000 they are written from the integer. */
static void json_put_real(struct sbuf *b, double v)
{
    char buf[48];
    long long k = v >= 0 && !signbit(v) && v < 1000 ? llround(v * 1000.0) : -1;
    if (k >= 0 && k < 1000000) {
        char *o = buf;
        int ip = (int)(k / 1000), frac = (int)(k % 1000);
        if (ip >= 100)
            *o++ = (char)('0' + ip / 100);
        if (ip >= 10)
            *o++ = (char)('0' + ip / 10 % 10);
        *o++ = (char)('0' + ip % 10);
        *o++ = '.';
        char d[3] = {(char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                     (char)('0' + frac % 10)};
        int nd = frac == 0 ? 1 : frac % 100 == 0 ? 1 : frac % 10 == 0 ? 2 : 3;
        memcpy(o, d, (size_t)nd);
        sbuf_append(b, buf, (size_t)(o - buf) + (size_t)nd);
        return;
    }
    snprintf(buf, sizeof buf, "%.6g", v);
    if (!strchr(buf, '.') && !strchr(buf, 'e'))
        strcat(buf, ".0");
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start)
            memmove(start, end, strlen(end) + 1);
    }
    sbuf_puts(b, buf);
}

static void json_put_key_string(struct sbuf *b, bool *first, const char *key, const char *v)
{
    if (!v || !json_valid_utf8(v))
        return; /* jansson leaves the key out */
    if (!*first)
        sbuf_putc(b, ',');
    *first = false;
    json_put_string(b, key);
    sbuf_putc(b, ':');
    json_put_string(b, v);
}

/* {"phrase","category","side","stage","field","weight"} of one item. */
static void evidence_item_json(struct sbuf *b, const struct tag_evidence *e)
{
    bool first = true;
    sbuf_putc(b, '{');
    json_put_key_string(b, &first, "phrase", e->phrase);
    if (e->category) {
        json_put_key_string(b, &first, "category", e->category->code);
    } else {
        sbuf_puts(b, first ? "\"category\":null" : ",\"category\":null");
        first = false;
    }
    json_put_key_string(b, &first, "side", e->side);
    json_put_key_string(b, &first, "stage", tax_stage_name(e->stage));
    json_put_key_string(b, &first, "field", e->field);
    double w = round(e->weight * 1000.0) / 1000.0;
    if (isfinite(w)) {
        sbuf_puts(b, first ? "\"weight\":" : ",\"weight\":");
        json_put_real(b, w);
    }
    sbuf_putc(b, '}');
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

static bool seen_norm(const char *const *seen, size_t n, const char *norm)
{
    for (size_t i = 0; i < n; i++)
        if (seen[i] == norm || strcmp(seen[i], norm) == 0)
            return true;
    return false;
}

/* The evidence of match i of a cached phrase: built once, kept as its memo. */
static void services_item(struct taxonomy *t, const struct tax_phrase_result *r, size_t i,
                          struct work *w)
{
    const struct tax_category *cat = r->m[i].category;
    struct tag_evidence e = {
        r->key, cat, r->m[i].stage, "services", cat->weight * r->m[i].strength, side_of(cat),
        NULL,   0};
    if (!r->memo[i]) {
        struct sbuf b;
        sbuf_init(&b);
        evidence_item_json(&b, &e);
        size_t len = b.len;
        taxonomy_set_memo(t, r, i, sbuf_detach(&b), len);
    }
    e.json = r->memo[i];
    e.json_len = r->memo_len[i];
    add_evidence(w, &e);
    if (!strlist_contains(&w->out->categories, cat->code))
        strlist_push(&w->out->categories, cat->code);
}

/* One service phrase: looked up (cached), counted once per vendor. */
static void scan_phrase(struct taxonomy *t, const char *s, size_t len, struct work *w,
                        const char ***seen, size_t *n_seen)
{
    char small[256], *phrase = len < sizeof small ? small : xmalloc(len + 1);
    memcpy(phrase, s, len);
    phrase[len] = '\0';
    const struct tax_phrase_result *r = taxonomy_lookup(t, phrase);
    if (phrase != small)
        free(phrase);
    if (!r->norm[0] || seen_norm(*seen, *n_seen, r->norm))
        return;
    *seen = xrealloc(*seen, (*n_seen + 1) * sizeof **seen);
    (*seen)[(*n_seen)++] = r->norm;
    if (r->n == 0 && !strlist_contains(&w->out->unknown, r->norm))
        strlist_push(&w->out->unknown, r->norm);
    /* r stays valid: the taxonomy is held for the whole of classify() */
    for (size_t m = 0; m < r->n; m++)
        services_item(t, r, m, w);
}

static void scan_services(struct taxonomy *t, const struct classify_input *in, struct work *w)
{
    const char **seen = NULL;
    size_t n_seen = 0, len;
    for (size_t i = 0; i < in->n_services; i++) {
        const char *s = trimmed(in->services ? in->services[i] : NULL, &len);
        if (s)
            scan_phrase(t, s, len, w, &seen, &n_seen);
    }
    free(seen);
}

static void scan_description(struct taxonomy *t, const char *text, struct work *w)
{
    if (!text || !*text)
        return;
    char *norm = textnorm_phrase(text);
    struct tax_match m[TAX_MAX_MATCHES];
    size_t n = taxonomy_scan_text(t, norm, m, TAX_MAX_MATCHES);
    for (size_t i = 0; i < n; i++)
        add_item(w, m[i].alias, m[i].category, TAX_CONTAINS, "description",
                 m[i].category->weight * CLASSIFY_DESCRIPTION_FACTOR, side_of(m[i].category));
    free(norm);
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

static void scan_signals(const char *text, const char *field, struct work *w)
{
    if (!text || !*text)
        return;
    char *norm = textnorm_phrase(text);
    size_t n = strlen(norm);
    char *padded = xmalloc(n + 3);
    padded[0] = ' ';
    memcpy(padded + 1, norm, n);
    padded[n + 1] = ' ';
    padded[n + 2] = '\0';
    const char *sig;
    if (strcmp(field, "expertise") == 0) {
        if ((sig = find_signal(padded, kpo_expertise, COUNT(kpo_expertise)))) {
            add_item(w, sig, NULL, TAX_CONTAINS, field, CLASSIFY_EXPERTISE_WEIGHT, "KPO");
            w->nudge_kpo += CLASSIFY_EXPERTISE_WEIGHT;
        }
        if ((sig = find_signal(padded, bpo_expertise, COUNT(bpo_expertise)))) {
            add_item(w, sig, NULL, TAX_CONTAINS, field, CLASSIFY_EXPERTISE_WEIGHT, "BPO");
            w->nudge_bpo += CLASSIFY_EXPERTISE_WEIGHT;
        }
    } else if ((sig = find_signal(padded, security_signals, COUNT(security_signals)))) {
        add_item(w, sig, NULL, TAX_CONTAINS, field, CLASSIFY_DATA_SECURITY_WEIGHT, "KPO");
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
    taxonomy_hold(t); /* evidence borrows cached phrases; none may be dropped meanwhile */
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
    taxonomy_release(t);
}

void classification_free(struct classification *c)
{
    if (!c)
        return;
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

void classification_evidence_text(const struct classification *c, struct sbuf *out)
{
    sbuf_putc(out, '[');
    for (size_t i = 0; i < c->n_evidence; i++) {
        const struct tag_evidence *e = &c->evidence[i];
        if (i)
            sbuf_putc(out, ',');
        if (e->json)
            sbuf_append(out, e->json, e->json_len);
        else
            evidence_item_json(out, e);
    }
    sbuf_putc(out, ']');
}
