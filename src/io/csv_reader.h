/*
 * csv_reader: streams vendor catalogs (CSV as spreadsheets export it) one
 * record at a time in constant memory, and knows where every record and field
 * starts so that errors read "FILE:LINE:COL: reason".
 *
 * The idea: a small "framer" walks the bytes once, mirroring libcsv's grammar,
 * to find where records and fields begin and end (lines, columns, size limits,
 * the raw text for a rejects file); libcsv then decodes the complete record
 * (quotes, doubled quotes, space trimming). Buffers are reused across records,
 * so there is no per-field allocation and memory stays bounded by the limits.
 *
 * Lines and columns are 1-based. Columns count characters (UTF-8 code points,
 * a TAB counts as one) from the start of the physical line; a UTF-8 BOM at the
 * start of the file is not counted. A field's column is the position right
 * after the delimiter that precedes it (or the start of the line).
 */
#ifndef VM_IO_CSV_READER_H
#define VM_IO_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/util.h"

#define CSV_DEFAULT_MAX_FIELD ((size_t)1 << 20)  /* 1 MiB of raw field text */
#define CSV_DEFAULT_MAX_RECORD ((size_t)8 << 20) /* 8 MiB of raw record text */
#define CSV_DEFAULT_CHUNK ((size_t)64 << 10)     /* bytes per fread */

struct csv_options {
    char delimiter;    /* ',', ';', '\t' or '|'; 0 = detect from the header line */
    size_t max_field;  /* 0 = CSV_DEFAULT_MAX_FIELD */
    size_t max_record; /* 0 = CSV_DEFAULT_MAX_RECORD */
    size_t chunk_size; /* 0 = CSV_DEFAULT_CHUNK (tests use tiny chunks) */
    /* What an "invalid UTF-8" error advises; NULL = "save the file as UTF-8". */
    const char *utf8_hint;
};

/* One record. Every pointer stays valid until the next csv_reader_next or
 * csv_reader_close. Fields are NUL-terminated (lens[] excludes the NUL). */
struct csv_record {
    size_t nfields;
    const char **fields;
    const size_t *lens;
    const long *field_line; /* physical line where each field starts */
    const long *field_col;  /* column (characters) where each field starts */
    long line;              /* physical line where the record starts */
    long index;             /* 1 for the first data record after the header */
    const char *raw;        /* the record's bytes as in the file, no final newline */
    size_t raw_len;
    bool raw_truncated; /* raw holds only the start (record over a size limit) */
    /* For a rejected record (csv_reader_next returned -1): where and why. */
    long err_line;
    long err_col;
    const char *err_reason; /* e.g. "expected 12 fields, found 13" */
};

struct csv_reader;

/* Reads the header. NULL on error (err says why: "FILE:1:1: file is empty", an
 * I/O error, a bad header). Does not take ownership of f. display_name is
 * copied and used as FILE in messages. opt may be NULL for defaults. */
struct csv_reader *csv_reader_open(FILE *f, const char *display_name, const struct csv_options *opt,
                                   struct vm_err *err);

/* 1: *rec holds the next record. 0: end of file. -1: this record is bad (err
 * and rec->err_* say why and where, rec->raw holds its text); calling again
 * continues with the next record. -2: fatal, stop: an I/O error, or a record
 * that ran past max_record (err is VM_EXIT_DATAERR "FILE:L:C: ...; the
 * record runs past 8 MiB, so the file was not read further"); the reader
 * reads nothing more, so endless input ends here. */
int csv_reader_next(struct csv_reader *r, struct csv_record *rec, struct vm_err *err);

void csv_reader_close(struct csv_reader *r);

const struct csv_record *csv_reader_header(const struct csv_reader *r);
char csv_reader_delimiter(const struct csv_reader *r);
/* Bytes of the file consumed so far (BOM included), for a progress bar. */
long long csv_reader_bytes(const struct csv_reader *r);
/* Data records returned so far, good and bad; after EOF, 0 means header only. */
long csv_reader_record_count(const struct csv_reader *r);
const char *csv_reader_name(const struct csv_reader *r);

#endif
