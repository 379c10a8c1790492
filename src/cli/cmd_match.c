/*
 * cmd_match: `vendormatch match`. Wires the pieces together: a need from the
 * options or each row of a needs CSV (need.c), its services mapped and its
 * type inferred with the taxonomy (classify.c), candidates from PostgreSQL
 * (match_db.c), exact scores and ranking (score.c), then one JSON document
 * per need (docs/shortlist-json.md) that is printed as JSON, or rendered as a
 * table or CSV, and optionally saved as a shortlist (shortlist_db.c).
 *
 * The document is the single source for every view, so `shortlists show`
 * renders a saved document with the same code (match_doc_print).
 */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classify.h"
#include "core/match_defaults.h"
#include "core/normalize.h"
#include "core/need.h"
#include "core/robust.h"
#include "core/score.h"
#include "core/suggest.h"
#include "core/taxonomy.h"
#include "db/fx_db.h"
#include "db/match_db.h"
#include "db/shortlist_db.h"
#include "db/taxonomy_db.h"
#include "io/csv_reader.h"
#include "io/infile.h"
#include "io/match_view.h"
#include "io/output.h"

static const char match_usage[] =
    "usage: vendormatch match [need options] [--top N] [--save NAME [--replace]] [--explain]\n"
    "                         [--format table|csv|json]\n"
    "       vendormatch match --needs FILE [--top N] [--weight C=W]... [--save PREFIX] ...\n"
    "\n"
    "Ranks the catalog's vendors for a client need: hard constraints exclude, the rest\n"
    "get a score from 0 to 100 with a breakdown and reasons (docs/matching.md).\n"
    "A misspelt service, country or language is refused with \"did you mean ...?\";\n"
    "an industry no vendor lists is named on stderr with the closest one the catalog\n"
    "has; with no vendor qualifying, stderr names each term no vendor has at all.\n"
    "\n"
    "Need options (repeatable ones marked ...):\n"
    "  --service S ...         a service the client needs (\"customer support\")\n"
    "  --type BPO|KPO|any|auto provider type; auto (default) infers it from the services\n"
    "  --industry I ...        industry experience wanted (scored, not required)\n"
    "  --country C ...         allowed countries (name or ISO code)\n"
    "  --exclude-country C ... countries to leave out\n"
    "  --language L ...        languages the vendor must list\n"
    "  --cert C ...            certifications the vendor must hold (\"ISO 27001\")\n"
    "  --min-employees N       headcount at least N (employees_max when known); N is a\n"
    "                          whole number 0..10000000 (\"500\", \"1,000\"; \"50-200\" and\n"
    "                          \"500+\" count their lower end)\n"
    "  --max-rate R            cheapest hourly rate at most R, 0..1000000: a plain number\n"
    "                          with an optional ISO 4217 code or symbol and /hr (\"30\",\n"
    "                          \"EUR 25\", \"$30/hr\"; USD default; \"20-30\" counts 30).\n"
    "                          A vendor's \"< $25\" meets max 25; against max 20 it is\n"
    "                          unverified, without price points (\"may exceed\");\n"
    "                          \"$150+\" fails max 100. Vendors' rates in other\n"
    "                          currencies convert at the stored exchange rates (fx\n"
    "                          list); one with no exchange rate is unverified too\n"
    "  --min-rate R            dearest hourly rate at least R, same forms (\"20-30\"\n"
    "                          counts 20); one currency with --max-rate\n"
    "  --min-rating R          rating at least R: a plain number 0..5 (\"4.5\") or \"90%\"\n"
    "  --sensitivity low|medium|high   high requires a security certification\n"
    "  --delivery D ...        delivery models, any of (onshore, offshore, remote...)\n"
    "  --strict                a vendor whose data does not state a constrained fact\n"
    "                          (no languages listed, no rate, an open range that cannot\n"
    "                          decide...) is excluded; by default it passes unverified:\n"
    "                          no points for that criterion, flagged with the reason\n"
    "  --require-known FACT ...  the same for one fact only: language, cert, country,\n"
    "                          employees, rate, rating or delivery\n"
    "  --weight CRITERION=W ...  service_coverage, industry, rating, price, capacity,\n"
    "                          languages, confidence; W a plain number 0..1000; weights\n"
    "                          are scaled to sum 100\n"
    "Other options:\n"
    "  --needs FILE            one need per CSV row ('-' for stdin); a `need` column names\n"
    "                          each; columns as the options above (docs/matching.md)\n"
    "  --top N                 results per need, a whole number 1..1000 (default 10)\n"
    "  --explain               below the table, a block per vendor (points per criterion,\n"
    "                          every reason, how often it keeps its rank and a top-3\n"
    "                          place with every weight varied by up to 25%), the single\n"
    "                          weight change that would put #2 first, the near misses\n"
    "  --save NAME             save the result as shortlist NAME (with --needs: NAME-<need>)\n"
    "  --replace               with --save: replace a shortlist of the same name\n"
    "  --format table|csv|json table: 100 columns (rank, score, name, type, country,\n"
    "                          rate, the reason that cost most points); csv: every\n"
    "                          column; json always explains (with --needs, an array)\n"
    "\n"
    "Numbers are plain decimals: no sign, exponent, hex, inf or trailing text. A bad\n"
    "value or an empty text value exits 2 (65 with file:line:column in a needs file).\n";

