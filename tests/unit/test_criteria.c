/*
 * test_criteria: the table every constraint and criterion is declared in
 * (core/criteria.c), no database: each descriptor complete, the weight keys
 * and facts the rest of the code reads from it, and the SQL its templates
 * expand to (the forms by --require-known, the services tiers, the type's
 * negation, the row points), with each value a parameter numbered once.
 * That this SQL decides as the C tests do is test_match.sh's differential
 * test (the walk against C over every vendor).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/criteria.h"
#include "core/match_defaults.h"
#include "core/need.h"

static void set(struct need *n, enum need_field f, const char *v)
{
    char *why = NULL;
    if (need_set(n, f, v, &why) != 0)
        fail_msg("need_set(%s, %s): %s", need_field_name(f), v, why);
    free(why);
}

/* A BPO need for customer support with every constraint active. */
static void full_need(struct need *n)
{
    char *why = NULL;
    need_init(n);
    set(n, NF_SERVICE, "customer support");
    need_set_service_category(n, 0, "customer_support", "BPO");
    set(n, NF_CERT, "ISO 27001");
    set(n, NF_SENSITIVITY, "high");
    set(n, NF_LANGUAGE, "English");
    set(n, NF_COUNTRY, "India");
    set(n, NF_EXCLUDE_COUNTRY, "US");
    set(n, NF_MIN_EMPLOYEES, "100");
    set(n, NF_MAX_RATE, "30");
    set(n, NF_MIN_RATE, "10");
    set(n, NF_MIN_RATING, "4");
    set(n, NF_DELIVERY, "offshore");
    assert_int_equal(need_finish(n, &why), 0);
    need_resolve_type(n, "BPO", 1.0, 0.0);
}

/* A parameter list as the db layer keeps it: one per name and kind. */
struct recorder {
    const char *names[64];
    enum crit_value_kind kinds[64];
    char *text[64];
    int n;
};

static int record(void *ctx, const struct crit_value *v)
{
    struct recorder *r = ctx;
    for (int i = 0; i < r->n; i++)
        if (r->kinds[i] == v->kind && strcmp(r->names[i], v->name) == 0)
            return i + 1;
    assert_true(r->n < 64);
    r->names[r->n] = v->name;
    r->kinds[r->n] = v->kind;
    r->text[r->n] = v->kind == CRIT_V_NUMBER || v->kind == CRIT_V_WEIGHT
                        ? xasprintf("%g", v->number)
                        : xstrdup(v->list.len ? v->list.items[0] : "");
    return ++r->n;
}

static void recorder_free(struct recorder *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->text[i]);
}

/* No placeholder is left: every '$' is followed by a parameter number. */
static void assert_expanded(const char *sql)
{
    for (const char *p = strchr(sql, '$'); p; p = strchr(p + 1, '$'))
        if (!isdigit((unsigned char)p[1]))
            fail_msg("unexpanded placeholder in: %s", sql);
}

static void test_table_complete(void **state)
{
    double sum = 0;
    for (int c = 0; c < CON_COUNT; c++) {
        const struct con_desc *d = &crit_constraints[c];
        assert_non_null(d->name);
        assert_non_null(d->active);
        assert_non_null(d->check);
        assert_non_null(d->parts[0].met);
        assert_non_null(d->parts[0].lenient);
        assert_int_equal(score_constraint_fact(c), d->fact);
    }
    for (int c = 0; c < CRIT_COUNT; c++) {
        assert_string_equal(criterion_name(c), crit_criteria[c].key);
        assert_int_equal(criterion_by_name(crit_criteria[c].key), c);
        assert_non_null(crit_criteria[c].fraction);
        assert_non_null(crit_criteria[c].reason);
        sum += crit_criteria[c].weight;
    }
    assert_float_equal(sum, 100.0, 1e-9);
    struct need n;
    need_init(&n);
    for (int c = 0; c < CRIT_COUNT; c++)
        assert_float_equal(n.weights[c], crit_criteria[c].weight, 1e-12);
    assert_int_equal(score_active_constraints(&n), 1u << CON_TYPE); /* type is always active */
    need_free(&n);
}

