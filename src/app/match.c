/*
 * match (workflow): see match.h. The needs are all read and their services
 * resolved before the first is ranked, so a bad row or an unknown service
 * stops the run before any output or save. Each need is ranked on one
 * statement cache (match_db), and a need whose output is explained, JSON
 * or saved ranks MATCH_ROBUST_EXTRA more vendors for its robustness.
 */
#include "app/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/catalog.h"
#include "core/classify.h"
#include "core/match_defaults.h"
#include "core/normalize.h"
#include "core/robust.h"
#include "core/score.h"
#include "core/suggest.h"
#include "core/taxonomy.h"
#include "db/fx_db.h"
#include "db/match_db.h"
#include "db/shortlist_db.h"
#include "db/taxonomy_db.h"
#include "io/match_view.h"
#include "io/needs_file.h"
#include "io/shortlist_doc.h"

/* The taxonomy alias closest to a phrase no stage matched ("custmer
 * suport" -> "customer support"), or NULL (suggest.h). */
static const char *suggest_service(const struct taxonomy *tax, const char *phrase)
{
    struct suggest s;
    suggest_init(&s, phrase);
    for (size_t i = 0; i < taxonomy_alias_count(tax); i++)
        suggest_offer_str(&s, taxonomy_alias_at(tax, i, NULL));
    return s.best;
}

/* Maps each service to taxonomy categories and decides the process type.
 * An unknown service is an error: matching it to nothing would silently
 * drop it from the need; the error says "did you mean ...?" when an alias
 * is close. *why gets a malloc'd reason. */
static int resolve_services(struct taxonomy *tax, struct need *n, char **why)
{
    struct tax_match m[TAX_MAX_MATCHES];
    struct classification cls;
    const char **phrases = xcalloc(n->n_services + 1, sizeof *phrases);
    for (size_t i = 0; i < n->n_services; i++) {
        size_t k = taxonomy_match_phrase(tax, n->services[i].phrase, m, TAX_MAX_MATCHES);
        const struct tax_phrase_result *r = k ? NULL : taxonomy_lookup(tax, n->services[i].phrase);
        const struct tax_ambiguous *a =
            r && r->ambiguous ? taxonomy_ambiguous_at(r->ambiguous - 1) : NULL;
        if (a) {
            *why =
                xasprintf("ambiguous service '%s': write the one you mean, '%s' or '%s'",
                          n->services[i].phrase, a->reading[0].expansion, a->reading[1].expansion);
            free(phrases);
            return -1;
        }
        if (k == 0) {
            const char *near = r && r->neutral ? NULL : suggest_service(tax, n->services[i].phrase);
            char *hint = near ? xasprintf(": did you mean '%s'?", near) : xstrdup("");
            *why = xasprintf("unknown service '%s'%s (%s: see `vendormatch "
                             "taxonomy list`, or add it with `vendormatch taxonomy add`)",
                             n->services[i].phrase, hint,
                             r && r->neutral ? "information technology, neither BPO nor KPO"
                                             : "not in the taxonomy");
            free(hint);
            free(phrases);
            return -1;
        }
        for (size_t j = 0; j < k; j++) {
            need_set_service_category(n, i, m[j].category->code, m[j].category->process_type);
            if (m[j].stage == TAX_FUZZY) /* a typo the fuzzy stage read: say how */
                output_printf(stderr,
                              "vendormatch: match: service '%s': did you mean '%s'? (matched as "
                              "that)\n",
                              n->services[i].phrase, m[j].alias);
        }
        phrases[i] = n->services[i].phrase;
    }
    struct classify_input in = {.services = phrases, .n_services = n->n_services};
    classify(tax, &in, &cls);
    need_resolve_type(n, n->n_services ? cls.process_type : NULL, cls.bpo_weight, cls.kpo_weight);
    classification_free(&cls);
    free(phrases);
    return 0;
}

/* Candidates for one need (match_db walks the catalog until no vendor left
 * can enter the lists), then the exact ranking over them, then the contact
 * details of the vendors shown. */