static int match_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err);

const struct cmd_entry cmd_match_entry = {
    .name = "match",
    .summary = "match a client's needs to providers, with explained scores",
    .usage = match_usage,
    .exec = match_exec,
};

struct match_opts {
    struct need need; /* from the options */
    bool need_given;  /* some need option was given */
    const char *needs_file;
    const char *save;
    bool replace, explain;
    enum out_format fmt;
    struct strlist shared; /* "--top" and "--weight" values, applied to every needs row */
};

enum { OPT_NEEDS = 256, OPT_SAVE, OPT_REPLACE, OPT_EXPLAIN, OPT_FORMAT };

/* Option -> need field; the rest are command options. */
static const struct option match_options[] = {
    {"service", required_argument, NULL, NF_SERVICE},
    {"type", required_argument, NULL, NF_TYPE},
    {"industry", required_argument, NULL, NF_INDUSTRY},
    {"country", required_argument, NULL, NF_COUNTRY},
    {"exclude-country", required_argument, NULL, NF_EXCLUDE_COUNTRY},
    {"language", required_argument, NULL, NF_LANGUAGE},
    {"cert", required_argument, NULL, NF_CERT},
    {"min-employees", required_argument, NULL, NF_MIN_EMPLOYEES},
    {"max-rate", required_argument, NULL, NF_MAX_RATE},
    {"min-rate", required_argument, NULL, NF_MIN_RATE},
    {"min-rating", required_argument, NULL, NF_MIN_RATING},
    {"sensitivity", required_argument, NULL, NF_SENSITIVITY},
    {"delivery", required_argument, NULL, NF_DELIVERY},
    {"strict", no_argument, NULL, NF_STRICT},
    {"require-known", required_argument, NULL, NF_REQUIRE_KNOWN},
    {"weight", required_argument, NULL, NF_WEIGHT},
    {"top", required_argument, NULL, NF_TOP},
    {"needs", required_argument, NULL, OPT_NEEDS},
    {"save", required_argument, NULL, OPT_SAVE},
    {"replace", no_argument, NULL, OPT_REPLACE},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"format", required_argument, NULL, OPT_FORMAT},
    {NULL, 0, NULL, 0},
};

static const char *option_name(int field)
{
    for (const struct option *o = match_options; o->name; o++)
        if (o->val == field)
            return o->name;
    return need_field_name(field);
}

static int option_need_value(struct match_opts *o, int field, const char *arg, struct vm_err *err)
{
    char *why = NULL;
    if (need_set(&o->need, field, arg, &why) != 0) {
        int rc = cmd_usage_error(&cmd_match_entry, err, "--%s: %s", option_name(field), why);
        free(why);
        return rc;
    }
    if (field == NF_TOP || field == NF_WEIGHT) {
        strlist_push_owned(&o->shared, xasprintf("%d=%s", field, arg));
    } else {
        o->need_given = true;
    }
    return 0;
}

