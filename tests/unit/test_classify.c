/*
 * test_classify: the phrase matcher stage by stage (exact, contains, fuzzy,
 * none) and the tagger's rules: duplicates, unknown phrases, description-only
 * evidence, expertise and data-security nudges, and inputs built exactly on
 * the HYBRID threshold of classify_defaults.h; the stored evidence's compact
 * text round-trips to the user-facing JSON and garbage fails cleanly. Small hand-made taxonomies
 * keep the arithmetic visible; the seeded one is checked for consistency.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/classify.h"
#include "core/classify_defaults.h"
#include "core/taxonomy.h"
#include "core/textnorm.h"
#include "test_support.h"
#include "shipped_taxonomy.h"

static struct taxonomy *small_taxonomy(void)
{
    struct taxonomy *t = taxonomy_new();
    struct vm_err e;
    assert_non_null(taxonomy_add_category(t, 1, "customer_support", "Customer support", "BPO", 1));
    assert_non_null(taxonomy_add_category(t, 2, "collections", "Collections", "BPO", 1));
    assert_non_null(taxonomy_add_category(t, 3, "market_research", "Market research", "KPO", 1));
    assert_non_null(taxonomy_add_category(t, 4, "legal_research", "Legal research", "KPO", 1));
    assert_non_null(taxonomy_add_category(t, 5, "data_entry", "Data entry", "BPO", 1));
    assert_non_null(taxonomy_add_category(t, 6, "data_science", "Data science", "KPO", 1));
    assert_non_null(taxonomy_add_category(t, 7, "telesales", "Sales", "BPO", 1));
    assert_non_null(taxonomy_add_category(t, 8, "analytics", "Analytics", "KPO", 1));
    assert_non_null(taxonomy_add_category(t, 9, "tech_support", "Tech support", "BPO", 1));
    assert_non_null(taxonomy_add_category(t, 10, "tax_advisory", "Tax", "KPO", 1));
    assert_non_null(taxonomy_add_category(t, 11, "contact_center", "Call centre", "BPO", 1));
    assert_non_null(taxonomy_add_category(t, 12, "pharmacovigilance", "PV", "KPO", 1));
    const char *aliases[][2] = {
        {"customer_support", "Customer Support"},
        {"customer_support", "customer service"},
        {"collections", "collections"},
        {"market_research", "market research"},
        {"legal_research", "legal research"},
        {"data_entry", "data entry"},
        {"data_science", "data science"},
        {"telesales", "sales"},
        {"analytics", "analytics"},
        {"tech_support", "tech support"},
        {"tax_advisory", "tax advisory"},
        {"contact_center", "call center"},
        {"pharmacovigilance", "pharmacovigilance"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        assert_int_equal(taxonomy_add_alias(t, aliases[i][0], aliases[i][1], &e), 0);
    return t;
}

static size_t match(struct taxonomy *t, const char *phrase, struct tax_match *m)
{
    return taxonomy_match_phrase(t, phrase, m, TAX_MAX_MATCHES);
}

static void test_add_alias_errors(void **state)
{
    (void)state;
    struct taxonomy *t = small_taxonomy();
    struct vm_err e;
    assert_int_equal(taxonomy_add_alias(t, "no_such", "x", &e), VM_EXIT_FAILURE);
    assert_non_null(strstr(e.msg, "unknown category"));
    assert_int_equal(taxonomy_add_alias(t, "collections", "Customer  services", &e),
                     VM_EXIT_FAILURE);
    assert_non_null(strstr(e.msg, "already maps to category 'customer_support'"));
    assert_int_equal(taxonomy_add_alias(t, "customer_support", "CUSTOMER SERVICES", &e), 0);
    assert_int_equal(taxonomy_add_alias(t, "collections", " !? ", &e), VM_EXIT_FAILURE);
    assert_null(taxonomy_add_category(t, 99, "bad", "Bad", "XYZ", 1));
    assert_null(taxonomy_add_category(t, 99, "bad", "Bad", "BPO", 0));
    taxonomy_free(t);
}

static void test_stages(void **state)
{
    (void)state;
    struct taxonomy *t = small_taxonomy();
    struct tax_match m[TAX_MAX_MATCHES];

    assert_int_equal(match(t, "Customer Services", m), 1);
    assert_int_equal(m[0].stage, TAX_EXACT);
    assert_true(m[0].strength == TAX_STRENGTH_EXACT);
    assert_string_equal(m[0].category->code, "customer_support");

    assert_int_equal(match(t, "inbound customer support services", m), 1);
    assert_int_equal(m[0].stage, TAX_CONTAINS);
    assert_string_equal(m[0].alias, "customer support");

    assert_int_equal(match(t, "call center and collections", m), 2);
    assert_string_equal(m[0].category->code, "contact_center");
    assert_string_equal(m[1].category->code, "collections");

    assert_int_equal(match(t, "custmer suport", m), 1);
    assert_int_equal(m[0].stage, TAX_FUZZY);
    assert_string_equal(m[0].category->code, "customer_support");
    assert_int_equal(match(t, "market reseach", m), 1);
    assert_string_equal(m[0].category->code, "market_research");
    assert_int_equal(match(t, "pharmacovigilence", m), 1);
    assert_string_equal(m[0].category->code, "pharmacovigilance");

    assert_int_equal(match(t, "office furniture", m), 0);
    assert_int_equal(match(t, "", m), 0);
    assert_string_equal(tax_stage_name(TAX_FUZZY), "fuzzy");
    taxonomy_free(t);
}

static void test_no_confusion(void **state)
{
    (void)state;
    struct taxonomy *t = small_taxonomy();
    struct tax_match m[TAX_MAX_MATCHES];
    assert_int_equal(match(t, "legal research", m), 1);
    assert_string_equal(m[0].category->code, "legal_research");
    assert_int_equal(match(t, "market research", m), 1);
    assert_string_equal(m[0].category->code, "market_research");
    assert_int_equal(match(t, "data entri", m), 1);
    assert_string_equal(m[0].category->code, "data_entry");
    assert_int_equal(match(t, "data sciense", m), 1);
    assert_string_equal(m[0].category->code, "data_science");
    assert_int_equal(match(t, "tax support", m), 0); /* not tech support */
    assert_int_equal(match(t, "tech support", m), 1);
    assert_string_equal(m[0].category->code, "tech_support");
    /* the last noun of a clause decides: sales analytics is analytics */
    assert_int_equal(match(t, "sales analytics", m), 1);
    assert_string_equal(m[0].category->code, "analytics");
    assert_int_equal(match(t, "sales and analytics", m), 2);
    taxonomy_free(t);
}

