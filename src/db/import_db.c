/*
 * import_db: one file = one transaction (see import_db.h).
 *
 * Order of work inside the transaction: source + batch row; a TEMP staging
 * table (ON COMMIT DROP) filled by one long COPY, while the rows that repeat
 * a record of the source (known by their content hash) are spooled slim
 * and COPYed into a narrow table after it; then resolve each staged row to
 * an existing vendor by the identity rules (the record it repeats, the
 * source's own id, then the website host, then name key + country), find
 * the slim rows' vendors by one join on their hashes (those whose vendor
 * no other row names are unchanged and stop there), group the rows per
 * vendor (several rows: merged into one record), keep the groups whose
 * record differs from the one the source holds (so re-importing what a
 * source said writes nothing, whatever came in between), INSERT the new
 * vendors with ids drawn from the sequence up front, store the source's
 * records, merge the changed known vendors again from all their records,
 * re-tag the merged ones, copy rejects, close the batch, COMMIT. The column
 * list and merge rules are db/vendor_cols.
 */
#include "db/import_db.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "db/pgutil.h"
#include "db/sources_db.h"
#include "db/taxonomy_db.h"
#include "db/vendor_cols.h"
#include "db/vendor_db.h"
#include "core/taxonomy.h"

/* The vendor columns the importer owns, in staging order (manual_* never),
 * and their merge rules: db/vendor_cols.h. */

/* A direct load of a file at least this large drops the vendor indexes
 * first and builds them after the data (GIN especially). */
#define DIRECT_DROP_INDEX_BYTES (1024 * 1024)

/* A re-import of a file smaller than this stages its rows whole, without
 * reading the source's content hashes first (slim staging, load_known):
 * reading them costs the source's size (seconds for a 1M-record source),
 * while staging a small file whole costs little. VM_IMPORT_SLIM_MIN_BYTES
 * sets another size (the tests use 0 to take the slim path on small files). */
#define SLIM_MIN_BYTES (4 * 1024 * 1024)

/* How long a first load waits for readers to let go of the empty catalog
 * before it takes the staging path instead (direct_prepare). */
#define DIRECT_LOCK_TIMEOUT "100ms"

#define TEXT_OID 25                     /* pg_type.oid of text: the element type of text[] */
#define INT4_OID 23                     /* pg_type.oid of int4: the element type of int4[] */
#define PG_EPOCH_USEC 946684800000000LL /* 2000-01-01 in Unix microseconds */

#define STR(x) #x
#define XSTR(x) STR(x)

/* The COPY stream is handed to a sender thread a buffer at a time, so the
 * client parses the next rows while the server ingests the last ones (a
 * blocking send alone makes them take turns: the socket holds ~200 KB).
 * Two buffers in flight at most: memory stays constant. */
#define SEND_BYTES (1024 * 1024)

struct sender {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    PGconn *conn;
    struct sbuf slot; /* a full buffer waiting for the thread */
    bool full, done, failed, running;
};

/*
 * The content hashes of the source's records, read before a re-import: a
 * row whose hash is among them says what a record of the source already
 * says, so it is staged slim: its row number, hash, identity key and
 * source id only, spooled to a temporary file and COPYed into a narrow
 * table of its own (vm_slim) after the stream. One join on (source_id,
 * content_hash) gives each slim row its vendor (sort_known); a slim row
 * whose vendor no other row of the file names is unchanged and goes no
 * further. The few that are needed after all (a vendor named twice) join
 * the staged rows and take their columns from that record on the server
 * (hydrate). 64-bit prefixes in an open-addressing table of at most
 * KNOWN_MAX_SLOTS: a source with more records is staged whole, so memory
 * stays bounded.
 */
#define KNOWN_MAX_SLOTS (1u << 22) /* 32 MiB */
#define KNOWN_FETCH "50000"        /* hashes a round trip */

struct known {
    uint64_t *slots;      /* 0 = empty */
    unsigned char *flags; /* KNOWN_* of each slot */
    size_t cap, n;
};
#define KNOWN_NONE ((size_t)-1)
#define KNOWN_TWICE 1 /* two records of the source share the prefix */
#define KNOWN_SEEN 2  /* a row of this file was staged slim with it */

struct import_db {
    PGconn *conn;
    struct sender sender;
    struct import_db_opts opts;
    char source_id[24];
    char batch_id[24];
    struct pgu_copy copy;
    bool in_tx;
    char *seqs[4];      /* --dry-run: the id sequences' last values before ("" = never used) */
    bool dry_savepoint; /* --dry-run: SAVEPOINT vm_dry_run, taken once seqs were read */
    long rn;            /* staged rows so far */
    FILE *rejects;      /* COPY-format lines for import_rejects */
    long n_rejects;
    struct sbuf scratch; /* array literal / number formatting, reused */
    struct known known;  /* the content hashes of the source's records (staging path) */
    long n_slim;         /* rows staged slim: their hash was known */
    FILE *slims;         /* COPY text lines (rn, content_hash, ident, src_row_id) for vm_slim */
    long n_same;         /* slim rows found unchanged by sort_known: one vendor each */
    bool hashes_read;    /* known holds every record hash of the source (load_known) */

    /* The direct load (an empty catalog): rows COPY straight into vendors. */
    bool direct;
    long long first_id;      /* the id of the first row (sequence value) */
    long long now_usec;      /* the transaction's now() (microseconds from 2000), for tagged_at */
    long long batch;         /* batch_id as a number */
    struct strlist idx_defs; /* indexes dropped for the load, rebuilt after */
    struct strlist fk_defs;  /* vendor_sources' foreign keys and indexes, added back after */
    FILE *links;             /* COPY lines (vendor id, source row id) for vm_links */
    long n_links;
    FILE *dups; /* identity keys a previous row may share */
    long n_dups;
    uint64_t *bloom; /* BLOOM_BITS bits of identity-key hashes */
};

/* A fixed-size Bloom filter of the identity keys seen in the file: a row
 * whose key it has certainly not seen is new; the others (true repeats and a
 * few false positives) are checked set-based after the load. Fixed size, so
 * memory does not grow with the file. */
#define BLOOM_BITS (1u << 25) /* 4 MiB */

static void *sender_main(void *arg)
{
    struct sender *sd = arg;
    struct sbuf work;
    sbuf_init(&work);
    pthread_mutex_lock(&sd->mu);
    for (;;) {
        while (!sd->full && !sd->done)
            pthread_cond_wait(&sd->cv, &sd->mu);
        if (!sd->full)
            break; /* done and drained */
        struct sbuf t = work;
        work = sd->slot;
        sd->slot = t;
        sd->full = false;
        bool failed = sd->failed;
        pthread_cond_broadcast(&sd->cv);
        pthread_mutex_unlock(&sd->mu);
        /* After a failure the rest is dropped; the COPY's result says why. */
        if (!failed && PQputCopyData(sd->conn, work.data, (int)work.len) != 1)
            failed = true;
        sbuf_reset(&work);
        pthread_mutex_lock(&sd->mu);
        sd->failed = sd->failed || failed;
    }
    pthread_mutex_unlock(&sd->mu);
    sbuf_free(&work);
    return NULL;
}

static int sender_start(struct import_db *db, struct vm_err *err)
{
    struct sender *sd = &db->sender;
    sd->conn = db->conn;
    sbuf_init(&sd->slot);
    pthread_mutex_init(&sd->mu, NULL);
    pthread_cond_init(&sd->cv, NULL);
    if (pthread_create(&sd->thread, NULL, sender_main, sd) != 0) {
        pthread_cond_destroy(&sd->cv);
        pthread_mutex_destroy(&sd->mu);
        sbuf_free(&sd->slot);
        return vm_err_set(err, VM_EXIT_FAILURE, "cannot start the COPY sender thread");
    }
    sd->running = true;
    return 0;
}

/* Hands buf to the thread (waiting while the previous one is unsent) and
 * gives back an empty buffer in its place. */
static void sender_put(struct sender *sd, struct sbuf *buf)
{
    pthread_mutex_lock(&sd->mu);
    while (sd->full)
        pthread_cond_wait(&sd->cv, &sd->mu);
    struct sbuf t = sd->slot;
    sd->slot = *buf;
    *buf = t;
    sbuf_reset(buf);
    sd->full = true;
    pthread_cond_broadcast(&sd->cv);
    pthread_mutex_unlock(&sd->mu);
}

/* Sends what is queued and ends the thread; the connection is the caller's
 * again. */
static void sender_stop(struct sender *sd)
{
    if (!sd->running)
        return;
    pthread_mutex_lock(&sd->mu);
    sd->done = true;
    pthread_cond_broadcast(&sd->cv);
    pthread_mutex_unlock(&sd->mu);
    pthread_join(sd->thread, NULL);
    pthread_cond_destroy(&sd->cv);
    pthread_mutex_destroy(&sd->mu);
    sbuf_free(&sd->slot);
    sd->running = false;
}

/* Ends a COPY row; a full buffer goes to the sender thread. */
static int end_row(struct import_db *db, struct vm_err *err)
{
    struct pgu_copy *c = &db->copy;
    if (!db->sender.running)
        return pgu_copy_end_row(c, err);
    pgu_copy_close_row(c);
    if (c->buf.len >= SEND_BYTES)
        sender_put(&db->sender, &c->buf);
    return 0;
}

/* The main COPY's end: the thread first, then the rest of the stream. */
static int finish_stream(struct import_db *db, struct vm_err *err)
{
    sender_stop(&db->sender);
    return pgu_copy_finish(&db->copy, err);
}

/* "a, b, c" or "s.a, s.b, s.c" or "a type, b type" over the vendor columns. */
static char *column_list(const char *prefix, bool with_types)
{
    return vcols_list(prefix, with_types, false);
}

static int exec_sql(struct import_db *db, const char *what, const char *sql, int n,
                    const char *const *params, PGresult **res, struct vm_err *err)
{
    return pgu_exec(db->conn, what, sql, n, params, res, err);
}