static int parse_options(int argc, char **argv, struct match_opts *o, struct vm_err *err)
{
    const struct cmd_entry *cmd = &cmd_match_entry;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", match_options, NULL)) != -1) {
        int rc = 0;
        if (c >= 0 && c < NF_COUNT)
            rc = option_need_value(o, c, c == NF_STRICT ? "yes" : optarg, err);
        else if (c == OPT_NEEDS)
            o->needs_file = optarg;
        else if (c == OPT_SAVE)
            o->save = optarg;
        else if (c == OPT_REPLACE)
            o->replace = true;
        else if (c == OPT_EXPLAIN)
            o->explain = true;
        else if (c == OPT_FORMAT)
            rc = parse_out_format(optarg, &o->fmt, err) ? cmd_usage_error(cmd, err, "%s", err->msg)
                                                        : 0;
        else
            rc = cmd_usage_error(cmd, err, "unknown option or missing value: '%s'",
                                 argv[optind - 1]);
        if (rc)
            return rc;
    }
    if (optind < argc)
        return cmd_usage_error(cmd, err, "unexpected argument '%s'", argv[optind]);
    if (o->needs_file && o->need_given)
        return cmd_usage_error(cmd, err,
                               "--needs cannot be combined with need options "
                               "(put them in the file's columns)");
    if (o->replace && !o->save)
        return cmd_usage_error(cmd, err, "--replace needs --save NAME");
    if (o->save && !o->save[0])
        return cmd_usage_error(cmd, err, "--save needs a non-empty name");
    return 0;
}

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

static json_t *opt_real(bool has, double v)
{
    return has ? json_real(v) : json_null();
}

static json_t *vendor_snapshot(const struct score_result *r)
{
    const struct vendor_cand *v = r->v;
    json_t *o = json_object();
    json_object_set_new(o, "website", json_string_or_null(v->website));
    json_object_set_new(o, "country", json_string_or_null(v->country[0] ? v->country : NULL));
    json_object_set_new(o, "city", json_string_or_null(v->city));
    json_object_set_new(o, "services", json_strlist(&v->services));
    json_object_set_new(o, "matched_services", json_strlist(&r->matched_services));
    json_object_set_new(o, "industries", json_strlist(&v->industries));
    json_object_set_new(o, "languages", json_strlist(&v->languages));
    json_object_set_new(o, "certifications", json_strlist(&v->certifications));
    json_object_set_new(o, "employees_min",
                        v->has_employees_min ? json_integer(v->employees_min) : json_null());
    json_object_set_new(o, "employees_max",
                        v->has_employees_max ? json_integer(v->employees_max) : json_null());
    json_object_set_new(o, "rate_min", opt_real(v->has_rate_min, v->rate_min));
    json_object_set_new(o, "rate_max", opt_real(v->has_rate_max, v->rate_max));
    char rate[64];
    score_rate_text(rate, sizeof rate, v);
    json_object_set_new(o, "rate_text", json_string_or_null(rate[0] ? rate : NULL));
    json_object_set_new(o, "currency",
                        json_string_or_null(v->has_rate && v->currency[0] ? v->currency : NULL));
    json_object_set_new(o, "rating", opt_real(v->has_rating, v->rating));
    json_object_set_new(o, "email", json_string_or_null(v->email));
    json_object_set_new(o, "phone", json_string_or_null(v->phone));
    json_object_set_new(o, "manual_tag", json_boolean(v->manual_tag));
    json_object_set_new(o, "confidence", json_real(round(v->confidence * 100) / 100));
    return o;
}

static json_t *breakdown_json(const struct score_result *r)
{
    json_t *b = json_object();
    for (int c = 0; c < CRIT_COUNT; c++)
        json_object_set_new(b, criterion_name(c), json_real(r->points[c]));
    return b;
}