static void classify_services(struct taxonomy *t, const char *const *s, size_t n,
                              struct classification *c)
{
    struct classify_input in = {s, n, NULL, NULL, NULL};
    classify(t, &in, c);
}

static void test_empty_and_unknown(void **state)
{
    (void)state;
    struct taxonomy *t = small_taxonomy();
    struct classification c;
    classify_services(t, NULL, 0, &c);
    assert_string_equal(c.process_type, "UNCLASSIFIED");
    assert_true(c.confidence == 0);
    assert_int_equal(c.n_evidence, 0);
    classification_free(&c);

    const char *unknown[] = {"Office Furniture", "office furniture", "  ", "Catering", NULL};
    classify_services(t, unknown, 5, &c);
    assert_string_equal(c.process_type, "UNCLASSIFIED");
    assert_int_equal(c.unknown.len, 2);
    assert_string_equal(c.unknown.items[0], "office furniture");
    assert_string_equal(c.unknown.items[1], "catering");
    assert_int_equal(c.n_categories, 0);
    classification_free(&c);
    taxonomy_free(t);
}

static void test_duplicates_count_once(void **state)
{
    (void)state;
    struct taxonomy *t = small_taxonomy();
    struct classification a, b;
    const char *once[] = {"customer support", "market research"};
    const char *twice[] = {"customer support", "Customer Support", "customer  support!",
                           "market research"};
    classify_services(t, once, 2, &a);
    classify_services(t, twice, 4, &b);
    assert_true(a.bpo_weight == b.bpo_weight);
    assert_int_equal(b.n_evidence, 2);
    assert_string_equal(b.process_type, "HYBRID");
    assert_int_equal(b.n_categories, 2);
    assert_string_equal(b.categories[0]->code, "customer_support");
    assert_string_equal(b.categories[1]->code, "market_research");
    classification_free(&a);
    classification_free(&b);

    /* a second phrase for the same category adds only CLASSIFY_REPEAT_FACTOR */
    const char *syn[] = {"customer support", "customer service"};
    classify_services(t, syn, 2, &a);
    assert_true(fabs(a.bpo_weight - (1.0 + CLASSIFY_REPEAT_FACTOR)) < 1e-9);
    classification_free(&a);
    taxonomy_free(t);
}

static void test_long_cells(void **state)
{
    (void)state;
    struct taxonomy *t = small_taxonomy();
    struct classification c;
    size_t n = 200000;
    char *big = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = "market research xyz "[i % 20];
    big[n] = '\0';
    const char *s[] = {big};
    classify_services(t, s, 1, &c);
    assert_string_equal(c.process_type, "KPO");
    classification_free(&c);
    struct classify_input in = {NULL, 0, big, big, big};
    classify(t, &in, &c);
    assert_string_equal(c.process_type, "KPO");
    classification_free(&c);
    free(big);
    taxonomy_free(t);
}

/* Two categories with weights wb (BPO) and wk (KPO), one exact phrase each. */
static const char *tag_for(double wb, double wk, double *conf)
{
    struct taxonomy *t = taxonomy_new();
    struct vm_err e;
    taxonomy_add_category(t, 1, "b", "b", "BPO", wb);
    taxonomy_add_category(t, 2, "k", "k", "KPO", wk);
    assert_int_equal(taxonomy_add_alias(t, "b", "bpo thing", &e), 0);
    assert_int_equal(taxonomy_add_alias(t, "k", "kpo thing", &e), 0);
    const char *s[] = {"bpo thing", "kpo thing"};
    struct classification c;
    classify_services(t, s, 2, &c);
    const char *type = c.process_type;
    *conf = c.confidence;
    assert_true(c.confidence >= 0 && c.confidence <= 1);
    classification_free(&c);
    taxonomy_free(t);
    return type;
}

