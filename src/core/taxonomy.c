/*
 * taxonomy: categories, aliases and the phrase matcher behind classify().
 *
 * Three hash maps keyed by byte strings do all the work: alias -> category
 * (exact and contains stages look up word n-grams of the phrase), vocabulary
 * word -> flags (whether a word starts some alias, and the word list the fuzzy
 * stage corrects typos against), and phrase -> cached result. Containment
 * keeps the longest non-overlapping aliases; inside one clause (no "and",
 * "or", "with"...) the last noun decides, so "sales analytics" is analytics,
 * not sales plus analytics.
 */
#include "core/taxonomy.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/textnorm.h"

/* ---- a small open-addressing map from byte strings to size_t ---- */

struct strmap_slot {
    const char *key; /* borrowed: owned by whoever put it in */
    size_t len;
    size_t value;
    uint64_t hash;
};

struct strmap {
    struct strmap_slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t len;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    return vm_fnv1a(VM_FNV_OFFSET, s, n) | 1; /* 0 marks an empty slot */
}

static struct strmap_slot *strmap_slot(const struct strmap *m, const char *k, size_t n, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct strmap_slot *s = &m->slots[i];
        if (s->hash == 0 || (s->hash == h && s->len == n && memcmp(s->key, k, n) == 0))
            return s;
    }
}

static bool strmap_get(const struct strmap *m, const char *k, size_t n, size_t *value)
{
    if (m->cap == 0)
        return false;
    struct strmap_slot *s = strmap_slot(m, k, n, hash_bytes(k, n));
    if (s->hash == 0)
        return false;
    if (value)
        *value = s->value;
    return true;
}

static void strmap_put(struct strmap *m, const char *k, size_t n, size_t value)
{
    if ((m->len + 1) * 2 > m->cap) {
        struct strmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 64;
        m->slots = xcalloc(m->cap, sizeof *m->slots);
        m->len = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].hash) {
                struct strmap_slot *s =
                    strmap_slot(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash);
                *s = old.slots[i];
                m->len++;
            }
        free(old.slots);
    }
    uint64_t h = hash_bytes(k, n);
    struct strmap_slot *s = strmap_slot(m, k, n, h);
    if (s->hash == 0)
        m->len++;
    *s = (struct strmap_slot){.key = k, .len = n, .value = value, .hash = h};
}

static void strmap_free(struct strmap *m)
{
    free(m->slots);
    *m = (struct strmap){0};
}

/* ---- the taxonomy ---- */

struct tax_alias {
    char *norm;
    size_t category; /* index into cats */
};

#define VOCAB_FIRST 1u /* the word starts some alias */

struct taxonomy {
    struct tax_category **cats; /* pointers stay valid as the array grows */
    size_t n_cats, cap_cats;
    struct tax_alias *aliases;
    size_t n_aliases, cap_aliases;
    struct strmap alias_map; /* norm -> alias index */
    /* every leading run of words of an alias ("market", "market research")
     * -> 1 + the index of the alias it is whole, or 0 when only a prefix */
    struct strmap prefix_map;
    size_t max_alias_words;
    char **vocab; /* distinct alias words */
    size_t n_vocab, cap_vocab;
    struct strmap vocab_map; /* word -> VOCAB_* flags */
    struct tax_phrase_result **cache;
    size_t n_cache, cap_cache;
    struct strmap cache_map; /* phrase -> cache index */
    bool held;               /* taxonomy_hold: keep every cached result */
};

struct taxonomy *taxonomy_new(void)
{
    return xcalloc(1, sizeof(struct taxonomy));
}

static void cache_clear(struct taxonomy *t)
{
    for (size_t i = 0; i < t->n_cache; i++) {
        for (size_t m = 0; m < TAX_MAX_MATCHES; m++)
            free(t->cache[i]->memo[m]);
        free(t->cache[i]->key);
        free(t->cache[i]->norm);
        free(t->cache[i]);
    }
    t->n_cache = 0;
    strmap_free(&t->cache_map);
}