/* Runs a statement and returns its affected-row count in *count. */
static int exec_count(struct import_db *db, const char *what, const char *sql, int n,
                      const char *const *params, long *count, struct vm_err *err)
{
    PGresult *res = NULL;
    int rc = exec_sql(db, what, sql, n, params, &res, err);
    if (rc == 0)
        *count = atol(PQcmdTuples(res));
    PQclear(res);
    return rc;
}

static int query_into(struct import_db *db, const char *what, const char *sql, int n,
                      const char *const *params, char *out, size_t outlen, struct vm_err *err)
{
    char *v = NULL;
    int rc = pgu_query_value(db->conn, what, sql, n, params, &v, err);
    if (rc == 0)
        snprintf(out, outlen, "%s", v ? v : "");
    free(v);
    return rc;
}

static int open_batch(struct import_db *db, struct vm_err *err)
{
    const char *src[] = {db->opts.source_name};
    int rc = query_into(db, "recording the source",
                        "INSERT INTO sources (name) VALUES ($1) ON CONFLICT (name)"
                        " DO UPDATE SET name = EXCLUDED.name RETURNING id",
                        1, src, db->source_id, sizeof db->source_id, err);
    if (rc)
        return rc;
    const char *p[] = {db->source_id, db->opts.file_name, db->opts.skip_bad ? "skip" : "abort"};
    return query_into(db, "opening the import batch",
                      "INSERT INTO import_batches (source_id, file_name, file_sha256, on_error)"
                      " VALUES ($1, $2, '', $3) RETURNING id",
                      3, p, db->batch_id, sizeof db->batch_id, err);
}

/* The first 16 hex digits of a content hash, never 0 (the empty slot). */
static uint64_t hash_prefix(const char *hex)
{
    uint64_t v = 0;
    for (int i = 0; i < 16 && hex[i]; i++) {
        char c = hex[i];
        v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v ? v : 1;
}

/* The slot holding v, or KNOWN_NONE. */
static size_t known_find(const struct known *k, uint64_t v)
{
    if (!k->n)
        return KNOWN_NONE;
    for (size_t i = v & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
        if (k->slots[i] == v)
            return i;
        if (!k->slots[i])
            return KNOWN_NONE;
    }
}

static void known_put(struct known *k, uint64_t v, unsigned char flags)
{
    size_t i = v & (k->cap - 1);
    while (k->slots[i] && k->slots[i] != v)
        i = (i + 1) & (k->cap - 1);
    if (k->slots[i])
        flags |= KNOWN_TWICE;
    k->n += !k->slots[i];
    k->slots[i] = v;
    k->flags[i] |= flags;
}

/* Adds v (the table at most half full); false when it would outgrow
 * KNOWN_MAX_SLOTS. */
static bool known_add(struct known *k, uint64_t v)
{
    if (2 * (k->n + 1) > k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 1u << 16;
        if (cap > KNOWN_MAX_SLOTS)
            return false;
        struct known g = {xcalloc(cap, sizeof *g.slots), xcalloc(cap, 1), cap, 0};
        for (size_t i = 0; i < k->cap; i++)
            if (k->slots[i])
                known_put(&g, k->slots[i], k->flags[i]);
        free(k->slots);
        free(k->flags);
        *k = g;
    }
    known_put(k, v, 0);
    return true;
}

static void known_free(struct known *k)
{
    free(k->slots);
    free(k->flags);
    memset(k, 0, sizeof *k);
}

/* Reads the content hashes of the source's records (known), through a
 * cursor: a few MB at a time. */
static int load_known(struct import_db *db, struct vm_err *err)
{
    const char *p[] = {db->source_id};
    int rc = exec_sql(db, "reading the source's record hashes",
                      "DECLARE vm_known NO SCROLL CURSOR FOR SELECT content_hash"
                      " FROM vendor_sources WHERE source_id = $1 AND content_hash IS NOT NULL",
                      1, p, NULL, err);
    bool fits = true;
    for (int n = 1; rc == 0 && n > 0 && fits;) {
        PGresult *res = NULL;
        rc = exec_sql(db, "reading the source's record hashes",
                      "FETCH " KNOWN_FETCH " FROM vm_known", 0, NULL, &res, err);
        n = rc ? 0 : PQntuples(res);
        for (int i = 0; i < n && fits; i++)
            fits = known_add(&db->known, hash_prefix(PQgetvalue(res, i, 0)));
        PQclear(res);
    }
    if (!fits)
        known_free(&db->known);
    db->hashes_read = rc == 0 && fits;
    return rc ? rc
              : exec_sql(db, "reading the source's record hashes", "CLOSE vm_known", 0, NULL, NULL,
                         err);
}

/* Whether this file's rows are worth staging slim (SLIM_MIN_BYTES). */
static bool want_slim(const struct import_db *db)
{
    long long min = SLIM_MIN_BYTES;
    const char *v = getenv("VM_IMPORT_SLIM_MIN_BYTES");
    if (v && *v)
        min = strtoll(v, NULL, 10);
    return db->opts.size_hint < 0 || db->opts.size_hint >= min;
}

static int create_staging(struct import_db *db, struct vm_err *err)
{
    char *cols = column_list("", true);
    char *sql = xasprintf("CREATE TEMP TABLE vm_stage (%s, rn bigint, ident text,"
                          " src_row_id text, slim boolean) ON COMMIT DROP",
                          cols);
    int rc = exec_sql(db, "creating the staging table", sql, 0, NULL, NULL, err);
    free(sql);
    free(cols);
    if (rc == 0 && want_slim(db))
        rc = load_known(db, err);
    if (rc)
        return rc;
    if (!db->known.n)
        known_free(&db->known); /* nothing known: every row is staged whole */
    else if (!(db->slims = tmpfile()))
        return vm_err_set(err, VM_EXIT_FAILURE, "cannot create a temporary file");
    cols = column_list("", false);
    sql = xasprintf("COPY vm_stage (%s, rn, ident, src_row_id, slim) FROM STDIN (FORMAT binary)",
                    cols);
    rc = pgu_copy_begin_binary(&db->copy, db->conn, sql, err);
    free(sql);
    free(cols);
    return rc ? rc : sender_start(db, err);
}

/* ---- the direct load into an empty catalog ---- */

static void copy_escape(struct sbuf *b, const char *s, size_t n);

static int drop_vendor_indexes(struct import_db *db, struct vm_err *err);
static int try_in_savepoint(struct import_db *db, int (*step)(struct import_db *, struct vm_err *),
                            bool *done, struct vm_err *err);

/* Runs sql, which lists (drop_sql, create_sql) pairs: executes each drop
 * and keeps each create_sql that is not NULL in defs, in order, for
 * run_defs after the load. */
static int drop_listed(struct import_db *db, const char *what, const char *sql, int n,
                       const char *const *params, struct strlist *defs, struct vm_err *err)
{
    static const char *const names[] = {"drop_sql", "create_sql"};
    PGresult *res = NULL;
    int col[2];
    int rc = exec_sql(db, what, sql, n, params, &res, err);
    if (rc == 0)
        rc = pgu_columns(res, what, 2, names, col, err);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        rc = exec_sql(db, what, PQgetvalue(res, i, col[0]), 0, NULL, NULL, err);
        if (!PQgetisnull(res, i, col[1]))
            strlist_push(defs, PQgetvalue(res, i, col[1]));
    }
    PQclear(res);
    return rc;
}

/* Runs what drop_listed kept. */
static int run_defs(struct import_db *db, const char *what, const struct strlist *defs,
                    struct vm_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < defs->len; i++)
        rc = exec_sql(db, what, defs->items[i], 0, NULL, NULL, err);
    return rc;
}

/* TRUNCATE in this transaction lets the server skip WAL for the load under
 * wal_level=minimal; the tables are empty, so nothing is lost. */
/* The links are checked once, set-based, when the foreign keys of
 * vendor_sources are added back after the load, not row by row; its
 * secondary indexes (not its primary key) are built after the records are
 * in, rather than maintained a row at a time. */
static int drop_link_fkeys(struct import_db *db, struct vm_err *err)
{
    return drop_listed(db, "dropping the source links' foreign keys and indexes for the bulk load",
                       "SELECT format('ALTER TABLE vendor_sources DROP CONSTRAINT %I', conname)"
                       "  AS drop_sql,"
                       " format('ALTER TABLE vendor_sources ADD CONSTRAINT %I %s', conname,"
                       "        pg_get_constraintdef(oid)) AS create_sql, 1 AS o, conname AS k"
                       " FROM pg_constraint WHERE conrelid = 'vendor_sources'::regclass"
                       "  AND contype = 'f'"
                       " UNION ALL"
                       " SELECT format('DROP INDEX %I.%I', schemaname, indexname), indexdef, 0,"
                       "  indexname::text"
                       " FROM pg_indexes WHERE schemaname = current_schema()"
                       "  AND tablename = 'vendor_sources' AND indexname NOT IN (SELECT conname"
                       "   FROM pg_constraint WHERE conrelid = 'vendor_sources'::regclass)"
                       " ORDER BY o, k",
                       0, NULL, &db->fk_defs, err);
}

/*
 * Empties the tables in this transaction (needs their owner: on failure the
 * caller falls back to staging) and drops what is rebuilt after the load.
 * That holds ACCESS EXCLUSIVE on vendors, vendor_sources and sources to
 * COMMIT: a reader of the (empty) catalog waits for the first load and then
 * sees all of it. The lock is asked for with a short timeout, so the load
 * never queues behind a running reader (every reader arriving after it would
 * queue too): when a reader is in the way, the staging path runs instead,
 * which blocks no reader.
 */