static void test_thresholds(void **state)
{
    (void)state;
    double conf, s = CLASSIFY_HYBRID_MIN_SHARE, step = 0.001;
    /* the KPO share exactly at the threshold is HYBRID; just below it, BPO */
    assert_string_equal(tag_for(1 - s, s, &conf), "HYBRID");
    assert_string_equal(tag_for(1 - (s - step), s - step, &conf), "BPO");
    assert_string_equal(tag_for(s, 1 - s, &conf), "HYBRID");
    assert_string_equal(tag_for(s - step, 1 - (s - step), &conf), "KPO");
    /* an even split is the clearest HYBRID; total 1.0 gives amount 1 - e^-1 */
    assert_string_equal(tag_for(0.5, 0.5, &conf), "HYBRID");
    assert_true(fabs(conf - round((1 - exp(-1)) * 1000) / 1000) < 1e-9);
    assert_string_equal(classify_decide(0, 0, 0, 0, &conf), "UNCLASSIFIED");
    assert_string_equal(classify_decide(2, 0, 1, 0, &conf), "BPO");
    assert_true(fabs(conf - round((1 - exp(-2)) * 1000) / 1000) < 1e-9);
    double c1, c3;
    classify_decide(0, 1, 0, 1, &c1);
    classify_decide(0, 3, 0, 3, &c3);
    assert_true(c3 > c1); /* more evidence, more confidence */
}

/* A practice, not a mention: a weaker side whose services name two categories
 * makes a HYBRID from CLASSIFY_PRACTICE_MIN_SHARE on; one category does not. */
static void test_practice_rule(void **state)
{
    (void)state;
    double conf, p = CLASSIFY_PRACTICE_MIN_SHARE, step = 0.001;
    int two = CLASSIFY_PRACTICE_SERVICES;
    assert_string_equal(classify_decide(10 * (1 - p), 10 * p, 6, two, &conf), "HYBRID");
    /* the confidence shows the imbalance: 2 x share x amount */
    assert_true(fabs(conf - round(2 * p * (1 - exp(-10)) * 1000) / 1000) < 1e-9);
    assert_string_equal(classify_decide(10 * (1 - (p - step)), 10 * (p - step), 6, two, &conf),
                        "BPO");
    assert_string_equal(classify_decide(10 * (1 - p), 10 * p, 6, two - 1, &conf), "BPO");
    assert_string_equal(classify_decide(10 * p, 10 * (1 - p), two, 6, &conf), "HYBRID");
    assert_string_equal(classify_decide(10 * p, 10 * (1 - p), two - 1, 6, &conf), "KPO");
    /* the practice counts services, not the description: through classify() */
    struct taxonomy *t = shipped_taxonomy();
    struct classification c;
    const char *towers[] = {"customer care", "collections", "claims processing", "F&A",
                            "KYC",           "FP&A",        "market research"};
    classify_services(t, towers, 7, &c);
    assert_string_equal(c.process_type, "HYBRID"); /* KPO 2 of 7 */
    assert_true(c.kpo_weight / (c.bpo_weight + c.kpo_weight) < CLASSIFY_HYBRID_MIN_SHARE);
    classification_free(&c);
    struct classify_input in = {towers, 6, "We also do market research.", NULL, NULL};
    classify(t, &in, &c);
    assert_string_equal(c.process_type, "BPO"); /* FP&A plus a description mention */
    classification_free(&c);
    taxonomy_free(t);
}

static void test_description_only(void **state)
{
    (void)state;
    struct taxonomy *t = small_taxonomy();
    struct classification c;
    struct classify_input in = {NULL, 0, "We run a Call Center for telecom brands.", NULL, NULL};
    classify(t, &in, &c);
    assert_string_equal(c.process_type, "BPO");
    assert_int_equal(c.n_evidence, 1);
    assert_string_equal(c.evidence[0].field, "description");
    assert_true(fabs(c.bpo_weight - CLASSIFY_DESCRIPTION_FACTOR) < 1e-9);
    assert_int_equal(c.n_categories, 0); /* categories come from services only */
    json_t *j = classification_evidence_json(&c);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "side")), "BPO");
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "category")),
                        "contact_center");
    json_decref(j);
    classification_free(&c);
    taxonomy_free(t);
}

static void test_nudges(void **state)
{
    (void)state;
    struct taxonomy *t = small_taxonomy();
    struct classification c;
    const char *s[] = {"customer support", "market research"};
    /* BPO on its own (1.0 vs 0.4 from the description); a PhD team and ISO 27001 make it HYBRID */
    struct classify_input plain = {s, 1, "We also do market research.", NULL, NULL};
    classify(t, &plain, &c);
    assert_string_equal(c.process_type, "BPO");
    classification_free(&c);
    struct classify_input in = {s, 1, "We also do market research.",
                                "PhD economists and CFA charterholders",
                                "ISO/IEC 27001 certified, strict confidentiality"};
    classify(t, &in, &c);
    assert_true(fabs(c.kpo_weight - (CLASSIFY_DESCRIPTION_FACTOR + CLASSIFY_EXPERTISE_WEIGHT +
                                     CLASSIFY_DATA_SECURITY_WEIGHT)) < 1e-9);
    assert_string_equal(c.process_type, "HYBRID");
    classification_free(&c);
    struct classify_input bpo = {s, 2, NULL, "basic skills plus process training", NULL};
    classify(t, &bpo, &c);
    assert_true(fabs(c.bpo_weight - (1 + CLASSIFY_EXPERTISE_WEIGHT)) < 1e-9);
    classification_free(&c);
    /* nudges alone do not make a tag */
    struct classify_input alone = {NULL, 0, NULL, "law degree", "SOC 2"};
    classify(t, &alone, &c);
    assert_string_equal(c.process_type, "UNCLASSIFIED");
    assert_int_equal(c.n_evidence, 2);
    classification_free(&c);
    taxonomy_free(t);
}

