/*
 * fuzz_need: the need parser (src/core/need.c) by both of its doors, as
 * `match` drives it: need options, and the rows of a needs CSV (header ->
 * need_field_by_header, multi-valued cells split as catalogs are, each value
 * through need_set). Each accepted need is finished, its services mapped on
 * the seeded taxonomy and classified, its type resolved and its JSON built.
 *
 * Input: byte 0 picks the door. Even: options, one per line, the line's
 * first byte choosing the field (byte % NF_COUNT) and the rest its value.
 * Odd: the rest is a needs CSV.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>

#include "core/classify.h"
#include "core/match_defaults.h"
#include "core/need.h"
#include "core/normalize.h"
#include "fuzz_support.h"
#include "io/csv_reader.h"

static struct taxonomy *tax;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tax = fuzz_seed_taxonomy();
    return 0;
}

/* What match does after reading a need: finish it, map its services, decide
 * its type, render it. */
static void finish_need(struct need *n)
{
    char *why = NULL;
    if (need_finish(n, &why) != 0) {
        FUZZ_CHECK(why && why[0]);
        free(why);
        return;
    }
    double sum = 0;
    for (int c = 0; c < CRIT_COUNT; c++) {
        FUZZ_CHECK(isfinite(n->weights[c]) && n->weights[c] >= 0);
        sum += n->weights[c];
    }
    FUZZ_CHECK(fabs(sum - 100) < 1e-6);
    FUZZ_CHECK(!n->has_max_rate || (isfinite(n->max_rate) && n->max_rate >= 0));
    FUZZ_CHECK(!n->has_min_rating || (n->min_rating >= 0 && n->min_rating <= MATCH_RATING_SCALE));
    FUZZ_CHECK(!n->has_min_employees || n->min_employees >= 0);
    FUZZ_CHECK(n->top >= 0 && n->top <= MATCH_MAX_TOP);

    struct tax_match m[TAX_MAX_MATCHES];
    const char **phrases = xcalloc(n->n_services + 1, sizeof *phrases);
    for (size_t i = 0; i < n->n_services; i++) {
        size_t k = taxonomy_match_phrase(tax, n->services[i].phrase, m, TAX_MAX_MATCHES);
        for (size_t j = 0; j < k; j++)
            need_set_service_category(n, i, m[j].category->code, m[j].category->process_type);
        phrases[i] = n->services[i].phrase;
    }
    struct classify_input in = {.services = phrases, .n_services = n->n_services};
    struct classification cls;
    classify(tax, &in, &cls);
    need_resolve_type(n, n->n_services ? cls.process_type : NULL, cls.bpo_weight, cls.kpo_weight);
    FUZZ_CHECK(n->process_reason && n->process_reason[0]);
    classification_free(&cls);
    free(phrases);

    json_t *doc = need_to_json(n);
    FUZZ_CHECK(doc != NULL);
    char *text = json_dumps(doc, JSON_COMPACT);
    FUZZ_CHECK(text != NULL);
    free(text);
    json_decref(doc);
}

static void from_options(const uint8_t *data, size_t size)
{
    struct strlist lines;
    strlist_init(&lines);
    fuzz_lines(data, size, &lines);
    struct need n;
    need_init(&n);
    bool ok = true;
    for (size_t i = 0; ok && i < lines.len; i++) {
        const char *line = lines.items[i];
        if (!line[0])
            continue;
        char *why = NULL;
        ok =
            need_set(&n, (enum need_field)((unsigned char)line[0] % NF_COUNT), line + 1, &why) == 0;
        FUZZ_CHECK(ok == (why == NULL));
        FUZZ_CHECK(ok || why[0]);
        free(why);
    }
    if (ok)
        finish_need(&n);
    need_free(&n);
    strlist_free(&lines);
}

/* One needs-file row into n; false (with the reason checked) on a bad value. */
static bool need_from_row(struct need *n, const int *fields, const struct csv_record *rec)
{
    struct strlist parts;
    strlist_init(&parts);
    bool ok = true;
    for (size_t c = 0; ok && c < rec->nfields; c++) {
        if (need_field_is_multi(fields[c]))
            norm_split_multi(rec->fields[c], &parts);
        else if (rec->fields[c][strspn(rec->fields[c], " \t\r\n")] != '\0')
            strlist_push(&parts, rec->fields[c]);
        for (size_t k = 0; ok && k < parts.len; k++) {
            char *why = NULL;
            ok = need_set(n, fields[c], parts.items[k], &why) == 0;
            FUZZ_CHECK(ok || (why && why[0]));
            free(why);
        }
        strlist_free(&parts);
        strlist_init(&parts);
    }
    return ok;
}

static void from_csv(const uint8_t *data, size_t size)
{
    FILE *f = fuzz_stream(data, size);
    struct vm_err err;
    vm_err_clear(&err);
    struct csv_reader *r = csv_reader_open(f, "needs.csv", NULL, &err);
    if (!r)
        goto done;
    const struct csv_record *hdr = csv_reader_header(r);
    int *fields = xcalloc(hdr->nfields, sizeof *fields);
    bool known = true;
    for (size_t c = 0; known && c < hdr->nfields; c++) {
        fields[c] = need_field_by_header(hdr->fields[c]);
        FUZZ_CHECK(fields[c] >= -1 && fields[c] < NF_COUNT);
        known = fields[c] >= 0;
    }
    struct csv_record rec;
    int rc;
    while (known && (rc = csv_reader_next(r, &rec, &err)) != 0) {
        if (rc != 1)
            continue;
        struct need n;
        need_init(&n);
        if (need_from_row(&n, fields, &rec))
            finish_need(&n);
        need_free(&n);
    }
    free(fields);
    csv_reader_close(r);
done:
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        from_csv(data + 1, size - 1);
    else
        from_options(data + 1, size - 1);
    return 0;
}