static int direct_prepare(struct import_db *db, struct vm_err *err)
{
    int rc = exec_sql(db, "locking the empty catalog",
                      "SELECT set_config('lock_timeout', '" DIRECT_LOCK_TIMEOUT "', true)", 0, NULL,
                      NULL, err);
    if (rc == 0)
        rc = exec_sql(db, "locking the empty catalog",
                      "LOCK TABLE vendors, vendor_sources, sources IN ACCESS EXCLUSIVE MODE", 0,
                      NULL, NULL, err);
    if (rc == 0)
        rc = exec_sql(db, "locking the empty catalog", "SET LOCAL lock_timeout TO DEFAULT", 0, NULL,
                      NULL, err);
    if (rc == 0)
        rc = exec_sql(db, "emptying the catalog tables", "TRUNCATE vendor_sources, vendors", 0,
                      NULL, NULL, err);
    if (rc == 0)
        rc = drop_link_fkeys(db, err);
    if (rc == 0 && (db->opts.size_hint < 0 || db->opts.size_hint >= DIRECT_DROP_INDEX_BYTES))
        rc = drop_vendor_indexes(db, err);
    return rc;
}

/* The first id of the load (the rest follow; the sequence is advanced
 * after) and the transaction's now() for tagged_at. */
static int reserve_ids(struct import_db *db, struct vm_err *err)
{
    PGresult *res = NULL;
    int rc = exec_sql(db, "reserving vendor ids",
                      "SELECT nextval(pg_get_serial_sequence('vendors', 'id')) AS first_id,"
                      " (extract(epoch FROM now()) * 1000000)::int8 AS now_usec",
                      0, NULL, &res, err);
    static const char *const names[] = {"first_id", "now_usec"};
    int col[2];
    if (rc == 0)
        rc = pgu_columns(res, "reserving vendor ids", 2, names, col, err);
    if (rc == 0) {
        db->first_id = atoll(PQgetvalue(res, 0, col[0]));
        db->now_usec = atoll(PQgetvalue(res, 0, col[1])) - PG_EPOCH_USEC;
        db->batch = atoll(db->batch_id);
    }
    PQclear(res);
    return rc;
}

/*
 * Runs step inside a savepoint. When it fails (most often: the importing
 * role may write the catalog tables but not alter or truncate them, not
 * being their owner), its work is rolled back, the definitions it recorded
 * for rebuilding are forgotten (earlier ones are kept), and *done says so:
 * the caller then goes the slower way instead of failing. Only a failure of
 * the savepoint itself is returned.
 */
static int try_in_savepoint(struct import_db *db, int (*step)(struct import_db *, struct vm_err *),
                            bool *done, struct vm_err *err)
{
    int rc = exec_sql(db, "setting a savepoint", "SAVEPOINT vm_try", 0, NULL, NULL, err);
    if (rc)
        return rc;
    size_t had_idx = db->idx_defs.len, had_fk = db->fk_defs.len;
    *done = step(db, err) == 0;
    if (*done)
        return exec_sql(db, "releasing the savepoint", "RELEASE SAVEPOINT vm_try", 0, NULL, NULL,
                        err);
    while (db->idx_defs.len > had_idx)
        free(db->idx_defs.items[--db->idx_defs.len]);
    while (db->fk_defs.len > had_fk)
        free(db->fk_defs.items[--db->fk_defs.len]);
    vm_err_clear(err);
    return exec_sql(db, "undoing a step the role may not take", "ROLLBACK TO SAVEPOINT vm_try", 0,
                    NULL, NULL, err);
}

static int direct_begin(struct import_db *db, struct vm_err *err)
{
    bool direct;
    int rc = try_in_savepoint(db, direct_prepare, &direct, err);
    if (rc == 0 && !direct)
        return create_staging(db, err);
    if (rc == 0)
        rc = reserve_ids(db, err);
    if (rc)
        return rc;
    db->links = tmpfile();
    db->dups = tmpfile();
    db->bloom = xcalloc(BLOOM_BITS / 64, sizeof *db->bloom);
    if (!db->links || !db->dups)
        return vm_err_set(err, VM_EXIT_FAILURE, "cannot create a temporary file");
    db->direct = true;
    char *cols = column_list("", false);
    char *sql = xasprintf("COPY vendors (id, %s, tagged_at, first_batch_id, last_batch_id)"
                          " FROM STDIN (FORMAT binary, FREEZE)",
                          cols);
    rc = pgu_copy_begin_binary(&db->copy, db->conn, sql, err);
    free(sql);
    free(cols);
    return rc ? rc : sender_start(db, err);
}

static uint64_t key_hash(const char *s)
{
    uint64_t h = vm_fnv1a(VM_FNV_OFFSET, s, strlen(s)); /* then a final mix */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* Adds key; true when it may have been added before. */
static bool bloom_add(uint64_t *bits, const char *key)
{
    uint64_t h = key_hash(key);
    uint32_t a = (uint32_t)h, b = (uint32_t)(h >> 32) | 1u;
    bool seen = true;
    for (uint32_t k = 0; k < 3; k++) {
        uint32_t bit = (a + k * b) & (BLOOM_BITS - 1);
        uint64_t m = 1ULL << (bit & 63);
        seen = seen && (bits[bit >> 6] & m);
        bits[bit >> 6] |= m;
    }
    return seen;
}

/* A non-negative number as decimal text, without printf (once per row). */
static void format_ll(char out[24], long long n)
{
    char *p = out + 24;
    unsigned long long v = (unsigned long long)n;
    *--p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    memmove(out, p, (size_t)(out + 24 - p));
}

/* Appends a COPY text line of the given fields (NULL = \N) to f. */
static int spool_line(struct import_db *db, FILE *f, int n, const char *const *fields,
                      struct vm_err *err)
{
    struct sbuf *b = &db->scratch;
    sbuf_reset(b);
    for (int i = 0; i < n; i++) {
        if (i)
            sbuf_putc(b, '\t');
        if (fields[i])
            copy_escape(b, fields[i], strlen(fields[i]));
        else
            sbuf_append(b, "\\N", 2);
    }
    sbuf_putc(b, '\n');
    if (fwrite(b->data, 1, b->len, f) != b->len)
        return vm_err_set(err, VM_EXIT_FAILURE, "cannot write a temporary file");
    return 0;
}

/* The source's own id of a directly loaded row (when the file has one), and
 * its identity key when an earlier row may have had the same one. */
static int direct_spool(struct import_db *db, const struct vendor_record *r, long long id,
                        struct vm_err *err)
{
    char idtext[24];
    format_ll(idtext, id);
    const char *src_id = r->ident_kind == VI_SOURCE_ID ? r->raw[VF_ID] : NULL;
    const char *link[] = {idtext, src_id};
    int rc = src_id ? spool_line(db, db->links, 2, link, err) : 0;
    db->n_links += src_id != NULL;
    if (rc || !bloom_add(db->bloom, r->ident.data))
        return rc;
    static const char *const kinds[] = {"s", "w", "n"};
    const char *key = r->ident_kind == VI_SOURCE_ID ? r->raw[VF_ID]
                      : r->ident_kind == VI_WEBSITE ? r->website_host.data
                                                    : r->name_key.data;
    /* A name with no letters keys on its exact text (vendor.c). */
    const char *name = r->ident_kind == VI_NAME && !r->name_key.len ? r->raw[VF_NAME] : NULL;
    const char *dup[] = {kinds[r->ident_kind], key, r->country, name};
    db->n_dups++;
    return spool_line(db, db->dups, 4, dup, err);
}

/*
 * One import at a time, and no lock taken out of order: before it touches
 * any table an import takes the import advisory lock (a second import waits
 * here, holding nothing), then SHARE ROW EXCLUSIVE on vendors, which other
 * writers of the catalog respect and readers do not notice. Both are held
 * to COMMIT or ROLLBACK. Before, each import wrote sources/import_batches
 * first and then queued for vendors, while the one holding vendors needed
 * sources for its foreign-key work: "deadlock detected".
 */
int import_db_lock_catalog(PGconn *conn, struct vm_err *err)
{
    int rc =
        pgu_exec(conn, "waiting for another import", "SELECT pg_advisory_xact_lock($1::bigint)", 1,
                 (const char *const[]){VM_IMPORT_LOCK_KEY}, NULL, err);
    return rc ? rc
              : pgu_exec(conn, "locking the catalog",
                         "LOCK TABLE vendors IN SHARE ROW EXCLUSIVE MODE", 0, NULL, NULL, err);
}

static int lock_catalog(struct import_db *db, struct vm_err *err)
{
    return import_db_lock_catalog(db->conn, err);
}

/* The tables whose id sequences an import advances (nextval is not undone
 * by ROLLBACK): a dry run reads them first and puts them back. */
static const char *const seq_tables[4] = {"vendors", "import_batches", "sources", "import_rejects"};

static int save_sequences(struct import_db *db, struct vm_err *err)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < 4; i++) {
        char *v = NULL;
        rc = pgu_query_value(
            db->conn, "reading an id sequence",
            "SELECT pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass)", 1,
            &seq_tables[i], &v, err);
        db->seqs[i] = v ? v : xstrdup("");
    }
    return rc;
}

static int restore_sequences(struct import_db *db, struct vm_err *err)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < 4; i++) {
        const char *p[] = {seq_tables[i], *db->seqs[i] ? db->seqs[i] : NULL};
        rc = exec_sql(db, "putting an id sequence back",
                      "SELECT CASE WHEN $2::bigint IS NULL"
                      " THEN setval(pg_get_serial_sequence($1, 'id'), 1, false)"
                      " ELSE setval(pg_get_serial_sequence($1, 'id'), $2::bigint, true) END",
                      2, p, NULL, err);
    }
    return rc;
}

int import_db_begin(PGconn *conn, const struct import_db_opts *opts, struct import_db **out,
                    struct vm_err *err)
{
    struct import_db *db = xcalloc(1, sizeof *db);
    int rc;

