/*
 * match_db: fetches the vendors a need could rank, without shipping the
 * catalog to the client.
 *
 * The idea: every hard constraint becomes an indexable predicate (GIN `&&`
 * and `@>` on the arrays, btree on type, country and rating), and the rows
 * come in descending order of a static quality key K (rating / 5 + tag
 * confidence, indexed by migrations/0003). The score of any vendor is at most
 * a bound of K plus the most the need-dependent criteria can give
 * (score_static_bound, score_dynamic_bound), so the walk reads chunks by
 * keyset pagination, scores each row exactly in C, and stops as soon as the
 * bound at the last key is below the N-th best score: no vendor left can
 * enter the list. Near misses ride the same walk: a chunk reads the vendors
 * failing at most one constraint (a sum of "(cond) IS NOT TRUE" in the
 * index filter) while both lists are open, then only the rows of the list
 * still open, until the bound is below the MATCH_NEAR_MISSES-th best near
 * miss too. Values only travel as parameters; statements are prepared once
 * per shape.
 */
#ifndef VM_DB_MATCH_DB_H
#define VM_DB_MATCH_DB_H

#include <libpq-fe.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>

#include "core/need.h"
#include "core/score.h"
#include "core/util.h"

struct match_db; /* a connection's statement cache */

struct match_db *match_db_new(PGconn *conn);
/* Test aid: fetch every vendor with no SQL filter, bound or limit, so the
 * C side decides alone; tests compare it with the fast path. */
void match_db_set_exhaustive(struct match_db *m, bool on);
/* -vv: print one line per walk chunk (class, rows, time) to f. */
void match_db_set_trace(struct match_db *m, FILE *f);
/* Monotonic milliseconds, for -vv timings. */
double match_db_clock_ms(void);
void match_db_free(struct match_db *m);

/* Rows fetched for one need; candidates own their strings. */
struct match_rows {
    struct vendor_cand *cands;
    size_t n;
    size_t n_rows, n_queries; /* what the walks read, for -v */
    size_t n_fallback;        /* walks moved off the key index after a timeout */
};

void match_rows_free(struct match_rows *r);

/*
 * Fetches a superset of what score_rank needs to rank n exactly: every
 * vendor that can be in the top n->top, and (with near) every one that can
 * be among the MATCH_NEAR_MISSES best near misses. Appends to rows; the
 * caller ranks them with score_rank.
 */
int match_db_candidates(struct match_db *m, const struct need *n, bool near,
                        struct match_rows *rows, struct vm_err *err);

/* The walk keeps a short statement_timeout on the session (a chunk that
 * crawls the index is re-read another way); call this before other work on
 * the connection, such as saving a shortlist. */
int match_db_idle(struct match_db *m, struct vm_err *err);

/* Fills the contact details (website, city, email, phone), which the walk
 * does not read, of the vendors out shows: one query by id array. */
int match_db_details(struct match_db *m, struct match_rows *rows, const struct match_outcome *out,
                     struct vm_err *err);

/* The need's required terms that no vendor in the catalog has at all (a
 * requested service category, allowed country, language, certification or
 * delivery model), as phrases such as "language 'is'" appended to out; one
 * query of EXISTS tests, each served by its column's index. Call after
 * match_db_candidates (the category ids are loaded then). */
int match_db_absent_terms(struct match_db *m, const struct need *n, struct strlist *out,
                          struct vm_err *err);

/* The catalog's cheapest rate in each currency (score_cheapest_rates), for
 * score_price_share_max: one query on migrations/0013's index. A catalog
 * without that index (not yet migrated) leaves out->known false: no bound. */
int match_db_cheapest_rates(PGconn *conn, struct score_cheapest_rates *out, struct vm_err *err);

/* Industry is scored, not required, so a misspelt one silently scores
 * nothing: appends to absent each of the need's industries no vendor lists
 * (one EXISTS test each, on the industries index), and, only when there is
 * one, every industry label the catalog holds to known (sorted), for a
 * "did you mean ...?". */
int match_db_absent_industries(struct match_db *m, const struct need *n, struct strlist *absent,
                               struct strlist *known, struct vm_err *err);

/* The import batches the catalog was built from, as the "catalog" array of
 * the match document: [{batch_id, file, source, sha256, imported_at}]. */
int match_db_catalog(PGconn *conn, json_t **out, struct vm_err *err);

#endif