static int rank_need(struct match_db *mdb, const struct need *n, bool near, struct match_rows *rows,
                     struct match_outcome *out, struct vm_err *err)
{
    int rc = match_db_candidates(mdb, n, near, rows, err);
    if (rc == 0) {
        score_rank(n, rows->cands, rows->n, out);
        rc = match_db_details(mdb, rows, out, err);
    }
    return rc;
}

/* A need the options gave is not usable: o->option_error says how. */
static int option_error(const struct app_match_opts *o, struct vm_err *err, const char *fmt,
                        const char *why)
{
    char *msg = xasprintf(fmt, why);
    int rc = o->option_error ? o->option_error(o->arg, err, msg)
                             : vm_err_set(err, VM_EXIT_USAGE, "%s", msg);
    free(msg);
    return rc;
}

/* Maps every need's services; an unknown service in a needs file is bad data. */
static int resolve_all(const struct app_match_opts *o, struct taxonomy *tax,
                       struct need_item *items, size_t n, struct vm_err *err)
{
    for (size_t i = 0; i < n; i++) {
        char *why = NULL;
        if (resolve_services(tax, &items[i].need, &why) == 0)
            continue;
        int rc = items[i].where ? vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld: %s", items[i].where,
                                             items[i].svc_col, why)
                                : option_error(o, err, "--service: %s", why);
        free(why);
        return rc;
    }
    return 0;
}

/* "need 'X': " before a note about a named need, else "". Malloc'd. */
static char *need_prefix(const struct need *n)
{
    return n->name ? xasprintf("need '%s': ", n->name) : xstrdup("");
}

/* On stderr: each required certification vendormatch does not know by
 * name, with the closest known one ("did you mean 'ISO 27001'?"). */
static void warn_unknown_certs(const struct need *n)
{
    char *pre = need_prefix(n);
    for (size_t i = 0; i < n->certifications.len; i++) {
        const char *code = n->certifications.items[i];
        if (norm_certification_known(code))
            continue;
        const char *near = norm_suggest_certification(code);
        char *typed = score_cert_display(code), *shown = near ? score_cert_display(near) : NULL;
        if (shown)
            output_printf(stderr,
                          "vendormatch: match: %scertification '%s' is not one vendormatch knows: "
                          "did you mean '%s'?\n",
                          pre, typed, shown);
        free(typed);
        free(shown);
    }
    free(pre);
}

/* With no vendor qualifying, says on stderr which required terms no vendor
 * in the catalog has at all (a misspelt or absent term, not a strict need). */
static int warn_absent_terms(struct match_db *mdb, const struct need *n, struct vm_err *err)
{
    struct strlist absent;
    strlist_init(&absent);
    int rc = match_db_idle(mdb, err);
    if (rc == 0)
        rc = match_db_absent_terms(mdb, n, &absent, err);
    char *pre = need_prefix(n);
    for (size_t i = 0; rc == 0 && i < absent.len; i++)
        output_printf(stderr, "vendormatch: match: %s%s matched no vendor in the catalog\n", pre,
                      absent.items[i]);
    free(pre);
    strlist_free(&absent);
    return rc;
}

/* On stderr: each industry of the need that no vendor lists, with the
 * closest label the catalog has ("did you mean 'healthcare'?"). */
static int warn_absent_industries(struct match_db *mdb, const struct need *n, struct vm_err *err)
{
    struct strlist absent, known;
    strlist_init(&absent);
    strlist_init(&known);
    int rc = n->industries.len ? match_db_idle(mdb, err) : 0;
    if (rc == 0 && n->industries.len)
        rc = match_db_absent_industries(mdb, n, &absent, &known, err);
    char *pre = need_prefix(n);
    for (size_t i = 0; rc == 0 && i < absent.len; i++) {
        struct suggest s;
        suggest_init(&s, absent.items[i]);
        for (size_t k = 0; k < known.len; k++)
            suggest_offer_str(&s, known.items[k]);
        if (s.best)
            output_printf(stderr,
                          "vendormatch: match: %sindustry '%s' matched no vendor in the catalog: "
                          "did you mean '%s'?\n",
                          pre, absent.items[i], s.best);
        else
            output_printf(stderr,
                          "vendormatch: match: %sindustry '%s' matched no vendor in the catalog "
                          "(no vendor gets its points)\n",
                          pre, absent.items[i]);
    }
    free(pre);
    strlist_free(&absent);
    strlist_free(&known);
    return rc;
}