    db->conn = conn;
    db->opts = *opts;
    sbuf_init(&db->scratch);
    strlist_init(&db->idx_defs);
    strlist_init(&db->fk_defs);
    *out = db;
    rc = pgu_begin(db->conn, "starting the import transaction", err);
    if (rc)
        return rc;
    db->in_tx = true;
    /* Server memory for the staging table and for rebuilding indexes; local
     * to this transaction, nothing about durability. */
    rc = exec_sql(db, "tuning the session",
                  "SELECT set_config('temp_buffers', '256MB', false),"
                  " set_config('maintenance_work_mem', '256MB', true),"
                  " set_config('work_mem', '64MB', true)",
                  0, NULL, NULL, err);
    if (rc)
        return rc;
    if ((rc = lock_catalog(db, err)) != 0)
        return rc;
    if (opts->dry_run) {
        if ((rc = save_sequences(db, err)) != 0 ||
            (rc = exec_sql(db, "starting the dry run", "SAVEPOINT vm_dry_run", 0, NULL, NULL,
                           err)) != 0)
            return rc;
        db->dry_savepoint = true;
    }
    if ((rc = open_batch(db, err)) != 0)
        return rc;
    char empty[8];
    rc = query_into(db, "checking the catalog", "SELECT NOT EXISTS (SELECT 1 FROM vendors)", 0,
                    NULL, empty, sizeof empty, err);
    if (rc)
        return rc;
    return strcmp(empty, "t") == 0 ? direct_begin(db, err) : create_staging(db, err);
}

/* ---- COPY text format, written straight into the COPY buffer ---- */

/* Bytes COPY text format escapes (backslash, TAB, LF, CR). */
static bool copy_special(unsigned char c)
{
    return c == '\\' || c == '\t' || c == '\n' || c == '\r';
}

/* Appends s escaped for COPY text format: runs of plain bytes are copied
 * whole, only the four special bytes take the slow path. */
static void copy_escape(struct sbuf *b, const char *s, size_t n)
{
    sbuf_reserve(b, 2 * n);
    char *o = b->data + b->len;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && !copy_special((unsigned char)s[run]))
            run++;
        memcpy(o, s + i, run - i);
        o += run - i;
        if (run == n)
            break;
        char ch = s[run];
        *o++ = '\\';
        *o++ = ch == '\\' ? '\\' : ch == '\t' ? 't' : ch == '\n' ? 'n' : 'r';
        i = run + 1;
    }
    b->len = (size_t)(o - b->data);
    *o = '\0';
}

/* v >= 0 times 10^places, rounded as "%.*f" would print it: from
 * v * 10^places when that is clearly not near a rounding boundary, else by
 * printf. False for values no column here holds. */
static bool scaled(double v, int places, unsigned long long *k)
{
    double scale = places == 2 ? 100.0 : 10000.0, x = v * scale, r = nearbyint(x);
    if (!(v >= 0) || !(r < 1e15))
        return false;
    if (fabs(x - r) <= 0.25) {
        *k = (unsigned long long)r;
        return true;
    }
    char text[64];
    snprintf(text, sizeof text, "%.*f", places, v);
    *k = 0;
    for (const char *p = text; *p; p++)
        if (*p >= '0' && *p <= '9')
            *k = *k * 10 + (unsigned long long)(*p - '0');
    return true;
}

/* Like copy_escape for bytes that may not be text (a rejected row's raw
 * bytes): invalid UTF-8 and NUL bytes become U+FFFD, as PostgreSQL text
 * cannot hold them. */
static void copy_escape_utf8(struct sbuf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (len <= 0 || cp == 0) {
            sbuf_append(b, "\xEF\xBF\xBD", 3);
            i++;
        } else {
            copy_escape(b, s + i, (size_t)len);
            i += (size_t)len;
        }
    }
}

/* ---- the rows, in COPY binary format (pgutil.h) ---- */

static void put_be(struct sbuf *b, uint64_t v, int bytes)
{
    char out[8];
    for (int i = bytes; i-- > 0; v >>= 8)
        out[i] = (char)(v & 0xff);
    sbuf_append(b, out, (size_t)bytes);
}

/* Opens a field whose value is n bytes; n < 0 is SQL NULL. */
static void put_len(struct pgu_copy *c, long long n)
{
    pgu_copy_bin_field(c);
    put_be(&c->buf, (uint32_t)(int32_t)n, 4);
}

static void put_bytes(struct pgu_copy *c, const char *s, size_t n)
{
    put_len(c, (long long)n);
    sbuf_append(&c->buf, s, n);
}

/* A text value; NULL and "" both become SQL NULL (blank means absent). */
static void put_text(struct pgu_copy *c, const char *s)
{
    if (!s || !*s)
        put_len(c, -1);
    else
        put_bytes(c, s, strlen(s));
}

/* Opens a one-dimensional array value of n items of type elem_oid (no NULL
 * items; none is the empty array). Returns where its length goes, for
 * array_end: the items are measured once, as they are written. */
static size_t array_begin(struct pgu_copy *c, size_t n, uint32_t elem_oid)
{
    pgu_copy_bin_field(c);
    size_t at = c->buf.len;
    put_be(&c->buf, 0, 4);         /* the field's length, set by array_end */
    put_be(&c->buf, n ? 1 : 0, 4); /* dimensions */
    put_be(&c->buf, 0, 4);         /* no NULL items */
    put_be(&c->buf, elem_oid, 4);
    if (n) {
        put_be(&c->buf, n, 4); /* length */
        put_be(&c->buf, 1, 4); /* lower bound */
    }
    return at;
}

static void array_end(struct pgu_copy *c, size_t at)
{
    uint32_t size = (uint32_t)(c->buf.len - at - 4);
    for (int i = 0; i < 4; i++)
        c->buf.data[at + (size_t)i] = (char)(size >> (24 - 8 * i));
}

/* A text[] value (never NULL; no items is the empty array). */
static void put_array(struct pgu_copy *c, const struct strlist *l)
{
    size_t n = l ? l->len : 0;
    size_t at = array_begin(c, n, TEXT_OID);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(l->items[i]);
        put_be(&c->buf, len, 4);
        sbuf_append(&c->buf, l->items[i], len);
    }
    array_end(c, at);
}

/* vendors.services: the categories' ids, as int4[]. */
static void put_categories(struct pgu_copy *c, const struct classification *t)
{
    size_t n = t ? t->n_categories : 0;
    size_t at = array_begin(c, n, INT4_OID);
    for (size_t i = 0; i < n; i++) {
        put_be(&c->buf, 4, 4);
        put_be(&c->buf, (uint32_t)t->categories[i]->id, 4);
    }
    array_end(c, at);
}

static void put_int8(struct pgu_copy *c, long long v)
{
    put_len(c, 8);
    put_be(&c->buf, (uint64_t)v, 8);
}

/* An integer column; values the column cannot hold are stored as NULL. */
static void put_long(struct pgu_copy *c, bool present, long v)
{
    if (!present || v < 0 || v > INT_MAX) {
        put_len(c, -1);
        return;
    }
    put_len(c, 4);
    put_be(&c->buf, (uint64_t)v, 4);
}

/* A numeric(p,2) column: base-10000 digits, as numeric_send writes them. */
static void put_double(struct pgu_copy *c, bool present, double v, double limit)
{
    unsigned long long k;
    if (!present || !(v >= 0 && v < limit) || !scaled(v, 2, &k)) {
        put_len(c, -1);
        return;
    }
    unsigned long long whole = k / 100;
    unsigned groups[8], digits[9];
    int n_groups = 0, n = 0;
    for (; whole; whole /= 10000)
        groups[n_groups++] = (unsigned)(whole % 10000);
    while (n_groups > 0)
        digits[n++] = groups[--n_groups];
    int weight = n - 1; /* of the first digit; -1 when there is no whole part */
    if (k % 100)
        digits[n++] = (unsigned)(k % 100) * 100;
    if (n == 0)
        weight = 0;
    put_len(c, 8 + 2 * n);
    put_be(&c->buf, (uint64_t)n, 2);
    put_be(&c->buf, (uint16_t)(int16_t)weight, 2);
    put_be(&c->buf, 0, 2); /* positive */
    put_be(&c->buf, 2, 2); /* display scale */
    for (int i = 0; i < n; i++)
        put_be(&c->buf, digits[i], 2);
}

static void put_record_values(struct import_db *db, const struct vendor_record *r)
{
    struct pgu_copy *c = &db->copy;
    put_text(c, r->raw[VF_NAME]);
    put_bytes(c, r->name_key.data, r->name_key.len); /* never NULL: "" for a name with no letters */
    put_text(c, r->raw[VF_WEBSITE]);
    put_text(c, r->website_host.data);
    put_text(c, r->country);
    put_text(c, r->raw[VF_COUNTRY]);
    put_text(c, r->city.data);
    put_text(c, r->raw[VF_SERVICES]);
}

static void put_record_rest(struct import_db *db, const struct vendor_record *r)
{
    struct pgu_copy *c = &db->copy;
    put_array(c, &r->service_phrases);
    put_text(c, r->raw[VF_INDUSTRIES]);
    put_array(c, &r->industries);
    put_text(c, r->raw[VF_LANGUAGES]);
    put_array(c, &r->languages);
    put_text(c, r->raw[VF_CERTIFICATIONS]);
    put_array(c, &r->certifications);
    put_text(c, r->raw[VF_EMPLOYEES]);
    put_long(c, r->has_employees_min, r->employees_min);
    put_long(c, r->has_employees_max, r->employees_max);
    put_text(c, r->raw[VF_FOUNDED]);
    put_long(c, r->has_founded, r->founded);
    put_text(c, r->raw[VF_HOURLY_RATE]);
    put_double(c, r->has_rate_min, r->rate_min, 1e10);
    put_double(c, r->has_rate_max, r->rate_max, 1e10);
    put_text(c, r->has_rate ? r->currency : NULL);
    put_text(c, r->raw[VF_RATING]);
    put_double(c, r->has_rating, r->rating, 100);
    put_text(c, r->raw[VF_DELIVERY]);
    put_array(c, &r->delivery);
    put_text(c, r->raw[VF_EMAIL]);
    put_text(c, r->raw[VF_PHONE]);
    put_text(c, r->raw[VF_DESCRIPTION]);
    put_text(c, r->raw[VF_EXPERTISE]);
    put_text(c, r->raw[VF_DATA_SECURITY]);
    if (r->extra_json.data && *r->extra_json.data) { /* jsonb: a version byte, then the text */
        put_len(c, 1 + (long long)r->extra_json.len);
        sbuf_putc(&c->buf, 1);
        sbuf_append(&c->buf, r->extra_json.data, r->extra_json.len);
    } else {
        put_len(c, -1);
    }
    put_text(c, r->content_hash);
}

