/*
 * taxonomy: the in-memory service taxonomy (categories on the BPO or KPO side,
 * with alias phrases) and the phrase matcher. A phrase is normalised, then
 * looked up as an exact alias, then searched for aliases it contains as whole
 * words (longest first), then retried with typos corrected against the alias
 * vocabulary. Results are cached per phrase, because a million-row catalog
 * repeats the same few thousand service phrases. Pure: no database, no I/O.
 */
#ifndef VM_TAXONOMY_H
#define VM_TAXONOMY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/classify_defaults.h"
#include "core/util.h"

struct taxonomy;

struct tax_category {
    int id;
    char *code;
    char *name;
    char process_type[4]; /* "BPO" | "KPO" */
    double weight;
};

/* TAX_ABBREVIATION and TAX_AMBIGUOUS are classify's: an ambiguous
 * abbreviation resolved by its context, or left unresolved (weight 0). */
enum tax_stage { TAX_NONE, TAX_EXACT, TAX_CONTAINS, TAX_FUZZY, TAX_ABBREVIATION, TAX_AMBIGUOUS };

/*
 * An abbreviation with two readings on different sides or categories ("rpo":
 * recruitment or research process outsourcing). Each reading is an
 * expansion, an alias of the reading's category, and cue words (normal form,
 * space-separated) whose presence around the abbreviation points to it. The
 * table is CLASSIFY_AMBIGUOUS in classify_defaults.h.
 */
#define TAX_READINGS 2
struct tax_reading {
    const char *expansion;
    const char *cues;
};
struct tax_ambiguous {
    const char *abbreviation;
    struct tax_reading reading[TAX_READINGS];
};
size_t taxonomy_ambiguous_count(void);
const struct tax_ambiguous *taxonomy_ambiguous_at(size_t i);
/* The entry whose abbreviation occurs as a whole word in normalised text, from
 * entry `from` on; returns its index or SIZE_MAX. */
size_t taxonomy_find_ambiguous(const char *norm, size_t from);

struct tax_match {
    const struct tax_category *category;
    enum tax_stage stage;
    double strength;   /* 1.0 exact, lower for contains/fuzzy (classify_defaults.h) */
    const char *alias; /* the normalised alias that matched; owned by the taxonomy */
};

struct taxonomy *taxonomy_new(void);
void taxonomy_free(struct taxonomy *t);

/* Adds a category (process_type "BPO" or "KPO", weight > 0). Returns NULL on
 * invalid arguments; returns the existing category when code is known. */
const struct tax_category *taxonomy_add_category(struct taxonomy *t, int id, const char *code,
                                                 const char *name, const char *process_type,
                                                 double weight);
/* Adds an alias (normalised here). 0 on success or if it already maps to this
 * category; VM_EXIT_FAILURE if the category is unknown, the phrase normalises
 * to nothing, or it already maps to another category. */
int taxonomy_add_alias(struct taxonomy *t, const char *category_code, const char *phrase,
                       struct vm_err *err);

/* Removes an alias (normalised): 0, or VM_EXIT_FAILURE if unknown. */
int taxonomy_remove_alias(struct taxonomy *t, const char *norm, struct vm_err *err);

/* Re-points an existing alias (normalised) to another category: 0, or
 * VM_EXIT_FAILURE if either is unknown. */
int taxonomy_move_alias(struct taxonomy *t, const char *norm, const char *category_code,
                        struct vm_err *err);

const struct tax_category *taxonomy_find_category(const struct taxonomy *t, const char *code);
/* The category an already-normalised alias maps to, or NULL. */
const struct tax_category *taxonomy_alias_category(const struct taxonomy *t, const char *norm);
size_t taxonomy_category_count(const struct taxonomy *t);
const struct tax_category *taxonomy_category_at(const struct taxonomy *t, size_t i);
size_t taxonomy_alias_count(const struct taxonomy *t);
/* The i-th alias (normalised) and its category. */
const char *taxonomy_alias_at(const struct taxonomy *t, size_t i, const struct tax_category **cat);

/*
 * Matches one service phrase; may return several categories for one phrase
 * ("customer support and collections"). Cached per phrase. Returns the count
 * written (<= max).
 */
size_t taxonomy_match_phrase(struct taxonomy *t, const char *phrase, struct tax_match *out,
                             size_t max);

/* The cached result for a phrase: its normal form and its matches. Valid
 * until the next call that takes a non-const taxonomy, or while the taxonomy
 * is held (taxonomy_hold). memo[i] is the caller's text for match i (classify
 * keeps the match's evidence JSON there), owned by the entry, NULL until set. */
struct tax_phrase_result {
    char *key;  /* the phrase as given */
    char *norm; /* textnorm_phrase(key) */
    size_t n;
    struct tax_match m[TAX_MAX_MATCHES];
    char *memo[TAX_MAX_MATCHES];
    size_t memo_len[TAX_MAX_MATCHES];
    /* 1 + the index of an ambiguous abbreviation the phrase names and no
     * match of it resolves (no alias holds the abbreviation, none names a
     * reading's category), else 0: classify resolves it from the context. */
    size_t ambiguous;
    /* No match, and the phrase is one of CLASSIFY_NEUTRAL_SERVICES (IT,
     * "digital"): a service, but evidence for neither side. */
    bool neutral;
};
const struct tax_phrase_result *taxonomy_lookup(struct taxonomy *t, const char *phrase);

/* Stores memo (malloc'd; the entry takes it) as r's text for match i, once. */
void taxonomy_set_memo(struct taxonomy *t, const struct tax_phrase_result *r, size_t i, char *memo,
                       size_t len);

/* While held, lookups never drop cached results, so results (and memos)
 * looked up since the hold stay valid; the cache may then exceed its bound
 * by one caller's phrases. The bound is enforced again at the next hold or
 * unheld lookup, not at release, so results stay valid after release until
 * then. */
void taxonomy_hold(struct taxonomy *t);
void taxonomy_release(struct taxonomy *t);

/* Finds the aliases contained (as whole words) in already-normalised free text,
 * such as a description; no fuzzy stage, no cache. Returns the count written. */
size_t taxonomy_scan_text(const struct taxonomy *t, const char *norm, struct tax_match *out,
                          size_t max);

/*
 * Loads categories and aliases from the text of a taxonomy migration (0002,
 * 0004, 0009: their strict one-tuple-per-line format), so tests can build the
 * shipped taxonomy without a database. Category ids continue from the
 * categories already loaded, in file order, as the database's serial numbers
 * them. A file whose INSERT ends "ON CONFLICT (phrase_norm) DO UPDATE" re-points
 * an alias already loaded to the line's category, and one with "ON CONFLICT
 * (code) DO UPDATE SET weight" gives a known category the line's weight, and
 * a one-string tuple ('alias') inside "DELETE FROM taxonomy_aliases ... IN
 * (VALUES" removes that alias, as the migration does.
 */
int taxonomy_parse_seed(struct taxonomy *t, const char *sql, struct vm_err *err);

const char *tax_stage_name(enum tax_stage s);

#endif