/* Ranks one need and returns its document (saved when asked). */
static int run_need(PGconn *conn, struct match_db *mdb, const struct app_match_opts *o,
                    struct need_item *it, size_t index, const json_t *catalog, json_t **doc,
                    struct vm_err *err)
{
    struct match_rows rows = {0};
    struct match_outcome out = {0};
    struct robust_outcome rob = {0};
    bool near = o->explain || o->fmt == OUT_JSON || o->save;
    int shown = it->need.top;
    warn_unknown_certs(&it->need);
    /* Explained results carry their robustness: rank a few more vendors,
     * which could rise into the list when the weights vary. */
    if (near)
        it->need.top = shown + MATCH_ROBUST_EXTRA;
    int rc = rank_need(mdb, &it->need, near, &rows, &out, err);
    it->need.top = shown;
    if (rc == 0 && out.n_results == 0)
        rc = warn_absent_terms(mdb, &it->need, err);
    if (rc == 0)
        rc = warn_absent_industries(mdb, &it->need, err);
    if (rc)
        goto done;
    if (o->verbose)
        fprintf(stderr, "vendormatch: match: %zu rows read in %zu queries (%zu by fallback)\n",
                rows.n_rows, rows.n_queries, rows.n_fallback);
    if (near) {
        double t0 = match_db_clock_ms();
        robust_compute(&it->need, out.results, out.n_results, MATCH_ROBUST_DRAWS,
                       MATCH_ROBUST_SPREAD, &rob);
        if (o->verbose >= 2)
            fprintf(stderr, "vendormatch: match: robustness of %zu vendors: %.2f ms\n", rob.n,
                    match_db_clock_ms() - t0);
        match_outcome_truncate(&out, (size_t)shown);
    }
    *doc = shortlist_doc_new(&it->need, &out, near ? &rob : NULL, catalog);
    if (o->save && (rc = match_db_idle(mdb, err)) != 0)
        goto done;
    if (o->save) {
        char *name = !o->needs_file  ? xstrdup(o->save)
                     : it->need.name ? xasprintf("%s-%s", o->save, it->need.name)
                                     : xasprintf("%s-%zu", o->save, index + 1);
        rc = shortlist_db_save(conn, name, o->replace, *doc, err);
        free(name);
    }
done:
    robust_outcome_free(&rob);
    match_outcome_free(&out);
    match_rows_free(&rows);
    return rc;
}

static int collect_needs(struct app_match_opts *o, struct need_item **items, size_t *n,
                         struct vm_err *err)
{
    char *why = NULL;
    if (o->needs_file)
        return needs_file_read(o->needs_file, &o->shared, items, n, err);
    if (need_finish(&o->need, &why) != 0) {
        int rc = option_error(o, err, "%s", why);
        free(why);
        return rc;
    }
    *items = xcalloc(1, sizeof **items);
    (*items)[0].need = o->need;
    need_init(&o->need); /* moved */
    *n = 1;
    return 0;
}

/* Whether a need bounds the rate from above (the walk then bounds the
 * price points by the catalog's cheapest rate: match_db_cheapest_rates). */
static bool any_max_rate(const struct need_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (items[i].need.has_max_rate)
            return true;
    return false;
}

/* -vv: milliseconds since the previous mark, per phase. */
static void mark(const struct app_match_opts *o, double *t, const char *phase)
{
    double now = match_db_clock_ms();
    if (o->verbose >= 2)
        fprintf(stderr, "vendormatch: match: %s: %.1f ms\n", phase, now - *t);
    *t = now;
}

void app_match_opts_init(struct app_match_opts *o)
{
    memset(o, 0, sizeof *o);
    need_init(&o->need);
    strlist_init(&o->shared);
}