static void put_tags(struct import_db *db, const struct classification *t, const char *evidence)
{
    struct pgu_copy *c = &db->copy;
    put_text(c, t && t->process_type ? t->process_type : "UNCLASSIFIED");
    double conf = !t || t->confidence < 0 ? 0 : t->confidence > 1 ? 1 : t->confidence;
    unsigned long long k = 0;
    scaled(conf, 4, &k);
    /* float4 of the 4-decimal text float4in would have read (the same
     * value for every k in 0..10000) */
    float f = (float)((double)k / 10000.0);
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    put_len(c, 4);
    put_be(&c->buf, bits, 4);
    /* never NULL: no evidence is the empty text */
    put_bytes(c, evidence ? evidence : "", evidence ? strlen(evidence) : 0);
    put_array(c, t ? &t->unknown : NULL);
}

static int add_direct(struct import_db *db, const struct vendor_record *rec,
                      const struct classification *tags, const char *evidence, struct vm_err *err)
{
    struct pgu_copy *c = &db->copy;
    long long id = db->first_id + db->rn++;
    put_int8(c, id);
    put_record_values(db, rec);
    put_categories(c, tags);
    put_record_rest(db, rec);
    put_tags(db, tags, evidence);
    put_int8(c, db->now_usec);
    put_int8(c, db->batch);
    put_int8(c, db->batch);
    int rc = end_row(db, err);
    return rc ? rc : direct_spool(db, rec, id, err);
}

int import_db_add(struct import_db *db, const struct vendor_record *rec,
                  const struct classification *tags, const char *evidence, struct vm_err *err)
{
    struct pgu_copy *c = &db->copy;
    if (db->direct)
        return add_direct(db, rec, tags, evidence, err);
    const char *src_id = rec->ident_kind == VI_SOURCE_ID ? rec->raw[VF_ID] : NULL;
    /* A row repeating a record is staged slim, unless its record is one of
     * two the source holds alike, or an earlier row of the file repeated it:
     * it is staged whole then, and resolve_sql finds that record's vendor. */
    size_t k = known_find(&db->known, hash_prefix(rec->content_hash));
    if (k != KNOWN_NONE && !db->known.flags[k]) {
        db->known.flags[k] = KNOWN_SEEN;
        char rn[24];
        format_ll(rn, ++db->rn);
        const char *f[] = {rn, rec->content_hash, rec->ident.data, src_id};
        db->n_slim++;
        return spool_line(db, db->slims, 4, f, err);
    }
    put_record_values(db, rec);
    put_categories(c, tags);
    put_record_rest(db, rec);
    put_tags(db, tags, evidence);
    put_int8(c, ++db->rn);
    put_text(c, rec->ident.data);
    put_text(c, src_id);
    if (k == KNOWN_NONE) {
        put_len(c, -1); /* slim: NULL, a row no record repeats (not looked up by hash) */
    } else {
        put_len(c, 1); /* slim: false, a whole row that may repeat a record */
        sbuf_putc(&c->buf, 0);
    }
    return end_row(db, err);
}

int import_db_reject(struct import_db *db, long line, long col, const char *reason, const char *raw,
                     size_t raw_len, struct vm_err *err)
{
    if (!db->rejects && !(db->rejects = tmpfile()))
        return vm_err_set(err, VM_EXIT_FAILURE, "cannot create a temporary file for rejects");
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "%s\t%ld\t%ld\t", db->batch_id, line, col);
    copy_escape(&b, reason, strlen(reason));
    sbuf_putc(&b, '\t');
    if (raw)
        copy_escape_utf8(&b, raw, raw_len);
    else
        sbuf_append(&b, "\\N", 2);
    sbuf_putc(&b, '\n');
    size_t w = fwrite(b.data, 1, b.len, db->rejects);
    size_t want = b.len;
    sbuf_free(&b);
    db->n_rejects++;
    if (w != want)
        return vm_err_set(err, VM_EXIT_FAILURE, "cannot write the rejects temporary file");
    return 0;
}

/* ---- after the stream: set-based merge into the catalog ---- */

/* Each staged row -> the vendor it names, if any: the vendor of a record of
 * the source the row repeats exactly (same content hash and source id;
 * with the source's hashes read, $3, only for the rows they know: the
 * others repeat no record), then the
 * source's own id, then the website host, then name key + country (a row
 * with a website only joins a name-matched vendor that has none; among
 * several candidates the one without a website, then the oldest). */
static const char resolve_sql[] =
    "INSERT INTO vm_match (rn, ident, src_row_id, vendor_id)"
    " SELECT s.rn, s.ident, s.src_row_id, CASE WHEN $2 THEN NULL ELSE COALESCE("
    "  CASE WHEN NOT $3 OR s.slim IS NOT NULL THEN (SELECT vs.vendor_id FROM vendor_sources vs"
    "   WHERE vs.source_id = $1 AND vs.content_hash = s.content_hash"
    "     AND vs.source_row_id IS NOT DISTINCT FROM s.src_row_id"
    "   ORDER BY vs.vendor_id LIMIT 1) END,"
    "  (SELECT vs.vendor_id FROM vendor_sources vs WHERE vs.source_id = $1"
    "     AND vs.source_row_id = s.src_row_id ORDER BY vs.vendor_id LIMIT 1),"
    "  (SELECT v.id FROM vendors v WHERE v.website_host = s.website_host"
    "     ORDER BY v.id LIMIT 1),"
    "  (SELECT v.id FROM vendors v WHERE v.name_key = s.name_key"
    "     AND coalesce(v.country, '') = coalesce(s.country, '')"
    "     AND (s.website_host IS NULL OR v.website_host IS NULL)"
    "     ORDER BY v.website_host IS NOT NULL, v.id LIMIT 1)) END"
    " FROM vm_stage s"; /* $2: the catalog is empty, nothing to look up */

/* One group per vendor the file names (the rows naming one known vendor,
 * or sharing one new identity key): its last row, its size, and for a new
 * vendor an id from the sequence now, so later statements join on it. */
#define GROUP_KEY_OF(p) "COALESCE('v' || " p "vendor_id, " p "ident)"
#define GROUP_KEY GROUP_KEY_OF("")
static const char winners_sql[] =
    "INSERT INTO vm_win (g, rn, vendor_id, is_new, src_row_id, n_rows)"
    " SELECT g, rn, COALESCE(vendor_id, nextval(pg_get_serial_sequence('vendors', 'id'))),"
    "        vendor_id IS NULL, src_row_id, n"
    " FROM (SELECT DISTINCT ON (g) g, rn, vendor_id, src_row_id, n"
    "       FROM (SELECT " GROUP_KEY " AS g, rn, vendor_id, src_row_id,"
    "                    count(*) OVER (PARTITION BY " GROUP_KEY ") AS n FROM vm_match) m"
    "       ORDER BY g, rn DESC) d"
    " ORDER BY rn"; /* new ids follow file order */

static int send_spool(struct import_db *db, FILE *f, const char *copy_sql, struct vm_err *err);

/* SQL true when slim row s repeats record vs of the source ($1) exactly. */
#define SLIM_REPEATS                                                                               \
    "vs.source_id = $1 AND vs.content_hash = s.content_hash"                                       \
    " AND vs.source_row_id IS NOT DISTINCT FROM s.src_row_id"

/* The slim rows that go the whole way (sort_known): those whose record's
 * vendor a whole row names (found from those vendors), and those that
 * repeat no record exactly (with the vendor of a record with their hash). */
static const char contested_sql[] =
    "CREATE TEMP TABLE vm_contested ON COMMIT DROP AS"
    " SELECT s.rn, s.ident, s.src_row_id, s.content_hash, vs.vendor_id"
    " FROM (SELECT DISTINCT vendor_id FROM vm_match WHERE vendor_id IS NOT NULL) m"
    " JOIN vendor_sources vs ON vs.vendor_id = m.vendor_id AND vs.source_id = $1"
    " JOIN vm_slim s ON " SLIM_REPEATS " UNION ALL"
    " SELECT s.rn, s.ident, s.src_row_id, s.content_hash,"
    "  (SELECT min(x.vendor_id) FROM vendor_sources x WHERE x.source_id = $1"
    "    AND x.content_hash = s.content_hash)"
    " FROM vm_slim s WHERE NOT EXISTS (SELECT 1 FROM vendor_sources vs WHERE " SLIM_REPEATS ")";

/*
 * The slim rows (vm_slim): each repeats one record of the source (the
 * client staged whole the rows whose record is one of two alike, and the
 * second row repeating one), so it is unchanged, and goes no further,
 * unless another row of the file names that record's vendor (vm_match,
 * resolved before) or its hash matched a known one in its first 64 bits
 * only. Those (vm_contested) join the staged rows, slim, and go the whole
 * way (hydrate completes them): the first with that record's vendor, the
 * others with the vendor of a record with their hash, if any.
 */