/* rate_converted: the vendor's rate in the need's currency, or null. */
static json_t *converted_json(const struct score_result *r)
{
    if (!r->converted)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "amount", json_real(round(r->conv_amount * 100) / 100));
    json_object_set_new(o, "currency", json_string(r->conv_currency));
    json_object_set_new(o, "rate", json_real(r->conv_factor));
    json_object_set_new(o, "date", json_string_or_null(r->conv_date[0] ? r->conv_date : NULL));
    return o;
}

/* A result's "robustness": shares of the draws in which it kept its rank
 * and was in the top 3 (docs/matching.md "Robustness"). */
static json_t *robustness_json(const struct robust_outcome *rob, size_t i)
{
    json_t *o = json_object();
    double draws = rob->draws > 0 ? rob->draws : 1;
    json_object_set_new(o, "rank_kept", json_real(rob->rank_kept[i] / draws));
    json_object_set_new(o, "top3_kept", json_real(rob->top3[i] / draws));
    json_object_set_new(o, "draws", json_integer(rob->draws));
    json_object_set_new(o, "spread", json_real(rob->spread));
    return o;
}

/* The document's "swap": the smallest single weight change that puts #2
 * ahead of #1 (criterion null when none within 0..MATCH_MAX_WEIGHT), or
 * null with fewer than two results. */
static json_t *swap_json(const struct robust_outcome *rob, const struct match_outcome *out)
{
    const struct robust_swap *sw = &rob->swap;
    if (!rob->has_pair || out->n_results < 2)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "leader_id", json_integer(out->results[0].v->id));
    json_object_set_new(o, "challenger_id", json_integer(out->results[1].v->id));
    json_object_set_new(o, "criterion",
                        sw->found ? json_string(criterion_name(sw->crit)) : json_null());
    json_object_set_new(o, "direction",
                        sw->found ? json_string(sw->rises ? "rises" : "falls") : json_null());
    json_object_set_new(o, "weight", sw->found ? json_real(sw->weight) : json_null());
    json_object_set_new(o, "threshold", sw->found ? json_real(sw->threshold) : json_null());
    json_object_set_new(o, "max_weight", json_integer(MATCH_MAX_WEIGHT));
    return o;
}

/* The document's "robustness": how the figures were drawn. */
static json_t *robust_method_json(const struct robust_outcome *rob)
{
    json_t *o = json_object();
    json_object_set_new(o, "draws", json_integer(rob->draws));
    json_object_set_new(o, "spread", json_real(rob->spread));
    json_object_set_new(o, "generator", json_string("splitmix64"));
    char seed[32];
    snprintf(seed, sizeof seed, "0x%016llX", (unsigned long long)MATCH_ROBUST_SEED);
    json_object_set_new(o, "seed", json_string(seed)); /* a string: above 2^53 */
    json_object_set_new(o, "compared", json_integer((json_int_t)rob->n));
    return o;
}

/* "unverified": the facts r passed without the catalog stating them. */
static json_t *unverified_json(const struct score_result *r)
{
    struct strlist facts;
    strlist_init(&facts);
    score_unverified_facts(r, &facts);
    json_t *a = json_strlist(&facts);
    strlist_free(&facts);
    return a;
}

static json_t *result_json(const struct score_result *r, size_t rank,
                           const struct robust_outcome *rob)
{
    json_t *o = json_object();
    json_object_set_new(o, "rank", json_integer((json_int_t)rank));
    json_object_set_new(o, "vendor_id", json_integer(r->v->id));
    json_object_set_new(o, "name", json_string_or_null(r->v->name));
    json_object_set_new(o, "process_type", json_string(r->v->process_type));
    json_object_set_new(o, "score", json_real(r->score));
    json_object_set_new(o, "breakdown", breakdown_json(r));
    json_object_set_new(o, "reasons", json_strlist(&r->reasons));
    json_object_set_new(o, "unverified", unverified_json(r));
    json_object_set_new(o, "unverified_reasons", json_strlist(&r->unverified_reasons));
    json_object_set_new(o, "rate_converted", converted_json(r));
    if (rob && rank - 1 < rob->n)
        json_object_set_new(o, "robustness", robustness_json(rob, rank - 1));
    json_object_set_new(o, "vendor", vendor_snapshot(r));
    return o;
}

