/*
 * match_db: fetches the vendors a need could rank, without shipping the
 * catalog to the client.
 *
 * The idea: every hard constraint becomes an indexable predicate (GIN `&&`
 * and `@>` on the arrays, btree on type, country and rating), and the rows
 * come ordered by an SQL upper bound of the score (the exact formula of
 * score.c, unrounded, plus MATCH_BOUND_SLACK), so a few dozen rows are
 * enough even when a hundred thousand vendors qualify. The caller scores the
 * rows exactly in C and proves the cut safe: when the N-th exact score is
 * above the smallest bound fetched no unfetched vendor can reach the top N;
 * otherwise it asks again for every vendor whose bound reaches that score.
 * Near misses come from the same statement: one UNION ALL branch per
 * constraint, with that constraint negated and the others kept. Values only
 * travel as parameters; statements are prepared once per shape.
 */
#ifndef VM_DB_MATCH_DB_H
#define VM_DB_MATCH_DB_H

#include <libpq-fe.h>
#include <jansson.h>
#include <math.h>

#include "core/need.h"
#include "core/score.h"
#include "core/util.h"

struct match_db; /* a connection's statement cache */

struct match_db *match_db_new(PGconn *conn);
/* Test aid: fetch every vendor with no SQL filter, bound or limit, so the
 * C side decides alone; tests compare it with the fast path. */
void match_db_set_exhaustive(struct match_db *m, bool on);
void match_db_free(struct match_db *m);

/* Rows fetched for one need; candidates own their strings. */
struct match_rows {
    struct vendor_cand *cands;
    size_t n;
    size_t n_main;      /* cands[0..n_main) passed every constraint in SQL */
    double min_bound;   /* smallest bound among the main rows (-INFINITY if none) */
    bool main_complete; /* fewer main rows than the limit: all qualifying were fetched */
};

void match_rows_free(struct match_rows *r);

/*
 * Fetches up to `limit` qualifying vendors by bound, plus (with near) up to
 * `near_per_branch` per relaxed constraint. With min_bound finite, fetches
 * instead every qualifying vendor whose bound is >= min_bound (no limit, no
 * near misses). Appends to rows.
 */
int match_db_fetch(struct match_db *m, const struct need *n, long limit, bool near,
                   long near_per_branch, double min_bound, struct match_rows *rows,
                   struct vm_err *err);

/* The import batches the catalog was built from, as the "catalog" array of
 * the match document: [{batch_id, file, source, sha256, imported_at}]. */
int match_db_catalog(PGconn *conn, json_t **out, struct vm_err *err);

#endif
