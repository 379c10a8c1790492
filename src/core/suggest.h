/*
 * suggest: the known term closest to a mistyped one, for "did you mean
 * ...?" hints ("custmer suport" -> "customer support", "Indai" -> "India").
 *
 * The idea: both sides are compared as a key of their lower-cased letters
 * and digits only (spaces and punctuation dropped, so "ISO 2700" meets
 * "ISO27001"), by optimal-string-alignment edit distance (a swap of two
 * neighbours counts one). A candidate is close when the distance is at most
 * a quarter of the typed key's length (at least 1, at most 3); the closest
 * wins, the first offered on ties. Pure: no I/O.
 */
#ifndef VM_CORE_SUGGEST_H
#define VM_CORE_SUGGEST_H

#include <stddef.h>

struct suggest {
    char key[64]; /* the typed term's key */
    size_t len;
    int limit;         /* largest distance accepted */
    int best_dist;     /* of best; limit + 1 while none */
    const char *best;  /* the shown text of the closest candidate (not owned) */
    size_t best_shown; /* its length */
};

void suggest_init(struct suggest *s, const char *typed);
/* Offers the candidate of cand_len bytes; shown (shown_len bytes, not
 * copied: it must outlive s) is what a hint prints for it. */
void suggest_offer(struct suggest *s, const char *cand, size_t cand_len, const char *shown,
                   size_t shown_len);
/* Offers a NUL-terminated candidate shown as itself. */
void suggest_offer_str(struct suggest *s, const char *cand);

#endif