static json_t *excluded_json(const struct score_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "vendor_id", json_integer(r->v->id));
    json_object_set_new(o, "name", json_string_or_null(r->v->name));
    json_object_set_new(o, "process_type", json_string(r->v->process_type));
    json_object_set_new(o, "would_be_score", json_real(r->score));
    json_object_set_new(o, "reasons", json_strlist(&r->failures));
    json_object_set_new(o, "unverified", unverified_json(r));
    json_object_set_new(o, "unverified_reasons", json_strlist(&r->unverified_reasons));
    json_object_set_new(o, "rate_converted", converted_json(r));
    return o;
}

/* The match document of docs/shortlist-json.md for one ranked need; rob
 * (or NULL) adds the robustness figures. */
static json_t *match_document(const struct need *n, const struct match_outcome *out,
                              const struct robust_outcome *rob, const json_t *catalog)
{
    json_t *doc = json_object(), *results = json_array(), *excluded = json_array();
    for (size_t i = 0; i < out->n_results; i++)
        json_array_append_new(results, result_json(&out->results[i], i + 1, rob));
    for (size_t i = 0; i < out->n_near; i++)
        json_array_append_new(excluded, excluded_json(&out->near[i]));
    json_object_set_new(doc, "need", need_to_json(n));
    json_object_set_new(doc, "process_type", json_string(need_process_name(n->process)));
    json_object_set_new(doc, "process_type_inferred", json_boolean(n->process_inferred));
    json_object_set_new(doc, "process_type_reason", json_string_or_null(n->process_reason));
    json_object_set_new(doc, "weights", need_weights_json(n));
    json_object_set_new(doc, "catalog", json_deep_copy(catalog));
    if (rob) {
        json_object_set_new(doc, "robustness", robust_method_json(rob));
        json_object_set_new(doc, "swap", swap_json(rob, out));
    }
    json_object_set_new(doc, "results", results);
    json_object_set_new(doc, "excluded", excluded);
    return doc;
}

/* A need and where it came from, for error positions. */
struct need_item {
    struct need need;
    char *where;  /* "FILE:LINE" or NULL for options */
    long svc_col; /* column of the services cell (needs files) */
};

static void need_items_free(struct need_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        need_free(&items[i].need);
        free(items[i].where);
    }
    free(items);
}

/* Applies --top / --weight (given as "FIELD=value") to a needs-file row. */
static void apply_shared(const struct strlist *shared, struct need *n)
{
    for (size_t i = 0; i < shared->len; i++) {
        char *why = NULL;
        char *eq = strchr(shared->items[i], '=');
        need_set(n, atoi(shared->items[i]), eq + 1, &why); /* validated as options */
        free(why);
    }
}

/* Column -> need field from the header; an unknown column is an error,
 * since a misspelt constraint would otherwise be silently ignored. */
static int needs_layout(struct csv_reader *r, int **fields, struct vm_err *err)
{
    const struct csv_record *h = csv_reader_header(r);
    *fields = xcalloc(h->nfields + 1, sizeof **fields);
    for (size_t c = 0; c < h->nfields; c++) {
        (*fields)[c] = need_field_by_header(h->fields[c]);
        if ((*fields)[c] < 0)
            return vm_err_set(err, VM_EXIT_DATAERR,
                              "%s:%ld:%ld: unknown column '%s' (need columns: need, services, "
                              "type, industries, countries, exclude_countries, languages, "
                              "certifications, min_employees, max_rate, min_rate, min_rating, "
                              "sensitivity, delivery, strict, require_known, weights, top)",
                              csv_reader_name(r), h->field_line[c], h->field_col[c], h->fields[c]);
    }
    return 0;
}

