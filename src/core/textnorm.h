/*
 * textnorm: the one normal form in which service phrases are compared.
 * Every alias in the taxonomy and every phrase a vendor writes go through
 * textnorm_phrase(), so "Customer-Services", "customer services" and
 * "CUSTOMER SERVICE" all become "customer service" and compare as bytes.
 */
#ifndef VM_TEXTNORM_H
#define VM_TEXTNORM_H

#include <stddef.h>

/*
 * Returns a malloc'd string: NFKC, case folded, accents stripped, '&' -> "and",
 * apostrophes dropped, other punctuation and symbols -> space, runs of space
 * collapsed, and each ASCII word singularised ("services" -> "service",
 * "companies" -> "company", "analyses" -> "analysis"). NULL gives NULL;
 * invalid UTF-8 gives "".
 */
char *textnorm_phrase(const char *utf8);

/*
 * textnorm_phrase written into buf (cap bytes) when it fits there, else
 * malloc'd: free the result when it is not buf. Lets a per-row scan run
 * without allocating.
 */
char *textnorm_phrase_buf(const char *utf8, char *buf, size_t cap);

/* Singularises one lower-case ASCII word in place (the rule textnorm_phrase uses). */
void textnorm_singular(char *word, size_t *len);

/*
 * Restricted Damerau-Levenshtein distance between two byte strings, giving up
 * (returning max + 1) as soon as the distance must exceed max, and for
 * strings of 64 bytes or more (words that long are never typo-corrected).
 */
int textnorm_distance(const char *a, size_t alen, const char *b, size_t blen, int max);

#endif