/* Every alias line of a taxonomy migration, in normal form (the migrations
 * store phrase_norm = phrase); phrases collects the distinct ones. */
static void check_alias_lines(const char *path, void *arg)
{
    struct strlist *phrases = arg;
    char *sql = slurp(path);
    for (const char *p = sql; (p = strstr(p, "\n('")); p++) {
        char code[128], phrase[256];
        const char *eol = strchr(p + 1, '\n');
        if (sscanf(p + 1, "('%127[^']', '%255[^']')", code, phrase) == 2 && eol &&
            (strstr(p + 1, "'BPO'") == NULL || strstr(p + 1, "'BPO'") > eol) &&
            (strstr(p + 1, "'KPO'") == NULL || strstr(p + 1, "'KPO'") > eol)) {
            char *norm = textnorm_phrase(phrase);
            if (strcmp(norm, phrase) != 0)
                fail_msg("%s: alias '%s' is not normalised ('%s')", path, phrase, norm);
            free(norm);
            if (!strlist_contains(phrases, phrase))
                strlist_push(phrases, phrase);
        }
    }
    free(sql);
}

/* Fuzzy corrections that tie are settled by the phrase: "suport" is one edit
 * from both "support" and the Portuguese "suporte" (0004); the reading that is
 * an alias wins ("custmer suport", the forgiven typo docs/classification.md explains). */
static void test_fuzzy_tie_read_in_context(void **state)
{
    (void)state;
    struct taxonomy *t = shipped_taxonomy();
    static const char *const typos[] = {"custmer suport", "customer suport", "tecnical suport"};
    static const char *const want[] = {"customer_support", "customer_support", "technical_support"};
    for (size_t i = 0; i < sizeof typos / sizeof *typos; i++) {
        struct tax_match m[TAX_MAX_MATCHES];
        size_t n = taxonomy_match_phrase(t, typos[i], m, TAX_MAX_MATCHES);
        if (n == 0)
            fail_msg("'%s' matched nothing", typos[i]);
        assert_int_equal(m[0].stage, TAX_FUZZY);
        if (strcmp(m[0].category->code, want[i]) != 0)
            fail_msg("'%s' read as %s, not %s", typos[i], m[0].category->code, want[i]);
    }
    /* a word with no close vocabulary word is still no match */
    struct tax_match m[TAX_MAX_MATCHES];
    assert_int_equal(taxonomy_match_phrase(t, "zzqx suport", m, TAX_MAX_MATCHES), 0);
    taxonomy_free(t);
}

static void test_seed_consistent(void **state)
{
    (void)state;
    struct taxonomy *t = shipped_taxonomy();
    assert_true(taxonomy_category_count(t) >= 60);
    assert_true(taxonomy_alias_count(t) >= 1200);
    /* no two lines normalise alike across categories unless a later
     * migration re-points the alias (taxonomy_parse_seed would have failed) */
    struct strlist phrases;
    strlist_init(&phrases);
    each_taxonomy_migration(check_alias_lines, &phrases);
    size_t gone = 0; /* deleted by a later migration (0009: the ambiguous 'rcm', 'pv') */
    for (size_t i = 0; i < phrases.len; i++)
        gone += taxonomy_alias_category(t, phrases.items[i]) == NULL;
    assert_int_equal(gone, 2);
    assert_null(taxonomy_alias_category(t, "rcm"));
    assert_null(taxonomy_alias_category(t, "pv"));
    assert_int_equal(phrases.len - gone, taxonomy_alias_count(t));
    strlist_free(&phrases);
    /* ids follow the database's serial: one per category, in file order */
    for (size_t i = 0; i < taxonomy_category_count(t); i++)
        assert_int_equal(taxonomy_category_at(t, i)->id, (int)i + 1);
    /* 0009 re-points bookkeeping and data labelling to their new categories */
    assert_string_equal(taxonomy_alias_category(t, "bookkeeping")->code, "accounting_bookkeeping");
    assert_string_equal(taxonomy_alias_category(t, "data labelling")->code, "data_annotation");
    /* every ambiguous abbreviation's readings name categories on the taxonomy */
    for (size_t i = 0; i < taxonomy_ambiguous_count(); i++) {
        const struct tax_ambiguous *a = taxonomy_ambiguous_at(i);
        const struct tax_category *r0 = taxonomy_alias_category(t, a->reading[0].expansion);
        const struct tax_category *r1 = taxonomy_alias_category(t, a->reading[1].expansion);
        if (!r0 || !r1 || r0 == r1)
            fail_msg("ambiguous '%s': readings must be aliases of two categories", a->abbreviation);
    }
    taxonomy_free(t);
}

