/*
 * fuzz_taxonomy: the service phrase matcher (src/core/taxonomy.c) over the
 * shipped taxonomy, built in memory from the seed migrations as the unit
 * tests build it: exact alias, whole-word containment, typo correction, the
 * per-phrase cache, free-text scanning, and the classifier on top.
 *
 * Input: one service phrase per line; the whole text is also scanned as a
 * description. Each match must name a real category through one of its own
 * aliases, and a phrase must match the same way from the cache as the first
 * time.
 */
#include <math.h>
#include <stdint.h>

#include "core/classify.h"
#include "core/normalize.h"
#include "core/textnorm.h"
#include "fuzz_support.h"

static struct taxonomy *tax;
static unsigned long runs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tax = fuzz_seed_taxonomy();
    return 0;
}

static void check_match(const struct tax_match *m)
{
    FUZZ_CHECK(m->category != NULL);
    FUZZ_CHECK(taxonomy_find_category(tax, m->category->code) == m->category);
    FUZZ_CHECK(m->stage == TAX_EXACT || m->stage == TAX_CONTAINS || m->stage == TAX_FUZZY);
    FUZZ_CHECK(m->strength > 0 && m->strength <= 1);
    FUZZ_CHECK(m->alias != NULL);
    FUZZ_CHECK(taxonomy_alias_category(tax, m->alias) == m->category);
}

static void check_phrase(const char *phrase)
{
    struct tax_match first[TAX_MAX_MATCHES], again[TAX_MAX_MATCHES];
    size_t n = taxonomy_match_phrase(tax, phrase, first, TAX_MAX_MATCHES);
    FUZZ_CHECK(n <= TAX_MAX_MATCHES);
    for (size_t i = 0; i < n; i++)
        check_match(&first[i]);
    char *norm = textnorm_phrase(phrase);
    const struct tax_category *exact = norm ? taxonomy_alias_category(tax, norm) : NULL;
    if (exact)
        FUZZ_CHECK(n >= 1 && first[0].stage == TAX_EXACT && first[0].category == exact);
    free(norm);
    FUZZ_CHECK(taxonomy_match_phrase(tax, phrase, again, TAX_MAX_MATCHES) == n);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(again[i].category == first[i].category && again[i].stage == first[i].stage);
}

static void check_classify(const struct strlist *lines, const char *text)
{
    struct classify_input in = {.services = (const char *const *)lines->items,
                                .n_services = lines->len,
                                .description = text,
                                .expertise = text,
                                .data_security = text};
    struct classification c;
    classify(tax, &in, &c);
    const char *t = c.process_type;
    FUZZ_CHECK(strcmp(t, "BPO") == 0 || strcmp(t, "KPO") == 0 || strcmp(t, "HYBRID") == 0 ||
               strcmp(t, "UNCLASSIFIED") == 0);
    FUZZ_CHECK(c.confidence >= 0 && c.confidence <= 1);
    FUZZ_CHECK(isfinite(c.bpo_weight) && c.bpo_weight >= 0);
    FUZZ_CHECK(isfinite(c.kpo_weight) && c.kpo_weight >= 0);
    json_t *ev = classification_evidence_json(&c);
    FUZZ_CHECK(ev != NULL && json_array_size(ev) == c.n_evidence);
    json_decref(ev);
    classification_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The phrase cache is bounded at a million entries: start afresh now
     * and then so a long run does not fill memory with it. */
    if (++runs % 100000 == 0) {
        taxonomy_free(tax);
        tax = fuzz_seed_taxonomy();
    }
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t bad;
    if (!norm_utf8_valid(text, strlen(text), &bad))
        goto done; /* phrases come from the CSV reader or need_set: valid UTF-8 */
    struct strlist lines;
    strlist_init(&lines);
    fuzz_lines((const uint8_t *)text, strlen(text), &lines);
    for (size_t i = 0; i < lines.len; i++)
        check_phrase(lines.items[i]);
    char *norm = textnorm_phrase(text);
    struct tax_match m[TAX_MAX_MATCHES];
    size_t n = taxonomy_scan_text(tax, norm, m, TAX_MAX_MATCHES);
    FUZZ_CHECK(n <= TAX_MAX_MATCHES);
    for (size_t i = 0; i < n; i++)
        check_match(&m[i]);
    free(norm);
    check_classify(&lines, text);
    strlist_free(&lines);
done:
    free(text);
    return 0;
}