void taxonomy_free(struct taxonomy *t)
{
    if (!t)
        return;
    cache_clear(t);
    free(t->cache);
    for (size_t i = 0; i < t->n_cats; i++) {
        free(t->cats[i]->code);
        free(t->cats[i]->name);
        free(t->cats[i]);
    }
    free(t->cats);
    for (size_t i = 0; i < t->n_aliases; i++)
        free(t->aliases[i].norm);
    free(t->aliases);
    for (size_t i = 0; i < t->n_vocab; i++)
        free(t->vocab[i]);
    free(t->vocab);
    strmap_free(&t->alias_map);
    strmap_free(&t->prefix_map);
    strmap_free(&t->vocab_map);
    strmap_free(&t->cache_map);
    free(t);
}

static ptrdiff_t category_index(const struct taxonomy *t, const char *code)
{
    for (size_t i = 0; i < t->n_cats; i++)
        if (strcmp(t->cats[i]->code, code) == 0)
            return (ptrdiff_t)i;
    return -1;
}

const struct tax_category *taxonomy_find_category(const struct taxonomy *t, const char *code)
{
    ptrdiff_t i = code ? category_index(t, code) : -1;
    return i < 0 ? NULL : t->cats[i];
}

const struct tax_category *taxonomy_add_category(struct taxonomy *t, int id, const char *code,
                                                 const char *name, const char *process_type,
                                                 double weight)
{
    if (!code || !*code || !process_type || !(weight > 0))
        return NULL;
    if (strcmp(process_type, "BPO") != 0 && strcmp(process_type, "KPO") != 0)
        return NULL;
    const struct tax_category *existing = taxonomy_find_category(t, code);
    if (existing)
        return existing;
    if (t->n_cats == t->cap_cats) {
        t->cap_cats = t->cap_cats ? t->cap_cats * 2 : 64;
        t->cats = xrealloc(t->cats, t->cap_cats * sizeof *t->cats);
    }
    struct tax_category *c = xcalloc(1, sizeof *c);
    c->id = id;
    c->code = xstrdup(code);
    c->name = xstrdup(name && *name ? name : code);
    memcpy(c->process_type, process_type, 4);
    c->weight = weight;
    t->cats[t->n_cats++] = c;
    return c;
}

static void vocab_add(struct taxonomy *t, const char *w, size_t n, unsigned flags)
{
    size_t have = 0;
    if (strmap_get(&t->vocab_map, w, n, &have)) {
        size_t idx = have >> 8;
        strmap_put(&t->vocab_map, t->vocab[idx], n, (idx << 8) | (have & 0xff) | flags);
        return;
    }
    if (t->n_vocab == t->cap_vocab) {
        t->cap_vocab = t->cap_vocab ? t->cap_vocab * 2 : 256;
        t->vocab = xrealloc(t->vocab, t->cap_vocab * sizeof *t->vocab);
    }
    size_t idx = t->n_vocab++;
    t->vocab[idx] = xstrndup(w, n);
    strmap_put(&t->vocab_map, t->vocab[idx], n, (idx << 8) | flags);
}

/* Puts alias ai into the lookup maps: the alias itself, every leading run of
 * its words, and its words into the vocabulary. */
static void index_alias(struct taxonomy *t, size_t ai)
{
    const char *norm = t->aliases[ai].norm;
    strmap_put(&t->alias_map, norm, strlen(norm), ai);
    size_t words = 0;
    for (const char *p = norm; *p;) {
        size_t wl = strcspn(p, " ");
        vocab_add(t, p, wl, words == 0 ? VOCAB_FIRST : 0);
        words++;
        p += wl;
        size_t prefix_len = (size_t)(p - norm), had;
        if (!*p)
            strmap_put(&t->prefix_map, norm, prefix_len, ai + 1);
        else if (!strmap_get(&t->prefix_map, norm, prefix_len, &had))
            strmap_put(&t->prefix_map, norm, prefix_len, 0);
        while (*p == ' ')
            p++;
    }
    if (words > t->max_alias_words)
        t->max_alias_words = words;
}