/* A migration that re-points an alias, and ids that continue across files. */
static void test_parse_seed_repoint(void **state)
{
    (void)state;
    struct taxonomy *t = taxonomy_new();
    struct vm_err e;
    assert_int_equal(taxonomy_parse_seed(t,
                                         "('a', 'A', 'BPO', 1.0),\n('b', 'B', 'KPO', 1.0);\n"
                                         "('a', 'thing'),\n('b', 'other')\n",
                                         &e),
                     0);
    /* without ON CONFLICT ... DO UPDATE, a second category for an alias is an error */
    assert_int_not_equal(taxonomy_parse_seed(t, "('b', 'thing')\n", &e), 0);
    assert_int_equal(taxonomy_parse_seed(t,
                                         "('c', 'C', 'KPO', 1.0);\n('c', 'thing')\n"
                                         "ON CONFLICT (phrase_norm) DO UPDATE SET x = y\n",
                                         &e),
                     0);
    assert_string_equal(taxonomy_alias_category(t, "thing")->code, "c");
    assert_int_equal(taxonomy_find_category(t, "c")->id, 3);
    assert_int_equal(taxonomy_alias_count(t), 2);
    assert_int_not_equal(taxonomy_move_alias(t, "nothing", "a", &e), 0);
    assert_int_not_equal(taxonomy_move_alias(t, "thing", "zz", &e), 0);
    taxonomy_free(t);
}

/* The evidence item of an ambiguous abbreviation (stage abbreviation or ambiguous), by side. */
static const struct tag_evidence *abbreviation_item(const struct classification *c,
                                                    const char *side)
{
    for (size_t i = 0; i < c->n_evidence; i++)
        if ((c->evidence[i].stage == TAX_ABBREVIATION || c->evidence[i].stage == TAX_AMBIGUOUS) &&
            strcmp(c->evidence[i].side, side) == 0)
            return &c->evidence[i];
    return NULL;
}

static void classify_one(struct taxonomy *t, const char *const *services, size_t n,
                         const char *description, struct classification *c)
{
    struct classify_input in = {services, n, description, NULL, NULL};
    classify(t, &in, c);
}

/*
 * RPO is recruitment process outsourcing (BPO) in one listing and research
 * process outsourcing (KPO) in another: the words around it decide, and
 * with none it is weight-0 evidence for both readings.
 */
static void test_ambiguous_rpo(void **state)
{
    (void)state;
    struct taxonomy *t = shipped_taxonomy();
    struct classification c;
    const struct tag_evidence *e;

    /* recruitment: the description's words (hire, candidate, employer) */
    const char *rec[] = {"RPO"};
    classify_one(t, rec, 1, "We hire for growing employers: candidate sourcing, screening.", &c);
    e = abbreviation_item(&c, "BPO");
    assert_non_null(e);
    assert_int_equal(e->stage, TAX_ABBREVIATION);
    assert_string_equal(e->category->code, "recruitment_process_outsourcing");
    assert_string_equal(e->field, "services");
    assert_true(fabs(e->weight - CLASSIFY_ABBREVIATION_STRENGTH) < 1e-9);
    assert_null(abbreviation_item(&c, "KPO"));
    assert_string_equal(c.process_type, "BPO");
    assert_int_equal(c.unknown.len, 0);
    classification_free(&c);

    /* research: the rest of the services cell */
    const char *res[] = {"RPO services", "Equity research", "Financial modelling"};
    classify_one(t, res, 3, NULL, &c);
    e = abbreviation_item(&c, "KPO");
    assert_non_null(e);
    assert_int_equal(e->stage, TAX_ABBREVIATION);
    assert_string_equal(e->category->code, "research_general");
    assert_string_equal(e->phrase, "RPO services");
    assert_null(abbreviation_item(&c, "BPO"));
    assert_string_equal(c.process_type, "KPO");
    classification_free(&c);

    /* no context: weight 0 for both readings, no tag, no category, not unknown */
    classify_one(t, rec, 1, NULL, &c);
    assert_string_equal(c.process_type, "UNCLASSIFIED");
    assert_true(c.confidence == 0);
    assert_int_equal(c.n_evidence, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(c.evidence[i].stage, TAX_AMBIGUOUS);
        assert_true(c.evidence[i].weight == 0);
    }
    assert_non_null(abbreviation_item(&c, "BPO"));
    assert_non_null(abbreviation_item(&c, "KPO"));
    assert_int_equal(c.n_categories, 0);
    assert_int_equal(c.unknown.len, 0);
    assert_true(c.bpo_weight == 0 && c.kpo_weight == 0);
    classification_free(&c);

    /* no context, beside other evidence: it adds nothing to either side */
    const char *mixed[] = {"RPO", "customer support", "patent drafting"};
    classify_one(t, mixed, 3, NULL, &c);
    e = abbreviation_item(&c, "BPO");
    assert_non_null(e);
    assert_int_equal(e->stage, TAX_AMBIGUOUS);
    assert_string_equal(c.process_type, "HYBRID");
    assert_true(fabs(c.bpo_weight - 1) < 1e-9 && fabs(c.kpo_weight - 1) < 1e-9);
    classification_free(&c);

    /* no cue words, but the other evidence is all process work: its side's reading */
    const char *lean[] = {"RPO", "Call centre", "Collections"};
    classify_one(t, lean, 3, NULL, &c);
    e = abbreviation_item(&c, "BPO");
    assert_non_null(e);
    assert_int_equal(e->stage, TAX_ABBREVIATION);
    classification_free(&c);

    /* spelled out in the phrase: no ambiguity at all */
    const char *spelled[] = {"Research Process Outsourcing (RPO)"};
    classify_one(t, spelled, 1, NULL, &c);
    assert_string_equal(c.process_type, "KPO");
    assert_string_equal(c.evidence[0].category->code, "research_general");
    assert_null(abbreviation_item(&c, "KPO"));
    classification_free(&c);

    /* in the description only, at the description's factor */
    classify_one(t, NULL, 0, "A leading RPO partner for hiring managers and HR teams.", &c);
    e = abbreviation_item(&c, "BPO");
    assert_non_null(e);
    assert_string_equal(e->field, "description");
    assert_string_equal(e->phrase, "rpo");
    assert_true(fabs(e->weight - CLASSIFY_ABBREVIATION_STRENGTH * CLASSIFY_DESCRIPTION_FACTOR) <
                1e-9);
    assert_string_equal(c.process_type, "BPO");
    classification_free(&c);
    taxonomy_free(t);
}

