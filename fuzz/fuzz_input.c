/*
 * fuzz_input: the byte-source layer (src/io/input.c) and the .xlsx reader
 * (src/io/xlsx_reader.c) on hostile files: corrupt and truncated gzip,
 * bytes no encoding decodes, odd UTF-16, damaged zips, bad XML, shared
 * strings that do not exist, cells far to the right.
 *
 * Input: one option byte, then the file.
 *   byte 0: bits 0-2 --encoding (none, LATIN1, WINDOWS-1252, UTF-16LE,
 *           UTF-16BE, UTF-16, UTF-8, none); bit 3 --sheet "Vendors"
 * Every record is read to the end; each must keep the reader's contract.
 */
#include <stdint.h>

#include "core/normalize.h"
#include "fuzz_support.h"
#include "io/input.h"

static void check_good(const struct vm_input *in, const struct csv_record *rec)
{
    FUZZ_CHECK(rec->nfields == input_header(in)->nfields);
    FUZZ_CHECK(rec->line >= 1);
    for (size_t k = 0; k < rec->nfields; k++) {
        size_t bad;
        FUZZ_CHECK(strlen(rec->fields[k]) == rec->lens[k]); /* no NUL inside */
        FUZZ_CHECK(norm_utf8_valid(rec->fields[k], rec->lens[k], &bad));
        FUZZ_CHECK(rec->field_line[k] >= rec->line);
        FUZZ_CHECK(rec->field_col[k] >= 1);
    }
}

/* Every message names the file; a bad file is a data error, a mismatched
 * option a usage error. */
static void check_err(const struct vm_err *err)
{
    FUZZ_CHECK(err->code == VM_EXIT_DATAERR || err->code == VM_EXIT_USAGE);
    FUZZ_CHECK(strncmp(err->msg, "f.csv", 5) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encodings[8] = {NULL,       "LATIN1", "WINDOWS-1252", "UTF-16LE",
                                             "UTF-16BE", "UTF-16", "UTF-8",        NULL};
    if (size < 1)
        return 0;
    struct input_options o = {
        .encoding = encodings[data[0] & 7],
        .sheet = (data[0] & 8) ? "Vendors" : NULL,
    };
    data++;
    size--;

    FILE *f = fuzz_stream(data, size);
    struct vm_err err;
    vm_err_clear(&err);
    struct vm_input *in = input_open(f, "f.csv", &o, &err);
    if (!in) {
        check_err(&err);
        fclose(f);
        return 0;
    }
    const struct csv_record *hdr = input_header(in);
    FUZZ_CHECK(hdr->nfields >= 1);
    check_good(in, hdr);

    struct csv_record rec;
    int rc;
    while ((rc = input_next(in, &rec, &err)) != 0) {
        if (rc == -2) { /* fatal: corrupt data below the text, or a record too long */
            check_err(&err);
            break;
        }
        FUZZ_CHECK(rc == 1 || rc == -1);
        if (rc == 1) {
            check_good(in, &rec);
        } else {
            check_err(&err);
            FUZZ_CHECK(rec.err_reason && rec.err_reason[0]);
            FUZZ_CHECK(rec.err_line >= 1 && rec.err_col >= 1);
        }
        vm_err_clear(&err);
    }
    input_close(in);
    fclose(f);
    return 0;
}