static int sort_known(struct import_db *db, struct vm_err *err)
{
    const char *p[] = {db->source_id};
    char count[24] = "0";
    int rc = exec_sql(db, "staging known rows",
                      "CREATE TEMP TABLE vm_slim (rn bigint, content_hash text, ident text,"
                      " src_row_id text) ON COMMIT DROP",
                      0, NULL, NULL, err);
    if (rc == 0)
        rc = send_spool(db, db->slims,
                        "COPY vm_slim (rn, content_hash, ident, src_row_id) FROM STDIN", err);
    if (rc == 0)
        rc = exec_sql(db, "finding known rows that name a vendor twice", contested_sql, 1, p, NULL,
                      err);
    if (rc == 0)
        rc = query_into(db, "finding known rows that name a vendor twice",
                        "SELECT count(*) FROM vm_contested", 0, NULL, count, sizeof count, err);
    long n_contested = atol(count);
    db->n_same = db->n_slim - n_contested;
    if (rc == 0 && n_contested > 0)
        rc = exec_sql(db, "staging known rows that name a vendor twice",
                      "INSERT INTO vm_stage (rn, ident, src_row_id, content_hash, slim)"
                      " SELECT rn, ident, src_row_id, content_hash, true FROM vm_contested",
                      0, NULL, NULL, err);
    if (rc == 0 && n_contested > 0)
        rc = exec_sql(db, "staging known rows that name a vendor twice",
                      "INSERT INTO vm_match (rn, ident, src_row_id, vendor_id)"
                      " SELECT rn, ident, src_row_id, vendor_id FROM vm_contested",
                      0, NULL, NULL, err);
    return rc;
}

static int merge_prepare(struct import_db *db, struct vm_err *err)
{
    char empty[8];
    int rc = query_into(db, "checking the catalog", "SELECT NOT EXISTS (SELECT 1 FROM vendors)", 0,
                        NULL, empty, sizeof empty, err);
    /* With the source's hashes read, only a row they know can repeat a record. */
    const char *p[] = {db->source_id, empty, db->hashes_read ? "t" : "f"};
    if (rc == 0)
        rc = exec_sql(db, "creating the match table",
                      "CREATE TEMP TABLE vm_match (rn bigint, ident text, src_row_id text,"
                      " vendor_id bigint)"
                      " ON COMMIT DROP",
                      0, NULL, NULL, err);
    if (rc == 0)
        rc = exec_sql(db, "creating the winners table",
                      "CREATE TEMP TABLE vm_win (g text, rn bigint, vendor_id bigint,"
                      " is_new boolean, src_row_id text, n_rows bigint)"
                      " ON COMMIT DROP",
                      0, NULL, NULL, err);
    if (rc == 0)
        rc = exec_sql(db, "resolving vendor identities", resolve_sql, 3, p, NULL, err);
    if (rc == 0 && db->n_slim)
        rc = sort_known(db, err);
    if (rc == 0)
        rc = exec_sql(db, "grouping rows by vendor", winners_sql, 0, NULL, NULL, err);
    if (rc == 0)
        rc = exec_sql(db, "analysing the matches", "ANALYZE vm_win", 0, NULL, NULL, err);
    return rc;
}

/*
 * The slim rows of tbl that cond selects (known) get their columns from
 * the source's record with the same content hash, untagged: their vendors
 * are listed for re-tagging. A slim row without such a record (two hashes
 * sharing their first 64 bits) stops the import: nothing is written.
 */
static int hydrate(struct import_db *db, const char *tbl, const char *cond, struct vm_err *err)
{
    if (!db->n_slim)
        return 0;
    char *cols = vcols_list("", false, true), *kcols = vcols_list("k.", false, true);
    char *sql =
        xasprintf("UPDATE %s t SET (%s) = ROW(%s), services = '{}', computed_type = 'UNCLASSIFIED',"
                  " confidence = 0, tag_evidence = '', unknown_phrases = '{}', slim = NULL"
                  " FROM (SELECT DISTINCT ON (content_hash) * FROM vendor_sources"
                  "        WHERE source_id = $1 AND content_hash IN (SELECT content_hash FROM %s"
                  "         WHERE slim AND %s)) k"
                  " WHERE t.slim AND %s AND k.content_hash = t.content_hash",
                  tbl, cols, kcols, tbl, cond, cond);
    const char *p[] = {db->source_id};
    long n = 0;
    int rc = exec_count(db, "completing known rows", sql, 1, p, &n, err);
    free(sql);
    free(kcols);
    free(cols);
    char left[24] = "0";
    if (rc == 0 && n > 0) {
        sql = xasprintf("SELECT count(*) FROM %s WHERE slim AND %s", tbl, cond);
        rc = query_into(db, "completing known rows", sql, 0, NULL, left, sizeof left, err);
        free(sql);
    }
    if (rc == 0 && atol(left) > 0)
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "%s rows matched a record of the source by the first 64 bits of their"
                        " content hash only; nothing was imported",
                        left);
    return rc;
}

/*
 * The rows of one file that name one vendor become one record of the
 * source, merged by the rules of vendor_cols.h (later rows first): it is
 * staged as one more row (rn = -vendor id, untagged: the vendor is re-tagged
 * from its merged values) and the group points at it.
 */
static int merge_repeats(struct import_db *db, struct vm_err *err)
{
    char *cols = vcols_list("", false, true), *gcols = vcols_list("g.", false, true);
    char *merged =
        vcols_merge_select("w.vendor_id",
                           "FROM vm_win w JOIN vm_match m ON " GROUP_KEY_OF(
                               "m.") " = w.g"
                                     " JOIN vm_stage r ON r.rn = m.rn WHERE w.n_rows > 1",
                           "r.rn DESC", "r.rn", "");
    char *sql =
        xasprintf("INSERT INTO vm_stage (%s, services, computed_type, confidence, tag_evidence,"
                  " unknown_phrases, rn)"
                  " SELECT %s, '{}', 'UNCLASSIFIED', 0, '', '{}', -g.vm_grp FROM (%s) g",
                  cols, gcols, merged);
    free(merged);
    free(gcols);
    long n = 0;
    int rc = exec_count(db, "merging rows that name one vendor", sql, 0, NULL, &n, err);
    free(sql);
    free(cols);
    if (rc == 0 && n > 0)
        rc = exec_sql(db, "merging rows that name one vendor",
                      "UPDATE vm_win SET rn = -vendor_id WHERE n_rows > 1", 0, NULL, NULL, err);
    return rc;
}

/* The groups whose record is new or differs from the one the source gave
 * before (content hash or source id): only these are written, from vm_chg,
 * which holds their staged rows (the staging table is not read again). */
static int find_changes(struct import_db *db, struct vm_err *err)
{
    const char *p[] = {db->source_id};
    char *scols = column_list("s.", false);
    char *sql = xasprintf("CREATE TEMP TABLE vm_chg ON COMMIT DROP AS"
                          " SELECT w.rn, w.vendor_id, w.is_new, w.src_row_id, w.n_rows, s.slim, %s"
                          " FROM vm_win w JOIN vm_stage s ON s.rn = w.rn"
                          " LEFT JOIN vendor_sources vs ON vs.vendor_id = w.vendor_id"
                          "  AND vs.source_id = $1"
                          " WHERE w.is_new OR vs.content_hash IS DISTINCT FROM s.content_hash"
                          "    OR vs.source_row_id IS DISTINCT FROM w.src_row_id",
                          scols);
    int rc = exec_sql(db, "comparing with the source's records", sql, 1, p, NULL, err);
    free(sql);
    free(scols);
    if (rc == 0)
        rc = exec_sql(db, "analysing the changes",
                      "ANALYZE vm_chg (vendor_id, is_new, n_rows, slim)", 0, NULL, NULL, err);
    return rc;
}

static int merge_insert(struct import_db *db, long *inserted, struct vm_err *err)
{
    char *cols = column_list("", false);
    char *scols = column_list("s.", false);
    char *sql = xasprintf("INSERT INTO vendors (id, %s, tagged_at, first_batch_id, last_batch_id)"
                          " SELECT s.vendor_id, %s, now(), $1, $1"
                          " FROM vm_chg s WHERE s.is_new ORDER BY s.vendor_id",
                          cols, scols);
    const char *p[] = {db->batch_id};
    int rc = exec_count(db, "inserting new vendors", sql, 1, p, inserted, err);
    free(sql);
    free(scols);
    free(cols);
    return rc;
}

/* The source's records of the changed groups, new or replacing its old ones. */
static int store_records(struct import_db *db, struct vm_err *err)
{
    char *cols = vcols_list("", false, true), *scols = vcols_list("s.", false, true);
    char *ecols = vcols_list("EXCLUDED.", false, true);
    char *sql =
        xasprintf("INSERT INTO vendor_sources (vendor_id, source_id, source_row_id, first_batch_id,"
                  " last_batch_id, %s)"
                  " SELECT s.vendor_id, $1, s.src_row_id, $2, $2, %s FROM vm_chg s"
                  " ORDER BY s.vendor_id"
                  " ON CONFLICT (vendor_id, source_id) DO UPDATE SET"
                  " source_row_id = EXCLUDED.source_row_id, last_batch_id = EXCLUDED.last_batch_id,"
                  " (%s) = ROW(%s)",
                  cols, scols, cols, ecols);
    const char *p[] = {db->source_id, db->batch_id};
    int rc = exec_sql(db, "storing the source's records", sql, 2, p, NULL, err);
    free(sql);
    free(ecols);
    free(scols);
    free(cols);
    return rc;
}

/*
 * The known vendors whose record from this source changed get their merged
 * row again. A vendor whose only record is this source's, made of one row
 * of this file, takes that row as it was staged, tags included (no
 * aggregate). The others are merged from all their records in one
 * statement, and those whose merged tag inputs changed are re-tagged from
 * the merged values (vm_retag), as are new vendors made of several rows.
 */
