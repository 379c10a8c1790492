/*
 * shortlist_doc: the match / shortlist JSON document (docs/shortlist-json.md),
 * written and read in one place. `match` builds it once per need from the
 * ranking (shortlist_doc_new); every view of it (match_view.c for `match` and
 * `shortlists show`, the report renderers for `report`) reads it back through
 * the tolerant accessors below, so a key the writer adds or renames is
 * changed here, beside the readers that expect it. A saved shortlist is this
 * document with "id", "name" and "created_at" added (shortlist_db.c).
 *
 * Readers treat a missing key, a null and a mistyped value alike (unknown),
 * so a shortlist saved by an older version, or edited by hand, still reads.
 */
#ifndef VM_IO_SHORTLIST_DOC_H
#define VM_IO_SHORTLIST_DOC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/need.h"
#include "core/robust.h"
#include "core/score.h"

/* --- writing */
/*
 * The document for one ranked need (new reference): "need", "process_type",
 * "process_type_inferred", "process_type_reason", "weights", "catalog" (a
 * copy of catalog: the import batches the ranking read, match_db_catalog),
 * "results" (out's results with rank, score, breakdown, reasons, unverified
 * facts, converted rate and a vendor snapshot) and "excluded" (the near
 * misses). rob (or NULL) adds "robustness", "swap" and each shown result's
 * "robustness"; rob's figures are per result, in out's order.
 */
json_t *shortlist_doc_new(const struct need *n, const struct match_outcome *out,
                          const struct robust_outcome *rob, const json_t *catalog);

/* --- tolerant reading: NULL / false when missing, null or mistyped */
const json_t *rj_get(const json_t *obj, const char *key);
const char *rj_str(const json_t *obj, const char *key);
bool rj_num(const json_t *obj, const char *key, double *out);
bool rj_true(const json_t *obj, const char *key);
/* The array at key, or NULL; rj_len is 0 for NULL. */
const json_t *rj_arr(const json_t *obj, const char *key);
size_t rj_len(const json_t *arr);
/* Strings of an array joined with sep (non-strings skipped); malloc'd. With
 * label, each item passes through it (e.g. a country code to its name). */
char *rj_join(const json_t *arr, const char *sep,
              const char *(*label)(const char *, char *, size_t));

/* --- unverified facts (docs/matching.md, "three states"): a result's or a
 * near miss's "unverified" and "unverified_reasons", [] when missing */
/* The facts an entry passed unverified, as a reader says them ("language,
 * rate" -> "language, hourly rate"); NULL when none. Malloc'd. */
char *rp_unverified(const json_t *entry);
/* Whether reason is one of the entry's unverified_reasons: the card shows
 * those apart, as claims to check with the vendor. */
bool rp_is_unverified_reason(const json_t *entry, const char *reason);
/* An unverified reason without its ": unverified" tail. Malloc'd. */
char *rp_unverified_claim(const char *reason);

#endif