int taxonomy_remove_alias(struct taxonomy *t, const char *norm, struct vm_err *err)
{
    size_t ai;
    if (!norm || !strmap_get(&t->alias_map, norm, strlen(norm), &ai))
        return vm_err_set(err, VM_EXIT_FAILURE, "unknown alias '%s'", norm ? norm : "(null)");
    free(t->aliases[ai].norm);
    memmove(t->aliases + ai, t->aliases + ai + 1, (t->n_aliases - ai - 1) * sizeof *t->aliases);
    t->n_aliases--;
    /* rebuild every map from the remaining aliases (a removal is rare: a migration's) */
    strmap_free(&t->alias_map);
    strmap_free(&t->prefix_map);
    strmap_free(&t->vocab_map);
    for (size_t i = 0; i < t->n_vocab; i++)
        free(t->vocab[i]);
    t->n_vocab = 0;
    t->max_alias_words = 0;
    for (size_t i = 0; i < t->n_aliases; i++)
        index_alias(t, i);
    cache_clear(t);
    return 0;
}

int taxonomy_add_alias(struct taxonomy *t, const char *category_code, const char *phrase,
                       struct vm_err *err)
{
    int rc = 0;
    char *norm = NULL;
    ptrdiff_t ci = category_code ? category_index(t, category_code) : -1;
    if (ci < 0) {
        rc = vm_err_set(err, VM_EXIT_FAILURE, "unknown category '%s'",
                        category_code ? category_code : "(null)");
        goto done;
    }
    norm = textnorm_phrase(phrase);
    if (!norm || !*norm) {
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "alias '%s' has no letters or digits after normalisation",
                        phrase ? phrase : "(null)");
        goto done;
    }
    size_t existing;
    if (strmap_get(&t->alias_map, norm, strlen(norm), &existing)) {
        size_t other = t->aliases[existing].category;
        if (other != (size_t)ci)
            rc = vm_err_set(err, VM_EXIT_FAILURE, "alias '%s' already maps to category '%s'", norm,
                            t->cats[other]->code);
        goto done;
    }
    if (t->n_aliases == t->cap_aliases) {
        t->cap_aliases = t->cap_aliases ? t->cap_aliases * 2 : 512;
        t->aliases = xrealloc(t->aliases, t->cap_aliases * sizeof *t->aliases);
    }
    size_t ai = t->n_aliases++;
    t->aliases[ai] = (struct tax_alias){.norm = norm, .category = (size_t)ci};
    index_alias(t, ai);
    norm = NULL;    /* owned by the alias now */
    cache_clear(t); /* earlier results may change */
done:
    free(norm);
    return rc;
}

int taxonomy_move_alias(struct taxonomy *t, const char *norm, const char *category_code,
                        struct vm_err *err)
{
    size_t ai;
    ptrdiff_t ci = category_code ? category_index(t, category_code) : -1;
    if (ci < 0)
        return vm_err_set(err, VM_EXIT_FAILURE, "unknown category '%s'",
                          category_code ? category_code : "(null)");
    if (!norm || !strmap_get(&t->alias_map, norm, strlen(norm), &ai))
        return vm_err_set(err, VM_EXIT_FAILURE, "unknown alias '%s'", norm ? norm : "(null)");
    t->aliases[ai].category = (size_t)ci;
    cache_clear(t); /* earlier results may change */
    return 0;
}

const struct tax_category *taxonomy_alias_category(const struct taxonomy *t, const char *norm)
{
    size_t ai;
    if (!norm || !strmap_get(&t->alias_map, norm, strlen(norm), &ai))
        return NULL;
    return t->cats[t->aliases[ai].category];
}

size_t taxonomy_category_count(const struct taxonomy *t)
{
    return t->n_cats;
}

const struct tax_category *taxonomy_category_at(const struct taxonomy *t, size_t i)
{
    return i < t->n_cats ? t->cats[i] : NULL;
}

size_t taxonomy_alias_count(const struct taxonomy *t)
{
    return t->n_aliases;
}

const char *taxonomy_alias_at(const struct taxonomy *t, size_t i, const struct tax_category **cat)
{
    if (i >= t->n_aliases)
        return NULL;
    if (cat)
        *cat = t->cats[t->aliases[i].category];
    return t->aliases[i].norm;
}

const char *tax_stage_name(enum tax_stage s)
{
    switch (s) {
    case TAX_EXACT:
        return "exact";
    case TAX_CONTAINS:
        return "contains";
    case TAX_FUZZY:
        return "fuzzy";
    case TAX_ABBREVIATION:
        return "abbreviation";
    case TAX_AMBIGUOUS:
        return "ambiguous";
    case TAX_NONE:
        break;
    }
    return "none";
}