/* RCM: revenue cycle management (healthcare, BPO) or reliability-centred
 * maintenance (engineering, KPO); 0009 deletes 0002's bare "rcm" alias. */
static void test_ambiguous_rcm(void **state)
{
    (void)state;
    struct taxonomy *t = shipped_taxonomy();
    struct classification c;
    const char *med[] = {"RCM", "Medical coding"};
    classify_one(t, med, 2, NULL, &c);
    assert_string_equal(abbreviation_item(&c, "BPO")->category->code, "medical_billing");
    assert_string_equal(c.process_type, "BPO");
    classification_free(&c);
    const char *eng[] = {"RCM"};
    classify_one(t, eng, 1, "Asset reliability studies for oil and gas plants.", &c);
    assert_string_equal(abbreviation_item(&c, "KPO")->category->code, "plant_bim_modelling");
    assert_string_equal(c.process_type, "KPO");
    classification_free(&c);
    /* written with its context in one phrase: an alias, no ambiguity */
    const char *hc[] = {"Healthcare RCM"};
    classify_one(t, hc, 1, NULL, &c);
    assert_string_equal(c.evidence[0].category->code, "medical_billing");
    assert_int_equal(c.evidence[0].stage, TAX_EXACT);
    classification_free(&c);
    /* a user alias for the bare abbreviation fixes its meaning for the catalog */
    struct vm_err err;
    assert_int_equal(taxonomy_add_alias(t, "plant_bim_modelling", "RCM", &err), 0);
    const char *bare[] = {"RCM services", "Medical coding"};
    classify_one(t, bare, 2, NULL, &c);
    assert_string_equal(c.evidence[0].category->code, "plant_bim_modelling");
    assert_int_equal(c.evidence[0].stage, TAX_CONTAINS);
    assert_null(abbreviation_item(&c, "BPO"));
    classification_free(&c);
    assert_int_equal(taxonomy_remove_alias(t, "rcm", &err), 0);
    assert_int_not_equal(taxonomy_remove_alias(t, "rcm", &err), 0);
    classify_one(t, bare, 2, NULL, &c);
    assert_string_equal(abbreviation_item(&c, "BPO")->category->code, "medical_billing");
    classification_free(&c);
    taxonomy_free(t);
}

