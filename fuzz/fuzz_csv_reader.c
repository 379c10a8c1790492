/*
 * fuzz_csv_reader: the streaming CSV reader (src/io/csv_reader.c) under tiny
 * limits, so the paths a real catalog reaches only at 1 MiB fields, 8 MiB
 * records and 64 KiB chunk boundaries are reached in a few bytes.
 *
 * Input: two option bytes, then the file.
 *   byte 0: bits 0-2 delimiter (0 detect, ',', ';', TAB, '|', 5-7 detect),
 *           bits 3-7 chunk size - 1 (1..32 bytes)
 *   byte 1: bits 0-5 max_field - 1 (1..64), bits 6-7 max_record as a
 *           multiple of max_field (1..4)
 * Every record is read to the end; each must keep the reader's contract.
 */
#include <stdint.h>

#include "core/normalize.h"
#include "fuzz_support.h"
#include "io/csv_reader.h"

static void check_good(const struct csv_reader *r, const struct csv_record *rec,
                       const struct csv_options *o)
{
    FUZZ_CHECK(rec->nfields == csv_reader_header(r)->nfields);
    FUZZ_CHECK(rec->line >= 1);
    FUZZ_CHECK(rec->raw_len <= o->max_record);
    FUZZ_CHECK(!rec->raw_truncated);
    for (size_t k = 0; k < rec->nfields; k++) {
        size_t bad;
        FUZZ_CHECK(strlen(rec->fields[k]) == rec->lens[k]); /* no NUL inside */
        FUZZ_CHECK(rec->lens[k] <= o->max_field);
        FUZZ_CHECK(norm_utf8_valid(rec->fields[k], rec->lens[k], &bad));
        FUZZ_CHECK(rec->field_line[k] >= rec->line);
        FUZZ_CHECK(rec->field_col[k] >= 1);
    }
}

static void check_bad(const struct csv_record *rec, const struct vm_err *err)
{
    FUZZ_CHECK(err->code == VM_EXIT_DATAERR);
    FUZZ_CHECK(strncmp(err->msg, "f.csv:", 6) == 0);
    FUZZ_CHECK(rec->err_reason && rec->err_reason[0]);
    FUZZ_CHECK(rec->err_line >= rec->line && rec->line >= 1);
    FUZZ_CHECK(rec->err_col >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[8] = {0, ',', ';', '\t', '|', 0, 0, 0};
    if (size < 2)
        return 0;
    struct csv_options o = {
        .delimiter = delims[data[0] & 7],
        .chunk_size = (size_t)(data[0] >> 3) + 1,
        .max_field = (size_t)(data[1] & 63) + 1,
    };
    o.max_record = o.max_field * (size_t)((data[1] >> 6) + 1);
    data += 2;
    size -= 2;

    FILE *f = fuzz_stream(data, size);
    struct vm_err err;
    vm_err_clear(&err);
    struct csv_reader *r = csv_reader_open(f, "f.csv", &o, &err);
    if (!r) {
        FUZZ_CHECK(err.code == VM_EXIT_DATAERR);
        FUZZ_CHECK(strncmp(err.msg, "f.csv:", 6) == 0);
        fclose(f);
        return 0;
    }
    const struct csv_record *hdr = csv_reader_header(r);
    FUZZ_CHECK(hdr->nfields >= 1);
    check_good(r, hdr, &o);

    /* Every record, good or bad, consumes at least one byte: more calls
     * than bytes means the reader is stuck. */
    struct csv_record rec;
    long calls = 0;
    int rc;
    while ((rc = csv_reader_next(r, &rec, &err)) != 0) {
        if (rc == -2) { /* no I/O error in memory: a record ran past max_record */
            FUZZ_CHECK(err.code == VM_EXIT_DATAERR && strncmp(err.msg, "f.csv:", 6) == 0);
            FUZZ_CHECK(strstr(err.msg, "not read further") != NULL);
            FUZZ_CHECK(csv_reader_next(r, &rec, &err) == 0); /* it reads nothing more */
            break;
        }
        FUZZ_CHECK(rc == 1 || rc == -1);
        FUZZ_CHECK(++calls <= (long)size);
        FUZZ_CHECK(rec.index == csv_reader_record_count(r));
        if (rc == 1)
            check_good(r, &rec, &o);
        else
            check_bad(&rec, &err);
        vm_err_clear(&err);
    }
    FUZZ_CHECK(csv_reader_bytes(r) <= (long long)size);
    csv_reader_close(r);
    fclose(f);
    return 0;
}