void app_match_opts_free(struct app_match_opts *o)
{
    need_free(&o->need);
    strlist_free(&o->shared);
}

int app_match_need_option(struct app_match_opts *o, enum need_field f, const char *value,
                          char **why)
{
    if (need_set(&o->need, f, value, why) != 0)
        return -1;
    if (f == NF_TOP || f == NF_WEIGHT)
        strlist_push_owned(&o->shared, xasprintf("%d=%s", (int)f, value));
    else
        o->need_given = true;
    return 0;
}

/* Prints the documents: one, or the array with a needs file. */
static int print_docs(const struct app_match_opts *o, const json_t *docs, struct vm_err *err)
{
    if (o->before_output)
        o->before_output(o->arg);
    if (match_doc_print(o->out, o->needs_file ? docs : json_array_get(docs, 0), o->fmt,
                        o->explain || o->fmt == OUT_JSON) != 0)
        return vm_err_set(err, VM_EXIT_FAILURE, "error writing to standard output");
    return 0;
}

/* The catalog's exchange rates for every need, and with a --max-rate the
 * cheapest rates that bound the walk's price points. */
static int load_rates(PGconn *conn, struct need_item *items, size_t n, struct fx_table *fx,
                      struct score_cheapest_rates *cheapest, struct vm_err *err)
{
    int rc = fx_db_load_if_present(conn, fx, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        items[i].need.fx = fx;
    if (rc == 0 && any_max_rate(items, n))
        rc = match_db_cheapest_rates(conn, cheapest, err);
    for (size_t i = 0; rc == 0 && cheapest->known && i < n; i++) {
        items[i].need.price_share_max = score_price_share_max(&items[i].need, cheapest);
        items[i].need.has_price_share_max = true;
    }
    return rc;
}

int app_match(const struct vm_db_options *db, struct app_match_opts *o, json_t **docs_out,
              struct vm_err *err)
{
    double t = match_db_clock_ms(), start = t;
    struct need_item *items = NULL;
    size_t n = 0;
    PGconn *conn = NULL;
    struct taxonomy *tax = NULL;
    struct match_db *mdb = NULL;
    json_t *docs = json_array(), *catalog = NULL;
    struct fx_table fx;
    struct score_cheapest_rates cheapest = {0};
    fx_table_init(&fx);
    int rc = collect_needs(o, &items, &n, err);
    if (rc == 0)
        rc = app_catalog_open(db, &conn, err);
    mark(o, &t, "connect and schema check");
    if (rc == 0)
        rc = taxonomy_db_load(conn, &tax, err);
    mark(o, &t, "taxonomy load");
    if (rc == 0)
        rc = resolve_all(o, tax, items, n, err);
    if (rc == 0)
        rc = load_rates(conn, items, n, &fx, &cheapest, err);
    if (rc == 0)
        rc = match_db_catalog(conn, &catalog, err);
    mark(o, &t, "services resolved, catalog batches read");
    if (rc == 0)
        mdb = match_db_new(conn);
    if (mdb && o->verbose >= 2)
        match_db_set_trace(mdb, stderr);
    if (mdb && o->exhaustive)
        match_db_set_exhaustive(mdb, true);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *doc = NULL;
        rc = run_need(conn, mdb, o, &items[i], i, catalog, &doc, err);
        if (doc)
            json_array_append_new(docs, doc);
    }
    mark(o, &t, "needs ranked");
    if (rc == 0 && o->out)
        rc = print_docs(o, docs, err);
    mark(o, &t, "output");
    if (o->verbose >= 2) /* what bench/match_bench.sh reads as the in-process time */
        fprintf(stderr, "vendormatch: match: total: %.1f ms\n", t - start);
    if (rc == 0 && docs_out)
        *docs_out = json_incref(docs);
    json_decref(docs);
    json_decref(catalog);
    match_db_free(mdb);
    if (tax)
        taxonomy_free(tax);
    vm_conn_close(conn);
    need_items_free(items, n);
    fx_table_free(&fx);
    score_cheapest_rates_free(&cheapest);
    return rc;
}