static int merge_update(struct import_db *db, long *updated, struct vm_err *err)
{
    const char *p[] = {db->batch_id};
    int rc = exec_sql(db, "listing vendors to re-tag",
                      "INSERT INTO vm_retag SELECT vendor_id FROM vm_chg"
                      " WHERE is_new AND n_rows > 1 ON CONFLICT DO NOTHING",
                      0, NULL, NULL, err);
    if (rc == 0)
        rc =
            exec_sql(db, "finding vendors with several records",
                     "CREATE TEMP TABLE vm_multi ON COMMIT DROP AS"
                     " SELECT c.vendor_id FROM vm_chg c WHERE NOT c.is_new AND (c.n_rows > 1"
                     "  OR EXISTS (SELECT 1 FROM vendor_sources vs WHERE vs.vendor_id = c.vendor_id"
                     "   AND vs.source_id <> $1 AND vs.content_hash IS NOT NULL))",
                     1, (const char *const[]){db->source_id}, NULL, err);
    if (rc)
        return rc;
    char *cols = vcols_list("", false, true), *single = vcols_single("s.");
    char *sql = xasprintf(
        "UPDATE vendors v SET (%s) = ROW(%s), updated_at = now(), last_batch_id = $1,"
        " services = s.services, computed_type = s.computed_type, confidence = s.confidence,"
        " tag_evidence = s.tag_evidence, unknown_phrases = s.unknown_phrases, tagged_at = now()"
        " FROM vm_chg s WHERE v.id = s.vendor_id AND NOT s.is_new"
        "  AND s.vendor_id NOT IN (SELECT vendor_id FROM vm_multi)",
        cols, single);
    long n_single = 0;
    rc = exec_count(db, "updating changed vendors", sql, 1, p, &n_single, err);
    free(sql);
    free(single);
    free(cols);
    char n_multi[24] = "0";
    sql = vcols_remerge_sql("SELECT vendor_id FROM vm_multi", ", last_batch_id = $1");
    if (rc == 0)
        rc = query_into(db, "merging changed vendors", sql, 1, p, n_multi, sizeof n_multi, err);
    free(sql);
    *updated = n_single + atol(n_multi);
    return rc;
}

/* COPYs a spooled file of COPY text lines with copy_sql. */
static int send_spool(struct import_db *db, FILE *f, const char *copy_sql, struct vm_err *err)
{
    int rc = pgu_copy_begin(&db->copy, db->conn, copy_sql, err);
    char chunk[65536];
    size_t n;
    rewind(f);
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sbuf_append(&db->copy.buf, chunk, n);
        if (PQputCopyData(db->conn, db->copy.buf.data, (int)db->copy.buf.len) != 1)
            rc = vm_err_set(err, VM_EXIT_UNAVAILABLE, "sending spooled rows: %s",
                            PQerrorMessage(db->conn));
        sbuf_reset(&db->copy.buf);
    }
    if (rc == 0 && ferror(f))
        rc = vm_err_set(err, VM_EXIT_FAILURE, "cannot read a temporary file");
    if (rc == 0)
        return pgu_copy_finish(&db->copy, err);
    pgu_copy_abort(&db->copy, "client failed while sending spooled rows");
    return rc;
}

static int copy_rejects(struct import_db *db, struct vm_err *err)
{
    if (!db->rejects)
        return 0;
    return send_spool(db, db->rejects,
                      "COPY import_rejects (batch_id, line, col, reason, raw) FROM STDIN", err);
}

/* Rows of a direct load that named a vendor a later row also names: each
 * possibly repeated key is looked up by its identity kind (as the rows were
 * stored), and the rows that share one form a group (vm_dgrp). */
static const char dgroups_sql[] =
    "CREATE TEMP TABLE vm_dgrp ON COMMIT DROP AS"
    " WITH cand AS ("
    "  SELECT l.vendor_id AS id, 's' || l.src_row_id AS k FROM vm_dup d"
    "    JOIN vm_links l ON l.src_row_id = d.key"
    "   WHERE d.kind = 's'"
    "  UNION SELECT v.id, 'w' || v.website_host FROM vm_dup d"
    "    JOIN vendors v ON v.website_host = d.key"
    "   WHERE d.kind = 'w' AND NOT EXISTS (SELECT 1 FROM vm_links l WHERE l.vendor_id = v.id)"
    "  UNION SELECT v.id, 'n' || d.key || '|' || coalesce(d.name, '') || '|' || d.cc"
    "    FROM vm_dup d JOIN vendors v ON v.name_key = d.key AND coalesce(v.country, '') = d.cc"
    "     AND (d.name IS NULL OR v.name = d.name)"
    "   WHERE d.kind = 'n' AND v.website_host IS NULL AND NOT EXISTS (SELECT 1"
    "     FROM vm_links l WHERE l.vendor_id = v.id))"
    " SELECT id, k FROM (SELECT id, k, count(*) OVER (PARTITION BY k) AS n FROM cand) c"
    "  WHERE n > 1";

/* Each group becomes its last row (the highest id), holding the merge of
 * the group's rows by the rules of vendor_cols.h, later rows first; the
 * other rows go, and the survivor is re-tagged from its merged values. */
static int direct_dedupe(struct import_db *db, long *merged, struct vm_err *err)
{
    int rc = exec_sql(
        db, "creating the repeated-key table",
        "CREATE TEMP TABLE vm_dup (kind text, key text, cc text, name text) ON COMMIT DROP", 0,
        NULL, NULL, err);
    if (rc == 0)
        rc = send_spool(db, db->dups, "COPY vm_dup (kind, key, cc, name) FROM STDIN", err);
    if (rc == 0)
        rc = exec_sql(db, "analysing repeated keys", "ANALYZE vm_dup", 0, NULL, NULL, err);
    if (rc == 0)
        rc = exec_sql(db, "grouping repeated vendors", dgroups_sql, 0, NULL, NULL, err);
    if (rc)
        return rc;
    char *cols = vcols_list("", false, true), *mcols = vcols_list("m.", false, true);
    char *groups = vcols_merge_select("g.k", "FROM vm_dgrp g JOIN vendors r ON r.id = g.id",
                                      "r.id DESC", "r.id", ", max(r.id) AS keep");
    char *sql = xasprintf("UPDATE vendors v SET (%s) = ROW(%s) FROM (%s) m WHERE v.id = m.keep",
                          cols, mcols, groups);
    rc = exec_sql(db, "merging repeated vendors", sql, 0, NULL, NULL, err);
    free(sql);
    free(groups);
    free(mcols);
    free(cols);
    if (rc == 0)
        rc = exec_count(db, "merging repeated vendors",
                        "DELETE FROM vendors WHERE id IN (SELECT id FROM vm_dgrp"
                        " EXCEPT SELECT max(id) FROM vm_dgrp GROUP BY k)",
                        0, NULL, merged, err);
    if (rc == 0)
        rc = exec_sql(db, "listing merged vendors",
                      "INSERT INTO vm_retag SELECT DISTINCT max(id) FROM vm_dgrp GROUP BY k"
                      " ON CONFLICT DO NOTHING",
                      0, NULL, NULL, err);
    return rc;
}

/* Every vendor of a direct load is one record of the source: one INSERT ...
 * SELECT of the loaded rows (the source's own ids joined from vm_links). */
static int direct_records(struct import_db *db, struct vm_err *err)
{
    char *cols = vcols_list("", false, true), *vcols_v = vcols_list("v.", false, true);
    char *sql =
        xasprintf("INSERT INTO vendor_sources (vendor_id, source_id, source_row_id, first_batch_id,"
                  " last_batch_id, %s) SELECT v.id, $1, %s, $2, $2, %s FROM vendors v%s",
                  cols, db->n_links ? "l.src_row_id" : "NULL", vcols_v,
                  db->n_links ? " LEFT JOIN vm_links l ON l.vendor_id = v.id" : "");
    const char *p[] = {db->source_id, db->batch_id};
    int rc = exec_sql(db, "storing the source's records", sql, 2, p, NULL, err);
    free(sql);
    free(vcols_v);
    free(cols);
    return rc;
}

/* After a direct load: indexes, the sequence, the source links, repeats. */
/*
 * Statistics for a catalog a batch has at least doubled (a first load, or a
 * large file into a small catalog): without them the planner takes it for
 * the small table it was, and the next import's identity lookups walk the
 * whole table once per row (minutes at 100,000 vendors). A small sample
 * (3,000 rows, ~0.1 s at 1M vendors) is enough for that; autovacuum refines
 * it later with the default one.
 */
static int analyse_catalog(struct import_db *db, struct vm_err *err)
{
    int rc =
        exec_sql(db, "analysing the loaded catalog",
                 "SELECT set_config('default_statistics_target', '10', true)", 0, NULL, NULL, err);
    if (rc == 0)
        rc = exec_sql(db, "analysing the loaded catalog", "ANALYZE vendors, vendor_sources", 0,
                      NULL, NULL, err);
    return rc;
}

static int direct_finish(struct import_db *db, struct import_counts *n, struct vm_err *err)
{
    int rc = run_defs(db, "rebuilding an index after the bulk load", &db->idx_defs, err);
    if (rc == 0 && db->rn > 0) {
        char last[24];
        snprintf(last, sizeof last, "%lld", db->first_id + db->rn - 1);
        rc = exec_sql(db, "advancing the vendor id sequence",
                      "SELECT setval(pg_get_serial_sequence('vendors', 'id'), $1)", 1,
                      (const char *const[]){last}, NULL, err);
    }
    if (rc == 0)
        rc = exec_sql(db, "creating the source id table",
                      "CREATE TEMP TABLE vm_links (vendor_id bigint, src_row_id text)"
                      " ON COMMIT DROP",
                      0, NULL, NULL, err);
    if (rc == 0 && db->n_links > 0)
        rc = send_spool(db, db->links, "COPY vm_links (vendor_id, src_row_id) FROM STDIN", err);
    if (rc == 0 && db->n_links > 0)
        rc = exec_sql(db, "analysing source ids", "ANALYZE vm_links", 0, NULL, NULL, err);
    if (rc == 0 && db->n_dups > 0)
        rc = direct_dedupe(db, &n->merged, err);
    if (rc == 0)
        rc = direct_records(db, err);
    if (rc == 0)
        rc = run_defs(db, "checking the source links and indexing them", &db->fk_defs, err);
    if (rc == 0)
        rc = analyse_catalog(db, err);
    n->inserted = db->rn - n->merged;
    return rc;
}