/* Fills one need from a record's cells; multi-valued cells split as catalogs do. */
static int need_from_record(struct csv_reader *r, const int *fields, const struct csv_record *rec,
                            struct need_item *item, struct vm_err *err)
{
    struct strlist parts;
    int rc = 0;
    strlist_init(&parts);
    for (size_t c = 0; rc == 0 && c < rec->nfields; c++) {
        strlist_free(&parts);
        strlist_init(&parts);
        if (rec->fields[c][strspn(rec->fields[c], " \t\r\n")] == '\0')
            continue; /* a blank cell asks for nothing */
        if (need_field_is_multi(fields[c]))
            norm_split_multi(rec->fields[c], &parts);
        else
            strlist_push(&parts, rec->fields[c]);
        if (fields[c] == NF_SERVICE)
            item->svc_col = rec->field_col[c];
        for (size_t k = 0; rc == 0 && k < parts.len; k++) {
            char *why = NULL;
            if (need_set(&item->need, fields[c], parts.items[k], &why) != 0) {
                rc = vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: %s", csv_reader_name(r),
                                rec->field_line[c], rec->field_col[c], why);
                free(why);
            }
        }
    }
    strlist_free(&parts);
    return rc;
}

static int read_records(struct csv_reader *r, const int *fields, const struct strlist *shared,
                        struct need_item **items, size_t *n, struct vm_err *err)
{
    struct csv_record rec;
    int got, rc = 0;
    while (rc == 0 && (got = csv_reader_next(r, &rec, err)) != 0) {
        if (got < 0)
            return err->code ? err->code : VM_EXIT_DATAERR;
        *items = xrealloc(*items, (*n + 1) * sizeof **items);
        struct need_item *it = &(*items)[(*n)++];
        need_init(&it->need);
        it->where = xasprintf("%s:%ld", csv_reader_name(r), rec.line);
        it->svc_col = 1;
        apply_shared(shared, &it->need);
        rc = need_from_record(r, fields, &rec, it, err);
        char *why = NULL;
        if (rc == 0 && need_finish(&it->need, &why) != 0) {
            rc = vm_err_set(err, VM_EXIT_DATAERR, "%s:1: %s", it->where, why);
            free(why);
        }
    }
    if (rc == 0 && *n == 0)
        rc = vm_err_set(err, VM_EXIT_DATAERR, "%s: no needs (the file has only a header)",
                        csv_reader_name(r));
    return rc;
}

static int read_needs_file(const char *path, const struct strlist *shared, struct need_item **items,
                           size_t *n, struct vm_err *err)
{
    FILE *f = vm_infile_open(path, err);
    struct csv_reader *r = NULL;
    int *fields = NULL, rc;
    if (!f)
        return err->code;
    r = csv_reader_open(f, vm_infile_is_stdin(path) ? "<stdin>" : path, NULL, err);
    rc = r ? needs_layout(r, &fields, err) : (err->code ? err->code : VM_EXIT_DATAERR);
    if (rc == 0)
        rc = read_records(r, fields, shared, items, n, err);
    free(fields);
    if (r)
        csv_reader_close(r);
    vm_infile_close(f);
    return rc;
}

