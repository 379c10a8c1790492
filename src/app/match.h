/*
 * match (workflow): `vendormatch match` end to end, callable from C.
 *
 * One run takes the needs (the one the options gave, or one per row of a
 * needs CSV: io/needs_file), maps each need's services to taxonomy
 * categories and infers its provider type (core/classify), reads candidates from PostgreSQL
 * (db/match_db) until no vendor left can enter the list, scores and ranks
 * them exactly (core/score), draws the ranking's robustness (core/robust),
 * builds one document per need (io/shortlist_doc) with its near misses,
 * prints it as a table, CSV or JSON (io/match_view) and saves it as a
 * shortlist when asked (db/shortlist_db). Notes about the need (a typo read
 * as a service, an unknown certification, an industry or term no vendor
 * has) go to stderr. A command only parses options into app_match_opts.
 */
#ifndef VM_APP_MATCH_H
#define VM_APP_MATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/need.h"
#include "core/util.h"
#include "db/conn.h"
#include "io/output.h"

/* Set up with app_match_opts_init, the need's values given with
 * app_match_need_option, freed with app_match_opts_free. */
struct app_match_opts {
    /* The need the options gave, not finished yet. Ignored with needs_file;
     * app_match takes what it holds (it is left empty). */
    struct need need;
    bool need_given; /* some need option other than --top and --weight was given */
    /* "FIELD=value" strings (enum need_field number) need_set accepted:
     * --top and --weight, applied to every needs-file row too. */
    struct strlist shared;
    const char *needs_file; /* --needs FILE ('-' for stdin): one need per row, or NULL */
    const char *save;       /* --save NAME (PREFIX with needs_file: PREFIX-<need>), or NULL */
    bool replace;           /* --replace: a shortlist of the same name is replaced */
    bool explain;           /* --explain: per-vendor blocks and near misses below the table */
    enum out_format fmt;
    FILE *out;       /* where the documents are printed, or NULL for none */
    int verbose;     /* -v: rows and queries per need; -vv: phase timings, SQL trace */
    bool exhaustive; /* tests: C decides over every vendor (match_db_set_exhaustive) */
    /* Called once, just before the output is printed (the command starts its
     * pager there), or NULL. */
    void (*before_output)(void *arg);
    /* A need the options gave that is not usable (unknown service, a
     * constraint that contradicts another): returns the exit code with msg
     * (e.g. "--service: unknown service ...") in err; NULL gives
     * VM_EXIT_USAGE with msg as it is. */
    int (*option_error)(void *arg, struct vm_err *err, const char *msg);
    void *arg; /* for the two callbacks */
};

void app_match_opts_init(struct app_match_opts *o);
void app_match_opts_free(struct app_match_opts *o);

/* One need option's value (f: the need field it sets; "yes" for a flag),
 * checked now by need_set: -1 with *why (malloc'd) when it is not usable. */
int app_match_need_option(struct app_match_opts *o, enum need_field f, const char *value,
                          char **why);

/*
 * Ranks every need against the catalog db names (opened with
 * app_catalog_open) and prints the documents to o->out: one document, or a
 * JSON array of them with needs_file. With docs, *docs gets that array too
 * (new reference, one document per need, as saved). Errors as vm_err:
 * VM_EXIT_DATAERR with FILE:LINE:COLUMN for a bad needs file, o->option_error's
 * code for a bad need from the options, VM_EXIT_UNAVAILABLE for a lost
 * server, VM_EXIT_FAILURE for a shortlist name already taken (without
 * replace) or a write error. With save, the shortlists of the needs before a
 * failing one stay saved.
 */
int app_match(const struct vm_db_options *db, struct app_match_opts *o, json_t **docs,
              struct vm_err *err);

#endif