static int close_batch(struct import_db *db, const char *sha, long long bytes,
                       const struct import_counts *n, struct vm_err *err)
{
    char b[24], r[24], ins[24], upd[24], unc[24], rej[24];
    snprintf(b, sizeof b, "%lld", bytes);
    snprintf(r, sizeof r, "%ld", n->rows);
    snprintf(ins, sizeof ins, "%ld", n->inserted);
    snprintf(upd, sizeof upd, "%ld", n->updated);
    snprintf(unc, sizeof unc, "%ld", n->unchanged);
    snprintf(rej, sizeof rej, "%ld", n->rejected);
    char ret[24];
    snprintf(ret, sizeof ret, "%ld", n->retired);
    const char *p[] = {db->batch_id, sha, b, r, ins, upd, unc, rej, ret};
    return exec_sql(db, "closing the import batch",
                    "UPDATE import_batches SET file_sha256 = $2, file_bytes = $3, rows_read = $4,"
                    " inserted = $5, updated = $6, unchanged = $7, rejected = $8, retired = $9,"
                    " finished_at = clock_timestamp() WHERE id = $1",
                    9, p, NULL, err);
}

/* A batch that brings at least this many new vendors and more than the
 * table holds is followed by ANALYZE (analyse_catalog). */
#define ANALYSE_MIN_NEW 10000

/* Drops every index on vendors that no constraint owns, keeping their
 * definitions in db->idx_defs; all but the name search index, which the
 * first `vendors search` builds (vendor_db.h: it cost more than the load). */
static int drop_vendor_indexes(struct import_db *db, struct vm_err *err)
{
    return drop_listed(db, "dropping the vendor indexes for the bulk load",
                       "SELECT format('DROP INDEX %I.%I', schemaname, indexname) AS drop_sql,"
                       " CASE WHEN indexname <> $1 THEN indexdef END AS create_sql"
                       " FROM pg_indexes WHERE schemaname = current_schema()"
                       "  AND tablename = 'vendors' AND indexname NOT IN (SELECT conname"
                       "   FROM pg_constraint WHERE conrelid = 'vendors'::regclass)",
                       1, (const char *const[]){VENDOR_SEARCH_INDEX}, &db->idx_defs, err);
}

/* Whether the batch at least doubled the catalog (its statistics are then
 * stale enough to mislead the next import's planner). */
static int batch_outnumbers(struct import_db *db, bool *more, struct vm_err *err)
{
    char v[24];
    int rc = query_into(db, "sizing the batch",
                        "SELECT (SELECT count(*) FROM vm_win WHERE is_new) >= $1"
                        "   AND (SELECT count(*) FROM vm_win WHERE is_new) >"
                        "       (SELECT greatest(reltuples, 0) FROM pg_class"
                        "         WHERE oid = 'vendors'::regclass)",
                        1, (const char *const[]){XSTR(ANALYSE_MIN_NEW)}, v, sizeof v, err);
    *more = rc == 0 && strcmp(v, "t") == 0;
    return rc;
}

/*
 * Into a catalog that has rows, nothing is dropped: dropping an index or a
 * foreign key of vendor_sources takes ACCESS EXCLUSIVE on vendors until
 * COMMIT, and every reader (a match) would wait for the rest of the import
 * (5.6 s during a 200,000-row batch). Indexes are maintained row by row and
 * the links checked by their triggers, which readers do not notice.
 */
/* --full: the source's records of vendors the file does not name go; a
 * vendor no other source lists goes with its record (sources_db). */
static int retire(struct import_db *db, long *retired, struct vm_err *err)
{
    struct source_drop_counts n;
    memset(&n, 0, sizeof n);
    /* Named: a vendor of the merge, or one whose record a slim row repeats. */
#define NOT_MERGED                                                                                 \
    "NOT EXISTS (SELECT 1 FROM vm_win w WHERE w.vendor_id = vendor_sources.vendor_id)"
    int rc = sources_db_remove_records(
        db->conn, db->source_id,
        db->n_slim ? NOT_MERGED
            " AND NOT EXISTS (SELECT 1 FROM vm_slim s"
            " WHERE s.content_hash = vendor_sources.content_hash"
            "  AND s.src_row_id IS NOT DISTINCT FROM vendor_sources.source_row_id)"
                   : NOT_MERGED,
        &n, err);
#undef NOT_MERGED
    *retired = n.records;
    return rc;
}

static int merge(struct import_db *db, struct import_counts *n, struct vm_err *err)
{
    bool outnumbers = false;
    char count[24] = "0", changed[24] = "0";
    int rc = merge_prepare(db, err);
    if (rc == 0)
        rc = query_into(db, "counting vendors", "SELECT count(*) FROM vm_win", 0, NULL, count,
                        sizeof count, err);
    long winners = atol(count) + db->n_same;
    if (rc == 0)
        rc = batch_outnumbers(db, &outnumbers, err);
    if (rc == 0 && winners < db->rn)
        rc = hydrate(db, "vm_stage",
                     "rn IN (SELECT m.rn FROM vm_match m JOIN vm_win w"
                     " ON " GROUP_KEY_OF("m.") " = w.g WHERE w.n_rows > 1)",
                     err);
    if (rc == 0 && winners < db->rn)
        rc = merge_repeats(db, err);
    if (rc == 0)
        rc = find_changes(db, err);
    if (rc == 0 && db->n_slim)
        rc = exec_sql(db, "listing vendors to re-tag",
                      "INSERT INTO vm_retag SELECT vendor_id FROM vm_chg WHERE slim"
                      " ON CONFLICT DO NOTHING",
                      0, NULL, NULL, err);
    if (rc == 0)
        rc = hydrate(db, "vm_chg", "true", err);
    if (rc == 0)
        rc = query_into(db, "counting changes", "SELECT count(*) FROM vm_chg", 0, NULL, changed,
                        sizeof changed, err);
    if (rc == 0 && atol(changed) > 0) {
        rc = merge_insert(db, &n->inserted, err);
        if (rc == 0)
            rc = store_records(db, err);
        if (rc == 0)
            rc = merge_update(db, &n->updated, err);
    }
    if (rc == 0 && db->opts.full)
        rc = retire(db, &n->retired, err);
    if (rc == 0 && outnumbers)
        rc = analyse_catalog(db, err);
    n->unchanged = winners - n->inserted - n->updated;
    n->merged = db->rn - winners;
    return rc;
}

/* What the source's next import may reuse: the mapping, delimiter and
 * header of this one, and when it was. */
static int remember_source(struct import_db *db, struct vm_err *err)
{
    struct sbuf maps, header;
    sbuf_init(&maps);
    sbuf_init(&header);
    struct strlist none;
    strlist_init(&none);
    pg_text_array_format(&maps, db->opts.maps ? db->opts.maps : &none);
    pg_text_array_format(&header, db->opts.header ? db->opts.header : &none);
    char delim[2] = {db->opts.delimiter, 0};
    const char *d = db->opts.delimiter == '\t' ? "tab" : db->opts.delimiter ? delim : NULL;
    const char *p[] = {db->source_id, maps.data, d, header.data};
    int rc = exec_sql(db, "remembering the source's mapping",
                      "UPDATE sources SET last_import_at = now(), column_map = $2::text[],"
                      " delimiter = $3, header = $4::text[] WHERE id = $1",
                      4, p, NULL, err);
    sbuf_free(&maps);
    sbuf_free(&header);
    return rc;
}

int import_db_merge(struct import_db *db, const char *sha256_hex, long long bytes, long rows,
                    struct import_counts *counts, struct vm_err *err)
{
    memset(counts, 0, sizeof *counts);
    counts->rows = rows;
    counts->rejected = db->n_rejects;
    counts->batch_id = atoll(db->batch_id);
    int rc = finish_stream(db, err);
    if (rc == 0)
        rc = exec_sql(db, "creating the re-tag list", VCOLS_RETAG_CREATE, 0, NULL, NULL, err);
    if (rc == 0 && db->direct)
        rc = direct_finish(db, counts, err);
    if (rc)
        return rc;
    if (!db->direct && db->rn > 0 && (rc = merge(db, counts, err)) != 0)
        return rc;
    if ((rc = remember_source(db, err)) != 0 || (rc = copy_rejects(db, err)) != 0)
        return rc;
    return close_batch(db, sha256_hex, bytes, counts, err);
}

int import_db_commit(struct import_db *db, struct vm_err *err)
{
    int rc;
    if (db->opts.dry_run) {
        rc = restore_sequences(db, err);
        if (rc == 0)
            rc = pgu_rollback_checked(db->conn, "rolling the dry run back", err);
    } else {
        rc = pgu_commit(db->conn, "committing the import", err);
    }
    db->in_tx = false; /* committed, or failed and the server rolled it back */
    return rc;
}

void import_db_free(struct import_db *db)
{
    if (!db)
        return;
    sender_stop(&db->sender);
    pgu_copy_abort(&db->copy, "import cancelled");
    if (db->in_tx && PQstatus(db->conn) == CONNECTION_OK) {
        /* A dry run that stops early (a bad row in abort mode, Ctrl-C) puts
         * the sequences back too: back to its savepoint (the locks taken
         * before it are kept), so that a failed transaction can run setval. */
        if (db->dry_savepoint) {
            struct vm_err ignored;
            pgu_exec(db->conn, "dry run: back to its savepoint", "ROLLBACK TO SAVEPOINT vm_dry_run",
                     0, NULL, NULL, &ignored);
            restore_sequences(db, &ignored);
        }
        pgu_rollback(db->conn);
    }
    if (db->rejects)
        fclose(db->rejects);
    if (db->links)
        fclose(db->links);
    if (db->dups)
        fclose(db->dups);
    if (db->slims)
        fclose(db->slims);
    free(db->bloom);
    known_free(&db->known);
    for (int i = 0; i < 4; i++)
        free(db->seqs[i]);
    strlist_free(&db->idx_defs);
    strlist_free(&db->fk_defs);
    sbuf_free(&db->scratch);
    free(db);
}