static void test_constraint_sql(void **state)
{
    struct need n;
    struct recorder r = {0};
    struct crit_params p = {.param = record, .ctx = &r};
    char *fails = NULL;
    full_need(&n);
    assert_int_equal(score_active_constraints(&n), (1u << CON_COUNT) - 1);
    for (int c = 0; c < CON_COUNT; c++) {
        char *sql = crit_constraint_sql(c, &n, CRIT_COVER_ANY, &p, &fails);
        assert_non_null(sql);
        assert_expanded(sql);
        assert_true(c == CON_TYPE ? fails != NULL : fails == NULL);
        free(sql);
        free(fails);
    }
    /* Each value once, whatever uses it: the rate's bounds and factors. */
    for (int i = 0; i < r.n; i++)
        for (int j = 0; j < i; j++)
            assert_false(r.kinds[i] == r.kinds[j] && strcmp(r.names[i], r.names[j]) == 0);

    /* The default form lets an unknown pass; --require-known cert does not. */
    char *sql = crit_constraint_sql(CON_CERT, &n, CRIT_COVER_ANY, &p, NULL);
    int k = record(&r, &(struct crit_value){.name = "certs", .kind = CRIT_V_LIST});
    char *want = xasprintf("(v.certifications @> $%d::text[] OR v.certifications = '{}')", k);
    assert_string_equal(sql, want);
    assert_string_equal(r.text[k - 1], "ISO27001");
    free(sql);
    free(want);
    set(&n, NF_REQUIRE_KNOWN, "cert");
    sql = crit_constraint_sql(CON_CERT, &n, CRIT_COVER_ANY, &p, NULL);
    want = xasprintf("v.certifications @> $%d::text[]", k);
    assert_string_equal(sql, want);
    free(sql);
    free(want);

    /* A BPO need rejects KPO and unclassified vendors, written as constants. */
    sql = crit_constraint_sql(CON_TYPE, &n, CRIT_COVER_ANY, &p, &fails);
    assert_string_equal(sql, "v.effective_type = ANY('{BPO,HYBRID}'::text[])");
    assert_string_equal(fails, "v.effective_type = ANY('{KPO,UNCLASSIFIED}'::text[])");
    free(sql);
    free(fails);

    /* The services tiers share one parameter. */
    k = record(&r, &(struct crit_value){.name = "services", .kind = CRIT_V_SERVICE_IDS});
    sql = crit_constraint_sql(CON_SERVICE, &n, CRIT_COVER_SOME, &p, NULL);
    want = xasprintf("(v.services && $%1$d::int4[] AND NOT v.services @> $%1$d::int4[])", k);
    assert_string_equal(sql, want);
    free(sql);
    free(want);
    sql = crit_constraint_sql(CON_SERVICE, &n, CRIT_COVER_ALL, &p, NULL);
    want = xasprintf("v.services @> $%d::int4[]", k);
    assert_string_equal(sql, want);
    free(sql);
    free(want);

    /* --strict: the rate known and every bound met by the end that decides. */
    set(&n, NF_STRICT, "yes");
    sql = crit_constraint_sql(CON_RATE, &n, CRIT_COVER_ANY, &p, NULL);
    assert_non_null(strstr(sql, " IS NOT NULL AND COALESCE(v.rate_min, v.rate_max)::float8 * "));
    assert_non_null(strstr(sql, " AND COALESCE(v.rate_max, v.rate_min)::float8 * "));
    free(sql);
    recorder_free(&r);
    need_free(&n);
}

static void test_row_points_sql(void **state)
{
    struct need n;
    struct recorder r = {0};
    struct crit_params p = {.param = record, .ctx = &r};
    need_init(&n);
    set(&n, NF_SERVICE, "customer support");
    assert_null(crit_row_points_sql(&n, &p)); /* no per-row criterion: K bounds the rest */
    assert_false(crit_points_per_row(&n));
    need_free(&n);

    full_need(&n);
    int before = r.n;
    char *rate = crit_constraint_sql(CON_RATE, &n, CRIT_COVER_ANY, &p, NULL);
    char *emp = crit_constraint_sql(CON_EMPLOYEES, &n, CRIT_COVER_ANY, &p, NULL);
    int after_conditions = r.n;
    char *sql = crit_row_points_sql(&n, &p);
    assert_non_null(sql);
    assert_expanded(sql);
    /* The bounds are the constraints' own parameters; only the four
     * weights (rating, confidence, price, capacity) are new. */
    assert_true(after_conditions > before);
    assert_int_equal(r.n, after_conditions + 4);
    assert_int_equal(r.kinds[after_conditions], CRIT_V_WEIGHT);
    assert_string_equal(r.names[after_conditions], "rating");
    assert_string_equal(r.names[after_conditions + 1], "confidence");
    assert_string_equal(r.names[after_conditions + 2], "price");
    assert_string_equal(r.names[after_conditions + 3], "capacity");
    assert_non_null(strstr(sql, " / 5 + "));                            /* MATCH_RATING_SCALE */
    assert_non_null(strstr(sql, "LEAST(1, GREATEST(0, 0.5 + 0.5 * (")); /* MATCH_PRICE_AT_MAX */
    assert_non_null(strstr(sql, " / (2 * $"));                          /* MATCH_CAPACITY_FULL_AT */
    free(sql);
    free(rate);
    free(emp);
    recorder_free(&r);
    need_free(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_complete),
        cmocka_unit_test(test_constraint_sql),
        cmocka_unit_test(test_row_points_sql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