/* Maps every need's services; an unknown service in a needs file is bad data. */
static int resolve_all(struct taxonomy *tax, struct need_item *items, size_t n, struct vm_err *err)
{
    for (size_t i = 0; i < n; i++) {
        char *why = NULL;
        if (resolve_services(tax, &items[i].need, &why) == 0)
            continue;
        int rc = items[i].where ? vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld: %s", items[i].where,
                                             items[i].svc_col, why)
                                : cmd_usage_error(&cmd_match_entry, err, "--service: %s", why);
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
static int run_need(PGconn *conn, struct match_db *mdb, const struct match_opts *o,
                    struct need_item *it, size_t index, const json_t *catalog, json_t **doc,
                    int verbose, struct vm_err *err)
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
    if (verbose)
        fprintf(stderr, "vendormatch: match: %zu rows read in %zu queries (%zu by fallback)\n",
                rows.n_rows, rows.n_queries, rows.n_fallback);
    if (near) {
        double t0 = match_db_clock_ms();
        robust_compute(&it->need, out.results, out.n_results, MATCH_ROBUST_DRAWS,
                       MATCH_ROBUST_SPREAD, &rob);
        if (verbose >= 2)
            fprintf(stderr, "vendormatch: match: robustness of %zu vendors: %.2f ms\n", rob.n,
                    match_db_clock_ms() - t0);
        match_outcome_truncate(&out, (size_t)shown);
    }
    *doc = match_document(&it->need, &out, near ? &rob : NULL, catalog);
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

static int collect_needs(struct match_opts *o, struct need_item **items, size_t *n,
                         struct vm_err *err)
{
    char *why = NULL;
    if (o->needs_file)
        return read_needs_file(o->needs_file, &o->shared, items, n, err);
    if (need_finish(&o->need, &why) != 0) {
        int rc = cmd_usage_error(&cmd_match_entry, err, "%s", why);
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
static void mark(const struct vm_ctx *ctx, double *t, const char *phase)
{
    double now = match_db_clock_ms();
    if (ctx->verbose >= 2)
        fprintf(stderr, "vendormatch: match: %s: %.1f ms\n", phase, now - *t);
    *t = now;
}

static int match_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    double t = match_db_clock_ms(), start = t;
    struct match_opts o = {0};
    struct need_item *items = NULL;
    size_t n = 0;
    PGconn *conn = NULL;
    struct taxonomy *tax = NULL;
    struct match_db *mdb = NULL;
    json_t *docs = json_array(), *catalog = NULL;
    struct fx_table fx;
    struct score_cheapest_rates cheapest = {0};
    fx_table_init(&fx);
    need_init(&o.need);
    strlist_init(&o.shared);
    int rc = parse_options(argc, argv, &o, err);
    if (rc == 0)
        rc = collect_needs(&o, &items, &n, err);
    if (rc == 0)
        rc = vm_open_catalog(ctx, &conn, err);
    mark(ctx, &t, "connect and schema check");
    if (rc == 0)
        rc = taxonomy_db_load(conn, &tax, err);
    mark(ctx, &t, "taxonomy load");
    if (rc == 0)
        rc = resolve_all(tax, items, n, err);
    if (rc == 0)
        rc = fx_db_load_if_present(conn, &fx, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        items[i].need.fx = &fx;
    if (rc == 0 && any_max_rate(items, n))
        rc = match_db_cheapest_rates(conn, &cheapest, err);
    for (size_t i = 0; rc == 0 && cheapest.known && i < n; i++) {
        items[i].need.price_share_max = score_price_share_max(&items[i].need, &cheapest);
        items[i].need.has_price_share_max = true;
    }
    if (rc == 0)
        rc = match_db_catalog(conn, &catalog, err);
    mark(ctx, &t, "services resolved, catalog batches read");
    if (rc == 0)
        mdb = match_db_new(conn);
    if (mdb && ctx->verbose >= 2)
        match_db_set_trace(mdb, stderr);
    if (mdb && getenv("VM_MATCH_EXHAUSTIVE")) /* tests: C decides over every vendor */
        match_db_set_exhaustive(mdb, true);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *doc = NULL;
        rc = run_need(conn, mdb, &o, &items[i], i, catalog, &doc, ctx->verbose, err);
        if (doc)
            json_array_append_new(docs, doc);
    }
    mark(ctx, &t, "needs ranked");
    if (rc == 0)
        cmd_page_output(ctx);
    if (rc == 0 && match_doc_print(stdout, o.needs_file ? docs : json_array_get(docs, 0), o.fmt,
                                   o.explain || o.fmt == OUT_JSON) != 0)
        rc = vm_err_set(err, VM_EXIT_FAILURE, "error writing to standard output");
    mark(ctx, &t, "output");
    if (ctx->verbose >= 2) /* what bench/match_bench.sh reads as the in-process time */
        fprintf(stderr, "vendormatch: match: total: %.1f ms\n", t - start);
    json_decref(docs);
    json_decref(catalog);
    match_db_free(mdb);
    if (tax)
        taxonomy_free(tax);
    if (conn)
        PQfinish(conn);
    need_items_free(items, n);
    need_free(&o.need);
    strlist_free(&o.shared);
    fx_table_free(&fx);
    score_cheapest_rates_free(&cheapest);
    return rc;
}