/* ---- ambiguous abbreviations ---- */

static const struct tax_ambiguous ambiguous[] = {CLASSIFY_AMBIGUOUS};

size_t taxonomy_ambiguous_count(void)
{
    return sizeof ambiguous / sizeof *ambiguous;
}

const struct tax_ambiguous *taxonomy_ambiguous_at(size_t i)
{
    return i < taxonomy_ambiguous_count() ? &ambiguous[i] : NULL;
}

/* Whether word (len bytes) occurs in s as a whole word (words split by single spaces). */
static bool has_word(const char *s, const char *word, size_t len)
{
    for (const char *p = s; (p = strstr(p, word)) != NULL; p++)
        if ((p == s || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
            return true;
    return false;
}

size_t taxonomy_find_ambiguous(const char *norm, size_t from)
{
    for (size_t i = from; norm && i < taxonomy_ambiguous_count(); i++)
        if (has_word(norm, ambiguous[i].abbreviation, strlen(ambiguous[i].abbreviation)))
            return i;
    return SIZE_MAX;
}

/*
 * A phrase that names an ambiguous abbreviation ("RPO", "RPO services",
 * "RCM") is resolved by the taxonomy when one of its matches is an alias
 * holding the abbreviation ("healthcare rcm", or the bare "rpo" a user added
 * with `taxonomy add` to fix its meaning for a catalog) or names a reading's
 * category ("research process outsourcing (RPO)"); otherwise the phrase is
 * marked for classify() to resolve from its context.
 */
static void mark_ambiguous(const struct taxonomy *t, struct tax_phrase_result *r)
{
    size_t i = taxonomy_find_ambiguous(r->norm, 0);
    if (i == SIZE_MAX)
        return;
    const struct tax_ambiguous *a = &ambiguous[i];
    size_t len = strlen(a->abbreviation);
    for (size_t m = 0; m < r->n; m++) {
        if (has_word(r->m[m].alias, a->abbreviation, len))
            return; /* an alias naming the abbreviation */
        for (size_t k = 0; k < TAX_READINGS; k++)
            if (r->m[m].category == taxonomy_alias_category(t, a->reading[k].expansion))
                return; /* spelled out beside it */
    }
    r->ambiguous = i + 1;
}

static const char *const neutral_services[] = {CLASSIFY_NEUTRAL_SERVICES};

static bool is_neutral(const char *norm)
{
    for (size_t i = 0; i < sizeof neutral_services / sizeof *neutral_services; i++)
        if (strcmp(norm, neutral_services[i]) == 0)
            return true;
    return false;
}

/* ---- matching ---- */

struct word {
    size_t start, len;
};

static const struct vm_word clause_breaks[] = {
    VM_WORD("and"),       VM_WORD("or"),  VM_WORD("plus"), VM_WORD("with"),
    VM_WORD("including"), VM_WORD("for"), VM_WORD("to"),   VM_WORD("as"),
    VM_WORD("from"),      VM_WORD("by"),  VM_WORD("via"),  VM_WORD("in")};

static bool is_clause_break(const char *w, size_t n)
{
    return vm_word_in(clause_breaks, sizeof clause_breaks / sizeof *clause_breaks, w, n);
}

/* Most phrases and descriptions have fewer words than this; their word and
 * span lists live on the stack instead of the heap. */
#define SMALL_WORDS 64

/*
 * Splits a normalised string (single spaces) into words, in `small` (room
 * for SMALL_WORDS) while they fit, else in a malloc'd array; the caller frees
 * the result when it is not `small`.
 */
static struct word *split_words(const char *s, struct word *small, size_t *n_out)
{
    size_t cap = SMALL_WORDS, n = 0;
    struct word *w = small;
    for (size_t i = 0; s[i];) {
        while (s[i] == ' ')
            i++;
        if (!s[i])
            break;
        size_t start = i;
        while (s[i] && s[i] != ' ')
            i++;
        if (n == cap)
            w = vm_grow_small(w, small, n, &cap, sizeof *w);
        w[n++] = (struct word){start, i - start};
    }
    *n_out = n;
    return w;
}

static void free_words(struct word *w, const struct word *small)
{
    if (w != small)
        free(w);
}

struct span {
    size_t first, n_words, alias;
};

/* Longest first, then leftmost (by_length), or leftmost only. */
static bool span_before(const struct span *x, const struct span *y, bool by_length)
{
    if (by_length && x->n_words != y->n_words)
        return x->n_words > y->n_words;
    return x->first < y->first;
}

/* Insertion sort: a phrase or description has a handful of spans, where
 * qsort's setup costs more than the sorting. No two spans compare equal
 * (each starts at a different word, or at the same word with a different
 * length), so the order is the one qsort gave. */
static void sort_spans(struct span *sp, size_t n, bool by_length)
{
    for (size_t i = 1; i < n; i++) {
        struct span x = sp[i];
        size_t j = i;
        for (; j > 0 && span_before(&x, &sp[j - 1], by_length); j--)
            sp[j] = sp[j - 1];
        sp[j] = x;
    }
}

static size_t emit_match(const struct taxonomy *t, size_t alias, enum tax_stage stage,
                         double strength, struct tax_match *out, size_t n, size_t max)
{
    const struct tax_category *c = t->cats[t->aliases[alias].category];
    for (size_t i = 0; i < n; i++)
        if (out[i].category == c)
            return n; /* one category once per phrase */
    if (n < max)
        out[n++] = (struct tax_match){c, stage, strength, t->aliases[alias].norm};
    return n;
}

/* Contains stage over words of s: longest non-overlapping aliases, last clause noun wins. */
static size_t match_contains(const struct taxonomy *t, const char *s, const struct word *w,
                             size_t nw, enum tax_stage stage, double strength,
                             struct tax_match *out, size_t max)
{
    struct span small_sp[SMALL_WORDS];
    bool small_taken[SMALL_WORDS], small_modifier[SMALL_WORDS];
    size_t cap = SMALL_WORDS, ns = 0, n = 0;
    struct span *sp = small_sp;
    /* Spans grow a word at a time while they are still the start of some
     * alias, hashing only the bytes each step adds. */
    for (size_t i = 0; i < nw && t->prefix_map.cap; i++) {
        uint64_t h = VM_FNV_OFFSET;
        size_t from = w[i].start;
        for (size_t k = 1; k <= t->max_alias_words && i + k <= nw; k++) {
            size_t end = w[i + k - 1].start + w[i + k - 1].len;
            h = vm_fnv1a(h, s + from, end - from);
            from = end;
            const struct strmap_slot *slot =
                strmap_slot(&t->prefix_map, s + w[i].start, end - w[i].start, h | 1);
            if (slot->hash == 0)
                break; /* no alias starts with these words */
            if (slot->value == 0)
                continue;
            if (ns == cap)
                sp = vm_grow_small(sp, small_sp, ns, &cap, sizeof *sp);
            sp[ns++] = (struct span){i, k, slot->value - 1};
        }
    }
    if (ns == 0) {
        if (sp != small_sp)
            free(sp);
        return 0;
    }
    sort_spans(sp, ns, true);
    /* Longest first, each word used once: a word-taken map keeps this linear. */
    bool *taken = nw <= SMALL_WORDS ? small_taken : xmalloc(nw * sizeof *taken);
    memset(taken, 0, nw * sizeof *taken);
    size_t kept = 0;
    for (size_t i = 0; i < ns; i++) {
        bool free_span = true;
        for (size_t k = sp[i].first; k < sp[i].first + sp[i].n_words && free_span; k++)
            free_span = !taken[k];
        if (!free_span)
            continue;
        for (size_t k = sp[i].first; k < sp[i].first + sp[i].n_words; k++)
            taken[k] = true;
        sp[kept++] = sp[i];
    }
    if (taken != small_taken)
        free(taken);
    sort_spans(sp, kept, false);
    /*
     * Within a clause, a span followed by one of the other side is only its
     * modifier ("sales analytics"). Walking right to left, `later` holds the
     * sides seen further right in the current clause (bit 1 BPO, bit 2 KPO).
     */
    unsigned later = 0;
    bool *modifier = kept <= SMALL_WORDS ? small_modifier : xmalloc(kept * sizeof *modifier);
    memset(modifier, 0, kept * sizeof *modifier);
    for (size_t i = kept; i-- > 0;) {
        unsigned side = t->cats[t->aliases[sp[i].alias].category]->process_type[0] == 'K' ? 2 : 1;
        modifier[i] = (later & ~side) != 0;
        later |= side;
        if (i > 0)
            for (size_t k = sp[i - 1].first + sp[i - 1].n_words; k < sp[i].first; k++)
                if (is_clause_break(s + w[k].start, w[k].len)) {
                    later = 0;
                    break;
                }
    }
    for (size_t i = 0; i < kept; i++)
        if (!modifier[i])
            n = emit_match(t, sp[i].alias, stage, strength, out, n, max);
    if (modifier != small_modifier)
        free(modifier);
    if (sp != small_sp)
        free(sp);
    return n;
}

size_t taxonomy_scan_text(const struct taxonomy *t, const char *norm, struct tax_match *out,
                          size_t max)
{
    if (!norm || !*norm || max == 0)
        return 0;
    size_t nw;
    struct word small[SMALL_WORDS], *w = split_words(norm, small, &nw);
    size_t n = match_contains(t, norm, w, nw, TAX_CONTAINS, TAX_STRENGTH_CONTAINS, out, max);
    free_words(w, small);
    return n;
}

static bool ascii_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return false;
    return true;
}

/* The vocabulary words closest to w within the length-dependent edit limit:
 * fills cand (vocabulary order) and returns how many tie at the best
 * distance; 0 when none is close enough or more than TAX_FUZZY_MAX_TIES tie. */
static size_t closest_words(const struct taxonomy *t, const char *w, size_t n,
                            const char *cand[TAX_FUZZY_MAX_TIES])
{
    if (n < TAX_FUZZY_MIN_LEN || !ascii_word(w, n))
        return 0;
    int max = n >= TAX_FUZZY_LONG_LEN ? TAX_FUZZY_MAX_EDITS_LONG : TAX_FUZZY_MAX_EDITS_SHORT;
    int best_d = max + 1;
    size_t nc = 0;
    bool overflow = false;
    for (size_t i = 0; i < t->n_vocab; i++) {
        const char *v = t->vocab[i];
        if (v[0] != w[0])
            continue;
        size_t vl = strlen(v);
        if (vl < TAX_FUZZY_MIN_LEN - 1)
            continue;
        int d = textnorm_distance(w, n, v, vl, max);
        if (d < best_d) {
            best_d = d;
            nc = 0;
            overflow = false;
        }
        if (d == best_d && d <= max) {
            if (nc < TAX_FUZZY_MAX_TIES)
                cand[nc++] = v;
            else
                overflow = true;
        }
    }
    return overflow ? 0 : nc;
}

/* One reading of a phrase with corrected words: reading k of the mixed-radix
 * count over the tied candidates (nc[i] of them for word i, 0: kept as is). */
static void fuzzy_reading(const char *norm, const struct word *w, size_t nw,
                          const char *(*cand)[TAX_FUZZY_MAX_TIES], const size_t *nc, size_t k,
                          struct sbuf *out)
{
    sbuf_reset(out);
    for (size_t i = 0; i < nw; i++) {
        if (i)
            sbuf_putc(out, ' ');
        if (nc[i]) {
            sbuf_puts(out, cand[i][k % nc[i]]);
            k /= nc[i];
        } else {
            sbuf_append(out, norm + w[i].start, w[i].len);
        }
    }
}

static size_t match_norm(const struct taxonomy *t, const char *norm, struct tax_match *out,
                         size_t max)
{
    size_t ai, n = 0, nw;
    if (!*norm)
        return 0;
    if (strmap_get(&t->alias_map, norm, strlen(norm), &ai))
        return emit_match(t, ai, TAX_EXACT, TAX_STRENGTH_EXACT, out, 0, max);
    struct word small[SMALL_WORDS], *w = split_words(norm, small, &nw);
    n = match_contains(t, norm, w, nw, TAX_CONTAINS, TAX_STRENGTH_CONTAINS, out, max);
    if (n > 0 || nw == 0)
        goto done;
    /* Fuzzy: correct unknown words to vocabulary words, then exact or contains
     * again; where corrections tie, each reading is tried (classify_defaults.h). */
    const char *(*cand)[TAX_FUZZY_MAX_TIES] = xcalloc(nw, sizeof *cand);
    size_t *nc = xcalloc(nw, sizeof *nc), readings = 1;
    for (size_t i = 0; i < nw; i++) {
        if (!strmap_get(&t->vocab_map, norm + w[i].start, w[i].len, NULL))
            nc[i] = closest_words(t, norm + w[i].start, w[i].len, cand[i]);
        if (nc[i] > 1 && readings * nc[i] > TAX_FUZZY_MAX_READINGS)
            nc[i] = 0; /* too many readings: this word stays as written */
        if (nc[i])
            readings *= nc[i];
    }
    bool changed = false;
    for (size_t i = 0; i < nw; i++)
        changed |= nc[i] > 0;
    if (changed) {
        struct sbuf fixed;
        sbuf_init(&fixed);
        for (size_t k = 0; k < readings && n == 0; k++) {
            fuzzy_reading(norm, w, nw, cand, nc, k, &fixed);
            if (strmap_get(&t->alias_map, fixed.data, fixed.len, &ai))
                n = emit_match(t, ai, TAX_FUZZY, TAX_STRENGTH_FUZZY, out, 0, max);
        }
        for (size_t k = 0; k < readings && n == 0; k++) {
            fuzzy_reading(norm, w, nw, cand, nc, k, &fixed);
            size_t nf;
            struct word fsmall[SMALL_WORDS], *fw = split_words(fixed.data, fsmall, &nf);
            n = match_contains(t, fixed.data, fw, nf, TAX_FUZZY,
                               TAX_STRENGTH_FUZZY * TAX_STRENGTH_CONTAINS, out, max);
            free_words(fw, fsmall);
        }
        sbuf_free(&fixed);
    }
    free(cand);
    free(nc);
done:
    free_words(w, small);
    return n;
}

const struct tax_phrase_result *taxonomy_lookup(struct taxonomy *t, const char *phrase)
{
    if (!phrase)
        phrase = "";
    size_t len = strlen(phrase), idx;
    if (strmap_get(&t->cache_map, phrase, len, &idx))
        return t->cache[idx];
    if (t->n_cache >= TAX_CACHE_MAX_ENTRIES && !t->held)
        cache_clear(t);
    struct tax_phrase_result *r = xcalloc(1, sizeof *r);
    r->key = xstrndup(phrase, len);
    r->norm = textnorm_phrase(phrase);
    r->n = match_norm(t, r->norm, r->m, TAX_MAX_MATCHES);
    mark_ambiguous(t, r);
    r->neutral = r->n == 0 && !r->ambiguous && is_neutral(r->norm);
    if (t->n_cache == t->cap_cache) {
        t->cap_cache = t->cap_cache ? t->cap_cache * 2 : 1024;
        t->cache = xrealloc(t->cache, t->cap_cache * sizeof *t->cache);
    }
    t->cache[t->n_cache] = r;
    strmap_put(&t->cache_map, r->key, len, t->n_cache);
    t->n_cache++;
    return r;
}

void taxonomy_set_memo(struct taxonomy *t, const struct tax_phrase_result *r, size_t i, char *memo,
                       size_t len)
{
    (void)t; /* the entry belongs to t's cache; t is non-const to say it changes */
    struct tax_phrase_result *w = (struct tax_phrase_result *)r;
    if (i >= TAX_MAX_MATCHES || w->memo[i]) {
        free(memo);
        return;
    }
    w->memo[i] = memo;
    w->memo_len[i] = len;
}

void taxonomy_hold(struct taxonomy *t)
{
    if (t->n_cache >= TAX_CACHE_MAX_ENTRIES)
        cache_clear(t);
    t->held = true;
}

void taxonomy_release(struct taxonomy *t)
{
    t->held = false;
}

size_t taxonomy_match_phrase(struct taxonomy *t, const char *phrase, struct tax_match *out,
                             size_t max)
{
    const struct tax_phrase_result *r = taxonomy_lookup(t, phrase);
    size_t n = r->n < max ? r->n : max;
    memcpy(out, r->m, n * sizeof *out);
    return n;
}

/* ---- the seed file ---- */

/* Reads one '...' SQL string at *p (with '' escapes); advances *p past it. */
static char *seed_string(const char **p)
{
    const char *s = *p;
    while (*s == ' ' || *s == ',')
        s++;
    if (*s != '\'')
        return NULL;
    s++;
    struct sbuf b;
    sbuf_init(&b);
    for (;; s++) {
        if (*s == '\0' || *s == '\n') {
            sbuf_free(&b);
            return NULL;
        }
        if (*s == '\'') {
            if (s[1] != '\'')
                break;
            s++;
        }
        sbuf_putc(&b, *s);
    }
    *p = s + 1;
    sbuf_putc(&b, '\0'); /* keep data non-NULL for an empty string */
    return sbuf_detach(&b);
}

int taxonomy_parse_seed(struct taxonomy *t, const char *sql, struct vm_err *err)
{
    int rc = 0, line = 0, next_id = 1;
    char *f[3] = {NULL, NULL, NULL};
    /* ids continue after the categories already loaded, as a serial would */
    for (size_t i = 0; i < t->n_cats; i++)
        if (t->cats[i]->id >= next_id)
            next_id = t->cats[i]->id + 1;
    bool repoint = sql && strstr(sql, "ON CONFLICT (phrase_norm) DO UPDATE") != NULL;
    bool reweigh = sql && strstr(sql, "ON CONFLICT (code) DO UPDATE SET weight") != NULL;
    bool removing = false; /* inside DELETE FROM taxonomy_aliases ... IN (VALUES */
    for (const char *p = sql; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        line++;
        const char *s = p;
        while (*s == ' ' || *s == '\t')
            s++;
        if (s[0] != '(' || s[1] != '\'') {
            if (strncmp(s, "DELETE FROM taxonomy_aliases", 28) == 0)
                removing = true;
            else if (strncmp(s, "INSERT", 6) == 0)
                removing = false;
            continue;
        }
        s++;
        int nf = 0;
        while (nf < 3 && (f[nf] = seed_string(&s)) != NULL)
            nf++;
        if (nf == 3) { /* ('code', 'name', 'BPO', weight) */
            while (*s == ' ' || *s == ',')
                s++;
            errno = 0;
            char *end;
            double weight = strtod(s, &end);
            ptrdiff_t known = reweigh ? category_index(t, f[0]) : -1;
            if (known >= 0 && weight > 0 && strcmp(t->cats[known]->process_type, f[2]) == 0) {
                t->cats[known]->weight = weight; /* the migration's ON CONFLICT update */
                cache_clear(t);
            } else if (end == s || errno ||
                       !taxonomy_add_category(t, next_id++, f[0], f[1], f[2], weight)) {
                rc = vm_err_set(err, VM_EXIT_DATAERR, "seed line %d: bad category", line);
                goto done;
            }
        } else if (nf == 2) { /* ('code', 'alias') */
            struct vm_err e;
            char *norm = repoint ? textnorm_phrase(f[1]) : NULL;
            const struct tax_category *had = norm ? taxonomy_alias_category(t, norm) : NULL;
            int arc = had ? taxonomy_move_alias(t, norm, f[0], &e)
                          : taxonomy_add_alias(t, f[0], f[1], &e);
            free(norm);
            if (arc != 0) {
                rc = vm_err_set(err, VM_EXIT_DATAERR, "seed line %d: %s", line, e.msg);
                goto done;
            }
        } else if (nf == 1 && removing) { /* ('alias') in DELETE ... IN (VALUES ...) */
            struct vm_err e;
            if (taxonomy_remove_alias(t, f[0], &e) != 0) {
                rc = vm_err_set(err, VM_EXIT_DATAERR, "seed line %d: %s", line, e.msg);
                goto done;
            }
        } else {
            rc = vm_err_set(err, VM_EXIT_DATAERR, "seed line %d: expected a category or alias",
                            line);
            goto done;
        }
        for (int i = 0; i < 3; i++) {
            free(f[i]);
            f[i] = NULL;
        }
    }
done:
    for (int i = 0; i < 3; i++)
        free(f[i]);
    return rc;
}