/* The new knowledge and process services land on their sides. */
static void test_knowledge_services(void **state)
{
    (void)state;
    struct taxonomy *t = shipped_taxonomy();
    static const char *const cases[][2] = {
        {"CAD/CAE services", "KPO"},
        {"Embedded software development", "KPO"},
        {"Scan-to-BIM modelling", "KPO"},
        {"Product engineering", "KPO"},
        {"Testing & validation", "KPO"},
        {"Mechanical design", "KPO"},
        {"ESO", "KPO"},
        {"Instructional design", "KPO"},
        {"Clinical & medical writing", "KPO"},
        {"Regulatory affairs", "KPO"},
        {"Accounting & bookkeeping", "BPO"},
        {"F&A", "BPO"},
        {"Data annotation", "BPO"},
        {"Trust & Safety", "BPO"},
        {"Procurement operations", "BPO"},
        {"Revenue cycle management", "BPO"},
        {"KYC", "BPO"},
        {"CX", "BPO"},
        {"LPO", "KPO"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct classification c;
        classify_one(t, &cases[i][0], 1, NULL, &c);
        if (strcmp(c.process_type, cases[i][1]) != 0)
            fail_msg("'%s' tagged %s, expected %s", cases[i][0], c.process_type, cases[i][1]);
        classification_free(&c);
    }
    /* IT is neither side: recognised, no evidence, not unknown */
    const char *it[] = {"Cloud", "Technology", "Digital", "IT services", "widget polishing"};
    struct classification c;
    classify_one(t, it, 5, NULL, &c);
    assert_string_equal(c.process_type, "UNCLASSIFIED");
    assert_int_equal(c.n_evidence, 0);
    assert_int_equal(c.unknown.len, 1);
    assert_string_equal(c.unknown.items[0], "widget polishing");
    classification_free(&c);
    /* a tower name weighs like two services */
    const char *tower[] = {"business process services", "consulting", "analytics"};
    classify_one(t, tower, 3, NULL, &c);
    assert_true(fabs(c.bpo_weight - 2) < 1e-9);
    assert_string_equal(c.process_type, "HYBRID");
    classification_free(&c);
    taxonomy_free(t);
}

/* Not a pass/fail speed gate (sanitizers slow it down): prints the average. */
static void test_speed_report(void **state)
{
    (void)state;
    char *sql = slurp(VM_SOURCE_DIR "/migrations/0002_taxonomy_seed.sql");
    struct taxonomy *t = taxonomy_new();
    struct vm_err e;
    assert_int_equal(taxonomy_parse_seed(t, sql, &e), 0);
    free(sql);
    static const char *pool[] = {"Customer Support",    "Call centre services", "Data entry",
                                 "Market Research",     "Equity research",      "custmer suport",
                                 "Collections",         "Payroll processing",   "Office furniture",
                                 "Financial modelling", "Content moderation",   "Help desk"};
    size_t n = 200000, np = sizeof pool / sizeof *pool;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (size_t i = 0; i < n; i++) {
        const char *s[4] = {pool[i % np], pool[(i / 3) % np], pool[(i / 7) % np],
                            pool[(i / 11) % np]};
        struct classify_input in = {s, 4, NULL, NULL, NULL};
        struct classification c;
        classify(t, &in, &c);
        classification_free(&c);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 1e3;
    printf("classify: %.2f us per vendor (4 service phrases, cached)\n", us / (double)n);
    taxonomy_free(t);
}

/* The categories of small_taxonomy plus the odd one of test_evidence_compact. */
static const struct tax_category odd_cat = {99, "co\"de:x;\\", "Odd", "KPO", 1};

/* What the evidence tests share: the small taxonomy, its categories for
 * decoding (odd_cat too) and a list of service phrases, empty at the start. */
struct ev_fixture {
    struct taxonomy *t;
    struct evidence_categories cats;
    struct strlist phrases;
};

static int ev_setup(void **state)
{
    struct ev_fixture *f = xcalloc(1, sizeof *f);
    f->t = small_taxonomy();
    evidence_categories_from_taxonomy(&f->cats, f->t);
    evidence_categories_add(&f->cats, odd_cat.id, odd_cat.code, odd_cat.process_type);
    strlist_init(&f->phrases);
    *state = f;
    return 0;
}

static int ev_teardown(void **state)
{
    struct ev_fixture *f = *state;
    strlist_free(&f->phrases);
    evidence_categories_free(&f->cats);
    taxonomy_free(f->t);
    free(f);
    return 0;
}

/* Encoding then decoding gives exactly classification_evidence_json; returns
 * the stored length. */
static size_t assert_round_trip(const struct classification *c, const struct strlist *phrases,
                                const struct evidence_categories *cats)
{
    struct sbuf b;
    struct vm_err e = {0};
    sbuf_init(&b);
    classification_evidence_compact(c, phrases, &b);
    assert_non_null(b.data);
    json_t *want = classification_evidence_json(c);
    json_t *got = evidence_decode(b.data, phrases, cats, &e);
    if (!got || !json_equal(want, got)) {
        char *w = json_dumps(want, JSON_COMPACT), *g = got ? json_dumps(got, JSON_COMPACT) : NULL;
        fail_msg("stored '%s'\nwant %s\ngot  %s (%s)", b.data, w, g ? g : "NULL", e.msg);
    }
    size_t len = b.len;
    json_decref(want);
    json_decref(got);
    sbuf_free(&b);
    return len;
}

static void test_evidence_compact(void **state)
{
    struct ev_fixture *f = *state;
    struct taxonomy *t = f->t;
    const struct evidence_categories *cats = &f->cats;
    struct strlist *phrases = &f->phrases;
    static const char *const texts[] = {
        "plain",
        "colon: semi; back\\slash \\: \\;",
        "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80",
        "",
        "quote \" ctl \x01\t\n end",
        "bad \xff utf8",
        ":",
        ";",
        "\\",
    };
    static const char *const fields[] = {"services", "description", "expertise", "data_security"};
    static const double weights[] = {0,   0.001,  0.36,    1,    1.2,       0.45 * 0.9, 2.5,
                                     7.0, 99.995, 999.999, 1000, 12345.678, 1e7,        0.0005};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        strlist_push(phrases, texts[i]);
    size_t nt = sizeof texts / sizeof *texts, nw = sizeof weights / sizeof *weights;
    struct tag_evidence ev[64];
    size_t n = 0;
    for (size_t i = 0; i < nt; i++)
        for (size_t k = 0; k < 4; k++, n++)
            ev[n] = (struct tag_evidence){.phrase = texts[i],
                                          .category = k == 1   ? taxonomy_category_at(t, i % 12)
                                                      : k == 3 ? &odd_cat
                                                               : NULL,
                                          .stage = (enum tax_stage)((n % 5) + 1),
                                          .field = fields[(i + k) % 4],
                                          .weight = weights[n % nw],
                                          .side = (n & 4) ? "KPO" : "BPO",
                                          /* right, wrong and no index: 's' and 'S' */
                                          .service_index = k == 0   ? i
                                                           : k == 1 ? (i + 1) % nt
                                                                    : SIZE_MAX};
    for (size_t i = 0; i < n; i++) /* a category fixes the side */
        if (ev[i].category)
            ev[i].side = strcmp(ev[i].category->process_type, "KPO") == 0 ? "KPO" : "BPO";
    struct classification c = {.evidence = ev};
    for (c.n_evidence = 0; c.n_evidence <= n; c.n_evidence++)
        assert_round_trip(&c, phrases, cats);
    c.n_evidence = n;
    assert_round_trip(&c, NULL, cats); /* no list: every phrase inline */
    for (size_t i = 0; i < nw; i++) {  /* every weight once */
        ev[0].weight = weights[i];
        c.n_evidence = 1;
        assert_round_trip(&c, phrases, cats);
    }
}

/* Real classifications, twice (the second from the cached tails): round trip,
 * and about 15 bytes an item. */
static void test_evidence_compact_real(void **state)
{
    struct ev_fixture *f = *state;
    struct taxonomy *t = f->t;
    const struct evidence_categories *cats = &f->cats;
    struct strlist *phrases = &f->phrases;
    const char *s[] = {"Customer Support",  "custmer suport",  " market research ",
                       "Caf\xc3\xa9 tax",   "sales analytics", "call center and collections",
                       "a:b;c\\ data entry"};
    for (size_t i = 0; i < 7; i++)
        strlist_push(phrases, s[i]);
    struct classify_input in = {(const char *const *)phrases->items, phrases->len,
                                "We run a Call Center; \"tax advisory\" too.", "PhD economists",
                                "ISO 27001"};
    for (int round = 0; round < 2; round++) {
        struct classification r;
        classify(t, &in, &r);
        assert_true(r.n_evidence > 6);
        size_t len = assert_round_trip(&r, phrases, cats);
        assert_true(len < 16 * r.n_evidence);
        classification_free(&r);
    }
    struct classification none;
    struct classify_input empty = {NULL, 0, NULL, NULL, NULL};
    classify(t, &empty, &none);
    assert_int_equal(assert_round_trip(&none, phrases, cats), 0);
    classification_free(&none);
}

static void assert_decode_fails(const char *text, const struct strlist *phrases,
                                const struct evidence_categories *cats)
{
    struct vm_err e = {0};
    json_t *j = evidence_decode(text, phrases, cats, &e);
    if (j)
        fail_msg("'%s' decoded", text);
    assert_int_not_equal(e.code, 0);
    assert_non_null(strstr(e.msg, "tag evidence"));
}

static void test_evidence_garbage(void **state)
{
    struct ev_fixture *f = *state;
    const struct evidence_categories *cats = &f->cats;
    struct strlist *phrases = &f->phrases;
    strlist_push(phrases, "customer support");
    static const char *const bad[] = {
        "[]",
        "{\"phrase\":1}",
        "s",
        "s0",
        "s0:",
        "s0:1",
        "s0:1:",
        "s0:1:e",
        "s0:1:e:",
        "s1:1:e:1",
        "s99999999999999999999:1:e:1",
        "s0:1000:e:1",
        "s0:1:q:1",
        "s0:1:e:x",
        "s0:1:e:1.",
        "s0:1:e:.1234",
        "s0:1:e:1;",
        ";",
        "s0:1:e:1;;s0:1:e:1",
        "q0:1:e:1",
        "dabc:X:c:1",
        "dabc\\",
        "dab:c:1:c:1",
        "s0:1:e:1 ",
        "s-1:1:e:1",
        "s0:-1:e:1",
        "s0::e:1",
        "d:B:c:1:2",
        "xphd:K:c:99999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_decode_fails(bad[i], phrases, cats);
    assert_decode_fails("s0:1:e:1", NULL, cats);
    assert_decode_fails("s0:1:e:1", phrases, NULL);
    /* every prefix and every one-byte change of a valid text: no crash */
    char good[] = "s0:1:e:1;dcall center:11:c:.4;xphd:K:c:.5;kiso 27001:K:c:.2;Sa\\:b:3:f:.675";
    size_t n = strlen(good);
    struct vm_err e;
    json_t *j = evidence_decode(good, phrases, cats, &e);
    assert_non_null(j);
    assert_int_equal(json_array_size(j), 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 4), "phrase")), "a:b");
    json_decref(j);
    for (size_t i = 0; i <= n; i++) {
        char *cut = strndup(good, i);
        json_decref(evidence_decode(cut, phrases, cats, &e));
        free(cut);
        for (int c = 1; c < 256; c += 7) {
            char copy[sizeof good];
            memcpy(copy, good, sizeof good);
            if (i < n)
                copy[i] = (char)c;
            json_decref(evidence_decode(copy, phrases, cats, &e));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_alias_errors),
        cmocka_unit_test(test_stages),
        cmocka_unit_test(test_fuzzy_tie_read_in_context),
        cmocka_unit_test(test_no_confusion),
        cmocka_unit_test(test_empty_and_unknown),
        cmocka_unit_test(test_duplicates_count_once),
        cmocka_unit_test(test_long_cells),
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_practice_rule),
        cmocka_unit_test(test_description_only),
        cmocka_unit_test(test_nudges),
        cmocka_unit_test(test_seed_consistent),
        cmocka_unit_test(test_parse_seed_repoint),
        cmocka_unit_test(test_ambiguous_rpo),
        cmocka_unit_test(test_ambiguous_rcm),
        cmocka_unit_test(test_knowledge_services),
        cmocka_unit_test_setup_teardown(test_evidence_compact, ev_setup, ev_teardown),
        cmocka_unit_test_setup_teardown(test_evidence_compact_real, ev_setup, ev_teardown),
        cmocka_unit_test_setup_teardown(test_evidence_garbage, ev_setup, ev_teardown),
        cmocka_unit_test(test_speed_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
