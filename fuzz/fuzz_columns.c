/*
 * fuzz_columns: a catalog's way through import up to the database, without
 * one: header recognition and --map (src/core/columns.c), then every row
 * through vendor_from_row, which runs each value normaliser (country, city,
 * employees, rate, rating, founded, certifications, languages, website, name
 * key, multi-valued splits) and builds the extra-columns JSON and the hash.
 *
 * Input: one line of --map values separated by TABs (may be empty), then
 * the catalog as CSV. The checks are what the importer relies on.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>

#include "core/columns.h"
#include "core/vendor.h"
#include "fuzz_support.h"
#include "io/csv_reader.h"

static void check_map(const struct column_map *m, size_t ncols)
{
    FUZZ_CHECK(m->ncols == ncols);
    FUZZ_CHECK(m->field_col[VF_NAME] >= 0);
    size_t mapped = 0;
    for (size_t c = 0; c < ncols; c++) {
        int f = m->col_field[c];
        FUZZ_CHECK(f >= -1 && f < VF_COUNT);
        if (f >= 0) {
            FUZZ_CHECK(m->field_col[f] == (int)c); /* one column per field */
            mapped++;
        }
    }
    FUZZ_CHECK(mapped + m->nextra == ncols);
    for (size_t i = 0; i < m->nextra; i++) {
        FUZZ_CHECK(m->extra[i] < ncols && m->col_field[m->extra[i]] == -1);
        FUZZ_CHECK(m->extra_names[i][0] != '\0');
        for (size_t j = 0; j < i; j++) /* extra names are JSON keys: unique */
            FUZZ_CHECK(strcmp(m->extra_names[i], m->extra_names[j]) != 0);
    }
}

static bool is_upper_code(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

static void check_vendor(const struct vendor_record *v)
{
    FUZZ_CHECK(v->raw[VF_NAME] != NULL);
    FUZZ_CHECK(v->country[0] == '\0' || is_upper_code(v->country, 2));
    if (v->has_employees_min && v->has_employees_max && v->employees_max >= 0)
        FUZZ_CHECK(v->employees_min <= v->employees_max);
    if (v->has_rate) {
        FUZZ_CHECK(isfinite(v->rate_min) && isfinite(v->rate_max));
        FUZZ_CHECK(v->has_rate_min || v->has_rate_max);
        FUZZ_CHECK(0 <= v->rate_min && 0 <= v->rate_max);
        FUZZ_CHECK(!v->has_rate_min || !v->has_rate_max || v->rate_min <= v->rate_max);
        FUZZ_CHECK(is_upper_code(v->currency, 3));
    }
    if (v->has_rating)
        FUZZ_CHECK(v->rating >= 0 && v->rating <= 5);
    if (v->has_founded)
        FUZZ_CHECK(v->founded >= 1800 && v->founded <= 2100);
    FUZZ_CHECK(v->industries.len <= VENDOR_LIST_MAX_ITEMS);
    FUZZ_CHECK(v->certifications.len <= VENDOR_LIST_MAX_ITEMS);
    FUZZ_CHECK(v->delivery.len <= VENDOR_LIST_MAX_ITEMS);
    FUZZ_CHECK(v->languages.len <= VENDOR_LANGUAGES_MAX);
    FUZZ_CHECK(strlen(v->content_hash) == 32);
    FUZZ_CHECK(v->ident.len > 0);
    json_error_t jerr;
    json_t *extra = json_loadb(v->extra_json.data, v->extra_json.len, 0, &jerr);
    FUZZ_CHECK(extra != NULL && json_is_object(extra));
    json_decref(extra);
}

static void import_rows(struct csv_reader *r, const struct column_map *m)
{
    const struct csv_record *hdr = csv_reader_header(r);
    int *field = xcalloc(hdr->nfields, sizeof *field);
    const char **headers = xcalloc(hdr->nfields, sizeof *headers);
    for (size_t c = 0; c < hdr->nfields; c++) {
        field[c] = m->col_field[c] >= 0 ? m->col_field[c] : VF_EXTRA;
        headers[c] = hdr->fields[c];
    }
    for (size_t i = 0; i < m->nextra; i++)
        headers[m->extra[i]] = m->extra_names[i];
    struct vendor_layout layout = {.ncols = hdr->nfields, .field = field, .headers = headers};
    struct vendor_record v;
    vendor_record_init(&v);
    struct csv_record rec;
    struct vm_err err;
    vm_err_clear(&err);
    int rc;
    while ((rc = csv_reader_next(r, &rec, &err)) != 0) {
        if (rc != 1)
            continue;
        size_t bad_col;
        const char *reason;
        if (vendor_from_row(&layout, rec.fields, &v, &bad_col, &reason) == 0)
            check_vendor(&v);
        else
            FUZZ_CHECK(bad_col < hdr->nfields && reason && reason[0]);
    }
    vendor_record_free(&v);
    free(headers);
    free(field);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    struct strlist maps;
    strlist_init(&maps);
    size_t start = 0, maplen = (size_t)(nl - data);
    for (size_t i = 0; i <= maplen; i++) {
        if (i == maplen || data[i] == '\t') {
            if (i > start) {
                char *s = xmalloc(i - start + 1);
                memcpy(s, data + start, i - start);
                s[i - start] = '\0';
                strlist_push_owned(&maps, s);
            }
            start = i + 1;
        }
    }
    FILE *f = fuzz_stream(nl + 1, size - maplen - 1);
    struct vm_err err;
    vm_err_clear(&err);
    struct csv_reader *r = csv_reader_open(f, "f.csv", NULL, &err);
    if (r) {
        const struct csv_record *hdr = csv_reader_header(r);
        struct column_map m;
        if (columns_map(hdr->fields, hdr->nfields, (const char *const *)maps.items, maps.len,
                        "f.csv", hdr->line, &m, &err) == 0) {
            check_map(&m, hdr->nfields);
            import_rows(r, &m);
            column_map_free(&m);
        } else {
            FUZZ_CHECK(err.code == VM_EXIT_USAGE || err.code == VM_EXIT_DATAERR);
            FUZZ_CHECK(err.msg[0] != '\0');
        }
        csv_reader_close(r);
    }
    fclose(f);
    strlist_free(&maps);
    return 0;
}
