/*
 * input: the byte-source layer under the record readers. It takes the file
 * as it arrives (a path's stream or stdin), recognises what it is by its
 * first bytes, not by its name, and hands the importer records:
 *
 *   gzip (1F 8B)        -> inflated through zlib, streamed
 *   UTF-16 / UTF-8 BOM  -> the text's encoding, whatever --encoding says
 *   --encoding NAME     -> converted to UTF-8 through iconv
 *   zip (PK 03 04)      -> an .xlsx workbook, read by xlsx_reader
 *   anything else       -> UTF-8 CSV, read by csv_reader
 *
 * Records have csv_reader's shape (struct csv_record) whatever the format,
 * so the importer does not care which it reads. A failure below the text
 * (corrupt gzip data, bytes the named encoding cannot decode) is a data
 * error (exit 65) with its reason; decoding errors name FILE:LINE:COL in
 * characters of the decoded text, as the CSV reader counts them.
 */
#ifndef VM_IO_INPUT_H
#define VM_IO_INPUT_H

#include <stdio.h>

#include "core/util.h"
#include "io/csv_reader.h"

struct input_options {
    const char *encoding; /* NULL or "UTF-8": UTF-8 unless a BOM says otherwise */
    const char *sheet;    /* workbooks: the sheet to read; NULL = the first */
    char delimiter;       /* CSV: 0 = detect */
};

struct vm_input;

/* Checks that iconv can decode `name` (for option parsing). 0 or a usage error. */
int input_check_encoding(const char *name, struct vm_err *err);

/* A --delimiter argument: ',', ';', '|', a tab, "tab" or "\\t" -> the
 * character; anything else -> -1. */
int input_parse_delimiter(const char *arg);

/* Sniffs raw (not owned; it is read to its end or to the first error) and
 * reads the header record. NULL on error, err says why. */
struct vm_input *input_open(FILE *raw, const char *display_name, const struct input_options *o,
                            struct vm_err *err);

/* Same contract as csv_reader_next: 1 record, 0 end, -1 bad record (err and
 * rec->err_* say why), -2 fatal. */
int input_next(struct vm_input *in, struct csv_record *rec, struct vm_err *err);

const struct csv_record *input_header(const struct vm_input *in);
/* The name errors use: the file's, with "[SHEET]" for a workbook. */
const char *input_name(const struct vm_input *in);
void input_close(struct vm_input *in);

#endif
